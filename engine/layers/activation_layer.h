// The elementwise activations ReLU, LeakyReLU, ELU, Sigmoid, Tanh and GELU: one layer class, six
// registry entries, as torch.nn.ReLU / LeakyReLU / ELU / Sigmoid / Tanh / GELU (exact erf form).
//   forward:  y = f(x)                        backward: dx = f'(x) dy
//   ReLU      max(x, 0)                       [x > 0]
//   LeakyReLU x > 0 ? x : alpha x             x > 0 ? 1 : alpha
//   ELU       x > 0 ? x : alpha (e^x - 1)     x > 0 ? 1 : alpha e^x
//   Sigmoid   1 / (1 + e^-x)                  y (1 - y)
//   Tanh      tanh x                          1 - y^2
//   GELU      x Phi(x)                        Phi(x) + x phi(x)
#pragma once

#include "layers/layer.h"

namespace neurite {

class ActivationLayer : public Layer {
public:
    ActivationLayer(Activation act, float alpha) : m_act(act), m_alpha(alpha) {}

    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    Activation m_act;
    float m_alpha;
};

} // namespace neurite
