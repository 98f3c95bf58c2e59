// BatchNorm over [N,C] or [N,C,H,W], per channel c, as torch.nn.BatchNorm1d/2d:
//   training:  mu, var = batch mean and biased variance over N (and H, W);
//              y = gamma (x - mu) / sqrt(var + eps) + beta;
//              running = (1 - momentum) running + momentum batch (unbiased variance)
//   inference: y = gamma (x - running_mean) / sqrt(running_var + eps) + beta
//   backward:  xhat = (x - mu) invStd ; dgamma = sum dy xhat ; dbeta = sum dy ;
//              dx = gamma invStd / M (M dy - dbeta - xhat dgamma),  M = N H W
// Parameters gamma (ones), beta (zeros); buffers running_mean (zeros), running_var (ones).
#pragma once

#include "layers/layer.h"

namespace neurite {

class BatchNormLayer : public Layer {
public:
    BatchNormLayer(float momentum, float epsilon) : m_momentum(momentum), m_epsilon(epsilon) {}

    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;
    void bindParams(std::span<Param> params) override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    BatchNormPlan& plan(LayerContext& ctx, const Tensor& src);

    float m_momentum, m_epsilon;
    Param m_gamma, m_beta, m_runningMean, m_runningVar;
    PlanCache<BatchNormPlan> m_plans;
    PlanCache<Tensor> m_scratch; // diffSrc when the caller needs none
};

} // namespace neurite
