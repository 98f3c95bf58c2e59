// BatchNorm over [N,C] or [N,C,H,W], per channel c, as torch.nn.BatchNorm1d/2d:
//   training:  mu, var = batch mean and biased variance over N (and H, W);
//              y = gamma (x - mu) / sqrt(var + eps) + beta;
//              running = (1 - momentum) running + momentum batch (unbiased variance)
//   inference: y = gamma (x - running_mean) / sqrt(running_var + eps) + beta
//   backward:  xhat = (x - mu) invStd ; dgamma = sum dy xhat ; dbeta = sum dy ;
//              dx = gamma invStd / M (M dy - dbeta - xhat dgamma),  M = N H W
// Parameters gamma (ones), beta (zeros); buffers running_mean (zeros), running_var (ones).
// Frozen (transfer learning, as Keras's BatchNormalization with trainable=False): training
// normalizes with the running statistics and leaves them alone, y = gamma (x - rm) / sqrt(rv +
// eps) + beta, so backward is dx = dy gamma / sqrt(rv + eps), per channel; no parameter gradient.
#pragma once

#include "layers/layer.h"

namespace neurite {

class BatchNormLayer : public Layer {
public:
    BatchNormLayer(float momentum, float epsilon) : m_momentum(momentum), m_epsilon(epsilon) {}

    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;
    void bindParams(std::span<Param> params) override;
    void setFrozen(bool frozen) override { m_frozen = frozen; }
    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    BatchNormPlan& plan(LayerContext& ctx, const Tensor& src);

    float m_momentum, m_epsilon;
    Param m_gamma, m_beta, m_runningMean, m_runningVar;
    PlanCache<BatchNormPlan> m_plans;
    PlanCache<Tensor> m_scratch; // diffSrc when the caller needs none
    bool m_frozen = false;
    // Frozen backward as an inference pass over dy: scale gamma / sqrt(rv + eps), shift 0, mean 0,
    // variance 1 - eps (so its own sqrt(var + eps) is 1).
    Tensor m_frozenScale, m_zeros, m_unitVar;
};

} // namespace neurite
