// Add: elementwise sum of two or more inputs of equal shape (ONNX Sum; Keras Add).
//   forward:  y = x_1 + ... + x_k
//   backward: dx_i = dy for every input
#pragma once

#include "layers/layer.h"

namespace neurite {

class AddLayer : public Layer {
public:
    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;
};

} // namespace neurite
