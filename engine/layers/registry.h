// The one registry of layer types. Each type is declared once (name, category, inputs,
// parameter schema, shape rule, factory, ONNX mapping); the designer's palette and inspector,
// project validation, the summary table, the exporter, the docs and the gradient-check table all
// read it. A layer's .cpp defines `LayerType describe<Name>()`; registry.cpp lists them.
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

#include "core/shape.h"
#include "layers/layer.h"

namespace neurite {

// "auto" is a std::string value, allowed where the schema says allowAuto.
using ParamValue = std::variant<int64_t, double, bool, std::string, std::vector<int64_t>>;

enum class ParamType { Int, Float, Bool, Choice, IntList };

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
    bool allowAuto = false;            // the value may be "auto" (resolved from the data)
    std::string help;
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

struct LayerType {
    std::string name;      // "Conv2D": the op name in project files
    std::string category;  // Core, Convolution, Pooling, Normalization, Regularization, Activation, Merge
    std::string help;      // one sentence for the palette and docs
    int minInputs = 1;
    int maxInputs = 1;  // -1: any number
    std::vector<ParamSchema> params;
    std::function<ShapeResult(const LayerParams&, std::span<const Shape>)> inferShape;
    std::function<std::unique_ptr<Layer>(const LayerParams&)> create;
    std::string onnxOp;  // main ONNX operator the exporter maps this layer to
    std::function<std::string(const LayerParams&)> summary;  // "Conv 3x3, 32, same"
};

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

}  // namespace neurite
