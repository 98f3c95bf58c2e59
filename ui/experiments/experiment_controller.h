// ExperimentController: runs one experiment at a time (engine runExperiment) on a worker thread,
// recording every training in the run store the Runs tab reads, under its experiment and trial
// (storage/experiment_store.h), as neurite-cli experiment does. Start creates the experiment;
// Resume claims a stored one and runs the trials it has not finished, from its stored
// definition; Stop ends every running training after its current step (the experiment is then
// "stopped" and resumes later). The worker's host appends trial events to a mutex-guarded queue
// and posts one queued drain per burst, at most ~30 a second, so the GUI thread gets batches,
// never a signal per epoch; exceptions stay on the worker and arrive as a Failure.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "experiment/runner.h"
#include "failure.h"

class QThread;

namespace neurite {

struct TrialEvent {
    enum class Kind { Started, Progress, Finished, Stopped };
    Kind kind = Kind::Started;
    int number = 0;
    Assignment values;  // Started
    QString progress;   // Progress: "fold 2/3, epoch 5/20"
    TrialResult result; // Finished
};

// What the worker reports once the experiment is in the store.
struct ExperimentStarted {
    qint64 id = 0;
    std::shared_ptr<const ExperimentDefinition> definition;
    int planned = 0;
    std::vector<TrialResult> done;  // finished before (resume)
};

class ExperimentController : public QObject {
    Q_OBJECT
public:
    explicit ExperimentController(QObject* parent = nullptr);
    ~ExperimentController() override;  // stops a running experiment and waits for the worker

    // The run store every training is recorded in (the Runs tab's); empty refuses to start.
    void setStorePath(const QString& path) { m_storePath = path; }
    QString storePath() const { return m_storePath; }

    // Refused (false, with *error) while one runs or without a store. `source` is what the store
    // keeps as where the definition came from.
    bool start(const ExperimentDefinition& def, const QString& source, const ExperimentOptions& options,
               QString* error = nullptr);
    bool resume(qint64 id, const ExperimentOptions& options, QString* error = nullptr);
    void stop();

    bool running() const { return m_thread != nullptr; }
    static constexpr int kDrainHz = 30;  // batches of trial events a second, at most
    bool stopping() const;
    qint64 experimentId() const { return m_id; }

signals:
    void started(const neurite::ExperimentStarted& info);
    void progressed(const std::vector<neurite::TrialEvent>& events);
    // completed | budget | stopped | failed (failed comes after `failed`)
    void finished(const QString& status);
    void failed(const neurite::Failure& failure);
    void stateChanged();

private:
    class Queue;
    bool launch(std::function<void(Queue&, StopToken&)> body, QString* error);
    // At most kDrainHz drains a second: a drain posted sooner waits for the timer.
    void drain();

    QString m_storePath;
    std::shared_ptr<Queue> m_queue;
    std::shared_ptr<StopToken> m_stop;
    QThread* m_thread = nullptr;
    qint64 m_id = 0;
    QTimer m_drainTimer;
    QElapsedTimer m_sinceDrain;
};

}  // namespace neurite

Q_DECLARE_METATYPE(neurite::ExperimentStarted)
