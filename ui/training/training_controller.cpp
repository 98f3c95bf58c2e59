#include "training_controller.h"

#include <QThread>

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "metrics/evaluation.h"
#include "metrics_json.h"
#include "recorder.h"
#include "run_info.h"
#include "run/run_setup.h"
#include "train/trainer.h"

namespace neurite::ui {

namespace {

constexpr int kGridSide = 64;  // decision map resolution: 4,096 points, one forward pass
constexpr int64_t kMaxMapPoints = 5000;
constexpr int64_t kPreviewCount = 24;   // image samples shown in the data tab
constexpr int64_t kReconstructionCount = 8;  // autoencoders: held-out samples reconstructed per epoch

// One sample [C,H,W] (1 or 3 channels) as an image, lo..hi mapped to black..white.
QImage imageOf(const float* v, int c, int h, int w, float lo, float hi) {
    const float range = std::max(hi - lo, 1e-12f);
    QImage img(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            auto at = [&](int ch) {
                const float f = v[static_cast<std::size_t>((ch * h + y) * w + x)];
                return std::clamp(static_cast<int>(255.f * (f - lo) / range), 0, 255);
            };
            img.setPixel(x, y, c == 1 ? qRgb(at(0), at(0), at(0)) : qRgb(at(0), at(1), at(2)));
        }
    return img;
}

bool isImage(const Shape& sh) { return sh.rank() == 3 && (sh[0] == 1 || sh[0] == 3); }

// Image data ([C,H,W] with 1 or 3 channels): the first training samples as images, scaled from
// the raw values (u8 as is, f32 by their own range), so the user sees what the model sees.
void addPreviews(const Dataset& d, RunPrepared& p) {
    const Shape& sh = d.sampleShape;
    if (!isImage(sh) || d.train.count == 0) return;
    const int c = static_cast<int>(sh[0]), h = static_cast<int>(sh[1]), w = static_cast<int>(sh[2]);
    const int64_t per = sh.numel();
    const int n = static_cast<int>(std::min<int64_t>(kPreviewCount, d.train.count));
    for (int i = 0; i < n; ++i) {
        std::vector<float> v(static_cast<std::size_t>(per));
        for (int64_t k = 0; k < per; ++k)
            v[static_cast<std::size_t>(k)] = d.train.dtype == DType::U8
                                                 ? d.train.bytes[static_cast<std::size_t>(i * per + k)]
                                                 : d.train.f32()[i * per + k];
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        p.previews << imageOf(v.data(), c, h, w, *lo, *hi);
        const int label = d.train.labels.empty() ? -1 : d.train.labels[static_cast<std::size_t>(i)];
        p.previewLabels << (label >= 0 && label < p.classNames.size() ? p.classNames[label] : QString());
    }
}

RunPrepared describe(const RunSetup& s) {
    RunPrepared p = describeData(s.data, s.project.data.reconstruct);
    p.device = QString::fromStdString(s.backend->name());
    p.deviceNote = QString::fromStdString(s.deviceNote);
    for (const auto& w : s.warnings) p.warnings << QString::fromStdString(w);
    const TrainConfig& t = s.project.training;
    p.epochs = t.epochs;
    p.stepsPerEpoch = (s.data.train.count + t.batchSize - 1) / std::max(t.batchSize, 1);
    if (t.maxSteps > 0) p.stepsPerEpoch = std::min<qint64>(p.stepsPerEpoch, t.maxSteps);
    return p;
}

}  // namespace

RunPrepared describeData(const Dataset& data, bool reconstruct) {
    RunPrepared p;
    for (const auto& c : data.classNames) p.classNames << QString::fromStdString(c);
    p.trainCount = data.train.count;
    p.validationCount = data.validation.count;
    p.testCount = data.test.count;
    const DataSplit& train = data.train;
    p.twoDimensional = data.sampleShape.rank() == 1 && data.sampleShape[0] == 2 && data.numClasses > 0 &&
                       train.dtype == DType::F32;
    if (p.twoDimensional) {
        const float* f = train.f32();
        const int64_t stride = std::max<int64_t>(1, train.count / kMaxMapPoints);
        for (int64_t i = 0; i < train.count; i += stride) {
            p.points.x.push_back(f[2 * i]);
            p.points.y.push_back(f[2 * i + 1]);
            p.points.label.push_back(train.labels[static_cast<std::size_t>(i)]);
        }
    }
    p.source = QString::fromStdString(data.source);
    p.sampleShape = QString::fromStdString(data.sampleShape.str());
    if (data.numClasses > 0) {
        p.classCounts.assign(static_cast<std::size_t>(data.numClasses), 0);
        for (int32_t l : train.labels)
            if (l >= 0 && l < data.numClasses) ++p.classCounts[static_cast<std::size_t>(l)];
    }
    addPreviews(data, p);
    p.reconstructs = reconstruct && isImage(data.sampleShape);
    return p;
}

// The worker's observer and the hand-over buffer. Shared by the controller and the worker, so it
// outlives whichever finishes last.
class TrainingController::Queue : public TrainObserver {
public:
    explicit Queue(TrainingController* owner) : m_owner(owner) {}

    std::vector<std::shared_ptr<TrainObserver>> extra;  // set by the worker before training
    Model* model = nullptr;                              // worker-side, for the decision map
    const Dataset* data = nullptr;
    const RunPrepared* info = nullptr;

    void onStep(const StepEvent& e) override {
        for (auto& o : extra) o->onStep(e);
        std::lock_guard lock(m_mu);
        m_pending.steps.push_back(e);
    }
    void onEpoch(const EpochEvent& e) override {
        for (auto& o : extra) o->onEpoch(e);
        std::optional<plot::DecisionGrid> grid = decisionGrid(e);
        std::optional<TrainingUpdate::Reconstructions> recon = reconstructions(e);
        {
            std::lock_guard lock(m_mu);
            m_pending.epochs.push_back(e);
            if (grid) m_pending.grid = std::move(grid);
            if (recon) m_pending.reconstructions = std::move(recon);
        }
        postDrain();
    }
    void onFinished(const FinishedEvent& e) override {
        for (auto& o : extra) o->onFinished(e);
        std::lock_guard lock(m_mu);
        m_finished = e;
    }
    void onFailed(const Error& e) override {
        for (auto& o : extra) o->onFailed(e);
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
    void setFailure(const QString& message) {
        std::lock_guard lock(m_mu);
        m_failure = message;
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
        std::optional<QString> failure;
        bool done = false;
        bool empty() const {
            return update.steps.empty() && update.epochs.empty() && !update.grid &&
                   !update.reconstructions && !prepared &&
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

    // The model's decision over a grid around the training points, computed on the worker
    // between two steps (the Trainer calls onEpoch outside a step).
    std::optional<plot::DecisionGrid> decisionGrid(const EpochEvent& e) {
        if (!model || !data || !info || !info->twoDimensional || info->points.x.empty())
            return std::nullopt;
        const auto& px = info->points.x;
        const auto& py = info->points.y;
        auto [x0, x1] = std::minmax_element(px.begin(), px.end());
        auto [y0, y1] = std::minmax_element(py.begin(), py.end());
        plot::DecisionGrid g;
        g.nx = g.ny = kGridSide;
        const double mx = 0.1 * std::max(*x1 - *x0, 1e-6), my = 0.1 * std::max(*y1 - *y0, 1e-6);
        g.xMin = *x0 - mx;
        g.xMax = *x1 + mx;
        g.yMin = *y0 - my;
        g.yMax = *y1 + my;
        const int64_t n = int64_t{kGridSide} * kGridSide;
        std::vector<float> input(static_cast<std::size_t>(2 * n));
        for (int j = 0; j < kGridSide; ++j)
            for (int i = 0; i < kGridSide; ++i) {
                const std::size_t k = static_cast<std::size_t>(j * kGridSide + i);
                const double raw[2] = {g.xMin + (i + 0.5) * (g.xMax - g.xMin) / kGridSide,
                                       g.yMin + (j + 0.5) * (g.yMax - g.yMin) / kGridSide};
                for (std::size_t f = 0; f < 2; ++f) {
                    // The dataset's fitted preprocessing, as gatherFeatures applies it.
                    double v = raw[f] * data->scale;
                    if (!data->mean.empty()) v = (v - data->mean[f]) * data->invStd[f];
                    input[2 * k + f] = static_cast<float>(v);
                }
            }
        Backend& be = model->backend();
        Tensor x = Tensor::empty(be, Shape{n, 2});
        be.copyFromHost(x, input.data());
        const Tensor& out = model->forward(x, false, e.epoch, 0);
        const int64_t units = out.shape().numelFrom(1);
        std::vector<float> logits(static_cast<std::size_t>(n * units)), probs;
        be.copyToHost(logits.data(), out);
        appendProbabilities(logits.data(), n, units, probs);
        const int64_t classes = units == 1 ? 2 : units;
        g.cls.resize(static_cast<std::size_t>(n));
        g.confidence.resize(static_cast<std::size_t>(n));
        for (int64_t k = 0; k < n; ++k) {
            const float* p = probs.data() + k * classes;
            const auto best = std::max_element(p, p + classes) - p;
            g.cls[static_cast<std::size_t>(k)] = static_cast<int>(best);
            // 1/classes (a guess) maps to 0, certainty to 1.
            const double chance = 1.0 / static_cast<double>(classes);
            g.confidence[static_cast<std::size_t>(k)] =
                static_cast<float>(std::clamp((p[best] - chance) / (1 - chance), 0.0, 1.0));
        }
        return g;
    }

    // Autoencoders: the first held-out samples through the model, on the worker between steps.
    std::optional<TrainingUpdate::Reconstructions> reconstructions(const EpochEvent& e) {
        if (!model || !data || !info || !info->reconstructs) return std::nullopt;
        const DataSplit& split = data->validation.count > 0 ? data->validation : data->train;
        const int64_t n = std::min(kReconstructionCount, split.count);
        const Shape& sh = data->sampleShape;
        const int64_t per = sh.numel();
        if (n == 0) return std::nullopt;
        // The samples as the model sees them, (raw * scale - mean) * invStd: also the targets.
        std::vector<float> input(static_cast<std::size_t>(n * per));
        for (int64_t k = 0; k < n * per; ++k) {
            const auto at = static_cast<std::size_t>(k);
            float v = (split.dtype == DType::U8 ? static_cast<float>(split.bytes[at]) : split.f32()[k]) *
                      data->scale;
            if (!data->mean.empty()) {
                const auto f = static_cast<std::size_t>(k % per);
                v = (v - data->mean[f]) * data->invStd[f];
            }
            input[at] = v;
        }
        Backend& be = model->backend();
        Tensor x = Tensor::empty(be, Shape{n, sh[0], sh[1], sh[2]});
        be.copyFromHost(x, input.data());
        const Tensor& out = model->forward(x, false, e.epoch, 0);
        if (out.numel() != n * per) return std::nullopt;  // not shaped like its input
        std::vector<float> output(static_cast<std::size_t>(n * per));
        be.copyToHost(output.data(), out);
        TrainingUpdate::Reconstructions r;
        r.epoch = e.epoch;
        const int c = static_cast<int>(sh[0]), h = static_cast<int>(sh[1]), w = static_cast<int>(sh[2]);
        for (int64_t i = 0; i < n; ++i) {
            const float* in = input.data() + i * per;
            const auto [lo, hi] = std::minmax_element(in, in + per);
            r.inputs << imageOf(in, c, h, w, *lo, *hi);
            r.outputs << imageOf(output.data() + i * per, c, h, w, *lo, *hi);
        }
        return r;
    }

    TrainingController* m_owner;
    std::mutex m_mu;
    TrainingUpdate m_pending;
    std::optional<RunPrepared> m_prepared;
    std::optional<FinishedEvent> m_finished;
    std::optional<QString> m_failure;
    bool m_done = false, m_drainPosted = false;
};

TrainingController::TrainingController(QObject* parent) : QObject(parent) {
    qRegisterMetaType<neurite::ui::RunPrepared>();
    qRegisterMetaType<neurite::ui::TrainingUpdate>();
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

bool TrainingController::start(const ProjectDocument& project) {
    if (m_thread) return false;
    m_queue = std::make_shared<Queue>(this);
    m_stop = std::make_shared<StopToken>();
    auto queue = m_queue;
    auto stop = m_stop;
    const std::string storePath = m_storePath.toStdString();
    m_thread = QThread::create([queue, stop, project, storePath] {
        std::shared_ptr<storage::Recorder> recorder;
        bool failed = false;
        try {
            RunSetup setup = prepareRun(project);
            RunPrepared info = describe(setup);
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
            queue->info = &info;
            queue->setPrepared(info);
            const FinishedEvent fin = trainer.run(*queue, *stop);
            queue->model = nullptr;
            queue->info = nullptr;
            if (recorder) recorder->setFinalModel(setup.model->snapshot(), fin.epochs);
        } catch (const Error& e) {
            failed = true;
            queue->setFailure(QString::fromStdString(e.what()));
        } catch (const std::exception& e) {
            failed = true;
            queue->setFailure(QStringLiteral("internal error: %1").arg(QString::fromUtf8(e.what())));
        }
        // Writes what was recorded and the run's end (completed, cancelled or failed). A storage
        // error surfaces here, after training kept going; after a training error, that error is
        // the one the user needs.
        if (recorder) {
            try {
                recorder->close();
            } catch (const std::exception& e) {
                if (!failed) queue->setFailure(QString::fromUtf8(e.what()));
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
    emit stateChanged();
}

void TrainingController::resume() {
    if (!m_stop) return;
    m_stop->resume();
    emit stateChanged();
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
    if (t.empty()) return;
    ++m_drains;
    if (t.prepared) emit prepared(*t.prepared);
    if (!t.update.steps.empty() || !t.update.epochs.empty() || t.update.grid || t.update.reconstructions)
        emit progressed(t.update);
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

}  // namespace neurite::ui
