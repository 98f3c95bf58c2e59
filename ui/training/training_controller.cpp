#include "training_controller.h"
#include "training_controller_setup.h"

#include <QThread>

#include <algorithm>
#include <chrono>
#include <map>

#include "core/error.h"
#include "display_convert.h"
#include "distillation_teacher.h"
#include "metrics_json.h"
#include "recorder.h"
#include "run_info.h"
#include "run/run_setup.h"
#include "train/trainer.h"

namespace neurite {

// The worker's observer and the hand-over buffer. Shared by the controller and the worker, so it
// outlives whichever finishes last.
class TrainingController::Queue : public TrainObserver {
public:
    explicit Queue(TrainingController* owner) : m_owner(owner) {}

    std::vector<std::shared_ptr<TrainObserver>> extra;  // set by the worker before training
    std::shared_ptr<ModelAfterRun> afterRun;  // set by the worker at the end, read once it is done
    // Worker-side: steps taken and the epoch of the next step (a branch starts past its parent's).
    int64_t stepsTaken = 0;
    int nextEpoch = 1;
    // Worker-side, set before training: what the decision map and the reconstructions need.
    Model* model = nullptr;
    const Dataset* data = nullptr;
    std::optional<PlaneRange> plane;  // 2-D classification: the plane around the training points
    std::vector<Node> nodes;          // the model's nodes, for the unit maps
    const ResolvedGraph* graph = nullptr;  // image networks: for the activation maps
    const DataSplit* activationSplit = nullptr;
    std::atomic<int64_t> activationSample{-1};
    const StopToken* stop = nullptr;  // paused after stepping: the maps are drawn at once
    Preprocessing preprocessing;
    int classes = 0;
    bool reconstructs = false;
    bool forecasts = false;
    bool restoresBest = false;  // early stopping restores the best epoch's weights at the end

    void onStep(const StepEvent& e) override {
        for (auto& o : extra) o->onStep(e);
        stepsTaken = e.step;
        nextEpoch = e.stepInEpoch >= e.stepsPerEpoch ? e.epoch + 1 : e.epoch;
        // The maps at most kViewHz times a second, and whenever stepping has just paused the run.
        const bool due = stop && stop->paused();
        Views views = viewsIfDue(due);
        {
            std::lock_guard lock(m_mu);
            m_pending.steps.push_back(e);
            views.moveInto(m_pending);
        }
        if (due) postDrain();
    }
    // Before the first step: the initialized model's maps.
    void onStart() {
        Views views = viewsNow();
        {
            std::lock_guard lock(m_mu);
            views.moveInto(m_pending);
        }
        postDrain();
    }
    void onEpoch(const EpochEvent& e) override {
        for (auto& o : extra) o->onEpoch(e);
        nextEpoch = e.epoch + 1;
        Views views = viewsIfDue(e.epoch == e.epochs || (stop && stop->paused()));
        QString viewError;
        std::optional<TrainingUpdate::Reconstructed> recon = reconstructionsAfter(e, viewError);
        std::optional<TrainingUpdate::Forecasted> forecast = forecastAfter(e, viewError);
        {
            std::lock_guard lock(m_mu);
            m_pending.epochs.push_back(e);
            views.moveInto(m_pending);
            if (recon) m_pending.reconstructions = std::move(recon);
            if (forecast) m_pending.forecast = std::move(forecast);
            if (!viewError.isEmpty()) m_pending.viewError = viewError;
        }
        postDrain();
    }
    void onFinished(const FinishedEvent& e) override {
        for (auto& o : extra) o->onFinished(e);
        // The trainer restored the best epoch's weights: the forecast of the model the run keeps.
        std::optional<TrainingUpdate::Forecasted> forecast;
        QString viewError;
        if (restoresBest && e.status != "cancelled" && e.bestEpoch > 0 && e.bestEpoch != e.epochs) {
            EpochEvent best;
            best.epoch = e.bestEpoch;
            forecast = forecastAfter(best, viewError);
            if (forecast) forecast->restored = true;
        }
        Views views = viewsNow();  // the model the run keeps (an early stop's best epoch)
        std::lock_guard lock(m_mu);
        m_finished = e;
        views.moveInto(m_pending);
        if (forecast) m_pending.forecast = std::move(forecast);
        if (!viewError.isEmpty()) m_pending.viewError = viewError;
    }
    void onFailed(const Error& e) override {
        for (auto& o : extra) o->onFailed(e);
    }
    // Paused: apply the neuron view's weight edits (then draw the maps again) and hand the
    // trainer the settings asked for.
    std::optional<SettingsChange> whilePaused() override {
        std::vector<WeightEdit> edits;
        std::optional<SettingsChange> change;
        {
            std::lock_guard lock(m_mu);
            std::swap(edits, m_weightEdits);
            std::swap(change, m_change);
        }
        const bool newSample = wantsActivations() && activationSample.load() != m_activationShown;
        if ((!edits.empty() || newSample) && model) {
            std::vector<float> values = edits.empty() ? std::vector<float>() : model->snapshot();
            std::vector<SettingsChangedEvent> made;  // recorded with the run, like a setting changed while paused
            for (const WeightEdit& w : edits)
                for (const ParamInfo& p : model->params())
                    if (p.node == w.node && p.name == w.param && p.trainable && w.index >= 0 && w.index < p.shape.numel()) {
                        float& v = values[static_cast<std::size_t>(p.offset + w.index)];
                        made.push_back({stepsTaken, nextEpoch, w.node + "." + w.param + "[" + std::to_string(w.index) + "]", v,
                                        w.value, {}});
                        v = w.value;
                    }
            if (!edits.empty()) model->restore(values);
            for (const SettingsChangedEvent& e : made) onSettingsChanged(e);
            Views views = viewsNow();
            {
                std::lock_guard lock(m_mu);
                views.moveInto(m_pending);
            }
            postDrain();
        }
        return change;
    }
    void onSettingsChanged(const SettingsChangedEvent& e) override {
        for (auto& o : extra) o->onSettingsChanged(e);
        {
            std::lock_guard lock(m_mu);
            m_pending.settingChanges.push_back(e);
        }
        postDrain();
    }
    struct WeightEdit {
        std::string node, param;
        int64_t index = 0;
        float value = 0;
    };
    void queueWeight(WeightEdit w) {
        std::lock_guard lock(m_mu);
        m_weightEdits.push_back(std::move(w));
    }
    void queueChange(const SettingsChange& c) {
        std::lock_guard lock(m_mu);
        if (!m_change) m_change = SettingsChange{};
        if (c.lr) m_change->lr = c.lr;
        if (c.batchSize) m_change->batchSize = c.batchSize;
        if (c.l1) m_change->l1 = c.l1;
        if (c.l2) m_change->l2 = c.l2;
    }

    bool wantsCheckpoints() const override {
        return std::any_of(extra.begin(), extra.end(), [](const auto& o) { return o->wantsCheckpoints(); });
    }
    void onCheckpoint(const TrainerState& s) override {
        for (auto& o : extra)
            if (o->wantsCheckpoints()) o->onCheckpoint(s);
    }

    // A branch: the history it carries from its parent, for the plots only (the recorder has
    // it already).
    void addHistory(std::vector<StepEvent> steps, std::vector<EpochEvent> epochs) {
        std::lock_guard lock(m_mu);
        m_pending.steps.insert(m_pending.steps.end(), steps.begin(), steps.end());
        m_pending.epochs.insert(m_pending.epochs.end(), epochs.begin(), epochs.end());
    }
    void setPrepared(const RunPrepared& p) {
        {
            std::lock_guard lock(m_mu);
            m_prepared = p;
        }
        postDrain();
    }
    void setFailure(const Failure& failure) {
        std::lock_guard lock(m_mu);
        m_failure = failure;
    }
    void setDone() {
        {
            std::lock_guard lock(m_mu);
            m_done = true;
        }
        postDrain();
    }

    struct Taken {
        TrainingUpdate update;
        std::optional<RunPrepared> prepared;
        std::optional<FinishedEvent> finished;
        std::optional<Failure> failure;
        bool done = false;
        bool empty() const {
            return update.steps.empty() && update.epochs.empty() && !update.map && !update.unitMaps && !update.activations &&
                   update.settingChanges.empty() &&
                   !update.reconstructions && !update.forecast && update.viewError.isEmpty() && !prepared &&
                   !finished && !failure && !done;
        }
    };
    Taken take() {
        Taken t;
        std::lock_guard lock(m_mu);
        m_drainPosted = false;
        std::swap(t.update, m_pending);
        std::swap(t.prepared, m_prepared);
        std::swap(t.finished, m_finished);
        std::swap(t.failure, m_failure);
        t.done = m_done;
        m_done = false;
        return t;
    }

private:
    // One queued call per burst: later events join the pending batch until it is drained.
    void postDrain() {
        {
            std::lock_guard lock(m_mu);
            if (m_drainPosted) return;
            m_drainPosted = true;
        }
        TrainingController* owner = m_owner;
        QMetaObject::invokeMethod(owner, [owner] { owner->drain(false); }, Qt::QueuedConnection);
    }

    // 2-D classification: the decision map and the unit maps of the model as it is now.
    struct Views {
        std::optional<DecisionMap> map;
        std::shared_ptr<const UnitMaps> units;
        std::shared_ptr<const ActivationMaps> activations;
        int64_t sample = -1;
        int label = -1;
        QString error;
        void moveInto(TrainingUpdate& u) {
            if (map) u.map = std::move(map);
            if (units) u.unitMaps = std::move(units);
            if (activations) {
                u.activations = std::move(activations);
                u.activationSample = sample;
                u.activationLabel = label;
            }
            if (!error.isEmpty()) u.viewError = error;
        }
    };

    // At most kViewHz times a second (epochs of a small model end every few milliseconds), or now.
    Views viewsIfDue(bool force) {
        if (!plane && !wantsActivations()) return {};
        if (!force && std::chrono::steady_clock::now() - m_lastViews <
                          std::chrono::milliseconds(1000 / TrainingController::kViewHz))
            return {};
        return viewsNow();
    }

    // On the worker between two steps (the Trainer calls its observer outside a step). A failure
    // is said once; the run goes on without maps.
    Views viewsNow() {
        Views v;
        if (!model) return v;
        m_lastViews = std::chrono::steady_clock::now();
        if (plane) {
            try {
                v.map = decisionMap(*model, preprocessing, classes, *plane);
                v.units = std::make_shared<const UnitMaps>(unitMaps(*model, nodes, preprocessing, *plane));
            } catch (...) {
                plane.reset();
                v.error = failureText(currentFailure(), QObject::tr("No decision map"));
            }
        }
        if (wantsActivations()) {
            try {
                SampleActivations a = sampleActivations(*model, nodes, *graph, preprocessing, *activationSplit,
                                                        data->sampleShape.numel(), activationSample.load());
                v.activations = std::move(a.maps);
                v.sample = a.sample;
                v.label = a.label;
                m_activationShown = activationSample.load();
            } catch (...) {
                activationSplit = nullptr;
                v.error = failureText(currentFailure(), QObject::tr("No activation maps"));
            }
        }
        return v;
    }
    bool wantsActivations() const {
        return model && data && graph && activationSplit && activationSplit->count > 0 && activationSample.load() >= 0;
    }
    int64_t m_activationShown = -1;  // the sample of the last activation maps

    // Autoencoders: the first held-out samples through the model, on the worker between steps.
    std::optional<TrainingUpdate::Reconstructed> reconstructionsAfter(const EpochEvent& e, QString& error) {
        if (!model || !data || !reconstructs) return std::nullopt;
        try {
            Reconstructions r = reconstructSamples(*model, *data);
            if (r.count == 0) return std::nullopt;
            return TrainingUpdate::Reconstructed{e.epoch, std::move(r)};
        } catch (...) {
            reconstructs = false;
            error = failureText(currentFailure(), QObject::tr("No reconstructions"));
            return std::nullopt;
        }
    }

    // Time-series forecasts: the validation windows through the model, on the worker between steps.
    std::optional<TrainingUpdate::Forecasted> forecastAfter(const EpochEvent& e, QString& error) {
        if (!model || !data || !forecasts) return std::nullopt;
        try {
            Forecast f = forecastSplit(*model, *data);
            if (f.count == 0) return std::nullopt;
            return TrainingUpdate::Forecasted{e.epoch, std::move(f)};
        } catch (...) {
            forecasts = false;
            error = failureText(currentFailure(), QObject::tr("No forecasts"));
            return std::nullopt;
        }
    }

    TrainingController* m_owner;
    std::chrono::steady_clock::time_point m_lastViews{};
    std::mutex m_mu;
    std::vector<WeightEdit> m_weightEdits;    // from the GUI, applied while paused
    std::optional<SettingsChange> m_change;   // from the GUI, handed to the trainer while paused
    TrainingUpdate m_pending;
    std::optional<RunPrepared> m_prepared;
    std::optional<FinishedEvent> m_finished;
    std::optional<Failure> m_failure;
    bool m_done = false, m_drainPosted = false;
};

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<neurite::RunPrepared>();
    qRegisterMetaType<neurite::TrainingUpdate>();
    qRegisterMetaType<neurite::FinishedEvent>();
    m_timer.setInterval(1000 / kDrainHz);
    connect(&m_timer, &QTimer::timeout, this, [this] { drain(true); });
}

TrainingController::~TrainingController() {
    if (m_thread) {
        m_stop->requestStop();
        m_thread->wait();
        delete m_thread;
    }
}

bool TrainingController::start(const ProjectDocument& project, bool paused, std::optional<storage::BranchPoint> branch) {
    if (m_thread) return false;
    m_afterRun.reset();
    m_queue = std::make_shared<Queue>(this);
    m_queue->activationSample.store(m_activationSample);
    m_stop = std::make_shared<StopToken>();
    if (paused) m_stop->pause();
    m_wasPaused = paused;
    auto queue = m_queue;
    auto stop = m_stop;
    const std::string storePath = m_storePath.toStdString();
    const bool liveViews = m_liveViews;
    m_thread = QThread::create([queue, stop, project, storePath, liveViews, branch] {
        std::shared_ptr<storage::Recorder> recorder;
        bool failed = false;
        try {
            RunSetup setup = prepareRun(project);
            const DataDescription description = describeData(setup.data, setup.project.data.reconstruct);
            RunPrepared info = preparedRun(setup, description);
            std::optional<TrainerState> from;
            if (branch) {
                if (storePath.empty()) throwBadInput("rewinding needs the run store, and runs are not recorded");
                storage::RunStore store(storePath);
                std::vector<std::string> notes;
                from = storage::branchState(store, setup, *branch, notes);
                for (const std::string& n : notes) info.warnings << QString::fromStdString(n);
                setup.model->restore(from->model);  // the maps before the first step show it
            }
            Trainer trainer(*setup.model, setup.data, setup.project.training);
            if (setup.project.training.distillation.enabled())
                trainer.setTeacher(storage::distillationTeacher(setup.project, setup.data, storePath));
            if (from) {
                queue->stepsTaken = from->globalStep;
                queue->nextEpoch = from->epoch + 1;
                trainer.resumeFrom(std::move(*from));
            }
            // The run is created once the trainer accepted the setup: bad input leaves no run.
            if (!storePath.empty()) {
                storage::RunStore store(storePath);
                if (branch) {
                    info.runId = store.beginBranch(storage::describeBranch(setup, *branch), branch->run, branch->epoch);
                    std::vector<StepEvent> steps;
                    std::vector<EpochEvent> epochs;
                    branchHistory(store, info.runId, setup.project.training.epochs, steps, epochs);
                    queue->addHistory(std::move(steps), std::move(epochs));
                } else {
                    info.runId = store.beginRun(storage::describeRun(setup));
                }
                recorder = std::make_shared<storage::Recorder>(storePath, info.runId, setup.project.training.epochs,
                                                               storage::reportJson());
                queue->extra.push_back(recorder);
            }
            queue->model = setup.model.get();
            queue->data = &setup.data;
            if (liveViews && description.twoDimensional && !description.pointX.empty()) {
                queue->plane = paddedPlane(description.pointX, description.pointY);
                queue->preprocessing = preprocessingOf(setup.data);
                queue->classes = setup.data.numClasses;
                queue->nodes = setup.project.nodes;
                queue->stop = stop.get();
            }
            if (liveViews && setup.data.sampleShape.rank() == 3 && !description.reconstructs) {
                queue->graph = &setup.graph;
                queue->nodes = setup.project.nodes;
                queue->preprocessing = preprocessingOf(setup.data);
                queue->activationSplit = setup.data.validation.count > 0 ? &setup.data.validation : &setup.data.train;
                queue->stop = stop.get();
            }
            queue->reconstructs = description.reconstructs;
            queue->forecasts = description.forecasts;
            const EarlyStoppingConfig& es = setup.project.training.earlyStopping;
            queue->restoresBest = es.enabled && es.restoreBest;
            queue->setPrepared(info);
            queue->onStart();
            const FinishedEvent fin = trainer.run(*queue, *stop);
            queue->model = nullptr;
            queue->data = nullptr;
            if (recorder) recorder->setFinalModel(setup.model->snapshot(), fin.epochs);
            if (queue->graph && queue->activationSplit) {  // the Activations tab goes on after the run
                auto after = std::make_shared<ModelAfterRun>();
                after->split = *queue->activationSplit;
                after->graph = setup.graph;
                after->nodes = queue->nodes;
                after->preprocessing = queue->preprocessing;
                after->sampleValues = setup.data.sampleShape.numel();
                queue->graph = nullptr;
                queue->activationSplit = nullptr;
                after->model = std::move(setup.model);
                queue->afterRun = std::move(after);
            }
        } catch (...) {
            failed = true;
            queue->setFailure(currentFailure());
        }
        // Writes what was recorded and the run's end (completed, cancelled or failed). A storage
        // error surfaces here, after training kept going; after a training error, that error is
        // the one the user needs.
        if (recorder) {
            try {
                recorder->close();
            } catch (...) {
                if (!failed) queue->setFailure(currentFailure());
            }
        }
        queue->setDone();
    });
    m_thread->setObjectName(QStringLiteral("neurite-training"));
    m_thread->start();
    m_timer.start();
    emit stateChanged();
    return true;
}

void TrainingController::pause() {
    if (!m_stop) return;
    m_stop->pause();
    m_wasPaused = m_stop->paused();
    emit stateChanged();
}

void TrainingController::resume() {
    if (!m_stop) return;
    m_stop->resume();
    m_wasPaused = m_stop->paused();
    emit stateChanged();
}

void TrainingController::stepBatches(int64_t steps) {
    if (!m_stop || !m_stop->paused()) return;
    m_stop->stepBatches(steps);
    m_wasPaused = false;
    emit stateChanged();
}

void TrainingController::stepEpoch() {
    if (!m_stop || !m_stop->paused()) return;
    m_stop->stepEpoch();
    m_wasPaused = false;
    emit stateChanged();
}

void TrainingController::changeSettings(const SettingsChange& change) {
    if (m_queue && paused() && !change.empty()) m_queue->queueChange(change);
}

void TrainingController::setWeight(const QString& node, const QString& param, qint64 index, float value) {
    if (m_queue && paused()) m_queue->queueWeight({node.toStdString(), param.toStdString(), index, value});
}

void TrainingController::setActivationSample(qint64 index) {
    m_activationSample = index;
    if (m_queue) m_queue->activationSample.store(index);
    if (m_thread || !m_afterRun || index < 0) return;
    // The run has ended: one forward pass of one sample here, on the model it left.
    TrainingUpdate u;
    try {
        ModelAfterRun& a = *m_afterRun;
        SampleActivations s = sampleActivations(*a.model, a.nodes, a.graph, a.preprocessing, a.split, a.sampleValues, index);
        u.activations = std::move(s.maps);
        u.activationSample = s.sample;
        u.activationLabel = s.label;
    } catch (...) {
        m_afterRun.reset();
        u.viewError = failureText(currentFailure(), tr("No activation maps"));
    }
    emit progressed(u);
}

void TrainingController::forgetRun() {
    if (!m_thread) m_afterRun.reset();
}

void TrainingController::stop() {
    if (m_stop) m_stop->requestStop();
}

void TrainingController::drain(bool fromTimer) {
    if (!m_queue) return;
    // Epochs of a small model end hundreds of times a second: their posted drains are merged
    // into the timer's, so the GUI sees at most ~kDrainHz updates a second.
    if (!fromTimer && m_sinceDrain.isValid() && m_sinceDrain.elapsed() < 1000 / kDrainHz) return;
    m_sinceDrain.restart();
    Queue::Taken t = m_queue->take();
    const bool pausedItself = m_thread && !t.done && paused() != m_wasPaused;  // stepping ended
    m_wasPaused = paused();
    if (t.empty()) {
        if (pausedItself) emit stateChanged();
        return;
    }
    ++m_drains;
    if (t.prepared) emit prepared(*t.prepared);
    if (!t.update.steps.empty() || !t.update.epochs.empty() || t.update.map || t.update.unitMaps || t.update.activations ||
        !t.update.settingChanges.empty() ||
        t.update.reconstructions || t.update.forecast ||
        !t.update.viewError.isEmpty())
        emit progressed(t.update);
    if (pausedItself) emit stateChanged();
    if (t.finished) emit finished(*t.finished);
    if (t.failure) emit failed(*t.failure);
    if (t.done) workerDone();
}

void TrainingController::workerDone() {
    m_timer.stop();
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
        m_thread = nullptr;
    }
    m_afterRun = std::move(m_queue->afterRun);  // the worker has ended: no lock needed
    m_queue.reset();
    emit stateChanged();
}

}  // namespace neurite
