// Conv1D: registry entry and layer.
#include "layers/conv1d_layer.h"

#include "core/error.h"
#include "layers/layer_util.h"
#include "layers/registry.h"

namespace neurite {

ConvDesc Conv1DLayer::describe(const Shape& src) const {
    ConvDesc d;
    d.channelsLast = true;
    d.batch = src[0];
    d.height = 1;
    d.width = src[1];
    d.inChannels = src[2];
    d.outChannels = m_cfg.filters;
    d.kernelH = 1;
    d.kernelW = m_cfg.kernel;
    d.strideW = m_cfg.stride;
    d.dilationW = m_cfg.dilation;
    using P = Conv1DConfig::Padding;
    if (m_cfg.padding == P::Causal) {
        d.padLeft = d.extentW() - 1;
    } else {
        const layers::Window1D w = layers::window1D(d.width, d.extentW(), d.strideW, m_cfg.padding == P::Same);
        d.padLeft = w.padBefore;
        d.padRight = w.padAfter;
    }
    d.bias = m_cfg.bias;
    return d;
}

std::vector<ParamSpec> Conv1DLayer::paramSpecs(std::span<const Shape> srcShapes) const {
    NEURITE_CHECK(srcShapes.size() == 1 && srcShapes[0].rank() == 3, "Conv1D: bad input shape");
    return weightSpecs(Shape{m_cfg.filters, srcShapes[0][2], m_cfg.kernel});  // torch's Conv1d weight
}

namespace {

Conv1DConfig configOf(const LayerParams& p) {
    Conv1DConfig c;
    c.filters = p.i("filters");
    c.kernel = p.i("kernel_size");
    c.stride = p.i("strides");
    c.dilation = p.i("dilation");
    const std::string& padding = p.s("padding");
    c.padding = padding == "valid" ? Conv1DConfig::Padding::Valid
                : padding == "causal" ? Conv1DConfig::Padding::Causal
                                      : Conv1DConfig::Padding::Same;
    c.bias = p.b("bias");
    c.init = layers::initFromName(p.s("init"));
    return c;
}

} // namespace

LayerType describeConv1D() {
    LayerType t;
    t.name = "Conv1D";
    t.category = "Convolution";
    t.help = "1-D convolution over a sequence [N,T,C]: learned filters slide along time, one output "
             "channel per filter.";
    t.params = {layers::intParam("filters", 32, 1, "Number of filters (output channels)."),
                layers::intParam("kernel_size", 3, 1, "Filter length, in time steps."),
                layers::intParam("strides", 1, 1, "Step between filter positions."),
                layers::intParam("dilation", 1, 1, "Spacing between the filter's taps (1: adjacent steps)."),
                layers::choiceParam("padding", "same", {"same", "valid", "causal"},
                                    "same: output length = ceil(length / stride); valid: no padding; causal: "
                                    "padded before only, so no output sees a later step."),
                layers::boolParam("bias", true, "Add a learned bias per filter."),
                layers::initParam("he_uniform")};
    t.inferShape = [](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty()) return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() != 3)
            return ShapeResult::fail("expects a sequence [N,T,C] (3-D), got " + in.str() +
                                     (in.rank() == 2 ? "; a Reshape to [T, 1] makes features a sequence" : ""));
        const ConvDesc d = Conv1DLayer(configOf(p)).describe(in);
        if (d.width + d.padLeft + d.padRight < d.extentW())
            return ShapeResult::fail("kernel_size " + std::to_string(p.i("kernel_size")) + " with dilation " +
                                     std::to_string(p.i("dilation")) + " spans " + std::to_string(d.extentW()) +
                                     " steps, more than the " + std::to_string(d.width) +
                                     " of the input with padding valid; use padding same or causal, or a "
                                     "smaller kernel");
        return ShapeResult{Shape{in[0], d.outWidth(), d.outChannels}, {}};
    };
    t.create = [](const LayerParams& p) { return std::make_unique<Conv1DLayer>(configOf(p)); };
    // ONNX's Conv is channels-first: [N,T,C] -> Transpose -> Conv over [N,C,T] -> Transpose back.
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        const ConvDesc d = Conv1DLayer(configOf(l.params)).describe(l.inputShapes[0]);
        const std::string ncw = s.unique(l.id + "_ncw"), conv = s.unique(l.id + "_conv");
        const std::vector<int64_t> swap{0, 2, 1};
        s.node("Transpose", {l.inputs[0]}, ncw, l.id + "_to_ncw", {{"perm", swap}});
        std::vector<std::string> in{ncw, s.weight(0)};
        if (l.weightDims.size() > 1) in.push_back(s.weight(1));
        s.node("Conv", in, conv, l.id,
               {{"kernel_shape", std::vector<int64_t>{d.kernelW}},
                {"strides", std::vector<int64_t>{d.strideW}},
                {"dilations", std::vector<int64_t>{d.dilationW}},
                {"pads", std::vector<int64_t>{d.padLeft, d.padRight}}});
        s.node("Transpose", {conv}, l.output, l.id + "_to_ntc", {{"perm", swap}});
    };
    // nn.Conv1d reads [N,C,T]: the sequence [N,T,C] is transposed there and back; causal or
    // uneven padding is an explicit pad along time first.
    t.torch = [](const TorchLayer& l) {
        const ConvDesc d = Conv1DLayer(configOf(l.params)).describe(l.inputShapes[0]);
        const bool symmetric = d.padLeft == d.padRight;
        std::string m = "nn.Conv1d(" + std::to_string(d.inChannels) + ", " + std::to_string(d.outChannels) +
                        ", kernel_size=" + std::to_string(d.kernelW) + ", stride=" + std::to_string(d.strideW);
        if (symmetric && d.padLeft) m += ", padding=" + std::to_string(d.padLeft);
        if (d.dilationW != 1) m += ", dilation=" + std::to_string(d.dilationW);
        if (!l.params.b("bias")) m += ", bias=False";
        const std::string in = symmetric ? "{0}.transpose(1, 2)"
                                         : "F.pad({0}.transpose(1, 2), " + pyTuple({d.padLeft, d.padRight}) + ")";
        TorchCode c{m + ")", "{m}(" + in + ").transpose(1, 2)", {{"weight", "weight"}}};
        if (l.params.b("bias")) c.weights.push_back({"bias", "bias"});
        return c;
    };
    const std::string valid = "valid", causal = "causal";
    t.examples = {
        {"conv1d k3 same", {{"filters", int64_t(3)}}, layers::sequenceDims(4, 9)},
        {"conv1d k3 s2 same", {{"filters", int64_t(2)}, {"strides", int64_t(2)}}, layers::sequenceDims(5, 9)},
        {"conv1d k5 valid", {{"filters", int64_t(2)}, {"kernel_size", int64_t(5)}, {"padding", valid}},
         layers::sequenceDims(6, 10)},
        {"conv1d k3 d2 causal", {{"filters", int64_t(2)}, {"dilation", int64_t(2)}, {"padding", causal}},
         layers::sequenceDims(3, 8)},
        {"conv1d k4 same (uneven pad) no bias", {{"filters", int64_t(2)}, {"kernel_size", int64_t(4)}, {"bias", false}},
         layers::sequenceDims(4, 8)},
        {"conv1d k2 d3 s2 valid", {{"filters", int64_t(3)}, {"kernel_size", int64_t(2)}, {"dilation", int64_t(3)},
                                   {"strides", int64_t(2)}, {"padding", valid}},
         layers::sequenceDims(5, 9)},
    };
    t.summary = [](const LayerParams& p) {
        std::string s = "Conv1D " + std::to_string(p.i("kernel_size")) + ", " + std::to_string(p.i("filters")) +
                        ", " + p.s("padding");
        if (p.i("strides") != 1) s += ", stride " + std::to_string(p.i("strides"));
        if (p.i("dilation") != 1) s += ", dilation " + std::to_string(p.i("dilation"));
        return s;
    };
    return t;
}

} // namespace neurite
