// OnnxBuilder: the small vocabulary the exporter (and, through onnx_layers.cpp, the layers'
// emitters) uses to add nodes and initializers to an onnx::GraphProto with unique value names.
// Internal to engine/export.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

#include "core/shape.h"
#include "layers/registry.h"

namespace neurite::onnxexport {

class OnnxBuilder {
public:
    explicit OnnxBuilder(onnx::GraphProto& graph) : m_graph(graph) {}

    // A value name not used yet: `wanted`, or `wanted_2`, `wanted_3`...
    std::string unique(const std::string& wanted);
    void reserve(const std::string& name) { m_used.insert(name); }

    // Initializers; return their value name.
    std::string floats(const std::string& name, const std::vector<int64_t>& dims,
                       std::span<const float> values);
    std::string int64s(const std::string& name, const std::vector<int64_t>& dims,
                       std::span<const int64_t> values);
    std::string scalar(const std::string& name, float value) { return floats(name, {}, {&value, 1}); }
    // An initializer of 8-bit values (onnx::TensorProto::INT8 or UINT8) stored as raw bytes.
    std::string bytes(const std::string& name, int dataType, const std::vector<int64_t>& dims,
                      std::span<const uint8_t> values);

    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                          const std::string& output, const std::string& name);
    static void attr(onnx::NodeProto& n, const std::string& name, int64_t v);
    static void attr(onnx::NodeProto& n, const std::string& name, float v);
    static void attr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v);
    static void attr(onnx::NodeProto& n, const std::string& name, const std::string& v);

    int nodeCount() const { return m_graph.node_size(); }

private:
    onnx::GraphProto& m_graph;
    std::set<std::string> m_used;
};

// One layer to emit: its inputs' value names and shapes (symbolic batch), the value name its
// output must get, and its parameters in paramSpecs order (host copies).
struct LayerToEmit {
    std::string id;
    const LayerParams& params;
    std::vector<std::string> inputs;
    std::vector<Shape> inputShapes;
    Shape outputShape;
    std::string output;
    std::vector<std::pair<std::string, std::vector<float>>> weights;  // (name, values)
    std::vector<std::vector<int64_t>> weightDims;
    // Int8 export: scales per output channel of weights[0] ("weight"), stored as int8 with a
    // per-axis DequantizeLinear; empty = float weights.
    std::vector<float> weightScales;
};

// Writes one layer through its registry emitter (type.onnx must be set).
void emitLayer(OnnxBuilder& b, const LayerToEmit& l, const LayerType& type);

}  // namespace neurite::onnxexport
