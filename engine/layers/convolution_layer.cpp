#include "layers/convolution_layer.h"

#include "core/error.h"
#include "layers/layer_util.h"

namespace neurite {

std::vector<ParamSpec> ConvolutionLayer::weightSpecs(const Shape& weight) const {
    const int64_t taps = weight.numelFrom(2);
    const int64_t fanIn = weight[1] * taps, fanOut = weight[0] * taps;
    std::vector<ParamSpec> specs{{"weight", weight, m_init, fanIn, fanOut, true, true}};
    if (m_hasBias) specs.push_back({"bias", Shape{weight[0]}, Init::Zeros, fanIn, fanOut, true, false});
    return specs;
}

void ConvolutionLayer::bindParams(std::span<Param> params) {
    NEURITE_CHECK(params.size() == (m_hasBias ? 2u : 1u), "convolution: wrong number of parameters");
    m_weight = params[0];
    if (m_hasBias) m_bias = params[1];
}

ConvPlan& ConvolutionLayer::plan(LayerContext& ctx, const Tensor& src) {
    return m_plans.get(layers::batchOf(src), [&] {
        ConvDesc d = describe(src.shape());
        d.compute = ctx.compute;
        return ctx.backend.makeConv(d);
    });
}

// The plan binds by element count: Conv1D's [N, T, C] and weight [K, C, k] are its
// [N, 1, T, C] and [K, C, 1, k], the same memory.
bool ConvolutionLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    op.conv = describe(srcShapes[0]);
    if (op.conv.channelsLast) return false;  // Conv1D's [N, T, C]: not compiled
    op.kind = InferKind::Conv;
    op.weight = m_weight.value;
    if (m_hasBias) op.bias = m_bias.value;
    return true;
}

void ConvolutionLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    plan(ctx, *src[0]).forward(*src[0], m_weight.value, m_hasBias ? &m_bias.value : nullptr, dst);
}

void ConvolutionLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                                const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    ConvPlan& p = plan(ctx, *src[0]);
    if (diffSrc[0]) p.backwardData(diffDst, m_weight.value, *diffSrc[0]);
    p.backwardWeights(*src[0], diffDst, m_weight.grad, m_hasBias ? &m_bias.grad : nullptr);
}

} // namespace neurite
