// MaxPool1D, AvgPool1D, GlobalMaxPool1D, GlobalAvgPool1D: registry entries and the shared layer.
#include "layers/pool1d_layer.h"

#include "layers/layer_util.h"
#include "layers/registry.h"

namespace neurite {

PoolDesc Pool1DLayer::describe(const Shape& src) const {
    PoolDesc d;
    d.kind = m_cfg.kind;
    d.batch = src[0];
    d.channels = 1;
    d.height = src[1];  // time
    d.width = src[2];   // channels, pooled one by one (a window 1 wide)
    d.kernelW = d.strideW = 1;
    if (m_cfg.global) {
        d.kernelH = d.strideH = d.height;
        return d;
    }
    d.kernelH = m_cfg.pool;
    d.strideH = m_cfg.stride;
    const layers::Window1D t = layers::window1D(d.height, d.kernelH, d.strideH, m_cfg.same);
    d.padTop = t.padBefore;
    d.padBottom = t.padAfter;
    return d;
}

PoolPlan& Pool1DLayer::plan(LayerContext& ctx, const Tensor& src) {
    return m_plans.get(layers::batchOf(src), [&] { return ctx.backend.makePool(describe(src.shape())); });
}

// The plan binds by element count: [N, T, C] is its [N, 1, T, C], the output [N, T', C] (or
// [N, C]) its [N, 1, T', C].
void Pool1DLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    plan(ctx, *src[0]).forward(*src[0], dst, ctx.training);
}

void Pool1DLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                           const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    if (!diffSrc[0]) return;
    plan(ctx, *src[0]).backward(diffDst, *diffSrc[0]);
}

namespace {

Pool1DConfig configOf(PoolKind kind, bool global, const LayerParams& p) {
    Pool1DConfig c;
    c.kind = kind;
    c.global = global;
    if (global) return c;
    c.pool = p.i("pool_size");
    c.stride = p.i("strides") > 0 ? p.i("strides") : c.pool;
    c.same = p.s("padding") == "same";
    return c;
}

ShapeResult sequenceInput(std::span<const Shape> srcShapes) {
    if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty()) return ShapeResult::fail(e);
    const Shape& in = srcShapes[0];
    if (in.rank() != 3)
        return ShapeResult::fail("expects a sequence [N,T,C] (3-D), got " + in.str() +
                                 (in.rank() == 4 ? "; for images use the 2-D pools" : ""));
    return ShapeResult{in, {}};
}

LayerType describePool1D(PoolKind kind, bool global) {
    const bool max = kind == PoolKind::Max;
    LayerType t;
    t.name = std::string(global ? "Global" : "") + (max ? "MaxPool1D" : "AvgPool1D");
    t.category = "Pooling";
    if (global) {
        t.help = max ? "Keeps each channel's largest value over the whole sequence: [N,T,C] becomes [N,C]."
                     : "Averages each channel over the whole sequence: [N,T,C] becomes [N,C].";
    } else {
        t.help = max ? "Keeps the largest value of each window along time, per channel; halves the length by default."
                     : "Averages each window along time, per channel (padding not counted); halves the length by "
                       "default.";
        t.params = {layers::intParam("pool_size", 2, 1, "Window length, in time steps."),
                    layers::intParam("strides", 0, 0, "Step between windows; 0 = pool_size."),
                    layers::choiceParam("padding", "valid", {"valid", "same"},
                                        "valid: windows inside the sequence only; same: output = ceil(length / "
                                        "stride).")};
    }
    t.inferShape = [kind, global](const LayerParams& p, std::span<const Shape> srcShapes) {
        const ShapeResult in = sequenceInput(srcShapes);
        if (!in.ok()) return in;
        const PoolDesc d = Pool1DLayer(configOf(kind, global, p)).describe(in.shape);
        if (global) return ShapeResult{Shape{in.shape[0], in.shape[2]}, {}};
        if (d.height + d.padTop + d.padBottom < d.kernelH)
            return ShapeResult::fail("pool_size " + std::to_string(d.kernelH) + " is longer than the " +
                                     std::to_string(d.height) +
                                     " steps of the input with padding valid; use padding same or a smaller "
                                     "pool_size");
        return ShapeResult{Shape{in.shape[0], d.outHeight(), in.shape[2]}, {}};
    };
    t.create = [kind, global](const LayerParams& p) {
        return std::make_unique<Pool1DLayer>(configOf(kind, global, p));
    };
    t.onnx = [kind, global, max](OnnxSink& s, const OnnxLayer& l) {
        if (global) {  // a reduction over the time axis, no reshaping
            s.node(max ? "ReduceMax" : "ReduceMean", {l.inputs[0]}, l.output, l.id,
                   {{"axes", std::vector<int64_t>{1}}, {"keepdims", int64_t{0}}});
            return;
        }
        // As the layer runs it: [N,T,C] seen as [N,1,T,C], a pool x 1 window, then back.
        const Shape& in = l.inputShapes[0];
        const PoolDesc d = Pool1DLayer(configOf(kind, global, l.params)).describe(in);
        const std::string image = s.unique(l.id + "_image"), pooled = s.unique(l.id + "_pooled");
        // 0: the batch, copied from the input
        const std::vector<int64_t> imageShape{0, 1, in[1], in[2]}, sequenceShape{0, d.outHeight(), in[2]};
        s.node("Reshape", {l.inputs[0], s.int64s(l.id + ".image_shape", {4}, imageShape)}, image, l.id + "_to_image");
        std::vector<OnnxAttr> attrs{{"kernel_shape", std::vector<int64_t>{d.kernelH, 1}},
                                    {"strides", std::vector<int64_t>{d.strideH, 1}},
                                    {"pads", std::vector<int64_t>{d.padTop, 0, d.padBottom, 0}}};
        if (!max) attrs.push_back({"count_include_pad", int64_t{0}});
        s.node(max ? "MaxPool" : "AveragePool", {image}, pooled, l.id, std::move(attrs));
        s.node("Reshape", {pooled, s.int64s(l.id + ".sequence_shape", {3}, sequenceShape)}, l.output,
               l.id + "_to_sequence");
    };
    // [N,T,C] as [N,1,T,C] with a pool x 1 window, as the layer runs it.
    t.torch = [kind, global, max](const TorchLayer& l) {
        if (global) return TorchCode{"", std::string("{0}.") + (max ? "amax" : "mean") + "(dim=1)", {}};
        const PoolDesc d = Pool1DLayer(configOf(kind, global, l.params)).describe(l.inputShapes[0]);
        return TorchCode{"", std::string(max ? "max_pool" : "avg_pool") + "({0}.unsqueeze(1), " +
                                 pyTuple({d.kernelH, 1}) + ", " + pyTuple({d.strideH, 1}) + ", " +
                                 pyTuple({d.padTop, 0, d.padBottom, 0}) + ").squeeze(1)",
                         {}};
    };
    using C = LayerExample::Check;
    const C check = max ? C::Distinct : C::Smooth;
    const std::string same = "same";
    if (global)
        t.examples = {{std::string(max ? "global max" : "global avg") + " over time", {}, layers::sequenceDims(1, 9),
                       1, -1, check}};
    else
        t.examples = {
            {std::string(max ? "max" : "avg") + " 2 valid", {}, layers::sequenceDims(4, 9), 1, -1, check},
            {std::string(max ? "max" : "avg") + " 3 s2 same", {{"pool_size", int64_t(3)}, {"strides", int64_t(2)},
                                                               {"padding", same}},
             layers::sequenceDims(4, 9), 1, -1, check},
            {std::string(max ? "max" : "avg") + " 3 s1 valid", {{"pool_size", int64_t(3)}, {"strides", int64_t(1)}},
             layers::sequenceDims(3, 7), 1, -1, check},
        };
    t.summary = [max, global](const LayerParams& p) {
        if (global) return std::string(max ? "GlobalMaxPool1D" : "GlobalAvgPool1D");
        std::string s = (max ? "MaxPool1D " : "AvgPool1D ") + std::to_string(p.i("pool_size"));
        if (p.i("strides") > 0 && p.i("strides") != p.i("pool_size")) s += ", stride " + std::to_string(p.i("strides"));
        if (p.s("padding") == "same") s += ", same";
        return s;
    };
    return t;
}

} // namespace

LayerType describeMaxPool1D() { return describePool1D(PoolKind::Max, false); }
LayerType describeAvgPool1D() { return describePool1D(PoolKind::Avg, false); }
LayerType describeGlobalMaxPool1D() { return describePool1D(PoolKind::Max, true); }
LayerType describeGlobalAvgPool1D() { return describePool1D(PoolKind::Avg, true); }

} // namespace neurite
