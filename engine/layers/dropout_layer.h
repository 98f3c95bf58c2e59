// Dropout (inverted), as torch.nn.Dropout: in training each element is kept with probability
// 1 - rate and scaled by 1/(1 - rate); in inference it is the identity.
//   forward:  y = x * mask,  mask[i] = dropoutKeep(seed, i, rate) ? 1/(1-rate) : 0
//   backward: dx = dy * mask
// seed mixes the run seed, the global step and the node's salt (Layer::setSalt), so masks change
// every step, differ between Dropout nodes and agree across backends (backend.h's hash).
#pragma once

#include "layers/layer.h"

namespace neurite {

class DropoutLayer : public Layer {
public:
    explicit DropoutLayer(float rate) : m_rate(rate) {}

    // The mask seed of a forward pass in this context.
    uint64_t maskSeed(const LayerContext& ctx) const;

    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    Tensor& mask(LayerContext& ctx, const Tensor& src);

    float m_rate;
    PlanCache<Tensor> m_masks; // one mask per batch size, reused every step
};

} // namespace neurite
