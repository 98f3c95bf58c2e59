// GlobalAvgPool: [N,C,H,W] -> [N,C], the mean of each channel plane, as
// torch.nn.AdaptiveAvgPool2d(1) followed by a flatten.
//   forward:  y[n,c] = 1/(H W) sum_{h,w} x[n,c,h,w]
//   backward: dx[n,c,h,w] = dy[n,c] / (H W)
// Runs on the backend as an average PoolPlan whose window is the whole plane.
#pragma once

#include "layers/layer.h"

namespace neurite {

class GlobalAvgPoolLayer : public Layer {
public:
    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    PoolPlan& plan(LayerContext& ctx, const Tensor& src);

    PlanCache<PoolPlan> m_plans;
};

} // namespace neurite
