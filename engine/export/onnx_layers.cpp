// The ONNX mapping of every registry layer type, one emitter each, in inference form (Dropout is
// the identity, BatchNorm uses its running statistics). Formulas as in the layer headers; the
// TF-style "same" padding becomes explicit pads [top, left, bottom, right].
#include <cmath>
#include <map>

#include "export/onnx_builder.h"
#include "export/quantize.h"
#include "layers/layer_util.h"

namespace neurite::onnxexport {

namespace {

using B = OnnxBuilder;

// The weight initializer `k` of a layer, named "<id>.<param>". An int8 export stores the weight
// (k = 0) as int8 "<id>.weight_quantized" with a scale per output channel and zero points 0,
// and returns the output of its DequantizeLinear (axis 0, the output channel of Gemm's W with
// transB = 1 and of Conv's W alike); the values are those SimulatedInt8 computes with.
std::string weight(B& b, const LayerToEmit& l, std::size_t k) {
    const std::string name = l.id + "." + l.weights[k].first;
    if (k != 0 || l.weightScales.empty()) return b.floats(name, l.weightDims[k], l.weights[k].second);
    const std::vector<float>& w = l.weights[k].second;
    const std::size_t per = w.size() / l.weightScales.size();
    std::vector<uint8_t> q(w.size());
    for (std::size_t i = 0; i < w.size(); ++i)
        q[i] = static_cast<uint8_t>(quantizeI8(w[i], l.weightScales[i / per]));
    const auto channels = static_cast<int64_t>(l.weightScales.size());
    const std::vector<uint8_t> zeros(l.weightScales.size(), 0);
    const std::string quantized = b.bytes(name + "_quantized", onnx::TensorProto::INT8, l.weightDims[k], q);
    const std::string scale = b.floats(name + "_scale", {channels}, l.weightScales);
    const std::string zero = b.bytes(name + "_zero_point", onnx::TensorProto::INT8, {channels}, zeros);
    const std::string out = b.unique(name + "_dequantized");
    auto& n = b.node("DequantizeLinear", {quantized, scale, zero}, out, l.id + "_weight_dequantize");
    B::attr(n, "axis", int64_t{0});
    return out;
}

void unary(B& b, const LayerToEmit& l, const char* op) { b.node(op, {l.inputs[0]}, l.output, l.id); }

std::vector<int64_t> pads(const Shape& in, int64_t kh, int64_t kw, int64_t sh, int64_t sw, bool same) {
    const layers::Window1D h = layers::window1D(in[2], kh, sh, same);
    const layers::Window1D w = layers::window1D(in[3], kw, sw, same);
    return {h.padBefore, w.padBefore, h.padAfter, w.padAfter};
}

void dense(B& b, const LayerToEmit& l) {
    // Gemm: Y = X W^T + C with transB = 1, W [out, in] as Neurite stores it. A layer without bias
    // gets a zero C, which every runtime accepts (C is optional only since opset 11).
    std::string bias;
    if (l.weights.size() > 1) {
        bias = weight(b, l, 1);
    } else {
        const std::vector<float> zeros(static_cast<std::size_t>(l.weightDims[0][0]), 0.f);
        bias = b.floats(l.id + ".bias", {l.weightDims[0][0]}, zeros);
    }
    auto& n = b.node("Gemm", {l.inputs[0], weight(b, l, 0), bias}, l.output, l.id);
    B::attr(n, "transB", int64_t{1});
}

void conv(B& b, const LayerToEmit& l) {
    const auto& k = l.params.list("kernel_size");
    const auto& s = l.params.list("strides");
    std::vector<std::string> in{l.inputs[0], weight(b, l, 0)};
    if (l.weights.size() > 1) in.push_back(weight(b, l, 1));
    auto& n = b.node("Conv", in, l.output, l.id);
    B::attr(n, "kernel_shape", std::vector<int64_t>{k[0], k[1]});
    B::attr(n, "strides", std::vector<int64_t>{s[0], s[1]});
    B::attr(n, "pads", pads(l.inputShapes[0], k[0], k[1], s[0], s[1], l.params.s("padding") == "same"));
}

void pool(B& b, const LayerToEmit& l, bool max) {
    const auto& k = l.params.list("pool_size");
    const auto& s = l.params.list("strides").empty() ? k : l.params.list("strides");
    auto& n = b.node(max ? "MaxPool" : "AveragePool", {l.inputs[0]}, l.output, l.id);
    B::attr(n, "kernel_shape", std::vector<int64_t>{k[0], k[1]});
    B::attr(n, "strides", std::vector<int64_t>{s[0], s[1]});
    B::attr(n, "pads", pads(l.inputShapes[0], k[0], k[1], s[0], s[1], l.params.s("padding") == "same"));
    // Padding is left out of the divisor, as the layer does (count_include_pad = 0 is the default,
    // written out for readers of the file).
    if (!max) B::attr(n, "count_include_pad", int64_t{0});
}

void globalAvgPool(B& b, const LayerToEmit& l) {
    // GlobalAveragePool keeps [N,C,1,1]; the layer gives [N,C].
    const std::string pooled = b.unique(l.id + "_pooled");
    b.node("GlobalAveragePool", {l.inputs[0]}, pooled, l.id);
    auto& f = b.node("Flatten", {pooled}, l.output, l.id + "_flatten");
    B::attr(f, "axis", int64_t{1});
}

void flatten(B& b, const LayerToEmit& l) {
    auto& n = b.node("Flatten", {l.inputs[0]}, l.output, l.id);
    B::attr(n, "axis", int64_t{1});
}

void reshape(B& b, const LayerToEmit& l) {
    // The resolved per-sample shape is concrete; the batch stays dynamic (-1).
    std::vector<int64_t> dims{-1};
    for (int i = 1; i < l.outputShape.rank(); ++i) dims.push_back(l.outputShape[i]);
    const std::string shape =
        b.int64s(l.id + ".shape", {static_cast<int64_t>(dims.size())}, dims);
    b.node("Reshape", {l.inputs[0], shape}, l.output, l.id);
}

void batchNorm(B& b, const LayerToEmit& l) {
    // paramSpecs order: gamma, beta, running_mean, running_var = ONNX's scale, B, mean, var.
    auto& n = b.node("BatchNormalization",
                     {l.inputs[0], weight(b, l, 0), weight(b, l, 1), weight(b, l, 2), weight(b, l, 3)},
                     l.output, l.id);
    B::attr(n, "epsilon", static_cast<float>(l.params.f("epsilon")));
    B::attr(n, "momentum", static_cast<float>(1.0 - l.params.f("momentum")));  // ONNX weighs the old
}

void gelu(B& b, const LayerToEmit& l) {
    // ONNX Gelu arrives in opset 20: x * 0.5 * (1 + erf(x / sqrt 2)), the exact form the layer uses.
    const std::string& x = l.inputs[0];
    const std::string scaled = b.unique(l.id + "_scaled"), erf = b.unique(l.id + "_erf"),
                      plus = b.unique(l.id + "_plus1"), half = b.unique(l.id + "_half");
    b.node("Div", {x, b.scalar(l.id + ".sqrt2", static_cast<float>(std::sqrt(2.0)))}, scaled,
           l.id + "_div");
    b.node("Erf", {scaled}, erf, l.id + "_erf");
    b.node("Add", {erf, b.scalar(l.id + ".one", 1.f)}, plus, l.id + "_add");
    b.node("Mul", {plus, b.scalar(l.id + ".half", 0.5f)}, half, l.id + "_mul_half");
    b.node("Mul", {x, half}, l.output, l.id);
}

void alphaOp(B& b, const LayerToEmit& l, const char* op) {
    auto& n = b.node(op, {l.inputs[0]}, l.output, l.id);
    B::attr(n, "alpha", static_cast<float>(l.params.f("alpha")));
}

void softmax(B& b, const LayerToEmit& l) {
    auto& n = b.node("Softmax", {l.inputs[0]}, l.output, l.id);
    B::attr(n, "axis", int64_t{1});
}

void concat(B& b, const LayerToEmit& l) {
    auto& n = b.node("Concat", l.inputs, l.output, l.id);
    B::attr(n, "axis", int64_t{1});
}

const std::map<std::string, Emitter, std::less<>>& emitters() {
    static const std::map<std::string, Emitter, std::less<>> table = {
        // Input has no node: the preprocessing (or the graph input itself) is its value.
        {"Input", [](B&, const LayerToEmit&) {}},
        {"Dense", dense},
        {"Conv2D", conv},
        {"MaxPool2D", [](B& b, const LayerToEmit& l) { pool(b, l, true); }},
        {"AvgPool2D", [](B& b, const LayerToEmit& l) { pool(b, l, false); }},
        {"GlobalAvgPool", globalAvgPool},
        {"Flatten", flatten},
        {"Reshape", reshape},
        {"BatchNorm", batchNorm},
        // Dropout-13 without ratio and training_mode inputs is the identity, as in inference.
        {"Dropout", [](B& b, const LayerToEmit& l) { unary(b, l, "Dropout"); }},
        {"ReLU", [](B& b, const LayerToEmit& l) { unary(b, l, "Relu"); }},
        {"LeakyReLU", [](B& b, const LayerToEmit& l) { alphaOp(b, l, "LeakyRelu"); }},
        {"ELU", [](B& b, const LayerToEmit& l) { alphaOp(b, l, "Elu"); }},
        {"Sigmoid", [](B& b, const LayerToEmit& l) { unary(b, l, "Sigmoid"); }},
        {"Tanh", [](B& b, const LayerToEmit& l) { unary(b, l, "Tanh"); }},
        {"GELU", gelu},
        {"Softmax", softmax},
        {"Add", [](B& b, const LayerToEmit& l) { b.node("Sum", l.inputs, l.output, l.id); }},
        {"Concat", concat},
    };
    return table;
}

}  // namespace

const Emitter* emitterFor(std::string_view layerType) {
    auto it = emitters().find(layerType);
    return it == emitters().end() ? nullptr : &it->second;
}

}  // namespace neurite::onnxexport
