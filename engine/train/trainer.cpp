// The training loop. Data is uploaded to the model's device once; each step gathers its batch on
// the device, runs forward, the fused loss, backward and one optimizer pass. The step's loss and
// correct count stay on the device until the loop reads them back (train/step_scalars.h: every
// step on the CPU, several at once on a GPU); evaluation passes bring back every sample's
// outputs, from which train/split_metrics builds the split's metrics (trainer_steps.cpp).
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
#include "train/step_scalars.h"
#include "train/trainer_impl.h"

namespace neurite {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

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

void Trainer::setStepReadback(int steps, double seconds) {
    m->readbackSteps = std::max(steps, 0);
    m->readbackSeconds = seconds;
}

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
    // The steps' losses and counts on their way back (step_scalars.h): on a GPU several steps at
    // once, unless clipping reads the gradients' norm back every step anyway.
    const int readback = s.readbackSteps > 0                                ? s.readbackSteps
                         : s.be.readBackStalls() && !(cfg.clipNorm > 0.f) ? 256
                                                                           : 1;
    StepScalars scalars(s.be, readback, s.readbackSeconds);
    double lossSum = 0;
    int64_t seen = 0, correct = 0;
    // A non-finite loss ends the run, named by its own step.
    const auto check = [](const StepScalars::Step& st) {
        if (std::isfinite(st.loss)) return;
        std::ostringstream msg;
        msg << "training diverged: the loss became " << st.loss << " at epoch " << st.epoch << ", step "
            << st.inEpoch << " (learning rate " << st.lr
            << "); lower the learning rate, set clip_norm (e.g. 1.0), or check the data for NaN/Inf values";
        throw Error(ErrorKind::Diverged, msg.str());
    };
    // Reads the pending steps back and tells the observer about them in order, up to a bad one.
    const auto emit = [&] {
        for (const StepScalars::Step& st : scalars.read()) {
            check(st);
            const double reported = static_cast<double>(st.loss) * s.lossUnit;
            if (firstLoss < 0) firstLoss = reported;
            lossSum += reported * static_cast<double>(st.samples);
            seen += st.samples;
            correct += static_cast<int64_t>(st.correct);
            observer.onStep({st.epoch, st.global, st.inEpoch, st.perEpoch, static_cast<float>(reported), st.lr});
        }
        scalars.clear();
    };
    try {
        for (int epoch = firstEpoch; epoch < cfg.epochs && fin.status == "completed"; ++epoch) {
            stepsPerEpoch = stepsFor(ntrain);
            std::iota(order.begin(), order.end(), 0);
            Rng(cfg.seed * 0x100000001B3ull + static_cast<uint64_t>(epoch) + 1).shuffle(std::span(order));
            s.be.copyFromHost(s.indices, order.data());
            if (s.pipeline) s.pipeline->startEpoch(epoch, order, stepsPerEpoch);

            const auto epochStart = Clock::now();
            lossSum = 0;
            seen = 0;
            correct = 0;
            float lr = 0;
            for (int64_t step = 0, start = 0; step < stepsPerEpoch && start < ntrain; ++step) {
                if ((stop.paused() || stop.stopRequested()) && !scalars.empty()) emit();
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
                StepScalars::Step& st = scalars.begin({epoch + 1, globalStep, step + 1, stepsPerEpoch, n, lr});
                // Mixup's two losses and distillation's host term need the loss on the host.
                const bool mixed = b.mixLambda < 1.f && b.yB.defined() && b.y.dtype() == DType::I32;
                if (!mixed && s.teacher.empty()) {
                    s.be.lossInto(s.lossArgs(), logits, b.y, b.diff, scalars.slots(), scalars.lossSlot());
                    st.lossOnDevice = true;
                } else {
                    st.loss = s.loss(logits, b);
                    if (!s.teacher.empty() && std::isfinite(st.loss))
                        st.loss = s.distill(logits, b, st.loss,
                                            std::span<const int32_t>(order).subspan(static_cast<std::size_t>(start),
                                                                                    static_cast<std::size_t>(n)));
                }
                if (s.data.numClasses > 0) {
                    // On the device from the batch's own labels (binary: its 0/1 targets, unless mixed).
                    if ((b.y.dtype() == DType::I32 && s.outUnits > 1) ||
                        (cfg.loss.kind == LossKind::BinaryCrossEntropy && s.outUnits == 1 && b.mixLambda >= 1.f)) {
                        s.be.countCorrect(logits, b.y, scalars.slots(), scalars.countSlot());
                        st.countOnDevice = true;
                    } else {
                        batchLabels.resize(static_cast<std::size_t>(n));
                        for (int64_t i = 0; i < n; ++i)
                            batchLabels[static_cast<std::size_t>(i)] = s.data.train.labels[static_cast<std::size_t>(
                                order[static_cast<std::size_t>(start + i)])];
                        st.correct = static_cast<double>(s.countCorrect(logits, batchLabels.data(), n));
                    }
                }
                if (scalars.capacity() == 1) check(scalars.read().back());  // before backward uses it
                s.model.backward(b.diff, globalStep, cfg.seed);
                if (quantAware) quantAware->end();  // the optimizer steps the float weights
                optimizer.step(lr);
                if (pruner) pruner->afterStep();
                stop.stepTaken();
                if (scalars.due()) emit();
                start += n;
            }
            if (!scalars.empty()) emit();
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
