// The training loop. Data is uploaded to the model's device once; each step gathers its batch on
// the device, runs forward, the fused loss, backward and one optimizer pass. Only the loss (and
// the batch's logits for training accuracy) come back to the host; evaluation passes bring back
// every sample's outputs, from which train/split_metrics builds the split's metrics.
#include "train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <sstream>
#include <thread>
#include <vector>

#include "core/error.h"
#include "data/batch_pipeline.h"
#include "core/random.h"
#include "train/optimizer.h"
#include "train/pruning.h"
#include "train/quant_aware.h"
#include "train/output_check.h"
#include "train/schedule.h"
#include "train/distillation.h"
#include "train/loop_state.h"
#include "train/settings_change.h"
#include "train/split_metrics.h"

namespace neurite {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// A split's features, labels and targets on the device.
struct DeviceSplit {
    const DataSplit* host = nullptr;
    Tensor features;  // [count, sample...] u8 or f32
    Tensor labels;    // i32 [count] (classification)
    Tensor targets;   // f32 [count, D] (binary cross-entropy and regression)
};

}  // namespace

struct Trainer::Impl {
    Model& model;
    const Dataset& data;
    TrainConfig cfg;
    Backend& be;
    Shape sampleShape;
    int64_t outUnits = 0;
    DeviceSplit train, val, test;
    Tensor mean, invStd, classWeights;
    Tensor indices;  // i32 [train.count], reshuffled every epoch
    std::vector<float> hostLogits;
    std::optional<TrainerState> resume;  // set by resumeFrom(), consumed by run()
    QuantAware* quantAware = nullptr;    // during run() with quantization-aware training
    // Distillation: the teacher's logits per training sample [train.count x outUnits], and the
    // step's host buffers.
    std::vector<float> teacher, stepLogits, stepGrad;
    std::vector<Tensor> distillGrad;  // per batch size in use
    TrainerState exported;               // the state handed to onCheckpoint, buffers reused
    // Augmented or host-prepared batches: a background thread fills them (data/batch_pipeline.h).
    std::unique_ptr<BatchPipeline> pipeline;
    std::vector<float> hostTargets;
    // Regression with target scaling: the model learns z = (y - mean) / std. Losses are reported
    // times lossUnit (std^2), so that they are in the target's squared units (docs/data.md).
    const TargetScaling& targetScaling;
    double lossUnit = 1;

    struct Batch {
        int64_t n = 0;
        Tensor x, y, diff;
        float mixLambda = 1.f;  // mixup: loss = lambda L(y) + (1 - lambda) L(yB)
        Tensor yB, diffB;       // allocated on the first mixed batch
    };
    std::vector<Batch> batches;  // one per batch size in use
    // Adds the distillation term for this batch (its training-sample indices) to b.diff, scaled
    // as the config says, and returns the combined loss.
    float distill(const Tensor& logits, Batch& b, float hardLoss, std::span<const int32_t> samples);

    Impl(Model& m, const Dataset& d, const TrainConfig& c)
        : model(m), data(d), cfg(c), be(m.backend()), targetScaling(d.targetScaling),
          lossUnit(d.targetScaling.lossFactor()) {}

    void validate();
    DeviceSplit upload(const DataSplit& split);
    Batch& batch(int64_t n);
    void gather(const DeviceSplit& split, const Tensor& idx, Batch& b);
    void upload(const HostBatch& hb, Batch& b);
    float loss(const Tensor& logits, Batch& b);
    float lossOn(const Tensor& logits, const Tensor& y, Tensor& diff);
    int64_t countCorrect(const Tensor& logits, const int32_t* labels, int64_t n);
    EvalResult evaluate(const DeviceSplit& split);
    // Evaluates a split into an event's loss, accuracy and metrics; an empty split leaves them unset.
    void evaluateInto(const DeviceSplit& split, const char* name, std::optional<double>& lossOut,
                      std::optional<double>& accuracyOut, std::optional<EvaluationReport>& report);
};

void Trainer::Impl::validate() {
    const Shape& out = model.outputShape();
    outUnits = out.numelFrom(1);
    // an Input with a fixed shape the data does not have (an imported model given other data)
    const Shape& in = model.inputShape();
    if (const Shape sample(in.begin() + 1, in.end()); data.sampleShape.rank() > 0 && sample != data.sampleShape)
        throwBadInput("the model's input takes samples of shape " + sample.str() +
                      " but the data source '" + data.source + "' gives " + data.sampleShape.str() +
                      "; set the Input layer's shape to \"auto\" or choose data of that shape");
    if (const std::string why = outputMismatch(out, dataFacts(data), cfg); !why.empty()) throwBadInput(why);
}

DeviceSplit Trainer::Impl::upload(const DataSplit& split) {
    DeviceSplit d;
    d.host = &split;
    if (split.count == 0) return d;
    Shape shape{split.count};
    for (int64_t dim : sampleShape) shape.push(dim);
    // On the CPU the host arrays are the device's memory: borrowed, not copied (the dataset
    // outlives the trainer, as `data` already requires; nothing writes to them). A copy of a
    // Fashion-MNIST split costs more than a small model's epoch.
    const bool host = be.device().isCpu();
    if (host) {
        d.features = Tensor::wrap(const_cast<uint8_t*>(split.bytes.data()), shape, split.dtype, be.device());
    } else {
        d.features = Tensor::empty(be, shape, split.dtype);
        be.copyFromHost(d.features, split.bytes.data());
    }
    if (data.numClasses > 0) {
        if (host) {
            d.labels = Tensor::wrap(const_cast<int32_t*>(split.labels.data()), Shape{split.count}, DType::I32, be.device());
        } else {
            d.labels = Tensor::empty(be, Shape{split.count}, DType::I32);
            be.copyFromHost(d.labels, split.labels.data());
        }
    }
    if (cfg.loss.kind == LossKind::BinaryCrossEntropy) {
        std::vector<float> t(split.labels.begin(), split.labels.end());
        d.targets = Tensor::empty(be, Shape{split.count, 1});
        be.copyFromHost(d.targets, t.data());
    } else if (data.numClasses == 0) {
        d.targets = Tensor::empty(be, Shape{split.count, data.targetDim});
        std::vector<float> scaled(split.targets.size());
        targetScaling.toScaled(split.targets.data(), scaled.data(), static_cast<int64_t>(scaled.size()));
        be.copyFromHost(d.targets, scaled.data());
    }
    return d;
}

Trainer::Impl::Batch& Trainer::Impl::batch(int64_t n) {
    for (auto& b : batches)
        if (b.n == n) return b;
    Batch b;
    b.n = n;
    Shape xs{n};
    for (int64_t dim : sampleShape) xs.push(dim);
    b.x = Tensor::empty(be, xs);
    if (cfg.loss.kind == LossKind::CrossEntropy || cfg.loss.kind == LossKind::Focal)
        b.y = Tensor::empty(be, Shape{n}, DType::I32);
    else
        b.y = Tensor::empty(be, Shape{n, std::max<int64_t>(outUnits, 1)});
    b.diff = Tensor::empty(be, model.outputShape().withBatch(n));
    batches.push_back(b);
    return batches.back();
}

void Trainer::Impl::gather(const DeviceSplit& split, const Tensor& idx, Batch& b) {
    const Tensor* m = mean.defined() ? &mean : nullptr;
    const Tensor* s = invStd.defined() ? &invStd : nullptr;
    b.mixLambda = 1.f;
    be.gatherRows(split.features, idx, b.n, data.scale, m, s, b.x);
    be.gatherLabels(b.y.dtype() == DType::I32 ? split.labels : split.targets, idx, b.n, b.y);
}

void Trainer::Impl::upload(const HostBatch& hb, Batch& b) {
    be.copyFromHost(b.x, hb.x.data());
    b.mixLambda = hb.lambda;
    if (b.y.dtype() == DType::I32) {
        be.copyFromHost(b.y, hb.labels.data());
        if (hb.lambda < 1.f) {
            if (!b.yB.defined()) {
                b.yB = Tensor::empty(be, b.y.shape(), DType::I32);
                b.diffB = Tensor::empty(be, b.diff.shape());
            }
            be.copyFromHost(b.yB, hb.labelsB.data());
        }
    } else if (cfg.loss.kind == LossKind::BinaryCrossEntropy) {
        // Mixed binary targets are the mixed labels: lambda y + (1 - lambda) y[perm].
        hostTargets.resize(hb.labels.size());
        for (std::size_t i = 0; i < hb.labels.size(); ++i)
            hostTargets[i] = hb.lambda * static_cast<float>(hb.labels[i]) +
                             (1.f - hb.lambda) * static_cast<float>(hb.labelsB[i]);
        be.copyFromHost(b.y, hostTargets.data());
    } else {
        // Mixed regression targets were mixed in original units; the map is affine, so scaling
        // after mixing equals mixing the scaled targets.
        hostTargets.resize(hb.targets.size());
        targetScaling.toScaled(hb.targets.data(), hostTargets.data(), static_cast<int64_t>(hostTargets.size()));
        be.copyFromHost(b.y, hostTargets.data());
    }
}

float Trainer::Impl::loss(const Tensor& logits, Batch& b) {
    const float la = lossOn(logits, b.y, b.diff);
    if (b.mixLambda >= 1.f || !b.yB.defined() || b.y.dtype() != DType::I32) return la;
    // Mixup with class labels: the loss and its gradient are linear in the (one-hot) target.
    const float lb = lossOn(logits, b.yB, b.diffB);
    be.scale(b.diff, b.mixLambda);
    be.axpy(1.f - b.mixLambda, b.diffB, b.diff);
    return b.mixLambda * la + (1.f - b.mixLambda) * lb;
}

float Trainer::Impl::distill(const Tensor& logits, Batch& b, float hardLoss, std::span<const int32_t> samples) {
    const DistillConfig& d = cfg.distillation;
    stepLogits.resize(static_cast<std::size_t>(logits.numel()));
    be.copyToHost(stepLogits.data(), logits);
    const double soft = distillationTerm(stepLogits, teacher, samples, outUnits, d.alpha, d.temperature, stepGrad);
    std::size_t slot = 0;
    while (slot < distillGrad.size() && distillGrad[slot].numel() != logits.numel()) ++slot;
    if (slot == distillGrad.size()) distillGrad.push_back(Tensor::empty(be, logits.shape()));
    be.copyFromHost(distillGrad[slot], stepGrad.data());
    be.scale(b.diff, d.alpha);
    be.axpy(1.f, distillGrad[slot], b.diff);
    return static_cast<float>(d.alpha * hardLoss + soft);
}

float Trainer::Impl::lossOn(const Tensor& logits, const Tensor& y, Tensor& diff) {
    const LossConfig& l = cfg.loss;
    switch (l.kind) {
    case LossKind::CrossEntropy:
        return be.softmaxCrossEntropy(logits, y, classWeights.defined() ? &classWeights : nullptr,
                                      l.labelSmoothing, diff);
    case LossKind::BinaryCrossEntropy: return be.binaryCrossEntropy(logits, y, l.posWeight, diff);
    case LossKind::Focal: return be.focalLoss(logits, y, l.gamma, l.alpha, diff);
    case LossKind::Mse: return be.mseLoss(logits, y, diff);
    case LossKind::Huber: return be.huberLoss(logits, y, l.delta, diff);
    }
    return 0.f;
}

int64_t Trainer::Impl::countCorrect(const Tensor& logits, const int32_t* labels, int64_t n) {
    if (data.numClasses <= 0) return 0;
    hostLogits.resize(static_cast<std::size_t>(n * outUnits));
    be.copyToHost(hostLogits.data(), logits);
    int64_t correct = 0;
    for (int64_t i = 0; i < n; ++i) {
        const float* row = hostLogits.data() + i * outUnits;
        int predicted = 0;
        if (outUnits == 1) predicted = row[0] > 0.f ? 1 : 0;
        else predicted = static_cast<int>(std::max_element(row, row + outUnits) - row);
        correct += predicted == labels[i];
    }
    return correct;
}

EvalResult Trainer::Impl::evaluate(const DeviceSplit& split) {
    EvalResult r;
    if (!split.host || split.host->count == 0) return r;
    const int64_t count = split.host->count;
    const int64_t bs = std::max<int64_t>(cfg.batchSize, 256);
    std::vector<int32_t> seq(static_cast<std::size_t>(count));
    std::iota(seq.begin(), seq.end(), 0);
    Tensor idx = Tensor::empty(be, Shape{count}, DType::I32);
    be.copyFromHost(idx, seq.data());
    beginCollecting(r, data, *split.host, outUnits);
    double lossSum = 0;
    for (int64_t start = 0; start < count; start += bs) {
        const int64_t n = std::min(bs, count - start);
        Batch& b = batch(n);
        gather(split, idx.slice(start, Shape{n}), b);
        const Tensor& logits = model.forward(b.x, false, 0, cfg.seed);
        lossSum += static_cast<double>(loss(logits, b)) * static_cast<double>(n);
        hostLogits.resize(static_cast<std::size_t>(n * outUnits));
        be.copyToHost(hostLogits.data(), logits);
        if (data.numClasses == 0) targetScaling.toOriginal(hostLogits.data(), n * outUnits);
        collectBatch(r, hostLogits.data(), n, outUnits);
    }
    r.count = count;
    r.loss = lossSum / static_cast<double>(count) * lossUnit;
    r.accuracy = collectedAccuracy(r);
    return r;
}

void Trainer::Impl::evaluateInto(const DeviceSplit& split, const char* name,
                                 std::optional<double>& lossOut, std::optional<double>& accuracyOut,
                                 std::optional<EvaluationReport>& report) {
    if (!split.host || split.host->count == 0) return;
    // Quantization-aware training evaluates the int8 model it trains.
    struct Rounded {
        QuantAware* q;
        explicit Rounded(QuantAware* quant) : q(quant) {
            if (q) q->begin(0, false);
        }
        ~Rounded() {
            if (q) q->end();
        }
    } rounded(quantAware);
    const EvalResult r = evaluate(split);
    if (!std::isfinite(r.loss))
        throw Error(ErrorKind::Diverged,
                    std::string("training diverged: the ") + name + " loss became " +
                        std::to_string(r.loss) +
                        "; lower the learning rate, set clip_norm (e.g. 1.0), or check the data "
                        "for NaN/Inf values");
    lossOut = r.loss;
    if (data.numClasses > 0) accuracyOut = r.accuracy;
    report = splitReport(r, data, *split.host, name);
}

Trainer::Trainer(Model& model, const Dataset& data, const TrainConfig& config)
    : m(std::make_unique<Impl>(model, data, config)) {
    m->sampleShape = data.sampleShape;
    m->validate();
    if (config.pruning.enabled) checkPruning(model, config.pruning);
    if (config.quantAware.enabled) QuantAware check(model, config.quantAware);
    if (config.distillation.enabled()) {
        if (data.numClasses <= 0 || config.loss.kind != LossKind::CrossEntropy)
            throwBadInput("training.distillation: distillation trains a classifier with the cross_entropy loss; this "
                          "run's loss is " + std::string(nameOf(config.loss.kind)));
        if (data.augment.mixup > 0)
            throwBadInput("training.distillation: the teacher's outputs are for the training samples as they are; "
                          "turn mixup off (data.augment.mixup) to distill");
    }
    model.backend().setThreads(config.threads);  // before the first forward builds any plan
    m->train = m->upload(data.train);
    m->val = m->upload(data.validation);
    m->test = m->upload(data.test);
    if (!data.mean.empty()) {
        const Shape fs{static_cast<int64_t>(data.mean.size())};
        m->mean = Tensor::empty(m->be, fs);
        m->invStd = Tensor::empty(m->be, fs);
        m->be.copyFromHost(m->mean, data.mean.data());
        m->be.copyFromHost(m->invStd, data.invStd.data());
    }
    // Binary cross-entropy weighs positives by pos_weight: "balanced" becomes n_neg / n_pos.
    if (config.loss.kind == LossKind::BinaryCrossEntropy && data.classWeights.size() == 2 &&
        data.classWeights[0] > 0)
        m->cfg.loss.posWeight = data.classWeights[1] / data.classWeights[0];
    // Explicit loss.class_weights win over the data's fitted "balanced" weights.
    const std::vector<float>& weights =
        config.loss.classWeights.empty() ? data.classWeights : config.loss.classWeights;
    if (!weights.empty()) {
        m->classWeights = Tensor::empty(m->be, Shape{static_cast<int64_t>(weights.size())});
        m->be.copyFromHost(m->classWeights, weights.data());
    }
    m->indices = Tensor::empty(m->be, Shape{data.train.count}, DType::I32);
    if (data.hostPipeline)
        m->pipeline = std::make_unique<BatchPipeline>(data, data.augment, config.seed, config.batchSize);
}

double Trainer::dataWaitSeconds() const { return m->pipeline ? m->pipeline->waitSeconds() : 0.0; }

Trainer::~Trainer() = default;

EvalResult Trainer::evaluate(const DataSplit& split) {
    if (&split == &m->data.train) return m->evaluate(m->train);
    if (&split == &m->data.validation) return m->evaluate(m->val);
    if (&split == &m->data.test) return m->evaluate(m->test);
    return m->evaluate(m->upload(split));
}


void Trainer::resumeFrom(TrainerState state) { m->resume = std::move(state); }

void Trainer::setTeacher(std::vector<float> logits) {
    const int64_t want = m->data.train.count * m->outUnits;
    if (static_cast<int64_t>(logits.size()) != want)
        throwBadInput("the teacher's outputs hold " + std::to_string(logits.size()) + " values; the training split needs " +
                      std::to_string(want) + " (" + std::to_string(m->data.train.count) + " samples x " +
                      std::to_string(m->outUnits) + " classes)");
    m->teacher = std::move(logits);
}

FinishedEvent Trainer::run(TrainObserver& observer, const StopToken& stop) {
    Impl& s = *m;
    const TrainConfig& cfg = s.cfg;
    const int64_t ntrain = s.data.train.count;
    // The batch size, learning rate and regularization may change while paused (whilePaused).
    int64_t batchSize = cfg.batchSize;
    const auto stepsFor = [&](int64_t samples) {
        const int64_t steps = (samples + batchSize - 1) / batchSize;
        return cfg.maxSteps > 0 ? std::min(steps, cfg.maxSteps) : steps;
    };
    int64_t stepsPerEpoch = stepsFor(ntrain);
    Optimizer optimizer(s.model, cfg.optimizer, cfg.l1, cfg.l2, cfg.clipNorm);
    LrSchedule schedule(cfg.schedule, cfg.optimizer.lr, cfg.epochs, stepsPerEpoch);
    float baseLr = cfg.optimizer.lr;
    double l1 = cfg.l1, l2 = cfg.l2;
    Monitor monitor{cfg.earlyStopping};
    std::vector<float> bestWeights;

    FinishedEvent fin;
    fin.status = "completed";
    const auto runStart = Clock::now();
    double trainSeconds = 0;
    int64_t trainSamples = 0, globalStep = 0;
    std::vector<int32_t> order(static_cast<std::size_t>(ntrain)), batchLabels;
    const LoopState loop{optimizer, schedule,     monitor,      bestWeights,
                         fin,       trainSeconds, trainSamples, globalStep};
    const bool checkpoints = observer.wantsCheckpoints();
    if (cfg.distillation.enabled() && s.teacher.empty())
        throwBadInput("training.distillation: the teacher's outputs were not computed (Trainer::setTeacher)");
    int firstEpoch = 0;
    std::optional<QuantAware> quantAware;
    if (cfg.quantAware.enabled) quantAware.emplace(s.model, cfg.quantAware);
    if (s.resume) {
        firstEpoch = importState(s.model, *s.resume, loop);
        if (quantAware && !s.resume->branch) quantAware->setState(s.resume->quantRanges);
        s.resume.reset();
    }
    struct Detach {
        Impl& s;
        ~Detach() { s.quantAware = nullptr; }
    } detach{s};
    s.quantAware = quantAware ? &*quantAware : nullptr;
    // After the resume: its first update takes over the zeros of the resumed weights.
    std::optional<Pruner> pruner;
    if (cfg.pruning.enabled) pruner.emplace(s.model, cfg.pruning);

    // The first step's loss, for the warning when the loss grows by orders of magnitude but
    // stays finite (Adam at a learning rate of 1e6 ends at 4.6e20 and chance accuracy).
    double firstLoss = -1;
    bool warned = false;
    try {
        for (int epoch = firstEpoch; epoch < cfg.epochs && fin.status == "completed"; ++epoch) {
            stepsPerEpoch = stepsFor(ntrain);
            std::iota(order.begin(), order.end(), 0);
            Rng(cfg.seed * 0x100000001B3ull + static_cast<uint64_t>(epoch) + 1).shuffle(std::span(order));
            s.be.copyFromHost(s.indices, order.data());
            if (s.pipeline) s.pipeline->startEpoch(epoch, order, stepsPerEpoch);

            const auto epochStart = Clock::now();
            double lossSum = 0;
            int64_t seen = 0, correct = 0;
            float lr = 0;
            for (int64_t step = 0, start = 0; step < stepsPerEpoch && start < ntrain; ++step) {
                while (stop.paused() && !stop.stopRequested()) {
                    if (std::optional<SettingsChange> change = observer.whilePaused()) {
                        const int64_t oldBatch = batchSize;
                        const float oldLr = baseLr;
                        applyChange(*change, {observer, globalStep, epoch + 1, s.pipeline != nullptr, ntrain},
                                    optimizer, batchSize, baseLr, l1, l2);
                        if (batchSize != oldBatch) {  // this epoch's rest in the new size
                            stepsPerEpoch = step + stepsFor(ntrain - start);
                            if (cfg.maxSteps > 0) stepsPerEpoch = std::min(stepsPerEpoch, cfg.maxSteps);
                        }
                        if (batchSize != oldBatch || baseLr != oldLr) {
                            // The schedule goes on from the new base rate and steps per epoch, as a
                            // run configured so would (a plateau's reductions so far are kept).
                            LrSchedule::State kept = schedule.state();
                            kept.plateauLr *= baseLr / oldLr;
                            schedule = LrSchedule(cfg.schedule, baseLr, cfg.epochs, stepsFor(ntrain));
                            schedule.setState(kept);
                        }
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
                }
                if (stop.stopRequested()) {
                    fin.status = "cancelled";
                    break;
                }
                const int64_t n = std::min<int64_t>(batchSize, ntrain - start);
                Impl::Batch& b = s.batch(n);
                if (s.pipeline)
                    s.upload(s.pipeline->next(), b);
                else
                    s.gather(s.train, s.indices.slice(start, Shape{n}), b);
                if (pruner) pruner->beforeStep(globalStep);
                if (quantAware) quantAware->begin(globalStep, true);
                ++globalStep;
                lr = schedule.lr(epoch, step);
                const Tensor& logits = s.model.forward(b.x, true, globalStep, cfg.seed);
                float l = s.loss(logits, b);
                if (!s.teacher.empty() && std::isfinite(l))
                    l = s.distill(logits, b, l, std::span<const int32_t>(order).subspan(static_cast<std::size_t>(start),
                                                                                        static_cast<std::size_t>(n)));
                if (!std::isfinite(l)) {
                    std::ostringstream msg;
                    msg << "training diverged: the loss became " << l << " at epoch " << epoch + 1
                        << ", step " << step + 1 << " (learning rate " << lr
                        << "); lower the learning rate, set clip_norm (e.g. 1.0), or check the data "
                           "for NaN/Inf values";
                    throw Error(ErrorKind::Diverged, msg.str());
                }
                if (s.data.numClasses > 0) {
                    batchLabels.resize(static_cast<std::size_t>(n));
                    for (int64_t i = 0; i < n; ++i)
                        batchLabels[static_cast<std::size_t>(i)] =
                            s.data.train.labels[static_cast<std::size_t>(order[static_cast<std::size_t>(start + i)])];
                    correct += s.countCorrect(logits, batchLabels.data(), n);
                }
                s.model.backward(b.diff, globalStep, cfg.seed);
                if (quantAware) quantAware->end();  // the optimizer steps the float weights
                optimizer.step(lr);
                if (pruner) pruner->afterStep();
                stop.stepTaken();
                const double reported = static_cast<double>(l) * s.lossUnit;
                if (firstLoss < 0) firstLoss = reported;
                lossSum += reported * static_cast<double>(n);
                seen += n;
                observer.onStep({epoch + 1, globalStep, step + 1, stepsPerEpoch,
                                 static_cast<float>(reported), lr});
                start += n;
            }
            const double epochSeconds = secondsSince(epochStart);
            trainSeconds += epochSeconds;
            trainSamples += seen;
            if (seen == 0 || fin.status == "cancelled") break;  // no event for a partial epoch

            EpochEvent ev;
            ev.epoch = epoch + 1;
            ev.epochs = cfg.epochs;
            ev.trainLoss = lossSum / static_cast<double>(seen);
            ev.trainAccuracy = static_cast<double>(correct) / static_cast<double>(seen);
            ev.lr = lr;
            ev.seconds = epochSeconds;
            ev.samplesPerSec = static_cast<double>(seen) / std::max(epochSeconds, 1e-9);
            if (!warned && firstLoss > 0 && ev.trainLoss > kLossGrowthWarning * firstLoss) {
                warned = true;
                std::ostringstream w;
                w << "the training loss grew from " << firstLoss << " (first step) to " << ev.trainLoss
                  << " (epoch " << ev.epoch << ", learning rate " << lr
                  << "): the learning rate is probably far too high; lower it, or set clip_norm (e.g. 1.0)";
                ev.warning = w.str();
            }
            s.evaluateInto(s.val, "validation", ev.valLoss, ev.valAccuracy, ev.valMetrics);
            const double monitored = cfg.earlyStopping.monitor == "val_accuracy"
                                         ? ev.valAccuracy.value_or(ev.trainAccuracy)
                                     : cfg.earlyStopping.monitor == "train_loss"
                                         ? ev.trainLoss
                                         : ev.valLoss.value_or(ev.trainLoss);
            ev.best = monitor.update(monitored);
            if (ev.best) {
                fin.bestEpoch = ev.epoch;
                if (cfg.earlyStopping.enabled && cfg.earlyStopping.restoreBest)
                    bestWeights = s.model.snapshot();
            }
            schedule.onEpochEnd(ev.valLoss.value_or(ev.trainLoss));
            fin.epochs = ev.epoch;
            fin.trainLoss = ev.trainLoss;
            fin.trainAccuracy = ev.trainAccuracy;
            fin.valLoss = ev.valLoss;
            fin.valAccuracy = ev.valAccuracy;
            fin.valMetrics = ev.valMetrics;
            observer.onEpoch(ev);
            if (fin.status == "completed" && cfg.earlyStopping.enabled &&
                monitor.bad >= cfg.earlyStopping.patience)
                fin.status = "early_stopped";
            if (checkpoints) {
                exportState(s.model, loop, fin.status == "early_stopped", s.exported);
                s.exported.quantRanges = quantAware ? quantAware->state() : std::vector<float>{};
                observer.onCheckpoint(s.exported);
            }
            stop.epochEnded();
        }
        if (!bestWeights.empty() && fin.bestEpoch != fin.epochs) {
            s.model.restore(bestWeights);
            s.evaluateInto(s.val, "validation", fin.valLoss, fin.valAccuracy, fin.valMetrics);
        }
        if (pruner) fin.sparsity = sparsityOf(s.model);
        if (fin.status != "cancelled")
            s.evaluateInto(s.test, "test", fin.testLoss, fin.testAccuracy, fin.testMetrics);
    } catch (const Error& e) {
        observer.onFailed(e);
        throw;
    }
    fin.samplesPerSec = static_cast<double>(trainSamples) / std::max(trainSeconds, 1e-9);
    fin.seconds = secondsSince(runStart);
    observer.onFinished(fin);
    return fin;
}

}  // namespace neurite
