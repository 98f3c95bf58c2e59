// BackgroundTask: engine work (loading a run's models, a data set, drawing a decision map) on a
// worker thread, one task at a time, with its end handed to the GUI thread; no slot ever waits
// for it. The work gets a stop token (cancel() sets it; the engine checks it between its steps)
// and a stage callback whose text arrives on the GUI thread as stageChanged(). Exceptions stay on
// the worker and arrive as a Failure with their kind. cancel() answers at once: `done` runs with cancelled
// set, whatever the old worker still produces is dropped, and a new task may start right away.
#pragma once

#include <QList>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "failure.h"
#include "train/events.h"

class QProgressDialog;
class QThread;
class QWidget;

namespace neurite {

class BackgroundTask : public QObject {
    Q_OBJECT
public:
    using Stage = std::function<void(const std::string& text)>;
    // Runs on the worker; writes its result where its captures say (a shared_ptr the done
    // callback holds too) and may throw.
    using Work = std::function<void(const StopToken& stop, const Stage& stage)>;
    // On the GUI thread: nullopt on success, else the failure with its kind (failure.h): kind
    // Cancelled when cancel() ended the task or the work threw Error{Cancelled}.
    using Done = std::function<void(const std::optional<Failure>& failure)>;

    explicit BackgroundTask(QObject* parent = nullptr);
    ~BackgroundTask() override;  // stops every worker it started and waits for them

    bool start(Work work, Done done);  // false, and nothing starts, while a task runs
    void cancel();
    bool busy() const { return m_current != nullptr; }
    // Workers still running, cancelled ones included (the destructor waits for them).
    bool running() const { return !m_threads.isEmpty(); }
    QString stage() const { return m_stage; }

signals:
    void stageChanged(const QString& text);
    void threadsFinished();  // the last running worker ended: deleting the task waits for nothing

private:
    struct Job;
    std::shared_ptr<Job> m_current;
    QList<QThread*> m_threads;  // every worker still running, cancelled ones included
    QString m_stage;
};

// A busy dialog for one task (no percentage), deleted when closed, and a task that belongs to
// `parent`, not to the dialog: after Cancel (which cancels the task) the dialog closes at once
// while the worker finishes its step, and the task goes when its worker has.
struct TaskProgress {
    QProgressDialog* dialog;
    BackgroundTask* task;
};
TaskProgress startTaskProgress(QWidget* parent, const QString& title, const QString& label);

}  // namespace neurite
