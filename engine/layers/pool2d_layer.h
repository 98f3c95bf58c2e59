// MaxPool2D and AvgPool2D over [N,C,H,W], as torch.nn.MaxPool2d / AvgPool2d
// (count_include_pad=False) with TF-style "same" padding.
//   max forward:  y[n,c,p,q] = max over the window's in-bounds x ; backward routes dy to the argmax
//   avg forward:  y = mean of the window's in-bounds x (padding excluded from the divisor)
//       backward: each in-bounds x of the window receives dy / count
// strides [] means strides = pool_size. padding explicit takes pads [top, left, bottom, right]
// as given (an imported ONNX pool's, ceil_mode included as extra bottom/right padding).
#pragma once

#include <string>
#include <vector>

#include "layers/layer.h"

namespace neurite {

struct Pool2DConfig {
    PoolKind kind = PoolKind::Max;
    int64_t poolH = 2, poolW = 2, strideH = 2, strideW = 2;
    std::string padding = "valid";          // valid | same | explicit
    std::vector<int64_t> pads{0, 0, 0, 0};  // explicit: top, left, bottom, right
};

class Pool2DLayer : public Layer {
public:
    explicit Pool2DLayer(const Pool2DConfig& config) : m_cfg(config) {}

    PoolDesc describe(const Shape& src) const;

    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    Pool2DConfig m_cfg;
    PlanCache<PoolPlan> m_plans;
};

} // namespace neurite
