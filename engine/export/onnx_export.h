// ONNX export (docs/export.md) through the official ONNX protobuf classes of Debian's libonnx:
// opset 13, the fitted preprocessing folded in as the first nodes (the graph input "input" takes
// raw values: pixels 0..255, features as in the data file), a dynamic batch dimension "N", and
// the outputs "logits" plus "probabilities" (classifiers) or "values" (regression). Every model
// passes onnx::checker::check_model and strict shape inference before it is returned.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "export/export_source.h"

namespace neurite {

inline constexpr int kOnnxOpset = 13;

struct Int8Plan;

struct OnnxExport {
    std::vector<uint8_t> bytes;        // the serialized ModelProto
    int nodes = 0;                     // ONNX nodes in the graph
    std::vector<std::string> outputs;  // graph output names, in order
    bool checked = false;              // passed check_model and strict shape inference
};

// Throws Error{Unsupported} for a layer type without an ONNX mapping, Error{Internal} when the
// built graph fails the checker (a bug in the exporter).
// With `int8` (quantize.h), the QDQ form: the weights of Dense and Conv2D stored as int8 with a
// DequantizeLinear per layer, and a QuantizeLinear/DequantizeLinear pair (uint8) after every
// planned activation; everything else stays float.
OnnxExport buildOnnx(const ExportSource& source, const Int8Plan* int8 = nullptr);
OnnxExport exportOnnx(const ExportSource& source, const std::string& path,
                      const Int8Plan* int8 = nullptr);

// Whether the exporter maps this registry layer type (a test walks the registry with it).
bool hasOnnxMapping(std::string_view layerType);

}  // namespace neurite
