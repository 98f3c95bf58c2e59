// Dense (fully connected), as torch.nn.Linear: weight [O,I], bias [O].
//   forward:  y[N,O] = x[N,I] W^T + b
//   backward: dx = dy W ; dW = dy^T x ; db = sum_n dy
// Input must be 2-D [N,features]; images need a Flatten first.
#pragma once

#include "layers/layer.h"

namespace neurite {

class DenseLayer : public Layer {
public:
    DenseLayer(int64_t units, bool bias, Init init);

    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;
    void bindParams(std::span<Param> params) override;
    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    DensePlan& plan(LayerContext& ctx, const Tensor& src);

    int64_t m_units;
    bool m_bias;
    Init m_init;
    Param m_weight, m_biasParam;
    PlanCache<DensePlan> m_plans;
};

} // namespace neurite
