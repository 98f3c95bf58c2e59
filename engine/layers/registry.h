// The one registry of layer types. Each type is declared once, in its layer's .cpp as
// `LayerType describe<Name>()` listed by registry.cpp: name, category, inputs, parameter schema
// (with what "auto" binds to), shape rule, factory, ONNX emitter, int8 quantizability, the
// function a loss applies itself, a summary, and examples. The designer (palette, inspector,
// colours, "auto" sizes), project validation, the graph, the exporter and int8 calibration, the
// docs (`neurite-cli layers --markdown`), the gradient check and the export fixtures all read
// it; nothing else compares layer names (docs/adding-a-layer.md).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/random.h"
#include "core/shape.h"
#include "layers/layer.h"
#include "layers/onnx_sink.h"
#include "layers/torch_sink.h"

namespace neurite {

// "auto" is a std::string value, allowed where the schema says allowAuto().
using ParamValue = std::variant<int64_t, double, bool, std::string, std::vector<int64_t>>;

enum class ParamType { Int, Float, Bool, Choice, IntList };

// What an "auto" value binds to when the graph is resolved against the data (DataInfo).
enum class AutoFrom { None, SampleShape, OutputUnits, Vocabulary };

struct ParamSchema {
    std::string name;
    ParamType type = ParamType::Int;
    ParamValue defaultValue;
    double min = -std::numeric_limits<double>::infinity();  // inclusive, for Int/Float/IntList items
    double max = std::numeric_limits<double>::infinity();
    bool maxExclusive = false;  // max is exclusive (Dropout rate < 1)
    int listLength = 0;  // IntList: required number of items (0 = any); an Int expands to that
                         // many copies ([v, v] for kernel_size). An empty list is accepted only
                         // when the default is empty (pool strides: [] = pool_size).
    std::vector<std::string> choices;  // for Choice
    AutoFrom autoFrom = AutoFrom::None;  // what an "auto" value binds to; None: "auto" is refused
    std::string help;
    // The name of a Bool parameter this one depends on: it applies only while that is true (the
    // inspector greys it out otherwise; LSTM's merge needs bidirectional), or "name=value" for a
    // Choice parameter that must have that value (pads need padding=explicit). Empty: always.
    std::string appliesWhen;
    bool allowAuto() const { return autoFrom != AutoFrom::None; }  // the value may be "auto"
};

// Validated parameters with defaults filled in; typed getters throw Internal on a type mismatch.
class LayerParams {
public:
    void set(const std::string& name, ParamValue v) { m_values[name] = std::move(v); }
    bool has(const std::string& name) const { return m_values.count(name) != 0; }
    const ParamValue& get(const std::string& name) const;
    int64_t i(const std::string& name) const;
    double f(const std::string& name) const;  // accepts ints too
    bool b(const std::string& name) const;
    const std::string& s(const std::string& name) const;
    const std::vector<int64_t>& list(const std::string& name) const;
    bool isAuto(const std::string& name) const;
    const std::map<std::string, ParamValue>& values() const { return m_values; }

private:
    std::map<std::string, ParamValue> m_values;
};

// Result of a shape rule: the output shape, or a message saying what was received and what is
// expected (the graph prefixes the node id and where the input came from).
struct ShapeResult {
    Shape shape;
    std::string error;
    bool ok() const { return error.empty(); }
    static ShapeResult fail(std::string message) { return {Shape{}, std::move(message)}; }
};

// One use of a layer type with inputs drawn at random within ranges. The gradient check runs
// every example of every type, the ONNX export tests build models from them, and the docs list
// the operators the first one exports to.
struct LayerExample {
    std::string name;  // "conv 3x3 s2 same"
    std::map<std::string, ParamValue> params;
    std::vector<std::pair<int64_t, int64_t>> dims;  // each input's [lo, hi] per axis, batch first
    int inputs = 1;    // several inputs share the draws of every axis but `varying`
    int varying = -1;  // the axis drawn for each input anew (Concat's channels); -1 = none
    // What a finite-difference check must mind: Kinked (a kink at 0: skip inputs near it),
    // Distinct (max: no ties), FineStep (batch statistics: a smaller step), Inference (the
    // inference form, e.g. Dropout as the identity).
    enum class Check { Smooth, Kinked, Distinct, FineStep, Inference } check = Check::Smooth;
    // > 0: the first input holds token ids, whole numbers in [0, ids) (Embedding); they take no
    // gradient, so a finite-difference check only needs the layer to write zeros for them.
    int64_t ids = 0;
};

// The input shapes of an example: drawn from rng, or every axis at its low end (rng == nullptr).
std::vector<Shape> exampleShapes(const LayerExample& example, Rng* rng);

struct LayerType {
    std::string name;      // "Conv2D": the op name in project files
    std::string category;  // one of layerCategories()
    std::string help;      // one sentence for the palette and docs
    int minInputs = 1;
    int maxInputs = 1;  // -1: any number
    std::vector<ParamSchema> params;
    std::function<ShapeResult(const LayerParams&, std::span<const Shape>)> inferShape;
    std::function<std::unique_ptr<Layer>(const LayerParams&)> create;
    OnnxEmitter onnx;  // how the exporter writes it (inference form); see layers/onnx_sink.h
    TorchEmitter torch;  // how the pytorch export writes it (training form); layers/torch_sink.h
    std::function<std::string(const LayerParams&)> summary;  // "Conv 3x3, 32, same"
    bool dataInput = false;       // where the data enters the graph (Input): no node in exports
    bool quantizeWeight = false;  // int8 export stores its "weight" int8 per output channel
    // A backend op family not every backend has (Op::Rnn); Other: none. Training with device
    // auto picks a device whose backend supports it (run_setup).
    Op needs = Op::Other;
    // The function a loss already applies to the logits ("softmax" for cross-entropy and focal,
    // "sigmoid" for binary cross-entropy) when this layer computes it: the graph warns when a
    // model ends with it.
    std::string appliedByLoss;
    std::vector<LayerExample> examples;  // at least one for every type but Input
};

// The palette's categories in order, each with the colour of its blocks on the canvas.
struct LayerCategory {
    const char* name;
    uint32_t rgb;  // 0xRRGGBB
};
std::span<const LayerCategory> layerCategories();

std::span<const LayerType> layerTypes();
const LayerType* findLayerType(std::string_view name);

// Fills defaults and checks types, ranges and choices. Returns problems as messages naming the
// parameter ("units: must be >= 1, got 0"); unknown parameter names are reported as warnings.
struct ParamCheck {
    LayerParams params;
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
};
ParamCheck checkParams(const LayerType& type, const std::map<std::string, ParamValue>& given);

std::string toString(const ParamValue& v);

// Binds the "auto" values of `params` from the data (ParamSchema::autoFrom): the sample shape
// without the batch (rank 0 = unknown), the number of outputs (0 = unknown) and a text source's
// vocabulary size (0 = unknown). Returns "" or what stays unknown, in the words of the Problems
// panel.
std::string bindAutoParams(const LayerType& type, LayerParams& params, const Shape& sampleShape,
                           int outputUnits, int64_t vocabularySize);

}  // namespace neurite
