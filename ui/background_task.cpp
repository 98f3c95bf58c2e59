// One worker thread per task; the job's state is shared by the worker and the GUI side.
#include "background_task.h"

#include <QProgressDialog>

#include <QThread>

#include "core/error.h"

namespace neurite {

struct BackgroundTask::Job {
    StopToken stop;
    Work work;
    Done done;
    std::optional<Failure> failure;  // written by the worker, read after it finished
};

BackgroundTask::BackgroundTask(QObject* parent) : QObject(parent) {}

BackgroundTask::~BackgroundTask() {
    if (m_current) m_current->stop.requestStop();
    for (QThread* t : m_threads) {
        t->wait();
        delete t;
    }
}

bool BackgroundTask::start(Work work, Done done) {
    if (m_current) return false;
    auto job = std::make_shared<Job>();
    job->work = std::move(work);
    job->done = std::move(done);
    // The worker posts stages to this object; the destructor waits for the worker, so `this`
    // outlives every post, and a post after the job was cancelled is dropped.
    const Stage stage = [this, weak = std::weak_ptr<Job>(job)](const std::string& text) {
        QMetaObject::invokeMethod(
            this,
            [this, weak, t = QString::fromStdString(text)] {
                if (weak.lock() != m_current || !m_current) return;
                m_stage = t;
                emit stageChanged(t);
            },
            Qt::QueuedConnection);
    };
    QThread* thread = QThread::create([job, stage] {
        try {
            job->work(job->stop, stage);
        } catch (...) {
            job->failure = currentFailure();
        }
    });
    thread->setObjectName(QStringLiteral("neurite-background"));
    m_threads.append(thread);
    m_current = job;
    m_stage.clear();
    connect(thread, &QThread::finished, this, [this, thread, job] {
        m_threads.removeOne(thread);
        thread->deleteLater();
        if (job == m_current) {  // else cancelled: its end was reported already
            m_current.reset();
            m_stage.clear();
            job->done(job->failure);
        }
        if (m_threads.isEmpty()) emit threadsFinished();
    });
    thread->start();
    return true;
}

void BackgroundTask::cancel() {
    if (!m_current) return;
    const std::shared_ptr<Job> job = std::move(m_current);
    m_current.reset();
    m_stage.clear();
    job->stop.requestStop();
    job->done(Failure{ErrorKind::Cancelled, QObject::tr("cancelled")});
}

TaskProgress startTaskProgress(QWidget* parent, const QString& title, const QString& label) {
    auto* progress = new QProgressDialog(label, QObject::tr("Cancel"), 0, 0, parent);
    progress->setWindowTitle(title);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setMinimumDuration(0);
    auto* task = new BackgroundTask(parent);
    QObject::connect(task, &BackgroundTask::threadsFinished, task, &QObject::deleteLater);
    QObject::connect(progress, &QProgressDialog::canceled, task, &BackgroundTask::cancel);
    return {progress, task};
}

}  // namespace neurite
