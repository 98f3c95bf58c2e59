// LayerNorm over the last axis, as torch.nn.LayerNorm(D, eps, elementwise_affine=True) on any
// input [N, ..., D] (e.g. [N,F] features or [N,T,C] sequences); each sample's row of D values
// uses its own statistics, in training and inference alike:
//   y = (x - mean) / sqrt(var + eps) * gamma + beta     (var biased, over the last axis)
//   backward: xhat = (x - mean) rstd, g = dy gamma ; dbeta = sum dy ; dgamma = sum dy xhat ;
//             dx = rstd (g - mean_D(g) - xhat mean_D(g xhat))
// Parameters gamma (ones) and beta (zeros), [D]; the work is the backend's LayerNormPlan.
#pragma once

#include "layers/layer.h"

namespace neurite {

class LayerNormLayer : public Layer {
public:
    explicit LayerNormLayer(float epsilon) : m_epsilon(epsilon) {}

    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;
    void bindParams(std::span<Param> params) override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    LayerNormPlan& plan(LayerContext& ctx, const Tensor& src);

    float m_epsilon;
    Param m_gamma, m_beta;
    PlanCache<LayerNormPlan> m_plans;
    PlanCache<Tensor> m_scratch;  // diffSrc when the caller needs none
};

}  // namespace neurite
