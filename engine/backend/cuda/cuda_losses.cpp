#include "backend/cuda/cuda_losses.h"

#include <algorithm>
#include <string>
#include <vector>

namespace neurite::cuda {

namespace {
const char* opName(LossOp op) {
    switch (op) {
    case LossOp::CrossEntropy: return "softmaxCrossEntropy";
    case LossOp::BinaryCrossEntropy: return "binaryCrossEntropy";
    case LossOp::Focal: return "focalLoss";
    case LossOp::Mse: return "mseLoss";
    case LossOp::Huber: return "huberLoss";
    }
    return "loss";
}

float* slot(Tensor& dst, int64_t index, const char* what) {
    requireF32(dst, what);
    if (index < 0 || index >= dst.numel())
        throwInternal(std::string(what) + ": slot " + std::to_string(index) + " is outside " + dst.shape().str());
    return f32(dst) + index;
}
}  // namespace

double* CudaLosses::termBuffer(int64_t n) {
    m_terms.reserve(*m_ctx.allocator, static_cast<std::size_t>(std::max<int64_t>(n, 1)) * 8);
    return m_terms.as<double>();
}

double CudaLosses::classWeightTotal(const Tensor& weights) {
    if (weights.raw() != m_weightsPtr || weights.numel() != m_weightsCount) {
        std::vector<float> host(static_cast<std::size_t>(weights.numel()));
        const auto entered = m_ctx.enter();
        if (weights.bytes())
            check(cudaMemcpyAsync(host.data(), weights.raw(), weights.bytes(), cudaMemcpyDeviceToHost,
                                  m_ctx.stream),
                  "copying the class weights from the GPU");
        m_ctx.readScalars();  // waits for the copy
        double sum = 0.0;
        for (float v : host) sum += v;
        m_weightsPtr = weights.raw();
        m_weightsCount = weights.numel();
        m_weightsSum = sum;
    }
    return m_weightsSum;
}

double CudaLosses::enqueue(const LossArgs& a, const Tensor& logits, const Tensor& targets, Tensor& diff) {
    const auto entered = m_ctx.enter(opName(a.op));
    double* terms = nullptr;
    int64_t count = 0;
    double divisor = 0.0;
    switch (a.op) {
    case LossOp::CrossEntropy: {
        const int64_t c = checkClassificationShapes(logits, targets, diff, "cross-entropy loss");
        count = logits.shape()[0];
        double classWeightSum = static_cast<double>(c);
        const float* w = nullptr;
        if (a.classWeights) {
            requireNumel(*a.classWeights, c, "cross-entropy class weights");
            w = f32(*a.classWeights);
            classWeightSum = classWeightTotal(*a.classWeights);
        }
        terms = termBuffer(count);
        const int32_t* y = static_cast<const int32_t*>(targets.raw());
        if (w)
            check(launchLabelWeightSum(y, w, count, c, m_ctx.scalars, m_ctx.stream),
                  "cross-entropy weight sum");
        const float invN = static_cast<float>(1.0 / static_cast<double>(count));
        check(launchSoftmaxCrossEntropy(f32(logits), y, w, a.labelSmoothing, classWeightSum,
                                        invN, m_ctx.scalars, f32(diff), terms, count, c,
                                        &m_ctx.scalars->status, m_ctx.stream),
              "cross-entropy loss");
        divisor = w ? -1.0 : static_cast<double>(count);
        break;
    }
    case LossOp::BinaryCrossEntropy: {
        requireSameNumel(logits, targets, "binary cross-entropy");
        requireSameNumel(logits, diff, "binary cross-entropy");
        count = logits.numel();
        terms = termBuffer(count);
        check(launchBinaryCrossEntropy(f32(logits), f32(targets), a.posWeight, f32(diff), terms,
                                       count, m_ctx.stream),
              "binary cross-entropy");
        divisor = static_cast<double>(count);
        break;
    }
    case LossOp::Focal: {
        const int64_t c = checkClassificationShapes(logits, targets, diff, "focal loss");
        count = logits.shape()[0];
        terms = termBuffer(count);
        check(launchFocalLoss(f32(logits), static_cast<const int32_t*>(targets.raw()), a.gamma,
                              a.alpha, f32(diff), terms, count, c, &m_ctx.scalars->status,
                              m_ctx.stream),
              "focal loss");
        divisor = static_cast<double>(count);
        break;
    }
    case LossOp::Mse: {
        requireSameNumel(logits, targets, "MSE loss");
        requireSameNumel(logits, diff, "MSE loss");
        count = logits.numel();
        terms = termBuffer(count);
        check(launchMse(f32(logits), f32(targets), f32(diff), terms, count, m_ctx.stream),
              "MSE loss");
        divisor = static_cast<double>(count);
        break;
    }
    case LossOp::Huber: {
        requireSameNumel(logits, targets, "Huber loss");
        requireSameNumel(logits, diff, "Huber loss");
        if (!(a.delta > 0.f))
            throwBadInput("Huber loss: delta must be positive, got " + std::to_string(a.delta));
        count = logits.numel();
        terms = termBuffer(count);
        check(launchHuber(f32(logits), f32(targets), a.delta, f32(diff), terms, count,
                          m_ctx.stream),
              "Huber loss");
        divisor = static_cast<double>(count);
        break;
    }
    }
    check(launchSumTerms(terms, count, m_ctx.partials, m_ctx.scalars, m_ctx.stream), "loss sum");
    return divisor;
}

float CudaLosses::read(const LossArgs& a, const Tensor& logits, const Tensor& targets, Tensor& diff) {
    const auto entered = m_ctx.enter();  // the lock, from the loss to its read-back
    const double divisor = enqueue(a, logits, targets, diff);
    const DeviceScalars r = m_ctx.readScalars();
    return static_cast<float>(r.sum / (divisor >= 0.0 ? divisor : r.weight));
}

void CudaLosses::into(const LossArgs& a, const Tensor& logits, const Tensor& targets, Tensor& diff, Tensor& dst,
                      int64_t index) {
    float* out = slot(dst, index, "lossInto");
    const auto entered = m_ctx.enter("lossInto");
    const double divisor = enqueue(a, logits, targets, diff);
    check(launchStoreMean(m_ctx.scalars, divisor, out, m_ctx.stream), "loss (kept on the GPU)");
}

void CudaLosses::countCorrect(const Tensor& logits, const Tensor& labels, Tensor& dst, int64_t index) {
    float* out = slot(dst, index, "countCorrect");
    const int64_t n = logits.shape().rank() > 0 ? logits.shape()[0] : 0;
    if (n == 0) return;
    const int64_t c = logits.numel() / n;
    requireF32(logits, "countCorrect logits");
    requireNumel(labels, n, "countCorrect labels");
    if (labels.dtype() != (c == 1 ? DType::F32 : DType::I32))
        throwInternal("countCorrect: " + std::to_string(c) + " classes need " +
                      (c == 1 ? "f32 0/1 targets" : "i32 labels"));
    const auto entered = m_ctx.enter("countCorrect");
    check(launchCountCorrect(f32(logits), c == 1 ? nullptr : static_cast<const int32_t*>(labels.raw()),
                             c == 1 ? f32(labels) : nullptr, n, c, out, m_ctx.stream),
          "correct count");
}

}  // namespace neurite::cuda
