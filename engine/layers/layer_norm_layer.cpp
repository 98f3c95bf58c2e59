// LayerNorm: registry entry and layer.
#include "layers/layer_norm_layer.h"

#include "core/error.h"
#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

std::vector<ParamSpec> LayerNormLayer::paramSpecs(std::span<const Shape> srcShapes) const {
    NEURITE_CHECK(srcShapes.size() == 1 && srcShapes[0].rank() >= 2, "LayerNorm: bad input shape");
    const Shape d{srcShapes[0][srcShapes[0].rank() - 1]};
    return {{"gamma", d, Init::Ones, 0, 0, true, false}, {"beta", d, Init::Zeros, 0, 0, true, false}};
}

void LayerNormLayer::bindParams(std::span<Param> params) {
    NEURITE_CHECK(params.size() == 2, "LayerNorm: wrong number of parameters");
    m_gamma = params[0];
    m_beta = params[1];
}

LayerNormPlan& LayerNormLayer::plan(LayerContext& ctx, const Tensor& src) {
    return m_plans.get(layers::batchOf(src), [&] {
        const Shape& s = src.shape();
        LayerNormDesc d;
        d.features = s[s.rank() - 1];
        d.rows = s.numel() / d.features;
        d.epsilon = m_epsilon;
        return ctx.backend.makeLayerNorm(d);
    });
}

void LayerNormLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    plan(ctx, *src[0]).forward(*src[0], m_gamma.value, m_beta.value, dst);
}

void LayerNormLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                              const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    LayerNormPlan& p = plan(ctx, *src[0]);
    p.backward(*src[0], diffDst, m_gamma.value,
               layers::diffSrcOrScratch(ctx, diffSrc[0], m_scratch, *src[0]), m_gamma.grad,
               m_beta.grad);
}

namespace {

// ONNX LayerNormalization arrives in opset 17; Neurite writes opset 13, so the layer is its
// decomposition over the last axis: mean, centred, variance, normalized, scaled and shifted.
void emitLayerNorm(OnnxSink& s, const OnnxLayer& l) {
    // The last axis by its number (the batch is axis 0): OpenCV's importer does not take -1.
    const int64_t last = l.inputShapes[0].rank() - 1;
    const std::vector<OnnxAttr> lastAxis{{"axes", std::vector<int64_t>{last}}, {"keepdims", int64_t{1}}};
    auto value = [&](const char* what) { return s.unique(l.id + "_" + what); };
    const std::string mean = value("mean"), centred = value("centred"), square = value("square"),
                      var = value("var"), shifted = value("var_eps"), stddev = value("std"),
                      normalized = value("normalized"), scaled = value("scaled");
    s.node("ReduceMean", {l.inputs[0]}, mean, mean, lastAxis);
    s.node("Sub", {l.inputs[0], mean}, centred, centred);
    s.node("Mul", {centred, centred}, square, square);
    s.node("ReduceMean", {square}, var, var, lastAxis);
    s.node("Add", {var, s.scalar(l.id + ".epsilon", static_cast<float>(l.params.f("epsilon")))},
           shifted, shifted);
    s.node("Sqrt", {shifted}, stddev, stddev);
    s.node("Div", {centred, stddev}, normalized, normalized);
    s.node("Mul", {normalized, s.weight(0)}, scaled, scaled);
    s.node("Add", {scaled, s.weight(1)}, l.output, l.id);
}

}  // namespace

LayerType describeLayerNorm() {
    LayerType t;
    t.name = "LayerNorm";
    t.category = "Normalization";
    t.help = "Normalizes each sample over its last axis (features, or channels of a sequence), "
             "then scales and shifts by learned gamma and beta; no batch statistics.";
    t.params = {layers::floatParam("epsilon", 1e-5, 1e-12, 1.0, "Added to the variance for stability.")};
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        if (srcShapes[0].rank() < 2)
            return ShapeResult::fail("expects input [N,...,D] with the batch first, got " +
                                     srcShapes[0].str());
        return ShapeResult{srcShapes[0], {}};
    };
    t.create = [](const LayerParams& p) {
        return std::make_unique<LayerNormLayer>(static_cast<float>(p.f("epsilon")));
    };
    t.onnx = emitLayerNorm;
    t.torch = [](const TorchLayer& l) {
        const Shape& in = l.inputShapes[0];
        return TorchCode{"nn.LayerNorm(" + std::to_string(in[in.rank() - 1]) + ", eps=" +
                             pyFloat(l.params.f("epsilon")) + ")",
                         "{m}({0})", {{"gamma", "weight"}, {"beta", "bias"}}};
    };
    using C = LayerExample::Check;
    t.examples = {
        // At least 3 features: over 2 the output is +-1 whatever the input, a cliff finite
        // differences cannot follow.
        {"layernorm 2-D", {}, layers::matrixDims(1, 4, 3, 9), 1, -1, C::FineStep},
        {"layernorm 3-D sequence", {}, {{1, 2}, {1, 4}, {3, 6}}, 1, -1, C::FineStep},
        {"layernorm 4-D eps 0.1", {{"epsilon", 0.1}}, layers::imageDims(2, 3, 2, 5), 1, -1, C::FineStep},
    };
    t.summary = [](const LayerParams&) { return std::string("LayerNorm"); };
    return t;
}

}  // namespace neurite
