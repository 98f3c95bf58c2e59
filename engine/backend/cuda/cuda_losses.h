// The CUDA backend's fused losses and training-accuracy count (CudaBackend forwards to this).
// Each loss writes its gradient and per-sample terms with one kernel, and the terms are summed
// in double over a fixed grid (deterministic). read() brings the mean back to the host; into()
// leaves it in a device slot instead (Backend::lossInto), so a training step waits for nothing.
#pragma once

#include "backend/cuda/cuda_common.h"

namespace neurite::cuda {

class CudaLosses {
public:
    explicit CudaLosses(Context& ctx) : m_ctx(ctx) {}

    float read(const LossArgs& a, const Tensor& logits, const Tensor& targets, Tensor& diff);
    void into(const LossArgs& a, const Tensor& logits, const Tensor& targets, Tensor& diff, Tensor& dst,
              int64_t index);
    void countCorrect(const Tensor& logits, const Tensor& labels, Tensor& dst, int64_t index);
    void release() { m_terms = Buffer(); }  // before the backend's stream goes

private:
    // Queues loss `a` (its gradient, and its terms summed into scalars->sum) and returns what the
    // sum is divided by: the element or row count, or -1 for the batch's class-weight sum
    // (scalars->weight, weighted cross-entropy).
    double enqueue(const LossArgs& a, const Tensor& logits, const Tensor& targets, Tensor& diff);
    double* termBuffer(int64_t n);
    // The sum of the class weights, from the host copy kept per weights tensor: class weights
    // are set once per run, so this reads them back once, not once per step.
    double classWeightTotal(const Tensor& weights);

    Context& m_ctx;
    Buffer m_terms;
    const void* m_weightsPtr = nullptr;
    int64_t m_weightsCount = 0;
    double m_weightsSum = 0.0;
};

}  // namespace neurite::cuda
