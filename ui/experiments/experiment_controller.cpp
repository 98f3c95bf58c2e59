#include "experiment_controller.h"

#include <QThread>

#include <mutex>

#include "committed_relay.h"
#include "experiment_store.h"
#include "io/json_text.h"
#include "metrics_json.h"
#include "recorder.h"
#include "run_info.h"
#include "trial_records.h"

namespace neurite {

// The hand-over between the worker and the GUI thread; shared by both, so it outlives whichever
// ends last.
class ExperimentController::Queue {
public:
    explicit Queue(ExperimentController* owner) : m_owner(owner) {}

    void setStarted(ExperimentStarted s) {
        {
            std::lock_guard lock(m_mu);
            m_started = std::move(s);
        }
        post();
    }
    void push(TrialEvent e) {
        {
            std::lock_guard lock(m_mu);
            // Progress replaces the trial's previous progress still waiting: the GUI shows the newest.
            if (e.kind == TrialEvent::Kind::Progress && !m_events.empty() &&
                m_events.back().kind == TrialEvent::Kind::Progress && m_events.back().number == e.number) {
                m_events.back() = std::move(e);
            } else {
                m_events.push_back(std::move(e));
            }
        }
        post();
    }
    void setStatus(const std::string& status) {
        std::lock_guard lock(m_mu);
        m_status = QString::fromStdString(status);
    }
    void setFailure(const Failure& f) {
        std::lock_guard lock(m_mu);
        m_failure = f;
    }
    void setDone() {
        {
            std::lock_guard lock(m_mu);
            m_done = true;
        }
        post();
    }

    struct Taken {
        std::optional<ExperimentStarted> started;
        std::vector<TrialEvent> events;
        QString status;
        std::optional<Failure> failure;
        bool done = false;
    };
    Taken take() {
        Taken t;
        std::lock_guard lock(m_mu);
        m_posted = false;
        std::swap(t.started, m_started);
        std::swap(t.events, m_events);
        t.status = m_status;
        t.failure = m_failure;
        t.done = m_done;
        return t;
    }

private:
    // One queued call per burst: what arrives before the GUI thread drains joins the batch.
    void post() {
        {
            std::lock_guard lock(m_mu);
            if (m_posted) return;
            m_posted = true;
        }
        ExperimentController* owner = m_owner;
        QMetaObject::invokeMethod(owner, [owner] { owner->drain(); }, Qt::QueuedConnection);
    }

    ExperimentController* m_owner;
    std::mutex m_mu;
    std::optional<ExperimentStarted> m_started;
    std::vector<TrialEvent> m_events;
    QString m_status;
    std::optional<Failure> m_failure;
    bool m_done = false, m_posted = false;
};

namespace {

// Each finished epoch as the trial's progress text.
template <class Q> class ProgressObserver : public TrainObserver {
public:
    ProgressObserver(Q& queue, int trial, QString prefix) : m_queue(queue), m_trial(trial), m_prefix(std::move(prefix)) {}
    void onEpoch(const EpochEvent& e) override {
        TrialEvent ev;
        ev.kind = TrialEvent::Kind::Progress;
        ev.number = m_trial;
        ev.progress = m_prefix + QObject::tr("epoch %1/%2").arg(e.epoch).arg(e.epochs);
        m_queue.push(std::move(ev));
    }

private:
    Q& m_queue;
    int m_trial;
    QString m_prefix;
};

// One training: recorded by a Recorder; the progress is shown once the epoch is stored.
template <class Q> class GuiSink : public TrainingSink {
public:
    GuiSink(Q& queue, const std::string& db, int64_t runId, int epochs, int trial, QString prefix)
        : m_progress(queue, trial, std::move(prefix)),
          m_recorder(db, runId, epochs, storage::reportJson()),
          m_relay(m_recorder, m_progress) {}
    TrainObserver& observer() override { return m_relay; }
    void finished(RunSetup& setup, const FinishedEvent& fin) override {
        m_recorder.setFinalModel(setup.model->snapshot(), fin.epochs);
        m_relay.close();
    }
    void failed(const Error&) override { m_relay.close(false); }

private:
    ProgressObserver<Q> m_progress;
    storage::Recorder m_recorder;
    storage::CommittedRelay m_relay;
};

// The studio's host: the run store's records, as neurite-cli's, and the trial events to the GUI.
template <class Q> class GuiHost : public ExperimentHost {
public:
    GuiHost(storage::RunStore& store, int64_t id, const ExperimentDefinition& def, Q& queue)
        : m_store(store), m_experiments(store), m_id(id), m_def(def), m_queue(queue) {}

    void trialStarted(int number, const Assignment& values) override {
        m_experiments.startTrial(m_id, number, io::dumpJson(valuesToJson(m_def, values)));
        TrialEvent e;
        e.number = number;
        e.values = values;
        m_queue.push(std::move(e));
    }
    std::unique_ptr<TrainingSink> beginTraining(const TrainingSpec& spec, const Assignment&, RunSetup& setup) override {
        storage::NewRun run = storage::describeRun(setup);
        run.name = m_def.name + " #" + std::to_string(spec.trial);
        QString prefix;
        if (m_def.repeats > 1) {
            run.name += " r" + std::to_string(spec.repeat + 1);
            prefix += QObject::tr("repeat %1/%2, ").arg(spec.repeat + 1).arg(m_def.repeats);
        }
        if (spec.fold > 0) {
            run.name += " f" + std::to_string(spec.fold);
            prefix += QObject::tr("fold %1/%2, ").arg(spec.fold).arg(m_def.folds);
        }
        run.experiment = storage::NewRun::ExperimentLink{m_id, spec.trial, spec.repeat, spec.fold};
        const int64_t runId = m_store.beginRun(run);
        return std::make_unique<GuiSink<Q>>(m_queue, m_store.path(), runId, setup.project.training.epochs, spec.trial,
                                            prefix);
    }
    void trialFinished(const TrialResult& r) override {
        m_experiments.finishTrial(m_id, trialRecordOf(m_def, r));
        TrialEvent e;
        e.kind = TrialEvent::Kind::Finished;
        e.number = r.number;
        e.result = r;
        m_queue.push(std::move(e));
    }
    void trialStopped(int number) override {
        m_experiments.stopTrial(m_id, number);
        TrialEvent e;
        e.kind = TrialEvent::Kind::Stopped;
        e.number = number;
        m_queue.push(std::move(e));
    }

private:
    storage::RunStore& m_store;
    storage::ExperimentStore m_experiments;
    int64_t m_id;
    const ExperimentDefinition& m_def;
    Q& m_queue;
};

// The CPU threads the trials share: the project's training.threads (what the studio's preferences
// set) when it names a number, else every core. The runner sets each trial's own share.
int threadsOf(const ExperimentDefinition& def, int given) {
    if (given > 0) return given;
    const nlohmann::json& t = def.project.contains("training") ? def.project["training"] : nlohmann::json();
    return t.is_object() && t.contains("threads") && t["threads"].is_number_integer() ? t["threads"].get<int>() : 0;
}

// Runs the experiment `id` (in the store) to its end and records how it ended.
template <class Q>
void execute(Q& queue, storage::RunStore& store, int64_t id, std::shared_ptr<const ExperimentDefinition> def,
             int planned, ExperimentOptions options, StopToken& stop, std::vector<TrialResult> done) {
    options.threads = threadsOf(*def, options.threads);
    storage::ExperimentStore experiments(store);
    queue.setStarted(ExperimentStarted{id, def, planned, done});
    GuiHost<Q> host(store, id, *def, queue);
    ExperimentOutcome outcome;
    try {
        outcome = runExperiment(*def, host, stop, options, std::move(done));
    } catch (const std::exception& e) {
        experiments.finish(id, "failed", e.what());
        throw;
    }
    experiments.finish(id, outcome.status);
    queue.setStatus(outcome.status);
}

}  // namespace

ExperimentController::ExperimentController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<neurite::ExperimentStarted>();
    m_drainTimer.setSingleShot(true);
    connect(&m_drainTimer, &QTimer::timeout, this, &ExperimentController::drain);
}

ExperimentController::~ExperimentController() {
    if (m_thread) {
        m_stop->requestStop();
        m_thread->wait();
        delete m_thread;
    }
}

bool ExperimentController::stopping() const { return m_stop && m_thread && m_stop->stopRequested(); }

bool ExperimentController::launch(std::function<void(Queue&, StopToken&)> body, QString* error) {
    if (m_thread) {
        if (error) *error = tr("an experiment is running; stop it first");
        return false;
    }
    if (m_storePath.isEmpty()) {
        if (error) *error = tr("no run store is open, so the experiment could not be recorded (see the Runs tab)");
        return false;
    }
    m_queue = std::make_shared<Queue>(this);
    m_stop = std::make_shared<StopToken>();
    m_id = 0;
    m_thread = QThread::create([queue = m_queue, stop = m_stop, body = std::move(body)] {
        try {
            body(*queue, *stop);
        } catch (...) {
            queue->setStatus("failed");
            queue->setFailure(currentFailure());
        }
        queue->setDone();
    });
    m_thread->setObjectName(QStringLiteral("neurite-experiment"));
    m_thread->start();
    emit stateChanged();
    return true;
}

bool ExperimentController::start(const ExperimentDefinition& def, const QString& source,
                                 const ExperimentOptions& options, QString* error) {
    auto shared = std::make_shared<const ExperimentDefinition>(def);
    const std::string path = m_storePath.toStdString(), from = source.toStdString();
    return launch([shared, path, from, options](Queue& queue, StopToken& stop) {
        storage::RunStore store(path);
        storage::ExperimentStore experiments(store);
        const int planned = plannedTrialCount(*shared);
        const int64_t id = experiments.create(shared->name, io::dumpJson(experimentToJson(*shared)), from, planned);
        execute(queue, store, id, shared, planned, options, stop, {});
    }, error);
}

bool ExperimentController::resume(qint64 id, const ExperimentOptions& options, QString* error) {
    const std::string path = m_storePath.toStdString();
    return launch([id, path, options](Queue& queue, StopToken& stop) {
        storage::RunStore store(path);
        storage::ExperimentStore experiments(store);
        const storage::ExperimentRecord record = experiments.require(id);
        auto def = std::make_shared<const ExperimentDefinition>(
            parseExperiment(record.definitionJson, "experiment " + std::to_string(id) + " (as stored)", ""));
        experiments.claim(id);
        std::vector<TrialResult> done = storedResults(*def, experiments.trials(id));
        execute(queue, store, id, def, record.plannedTrials, options, stop, std::move(done));
    }, error);
}

void ExperimentController::stop() {
    if (m_stop && m_thread) {
        m_stop->requestStop();
        emit stateChanged();
    }
}

void ExperimentController::drain() {
    if (!m_queue) return;
    // Small models end hundreds of epochs a second: what arrives within a frame waits for it
    // (the queue posts nothing more until this drain has taken the batch).
    constexpr qint64 frameMs = 1000 / kDrainHz;
    if (m_sinceDrain.isValid() && m_sinceDrain.elapsed() < frameMs) {
        if (!m_drainTimer.isActive()) m_drainTimer.start(static_cast<int>(frameMs - m_sinceDrain.elapsed()));
        return;
    }
    m_sinceDrain.restart();
    Queue::Taken t = m_queue->take();
    if (t.started) {
        m_id = t.started->id;
        emit started(*t.started);
    }
    if (!t.events.empty()) emit progressed(t.events);
    if (!t.done) return;
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    m_queue.reset();
    m_drainTimer.stop();
    if (t.failure) emit failed(*t.failure);
    emit finished(t.status.isEmpty() ? QStringLiteral("failed") : t.status);
    emit stateChanged();
}

}  // namespace neurite
