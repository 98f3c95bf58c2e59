// Softmax over dimension 1 of [N,C,...], as torch.nn.Softmax(dim=1).
//   forward:  y[n,c] = exp(x[n,c] - max) / sum_j exp(x[n,j] - max)
//   backward: dx[n,c] = y[n,c] (dy[n,c] - sum_j dy[n,j] y[n,j])
// A classifier trained with cross-entropy does not need it: the loss applies its own softmax.
#pragma once

#include "layers/layer.h"

namespace neurite {

class SoftmaxLayer : public Layer {
public:
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;
};

} // namespace neurite
