// ConvolutionLayer: what Conv2D and Conv1D share. A weight [K, C, taps...] and an optional bias
// [K] on the backend's ConvPlan, one plan per batch size; a subclass says how its input maps to
// the plan (describe) and the weight's shape (paramSpecs through weightSpecs).
#pragma once

#include "layers/layer.h"

namespace neurite {

class ConvolutionLayer : public Layer {
public:
    // The backend descriptor for a concrete src shape (also used by the shape rules).
    virtual ConvDesc describe(const Shape& src) const = 0;

    void bindParams(std::span<Param> params) override;
    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

protected:
    ConvolutionLayer(bool bias, Init init) : m_hasBias(bias), m_init(init) {}
    // "weight" of shape {K, C, taps...} (fans C x taps and K x taps) and, with a bias, "bias" [K].
    std::vector<ParamSpec> weightSpecs(const Shape& weight) const;

private:
    ConvPlan& plan(LayerContext& ctx, const Tensor& src);

    bool m_hasBias;
    Init m_init;
    Param m_weight, m_bias;
    PlanCache<ConvPlan> m_plans;
};

} // namespace neurite
