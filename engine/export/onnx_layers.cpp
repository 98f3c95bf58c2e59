// The exporter's side of the layers' ONNX emitters (LayerType::onnx, layers/onnx_sink.h): an
// OnnxSink that writes into the OnnxBuilder's graph, with the layer's parameters as initializers
// named "<id>.<param>". An int8 export stores the weight (parameter 0) as int8
// "<id>.weight_quantized" with a scale per output channel and zero points 0, read through a
// per-axis DequantizeLinear (axis 0: the output channel of Gemm's W with transB = 1 and of
// Conv's W alike); the values are those SimulatedInt8 computes with.
#include <variant>

#include "core/error.h"
#include "export/onnx_builder.h"
#include "export/quantize.h"

namespace neurite::onnxexport {

namespace {

class BuilderSink : public OnnxSink {
public:
    BuilderSink(OnnxBuilder& b, const LayerToEmit& l) : m_b(b), m_l(l) {}

    std::string unique(const std::string& wanted) override { return m_b.unique(wanted); }
    std::string floats(const std::string& name, const std::vector<int64_t>& dims,
                       std::span<const float> values) override {
        return m_b.floats(name, dims, values);
    }
    std::string int64s(const std::string& name, const std::vector<int64_t>& dims,
                       std::span<const int64_t> values) override {
        return m_b.int64s(name, dims, values);
    }
    std::string weight(std::size_t k) override {
        if (k >= m_l.weights.size())
            throwInternal(m_l.id + ": the ONNX emitter asks for parameter " + std::to_string(k) +
                          " of " + std::to_string(m_l.weights.size()));
        const std::string name = m_l.id + "." + m_l.weights[k].first;
        if (k != 0 || m_l.weightScales.empty())
            return m_b.floats(name, m_l.weightDims[k], m_l.weights[k].second);
        return quantizedWeight(name);
    }
    void node(const std::string& op, const std::vector<std::string>& inputs,
              const std::string& output, const std::string& name,
              std::vector<OnnxAttr> attrs) override {
        onnx::NodeProto& n = m_b.node(op, inputs, output, name);
        for (const OnnxAttr& a : attrs)
            std::visit([&](const auto& v) { OnnxBuilder::attr(n, a.name, v); }, a.value);
    }

private:
    std::string quantizedWeight(const std::string& name) {
        const std::vector<float>& w = m_l.weights[0].second;
        const std::size_t per = w.size() / m_l.weightScales.size();
        std::vector<uint8_t> q(w.size());
        for (std::size_t i = 0; i < w.size(); ++i)
            q[i] = static_cast<uint8_t>(quantizeI8(w[i], m_l.weightScales[i / per]));
        const auto channels = static_cast<int64_t>(m_l.weightScales.size());
        const std::vector<uint8_t> zeros(m_l.weightScales.size(), 0);
        const std::string quantized =
            m_b.bytes(name + "_quantized", onnx::TensorProto::INT8, m_l.weightDims[0], q);
        const std::string scale = m_b.floats(name + "_scale", {channels}, m_l.weightScales);
        const std::string zero =
            m_b.bytes(name + "_zero_point", onnx::TensorProto::INT8, {channels}, zeros);
        const std::string out = m_b.unique(name + "_dequantized");
        auto& n = m_b.node("DequantizeLinear", {quantized, scale, zero}, out, m_l.id + "_weight_dequantize");
        OnnxBuilder::attr(n, "axis", int64_t{0});
        return out;
    }

    OnnxBuilder& m_b;
    const LayerToEmit& m_l;
};

}  // namespace

void emitLayer(OnnxBuilder& b, const LayerToEmit& l, const LayerType& type) {
    BuilderSink sink(b, l);
    const OnnxLayer layer{l.id, l.params, l.inputs, l.inputShapes, l.outputShape, l.output, l.weightDims};
    type.onnx(sink, layer);
}

}  // namespace neurite::onnxexport
