// Conv2D, as torch.nn.Conv2d (cross-correlation) with TF-style "same" padding: weight [K,C,R,S],
// bias [K].
//   forward:  y[n,k,p,q] = b[k] + sum_{c,r,s} x[n,c, p*sh - pt + r, q*sw - pl + s] W[k,c,r,s]
//   backward: dx[n,c,h,w] = sum over the taps that read x[n,c,h,w] of dy[n,k,p,q] W[k,c,r,s]
//             dW[k,c,r,s] = sum_{n,p,q} dy[n,k,p,q] x[n,c,p*sh-pt+r,q*sw-pl+s] ; db[k] = sum dy
// same: out = ceil(in/stride), total pad = max((out-1)*stride + k - in, 0), top/left = total/2.
#pragma once

#include "layers/layer.h"

namespace neurite {

struct Conv2DConfig {
    int64_t filters = 1;
    int64_t kernelH = 3, kernelW = 3, strideH = 1, strideW = 1;
    bool same = true;
    bool bias = true;
    Init init = Init::HeUniform;
};

class Conv2DLayer : public Layer {
public:
    explicit Conv2DLayer(const Conv2DConfig& config) : m_cfg(config) {}

    // The backend descriptor for a concrete src shape [N,C,H,W] (also used by the shape rule).
    ConvDesc describe(const Shape& src) const;

    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;
    void bindParams(std::span<Param> params) override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    ConvPlan& plan(LayerContext& ctx, const Tensor& src);

    Conv2DConfig m_cfg;
    Param m_weight, m_bias;
    PlanCache<ConvPlan> m_plans;
};

} // namespace neurite
