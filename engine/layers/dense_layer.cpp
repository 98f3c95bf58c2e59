// Dense: registry entry and layer.
#include "layers/dense_layer.h"

#include "core/error.h"
#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

DenseLayer::DenseLayer(int64_t units, bool bias, Init init)
    : m_units(units), m_bias(bias), m_init(init) {}

std::vector<ParamSpec> DenseLayer::paramSpecs(std::span<const Shape> srcShapes) const {
    NEURITE_CHECK(srcShapes.size() == 1 && (srcShapes[0].rank() == 2 || srcShapes[0].rank() == 3),
                  "Dense: bad input shape");
    const int64_t in = srcShapes[0][srcShapes[0].rank() - 1];
    std::vector<ParamSpec> specs{{"weight", Shape{m_units, in}, m_init, in, m_units, true, true}};
    if (m_bias) specs.push_back({"bias", Shape{m_units}, Init::Zeros, in, m_units, true, false});
    return specs;
}

void DenseLayer::bindParams(std::span<Param> params) {
    NEURITE_CHECK(params.size() == (m_bias ? 2u : 1u), "Dense: wrong number of parameters");
    m_weight = params[0];
    if (m_bias) m_biasParam = params[1];
}

DensePlan& DenseLayer::plan(LayerContext& ctx, const Tensor& src) {
    // [N, T, C] is applied to each step: the plan sees [N*T, C] (plans bind by element count)
    return m_plans.get(layers::batchOf(src), [&] {
        const int64_t in = src.shape()[src.shape().rank() - 1];
        return ctx.backend.makeDense({src.numel() / in, in, m_units, m_bias, ctx.compute});
    });
}

bool DenseLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    if (srcShapes[0].rank() != 2) return false;  // a sequence [N, T, C]: not compiled
    op.kind = InferKind::Dense;
    op.dense = {srcShapes[0][0], srcShapes[0][1], m_units, m_bias, DType::F32};
    op.weight = m_weight.value;
    if (m_bias) op.bias = m_biasParam.value;
    return true;
}

void DenseLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    plan(ctx, *src[0]).forward(*src[0], m_weight.value, m_bias ? &m_biasParam.value : nullptr, dst);
}

void DenseLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                          const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    DensePlan& p = plan(ctx, *src[0]);
    if (diffSrc[0]) p.backwardData(diffDst, m_weight.value, *diffSrc[0]);
    p.backwardWeights(*src[0], diffDst, m_weight.grad, m_bias ? &m_biasParam.grad : nullptr);
}

LayerType describeDense() {
    LayerType t;
    t.name = "Dense";
    t.category = "Core";
    t.help = "Fully connected layer: every output is a weighted sum of all inputs plus a bias. On a "
             "sequence [N,T,C] it applies the same weights to every step.";
    ParamSchema units = layers::intParam(
        "units", 0, 1, "Number of outputs; auto = the number of classes or regression targets.");
    units.defaultValue = std::string("auto");
    units.autoFrom = AutoFrom::OutputUnits;
    t.params = {units, layers::boolParam("bias", true, "Add a learned bias to each output."),
                layers::initParam("glorot_uniform")};
    t.inferShape = [](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() != 2 && in.rank() != 3)
            return ShapeResult::fail("expects 2-D input [N,features], got " + in.str() +
                                     "; insert a Flatten before it");  // (or a sequence [N,T,C])
        if (p.isAuto("units"))
            return ShapeResult::fail(
                "units is \"auto\" but the number of outputs is unknown; set units");
        if (in.rank() == 3) return ShapeResult{Shape{in[0], in[1], p.i("units")}, {}};
        return ShapeResult{Shape{in[0], p.i("units")}, {}};
    };
    t.create = [](const LayerParams& p) -> std::unique_ptr<Layer> {
        if (p.isAuto("units")) throwBadInput("Dense: units is still \"auto\"; set units");
        return std::make_unique<DenseLayer>(p.i("units"), p.b("bias"),
                                            layers::initFromName(p.s("init")));
    };
    // Gemm: Y = X W^T + C with transB = 1, W [out, in] as Neurite stores it. A layer without
    // bias gets a zero C, which every runtime accepts (C is optional only since opset 11).
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        std::string bias;
        if (l.weightDims.size() > 1) {
            bias = s.weight(1);
        } else {
            const std::vector<float> zeros(static_cast<std::size_t>(l.weightDims[0][0]), 0.f);
            bias = s.floats(l.id + ".bias", {l.weightDims[0][0]}, zeros);
        }
        const Shape& in = l.inputShapes[0];
        if (in.rank() == 2) {
            s.node("Gemm", {l.inputs[0], s.weight(0), bias}, l.output, l.id, {{"transB", int64_t{1}}});
            return;
        }
        // a sequence: Gemm over the steps as rows, [N,T,C] -> [N*T,C] -> [N*T,O] -> [N,T,O]
        const std::string rows = s.unique(l.id + "_rows"), gemm = s.unique(l.id + "_gemm");
        const std::vector<int64_t> flat{-1, in[2]}, back{-1, in[1], l.weightDims[0][0]};
        s.node("Reshape", {l.inputs[0], s.int64s(s.unique(l.id + "_rows_shape"), {2}, flat)}, rows, l.id + "_to_rows");
        s.node("Gemm", {rows, s.weight(0), bias}, gemm, l.id, {{"transB", int64_t{1}}});
        s.node("Reshape", {gemm, s.int64s(s.unique(l.id + "_steps_shape"), {3}, back)}, l.output, l.id + "_to_steps");
    };
    // nn.Linear applies to the last axis, so a sequence [N,T,C] needs nothing more.
    t.torch = [](const TorchLayer& l) {
        const int64_t in = l.inputShapes[0][l.inputShapes[0].rank() - 1];
        const bool bias = l.params.b("bias");
        TorchCode c{"nn.Linear(" + std::to_string(in) + ", " + std::to_string(l.params.i("units")) +
                        (bias ? "" : ", bias=False") + ")",
                    "{m}({0})", {{"weight", "weight"}}};
        if (bias) c.weights.push_back({"bias", "bias"});
        return c;
    };
    t.quantizeWeight = true;
    t.examples = {
        {"dense", {{"units", int64_t(5)}}, layers::matrixDims(2, 4, 3, 7)},
        {"dense no bias", {{"units", int64_t(3)}, {"bias", false}}, layers::matrixDims(1, 3, 1, 5)},
        {"dense per step of a sequence", {{"units", int64_t(4)}}, layers::sequenceDims(2, 5)},
    };
    t.summary = [](const LayerParams& p) { return "Dense " + toString(p.get("units")); };
    return t;
}

} // namespace neurite
