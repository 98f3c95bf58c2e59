// Reshape and Flatten: the same values under another per-sample shape, as torch.reshape /
// torch.nn.Flatten. The data is copied, since dst is its own tensor.
//   forward:  y = x viewed as [N, shape...]        (Flatten: [N, prod(x.shape[1:])])
//   backward: dx = dy viewed as x's shape
// Reshape's shape excludes the batch; one entry may be -1 (inferred).
#pragma once

#include "layers/layer.h"

namespace neurite {

class ReshapeLayer : public Layer {
public:
    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;
};

} // namespace neurite
