// Concat: joins two or more inputs along dimension 1 (channels or features), as
// torch.cat(dim=1). The other dimensions must be equal.
//   forward:  y = [x_1 | x_2 | ... ] along dim 1
//   backward: dx_i = the matching block of dy along dim 1 (backend split)
#pragma once

#include "layers/layer.h"

namespace neurite {

class ConcatLayer : public Layer {
public:
    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    // Stand-ins for the inputs that need no gradient, since split writes every block.
    struct Scratch {
        std::vector<Tensor> blocks;    // stand-ins for inputs that need no gradient
        std::vector<Tensor*> targets;  // split's outputs, reused every step
    };
    PlanCache<Scratch> m_scratch;
};

} // namespace neurite
