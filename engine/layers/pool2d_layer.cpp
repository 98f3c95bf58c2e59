// MaxPool2D and AvgPool2D: registry entries and the shared layer.
#include "layers/pool2d_layer.h"

#include "layers/registry.h"
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
    if (m_cfg.padding == "explicit") {
        d.padTop = m_cfg.pads[0], d.padLeft = m_cfg.pads[1];
        d.padBottom = m_cfg.pads[2], d.padRight = m_cfg.pads[3];
        return d;
    }
    const bool same = m_cfg.padding == "same";
    layers::Window1D h = layers::window1D(d.height, d.kernelH, d.strideH, same);
    layers::Window1D w = layers::window1D(d.width, d.kernelW, d.strideW, same);
    d.padTop = h.padBefore;
    d.padBottom = h.padAfter;
    d.padLeft = w.padBefore;
    d.padRight = w.padAfter;
    return d;
}

bool Pool2DLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    op.kind = InferKind::Pool;
    op.pool = describe(srcShapes[0]);
    return true;
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
    c.padding = p.s("padding");
    c.pads = p.list("pads");
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
        layers::paddingParam("valid",
                             "valid: windows inside the input only; same: output = ceil(input / stride)"),
        layers::padsParam()};
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
                std::to_string(d.height) + "x" + std::to_string(d.width) + " input with padding " +
                p.s("padding") + "; use padding same or a smaller pool_size");
        if (d.padTop >= d.kernelH || d.padBottom >= d.kernelH || d.padLeft >= d.kernelW ||
            d.padRight >= d.kernelW)
            return ShapeResult::fail("pads " + layers::joinDims(p.list("pads"), ",") +
                                     " must each be smaller than the pool_size " +
                                     layers::joinDims(p.list("pool_size")) +
                                     ", or a window would hold padding only");
        return ShapeResult{Shape{in[0], in[1], d.outHeight(), d.outWidth()}, {}};
    };
    t.create = [kind](const LayerParams& p) {
        return std::make_unique<Pool2DLayer>(configOf(kind, p));
    };
    t.onnx = [max](OnnxSink& s, const OnnxLayer& l) {
        const auto& k = l.params.list("pool_size");
        const auto& st = l.params.list("strides").empty() ? k : l.params.list("strides");
        const PoolDesc d = Pool2DLayer(configOf(max ? PoolKind::Max : PoolKind::Avg, l.params))
                               .describe(l.inputShapes[0]);
        std::vector<OnnxAttr> attrs{
            {"kernel_shape", std::vector<int64_t>{k[0], k[1]}},
            {"strides", std::vector<int64_t>{st[0], st[1]}},
            {"pads", std::vector<int64_t>{d.padTop, d.padLeft, d.padBottom, d.padRight}}};
        // Padding is left out of the divisor, as the layer does (count_include_pad = 0 is the
        // default, written out for readers of the file).
        if (!max) attrs.push_back({"count_include_pad", int64_t{0}});
        s.node(max ? "MaxPool" : "AveragePool", {l.inputs[0]}, l.output, l.id, std::move(attrs));
    };
    t.torch = [max](const TorchLayer& l) {
        const PoolDesc d = Pool2DLayer(configOf(max ? PoolKind::Max : PoolKind::Avg, l.params))
                               .describe(l.inputShapes[0]);
        return TorchCode{"", std::string(max ? "max_pool" : "avg_pool") + "({0}, " +
                                 pyTuple({d.kernelH, d.kernelW}) + ", " + pyTuple({d.strideH, d.strideW}) +
                                 ", " + pyTuple({d.padTop, d.padLeft, d.padBottom, d.padRight}) + ")",
                         {}};
    };
    using L = std::vector<int64_t>;
    using C = LayerExample::Check;
    const std::string same = "same";
    if (max)
        t.examples = {
            {"maxpool 2x2 valid", {}, layers::imageDims(4, 7, 4, 8), 1, -1, C::Distinct},
            {"maxpool 3x3 s2 same", {{"pool_size", int64_t(3)}, {"strides", int64_t(2)}, {"padding", same}}, layers::imageDims(4, 7, 5, 8), 1, -1, C::Distinct},
            {"maxpool 3x2 s1 valid", {{"pool_size", L{3, 2}}, {"strides", int64_t(1)}}, layers::imageDims(3, 6, 2, 5), 1, -1, C::Distinct},
            {"maxpool 2x2 same odd", {{"padding", same}}, layers::imageDims(3, 5, 3, 5), 1, -1, C::Distinct},
            {"maxpool 3x3 s2 pads [1,0,2,1]", {{"pool_size", int64_t(3)}, {"strides", int64_t(2)}, {"padding", std::string("explicit")}, {"pads", L{1, 0, 2, 1}}}, layers::imageDims(4, 7, 5, 8), 1, -1, C::Distinct},
        };
    else
        t.examples = {
            {"avgpool 2x2 valid", {}, layers::imageDims(4, 7, 4, 8)},
            {"avgpool 3x3 s2 same", {{"pool_size", int64_t(3)}, {"strides", int64_t(2)}, {"padding", same}}, layers::imageDims(4, 7, 5, 8)},
            {"avgpool 2x3 s1 same", {{"pool_size", L{2, 3}}, {"strides", int64_t(1)}, {"padding", same}}, layers::imageDims(2, 5, 2, 5)},
            {"avgpool 3x3 s2 pads [0,1,2,0]", {{"pool_size", int64_t(3)}, {"strides", int64_t(2)}, {"padding", std::string("explicit")}, {"pads", L{0, 1, 2, 0}}}, layers::imageDims(4, 7, 5, 8)},
        };
    t.summary = [max](const LayerParams& p) {
        std::string s = (max ? "MaxPool " : "AvgPool ") + layers::joinDims(p.list("pool_size"));
        if (!p.list("strides").empty() && p.list("strides") != p.list("pool_size"))
            s += ", stride " + layers::joinDims(p.list("strides"));
        return s + layers::paddingSummary(p);
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
