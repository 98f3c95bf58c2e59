// MaxPool2D and AvgPool2D: registry entries and the shared layer.
#include "layers/pool2d_layer.h"

#include "layers/layer_types.h"
#include "layers/layer_util.h"

namespace neurite {

PoolDesc Pool2DLayer::describe(const Shape& src) const {
    PoolDesc d;
    d.kind = m_cfg.kind;
    d.batch = src[0];
    d.channels = src[1];
    d.height = src[2];
    d.width = src[3];
    d.kernelH = m_cfg.poolH;
    d.kernelW = m_cfg.poolW;
    d.strideH = m_cfg.strideH;
    d.strideW = m_cfg.strideW;
    layers::Window1D h = layers::window1D(d.height, d.kernelH, d.strideH, m_cfg.same);
    layers::Window1D w = layers::window1D(d.width, d.kernelW, d.strideW, m_cfg.same);
    d.padTop = h.padBefore;
    d.padBottom = h.padAfter;
    d.padLeft = w.padBefore;
    d.padRight = w.padAfter;
    return d;
}

void Pool2DLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    const Tensor& x = *src[0];
    m_plans.get(layers::batchOf(x), [&] { return ctx.backend.makePool(describe(x.shape())); })
        .forward(x, dst, ctx.training);
}

void Pool2DLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                           const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    if (!diffSrc[0]) return;
    const Tensor& x = *src[0];
    m_plans.get(layers::batchOf(x), [&] { return ctx.backend.makePool(describe(x.shape())); })
        .backward(diffDst, *diffSrc[0]);
}

namespace {

Pool2DConfig configOf(PoolKind kind, const LayerParams& p) {
    Pool2DConfig c;
    c.kind = kind;
    const std::vector<int64_t>& size = p.list("pool_size");
    const std::vector<int64_t>& strides = p.list("strides").empty() ? size : p.list("strides");
    c.poolH = size[0];
    c.poolW = size[1];
    c.strideH = strides[0];
    c.strideW = strides[1];
    c.same = p.s("padding") == "same";
    return c;
}

LayerType describePool(PoolKind kind) {
    const bool max = kind == PoolKind::Max;
    LayerType t;
    t.name = max ? "MaxPool2D" : "AvgPool2D";
    t.category = "Pooling";
    t.help =
        max ? "Keeps the largest value of each window; halves height and width by default."
            : "Averages each window (padding not counted); halves height and width by default.";
    t.params = {
        layers::intListParam("pool_size", {2, 2}, 2, 1, "Window height and width."),
        layers::intListParam("strides", {}, 2, 1, "Step between windows; empty = pool_size."),
        layers::choiceParam(
            "padding", "valid", {"valid", "same"},
            "valid: windows inside the input only; same: output = ceil(input / stride).")};
    t.inferShape = [kind](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() != 4)
            return ShapeResult::fail("expects 4-D input [N,C,H,W], got " + in.str());
        PoolDesc d = Pool2DLayer(configOf(kind, p)).describe(in);
        if (d.height + d.padTop + d.padBottom < d.kernelH ||
            d.width + d.padLeft + d.padRight < d.kernelW)
            return ShapeResult::fail(
                "pool " + layers::joinDims(p.list("pool_size")) + " does not fit the " +
                std::to_string(d.height) + "x" + std::to_string(d.width) +
                " input with padding valid; use padding same or a smaller pool_size");
        return ShapeResult{Shape{in[0], in[1], d.outHeight(), d.outWidth()}, {}};
    };
    t.create = [kind](const LayerParams& p) {
        return std::make_unique<Pool2DLayer>(configOf(kind, p));
    };
    t.onnxOp = max ? "MaxPool" : "AveragePool";
    t.summary = [max](const LayerParams& p) {
        std::string s = (max ? "MaxPool " : "AvgPool ") + layers::joinDims(p.list("pool_size"));
        if (!p.list("strides").empty() && p.list("strides") != p.list("pool_size"))
            s += ", stride " + layers::joinDims(p.list("strides"));
        if (p.s("padding") == "same") s += ", same";
        return s;
    };
    return t;
}

} // namespace

LayerType describeMaxPool2D() {
    return describePool(PoolKind::Max);
}
LayerType describeAvgPool2D() {
    return describePool(PoolKind::Avg);
}

} // namespace neurite
