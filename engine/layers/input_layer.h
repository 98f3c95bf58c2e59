// Input: where the data enters the model. No compute of its own: the model writes the batch into
// its output. shape is the sample shape without the batch ("auto" = taken from the data), so the
// output is [N, shape...]. Reference: keras.Input / the graph input of an ONNX model.
#pragma once

#include "layers/layer.h"

namespace neurite {

class InputLayer : public Layer {
public:
    // Copies src[0] to dst when the caller passes the batch as an input; otherwise does nothing.
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    // Nothing to propagate: the data needs no gradient.
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;
};

} // namespace neurite
