#include "training_controller.h"

#include <QThread>

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "display_convert.h"
#include "metrics_json.h"
#include "recorder.h"
#include "run_info.h"
#include "run/run_setup.h"
#include "train/trainer.h"

namespace neurite {

namespace {

RunPrepared describe(const RunSetup& s, const DataDescription& data) {
    RunPrepared p = preparedOf(data);
    p.device = QString::fromStdString(s.backend->name());
    p.deviceNote = QString::fromStdString(s.deviceNote);
    p.weightsNote = QString::fromStdString(s.weightsNote);
    for (const auto& w : s.warnings) p.warnings << QString::fromStdString(w);
    const TrainConfig& t = s.project.training;
    p.epochs = t.epochs;
    p.stepsPerEpoch = (s.data.train.count + t.batchSize - 1) / std::max(t.batchSize, 1);
    if (t.maxSteps > 0) p.stepsPerEpoch = std::min<qint64>(p.stepsPerEpoch, t.maxSteps);
    return p;
}

}  // namespace

RunPrepared preparedOf(const DataDescription& data) {
    RunPrepared p;
    p.classNames = namesOf(data.classNames);
    p.trainCount = data.trainCount;
    p.validationCount = data.validationCount;
    p.testCount = data.testCount;
    p.twoDimensional = data.twoDimensional;
    p.points = pointsOf(data);
    p.source = QString::fromStdString(data.source);
    p.sampleShape = QString::fromStdString(data.sampleShape.str());
    p.classCounts.assign(data.classCounts.begin(), data.classCounts.end());
    for (std::size_t i = 0; i < data.previews.size(); ++i) {
        p.previews << imageOf(data.previews[i]);
        const int label = i < data.previewLabels.size() ? data.previewLabels[i] : -1;
        p.previewLabels << (label >= 0 && label < p.classNames.size() ? p.classNames[label] : QString());
    }
    p.reconstructs = data.reconstructs;
    p.forecasts = data.forecasts;
    for (const std::string& t : data.targetNames) p.targetNames << QString::fromStdString(t);
    for (const std::string& n : data.notes) p.notes << QString::fromStdString(n);
    p.seriesTrain = data.seriesTrain;
    p.seriesValidation = data.seriesValidation;
    p.seriesTest = data.seriesTest;
    p.seriesValidationStart = data.seriesValidationStart;
    p.seriesTestStart = data.seriesTestStart;
    p.vocabularySize = data.vocabularySize;
    for (const std::string& t : data.topTokens) p.topTokens << QString::fromStdString(t);
    p.unknownShare = data.unknownShare;
    p.unknownSplit = QString::fromStdString(data.unknownSplit);
    for (std::size_t i = 0; i < data.sampleTexts.size(); ++i) {
        p.sampleTexts << QString::fromStdString(data.sampleTexts[i]);
        const int label = i < data.sampleTextLabels.size() ? data.sampleTextLabels[i] : -1;
        p.sampleTextLabels << (label >= 0 && label < p.classNames.size() ? p.classNames[label] : QString());
    }
    return p;
}

// The worker's observer and the hand-over buffer. Shared by the controller and the worker, so it
// outlives whichever finishes last.
class TrainingController::Queue : public TrainObserver {
public:
    explicit Queue(TrainingController* owner) : m_owner(owner) {}

    std::vector<std::shared_ptr<TrainObserver>> extra;  // set by the worker before training
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
            for (const WeightEdit& w : edits)
                for (const ParamInfo& p : model->params())
                    if (p.node == w.node && p.name == w.param && p.trainable && w.index >= 0 && w.index < p.shape.numel())
                        values[static_cast<std::size_t>(p.offset + w.index)] = w.value;
            if (!edits.empty()) model->restore(values);
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
            const int64_t i = std::min(activationSample.load(), activationSplit->count - 1);
            const auto n = static_cast<std::size_t>(data->sampleShape.numel());
            std::vector<float> raw(n);
            for (std::size_t k = 0; k < n; ++k) raw[k] = activationSplit->value(static_cast<std::size_t>(i) * n + k);
            try {
                v.activations = std::make_shared<const ActivationMaps>(activationMaps(*model, nodes, *graph, preprocessing, raw));
                v.sample = i;
                v.label = static_cast<std::size_t>(i) < activationSplit->labels.size()
                              ? activationSplit->labels[static_cast<std::size_t>(i)]
                              : -1;
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

bool TrainingController::start(const ProjectDocument& project, bool paused) {
    if (m_thread) return false;
    m_queue = std::make_shared<Queue>(this);
    m_queue->activationSample.store(m_activationSample);
    m_stop = std::make_shared<StopToken>();
    if (paused) m_stop->pause();
    m_wasPaused = paused;
    auto queue = m_queue;
    auto stop = m_stop;
    const std::string storePath = m_storePath.toStdString();
    const bool liveViews = m_liveViews;
    m_thread = QThread::create([queue, stop, project, storePath, liveViews] {
        std::shared_ptr<storage::Recorder> recorder;
        bool failed = false;
        try {
            RunSetup setup = prepareRun(project);
            const DataDescription description = describeData(setup.data, setup.project.data.reconstruct);
            RunPrepared info = describe(setup, description);
            Trainer trainer(*setup.model, setup.data, setup.project.training);
            // The run is created once the trainer accepted the setup: bad input leaves no run.
            if (!storePath.empty()) {
                storage::RunStore store(storePath);
                info.runId = store.beginRun(storage::describeRun(setup));
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
    m_queue.reset();
    emit stateChanged();
}

}  // namespace neurite
