// ReferenceBackend: the test oracle. Every kernel of backend.h as plain loops on host memory with
// double accumulation; no threads, no tricks. The oneDNN and CUDA backends are tested against it.
// Its checks throw Error{Internal} on a shape or dtype mismatch, so a layer that calls the
// backend wrongly fails loudly in the tests instead of reading out of bounds.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "backend/backend.h"

namespace neurite::test {

class ReferenceBackend : public Backend {
public:
    Device device() const override { return Device{}; }
    std::string name() const override { return "Reference (plain loops, double accumulation)"; }
    Support supports(Op op, DType dtype) const override;
    void setThreads(int threads) override { m_threads = threads; }
    int threads() const override { return m_threads; }

    void* allocate(std::size_t bytes) override;
    void deallocate(void* p) override;
    void copyFromHost(Tensor& dst, const void* src) override;
    void copyToHost(void* dst, const Tensor& src) override;
    void copy(const Tensor& src, Tensor& dst) override;
    void fill(Tensor& dst, float value) override;

    std::unique_ptr<DensePlan> makeDense(const DenseDesc& desc) override;
    std::unique_ptr<ConvPlan> makeConv(const ConvDesc& desc) override;
    std::unique_ptr<PoolPlan> makePool(const PoolDesc& desc) override;
    std::unique_ptr<BatchNormPlan> makeBatchNorm(const BatchNormDesc& desc) override;
    std::unique_ptr<LayerNormPlan> makeLayerNorm(const LayerNormDesc& desc) override;
    std::unique_ptr<RnnPlan> makeRnn(const RnnDesc& desc) override;

    void activationForward(Activation act, float alpha, const Tensor& src, Tensor& dst) override;
    void activationBackward(Activation act, float alpha, const Tensor& src, const Tensor& dst,
                            const Tensor& diffDst, Tensor& diffSrc) override;
    void softmaxForward(const Tensor& src, Tensor& dst, bool log) override;
    void softmaxBackward(const Tensor& dst, const Tensor& diffDst, Tensor& diffSrc, bool log) override;

    void addN(std::span<const Tensor* const> srcs, Tensor& dst) override;
    void axpy(float alpha, const Tensor& x, Tensor& y) override;
    void scale(Tensor& x, float alpha) override;
    void concat(std::span<const Tensor* const> srcs, Tensor& dst) override;
    void split(const Tensor& diffDst, std::span<Tensor* const> diffSrcs) override;
    void dropoutForward(const Tensor& src, Tensor& dst, Tensor& mask, float p,
                        uint64_t seed) override;
    void multiply(const Tensor& a, const Tensor& b, Tensor& dst) override;
    void gatherRows(const Tensor& src, const Tensor& indices, int64_t count, float scale,
                    const Tensor* mean, const Tensor* invStd, Tensor& dst) override;
    void gatherLabels(const Tensor& labels, const Tensor& indices, int64_t count,
                      Tensor& dst) override;
    void embeddingForward(const Tensor& ids, const Tensor& weight, int64_t paddingIdx,
                          Tensor& dst) override;
    void embeddingBackward(const Tensor& ids, const Tensor& diffDst, int64_t paddingIdx,
                           Tensor& diffWeight) override;

    float softmaxCrossEntropy(const Tensor& logits, const Tensor& labels,
                              const Tensor* classWeights, float labelSmoothing,
                              Tensor& diffLogits) override;
    float binaryCrossEntropy(const Tensor& logits, const Tensor& targets, float posWeight,
                             Tensor& diffLogits) override;
    float focalLoss(const Tensor& logits, const Tensor& labels, float gamma, float alpha,
                    Tensor& diffLogits) override;
    float mseLoss(const Tensor& pred, const Tensor& targets, Tensor& diffPred) override;
    float huberLoss(const Tensor& pred, const Tensor& targets, float delta,
                    Tensor& diffPred) override;

    void sgdStep(Tensor& params, const Tensor& grads, Tensor& velocity,
                 const SgdParams& p) override;
    void adamStep(Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                  const AdamParams& p) override;
    void rmspropStep(Tensor& params, const Tensor& grads, Tensor& squareAvg, Tensor& momentumBuf,
                     const RmspropParams& p) override;
    void regularize(const Tensor& params, Tensor& grads, float l1, float l2) override;

    double sumSquares(const Tensor& x) override;
    bool allFinite(const Tensor& x) override;

private:
    int m_threads = 1;
};

namespace ref {

// Throws Error{Internal} naming `what` unless t is a defined f32 tensor of n elements.
void expectF32(const Tensor& t, int64_t n, const char* what);
// Throws Error{Internal} unless t is defined, of dtype `dtype`, with n elements.
void expect(const Tensor& t, DType dtype, int64_t n, const char* what);

} // namespace ref

} // namespace neurite::test
