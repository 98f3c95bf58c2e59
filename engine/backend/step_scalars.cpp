// The host-side defaults of Backend::lossInto and Backend::countCorrect (backend.h): correct on
// any backend, and free where the device is the host (the CPU). The CUDA backend keeps both on
// the GPU instead.
#include <algorithm>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "core/error.h"

namespace neurite {

float Backend::loss(const LossArgs& a, const Tensor& logits, const Tensor& targets, Tensor& diffLogits) {
    switch (a.op) {
    case LossOp::CrossEntropy:
        return softmaxCrossEntropy(logits, targets, a.classWeights, a.labelSmoothing, diffLogits);
    case LossOp::BinaryCrossEntropy: return binaryCrossEntropy(logits, targets, a.posWeight, diffLogits);
    case LossOp::Focal: return focalLoss(logits, targets, a.gamma, a.alpha, diffLogits);
    case LossOp::Mse: return mseLoss(logits, targets, diffLogits);
    case LossOp::Huber: return huberLoss(logits, targets, a.delta, diffLogits);
    }
    throwInternal("loss: unknown loss op " + std::to_string(static_cast<int>(a.op)));
}

namespace {
Tensor slotOf(const Tensor& dst, int64_t index, const char* what) {
    if (dst.dtype() != DType::F32 || index < 0 || index >= dst.numel())
        throwInternal(std::string(what) + ": slot " + std::to_string(index) + " is not in the f32 tensor " +
                      dst.shape().str());
    return dst.slice(index, Shape{1});
}
}  // namespace

void Backend::lossInto(const LossArgs& args, const Tensor& logits, const Tensor& targets, Tensor& diffLogits,
                       Tensor& dst, int64_t index) {
    Tensor slot = slotOf(dst, index, "lossInto");
    const float value = loss(args, logits, targets, diffLogits);
    copyFromHost(slot, &value);
}

void Backend::countCorrect(const Tensor& logits, const Tensor& labels, Tensor& dst, int64_t index) {
    Tensor slot = slotOf(dst, index, "countCorrect");
    const int64_t n = logits.shape().rank() > 0 ? logits.shape()[0] : 0;
    if (n == 0) return;
    const int64_t c = logits.numel() / n;
    const bool binary = c == 1;
    if (logits.dtype() != DType::F32 || labels.numel() != n ||
        labels.dtype() != (binary ? DType::F32 : DType::I32))
        throwInternal("countCorrect: logits " + logits.shape().str() + " and labels " + labels.shape().str() +
                      " (" + nameOf(labels.dtype()) + ") do not go together");
    // Reused per thread: a training step allocates nothing once the batch size is steady.
    thread_local std::vector<float> z, t;
    thread_local std::vector<int32_t> y;
    z.resize(static_cast<std::size_t>(logits.numel()));
    copyToHost(z.data(), logits);
    if (binary) {
        t.resize(static_cast<std::size_t>(n));
        copyToHost(t.data(), labels);
    } else {
        y.resize(static_cast<std::size_t>(n));
        copyToHost(y.data(), labels);
    }
    int64_t correct = 0;
    for (int64_t i = 0; i < n; ++i) {
        const float* row = z.data() + i * c;
        if (binary) correct += (row[0] > 0.f) == (t[static_cast<std::size_t>(i)] > 0.5f);
        else correct += std::max_element(row, row + c) - row == y[static_cast<std::size_t>(i)];
    }
    float total = 0.f;
    copyToHost(&total, slot);
    total += static_cast<float>(correct);
    copyFromHost(slot, &total);
}

}  // namespace neurite
