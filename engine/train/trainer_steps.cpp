// The trainer's per-batch pieces: the loss (with mixup and distillation), the training
// accuracy's host count, and the evaluation of a split.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "core/error.h"
#include "train/distillation.h"
#include "train/split_metrics.h"
#include "train/trainer_impl.h"

namespace neurite {

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

LossArgs Trainer::Impl::lossArgs() const {
    const LossConfig& l = cfg.loss;
    LossArgs a;
    switch (l.kind) {
    case LossKind::CrossEntropy: a.op = LossOp::CrossEntropy; break;
    case LossKind::BinaryCrossEntropy: a.op = LossOp::BinaryCrossEntropy; break;
    case LossKind::Focal: a.op = LossOp::Focal; break;
    case LossKind::Mse: a.op = LossOp::Mse; break;
    case LossKind::Huber: a.op = LossOp::Huber; break;
    }
    a.classWeights = classWeights.defined() ? &classWeights : nullptr;
    a.labelSmoothing = l.labelSmoothing;
    a.posWeight = l.posWeight;
    a.gamma = l.gamma;
    a.alpha = l.alpha;
    a.delta = l.delta;
    return a;
}

float Trainer::Impl::lossOn(const Tensor& logits, const Tensor& y, Tensor& diff) {
    return be.loss(lossArgs(), logits, y, diff);
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

}  // namespace neurite
