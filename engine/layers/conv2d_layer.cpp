// Conv2D: registry entry and layer.
#include "layers/conv2d_layer.h"

#include "core/error.h"
#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

ConvDesc Conv2DLayer::describe(const Shape& src) const {
    ConvDesc d;
    d.batch = src[0];
    d.inChannels = src[1];
    d.height = src[2];
    d.width = src[3];
    d.outChannels = m_cfg.filters;
    d.kernelH = m_cfg.kernelH;
    d.kernelW = m_cfg.kernelW;
    d.strideH = m_cfg.strideH;
    d.strideW = m_cfg.strideW;
    d.dilationH = m_cfg.dilationH;
    d.dilationW = m_cfg.dilationW;
    d.groups = m_cfg.groups;
    if (m_cfg.padding == "explicit") {
        d.padTop = m_cfg.pads[0], d.padLeft = m_cfg.pads[1];
        d.padBottom = m_cfg.pads[2], d.padRight = m_cfg.pads[3];
    } else {
        const bool same = m_cfg.padding == "same";
        layers::Window1D h = layers::window1D(d.height, d.extentH(), d.strideH, same);
        layers::Window1D w = layers::window1D(d.width, d.extentW(), d.strideW, same);
        d.padTop = h.padBefore;
        d.padBottom = h.padAfter;
        d.padLeft = w.padBefore;
        d.padRight = w.padAfter;
    }
    d.bias = m_cfg.bias;
    return d;
}

std::vector<ParamSpec> Conv2DLayer::paramSpecs(std::span<const Shape> srcShapes) const {
    NEURITE_CHECK(srcShapes.size() == 1 && srcShapes[0].rank() == 4, "Conv2D: bad input shape");
    return weightSpecs(Shape{m_cfg.filters, srcShapes[0][1] / m_cfg.groups, m_cfg.kernelH, m_cfg.kernelW});
}

namespace {

Conv2DConfig configOf(const LayerParams& p) {
    Conv2DConfig c;
    c.filters = p.i("filters");
    c.kernelH = p.list("kernel_size")[0];
    c.kernelW = p.list("kernel_size")[1];
    c.strideH = p.list("strides")[0];
    c.strideW = p.list("strides")[1];
    c.dilationH = p.list("dilation")[0];
    c.dilationW = p.list("dilation")[1];
    c.groups = p.i("groups");
    c.padding = p.s("padding");
    c.pads = p.list("pads");
    c.bias = p.b("bias");
    c.init = layers::initFromName(p.s("init"));
    return c;
}

} // namespace

LayerType describeConv2D() {
    LayerType t;
    t.name = "Conv2D";
    t.category = "Convolution";
    t.help =
        "2-D convolution: slides learned filters over the image, one output channel per filter.";
    t.params = {layers::intParam("filters", 32, 1, "Number of filters (output channels)."),
                layers::intListParam("kernel_size", {3, 3}, 2, 1, "Filter height and width."),
                layers::intListParam("strides", {1, 1}, 2, 1,
                                     "Step between filter positions (height, width)."),
                layers::paddingParam("same", "same: output size = ceil(input / stride); valid: no padding"),
                layers::padsParam(),
                layers::intListParam("dilation", {1, 1}, 2, 1,
                                     "Spacing between the filter's taps (height, width); 1: adjacent pixels."),
                layers::intParam("groups", 1, 1,
                                 "Split the channels into this many groups, each filtered on its own; input "
                                 "channels and filters must divide by it. Groups = input channels = filters "
                                 "is a depthwise convolution."),
                layers::boolParam("bias", true, "Add a learned bias per filter."),
                layers::initParam("he_uniform")};
    t.inferShape = [](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() != 4)
            return ShapeResult::fail("expects 4-D input [N,C,H,W], got " + in.str());
        const int64_t groups = p.i("groups");
        if (in[1] % groups != 0 || p.i("filters") % groups != 0)
            return ShapeResult::fail("groups " + std::to_string(groups) + " must divide both the " +
                                     std::to_string(in[1]) + " input channels and the " +
                                     std::to_string(p.i("filters")) + " filters");
        ConvDesc d = Conv2DLayer(configOf(p)).describe(in);
        if (d.height + d.padTop + d.padBottom < d.extentH() ||
            d.width + d.padLeft + d.padRight < d.extentW())
            return ShapeResult::fail(
                "kernel " + layers::joinDims(p.list("kernel_size")) + " does not fit the " +
                std::to_string(d.height) + "x" + std::to_string(d.width) + " input with padding " +
                p.s("padding") + "; use padding same or a smaller kernel_size");
        return ShapeResult{Shape{in[0], d.outChannels, d.outHeight(), d.outWidth()}, {}};
    };
    t.create = [](const LayerParams& p) { return std::make_unique<Conv2DLayer>(configOf(p)); };
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        const auto& k = l.params.list("kernel_size");
        const auto& st = l.params.list("strides");
        std::vector<std::string> in{l.inputs[0], s.weight(0)};
        if (l.weightDims.size() > 1) in.push_back(s.weight(1));
        const ConvDesc d = Conv2DLayer(configOf(l.params)).describe(l.inputShapes[0]);
        std::vector<OnnxAttr> attrs{{"kernel_shape", std::vector<int64_t>{k[0], k[1]}},
                                    {"strides", std::vector<int64_t>{st[0], st[1]}},
                                    {"pads", std::vector<int64_t>{d.padTop, d.padLeft, d.padBottom, d.padRight}}};
        if (d.dilationH != 1 || d.dilationW != 1)
            attrs.push_back({"dilations", std::vector<int64_t>{d.dilationH, d.dilationW}});
        if (d.groups != 1) attrs.push_back({"group", d.groups});
        s.node("Conv", in, l.output, l.id, std::move(attrs));
    };
    // Symmetric padding goes to nn.Conv2d; uneven ("same" with an even kernel or a stride) is an
    // explicit F.pad first, as the layer pads.
    t.torch = [](const TorchLayer& l) {
        const ConvDesc d = Conv2DLayer(configOf(l.params)).describe(l.inputShapes[0]);
        const bool symmetric = d.padTop == d.padBottom && d.padLeft == d.padRight;
        std::string m = "nn.Conv2d(" + std::to_string(d.inChannels) + ", " + std::to_string(d.outChannels) +
                        ", kernel_size=" + pyTuple({d.kernelH, d.kernelW}) +
                        ", stride=" + pyTuple({d.strideH, d.strideW});
        if (symmetric && (d.padTop || d.padLeft)) m += ", padding=" + pyTuple({d.padTop, d.padLeft});
        if (d.dilationH != 1 || d.dilationW != 1) m += ", dilation=" + pyTuple({d.dilationH, d.dilationW});
        if (d.groups != 1) m += ", groups=" + std::to_string(d.groups);
        if (!l.params.b("bias")) m += ", bias=False";
        TorchCode c{m + ")", symmetric ? "{m}({0})"
                                       : "{m}(pad({0}, " + pyTuple({d.padTop, d.padLeft, d.padBottom, d.padRight}) + "))",
                    {{"weight", "weight"}}};
        if (l.params.b("bias")) c.weights.push_back({"bias", "bias"});
        return c;
    };
    t.quantizeWeight = true;
    using L = std::vector<int64_t>;
    const std::string valid = "valid";
    t.examples = {
        {"conv 3x3 s1 same", {{"filters", int64_t(3)}}, layers::imageDims(4, 7, 4, 8)},
        {"conv 3x3 s2 same", {{"filters", int64_t(2)}, {"strides", int64_t(2)}}, layers::imageDims(5, 8, 4, 7)},
        {"conv 5x5 s1 valid", {{"filters", int64_t(2)}, {"kernel_size", int64_t(5)}, {"padding", valid}}, layers::imageDims(5, 8, 6, 9)},
        {"conv 5x5 s2 same no bias", {{"filters", int64_t(2)}, {"kernel_size", int64_t(5)}, {"strides", int64_t(2)}, {"bias", false}}, layers::imageDims(4, 7, 5, 8)},
        {"conv 1x1 s1 valid", {{"filters", int64_t(4)}, {"kernel_size", int64_t(1)}, {"padding", valid}}, layers::imageDims(2, 5, 2, 5)},
        {"conv 1x1 s2 same", {{"filters", int64_t(2)}, {"kernel_size", int64_t(1)}, {"strides", int64_t(2)}}, layers::imageDims(3, 6, 3, 6)},
        {"conv 4x4 same (uneven pad)", {{"filters", int64_t(2)}, {"kernel_size", int64_t(4)}}, layers::imageDims(4, 6, 5, 7)},
        {"conv 3x2 s[2,1] valid", {{"filters", int64_t(2)}, {"kernel_size", L{3, 2}}, {"strides", L{2, 1}}, {"padding", valid}}, layers::imageDims(5, 8, 3, 6)},
        {"conv 3x3 explicit pads [1,0,2,1]", {{"filters", int64_t(2)}, {"padding", std::string("explicit")}, {"pads", L{1, 0, 2, 1}}}, layers::imageDims(3, 6, 3, 6)},
        {"conv 3x3 dilation [2,1] same", {{"filters", int64_t(2)}, {"dilation", L{2, 1}}}, layers::imageDims(5, 8, 4, 7)},
        {"conv 2 groups 4->6", {{"filters", int64_t(6)}, {"groups", int64_t(2)}}, {{1, 2}, {4, 4}, {4, 7}, {3, 6}}},
        {"depthwise 3x3 s2 (groups = channels = filters)", {{"filters", int64_t(3)}, {"groups", int64_t(3)}, {"strides", int64_t(2)}}, {{1, 2}, {3, 3}, {4, 7}, {5, 8}}},
    };
    t.summary = [](const LayerParams& p) {
        const bool depthwise = p.i("groups") > 1 && p.i("groups") == p.i("filters");
        std::string s = std::string(depthwise ? "Depthwise conv " : "Conv ") +
                        layers::joinDims(p.list("kernel_size")) + ", " + std::to_string(p.i("filters"));
        s += p.s("padding") == "explicit" ? layers::paddingSummary(p) : ", " + p.s("padding");
        if (p.list("strides") != std::vector<int64_t>{1, 1})
            s += ", stride " + layers::joinDims(p.list("strides"));
        if (p.list("dilation") != std::vector<int64_t>{1, 1})
            s += ", dilation " + layers::joinDims(p.list("dilation"));
        if (p.i("groups") > 1 && !depthwise) s += ", " + std::to_string(p.i("groups")) + " groups";
        return s;
    };
    return t;
}

} // namespace neurite
