// The elementwise activations: one layer class, one registry entry per row of the activation
// table (backend/activations.h), which holds each one's formula, derivative, ONNX form and help,
// e.g. ReLU max(x, 0) with derivative [x > 0], GELU x Phi(x) (exact erf form), SiLU x sigmoid(x),
// each as its torch.nn counterpart (test_torch_parity).
//   forward:  y = f(x)        backward: dx = f'(x) dy   (f' may use y, e.g. sigmoid y (1 - y))
#pragma once

#include "layers/layer.h"

namespace neurite {

class ActivationLayer : public Layer {
public:
    ActivationLayer(Activation act, float alpha) : m_act(act), m_alpha(alpha) {}

    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    Activation m_act;
    float m_alpha;
};

} // namespace neurite
