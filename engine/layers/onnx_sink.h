// How a layer type writes itself into an ONNX graph, without the layers knowing ONNX's protobuf
// classes: each registry entry has an emitter (LayerType::onnx) that adds nodes and initializers
// through this narrow interface; engine/export implements it on onnx::GraphProto (and for int8,
// stores "weight" quantized). A recording implementation lists the operators an emitter writes,
// so the docs and `neurite-cli layers` show exactly what the exporter does.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "core/shape.h"

namespace neurite {

class LayerParams;
struct LayerType;

struct OnnxAttr {
    std::string name;
    std::variant<int64_t, float, std::vector<int64_t>, std::string> value;
};

class OnnxSink {
public:
    virtual ~OnnxSink() = default;

    // A value name not used yet: `wanted`, or `wanted_2`, `wanted_3`...
    virtual std::string unique(const std::string& wanted) = 0;
    // Initializers; each returns its value name.
    virtual std::string floats(const std::string& name, const std::vector<int64_t>& dims,
                               std::span<const float> values) = 0;
    virtual std::string int64s(const std::string& name, const std::vector<int64_t>& dims,
                               std::span<const int64_t> values) = 0;
    std::string scalar(const std::string& name, float value) { return floats(name, {}, {&value, 1}); }
    // The value name of the layer's parameter k (paramSpecs order), as the exporter stores it.
    virtual std::string weight(std::size_t k) = 0;
    virtual void node(const std::string& op, const std::vector<std::string>& inputs,
                      const std::string& output, const std::string& name,
                      std::vector<OnnxAttr> attrs = {}) = 0;
};

// One layer to emit: its inputs' value names and shapes (symbolic batch), the value name its
// output must get, and its parameters' dimensions in paramSpecs order.
struct OnnxLayer {
    std::string id;
    const LayerParams& params;
    std::vector<std::string> inputs;
    std::vector<Shape> inputShapes;
    Shape outputShape;
    std::string output;
    std::vector<std::vector<int64_t>> weightDims;
};

using OnnxEmitter = std::function<void(OnnxSink&, const OnnxLayer&)>;

// Emits an elementwise function written as a nested call over x (the ONNX column of
// backend/activations.h): "Mul(x, Sigmoid(x))", "LeakyRelu[alpha](x)" (the layer's parameter of
// that name as a float attribute), numbers as float scalars. The outermost node is named after
// the layer and writes its output. Throws Error{Internal} for a malformed form.
void emitOnnxFormula(OnnxSink& sink, const OnnxLayer& layer, const std::string& formula);

// The ONNX operators `type`'s emitter writes for its first example (LayerType::examples), in
// order, without repeats: what docs/layers.md lists. Empty when the type has no example.
std::vector<std::string> onnxOperatorsOf(const LayerType& type);

}  // namespace neurite
