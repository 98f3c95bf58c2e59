// ONNX import: an ONNX model file becomes an editable Neurite project (nodes with the layers'
// parameters, laid out for the canvas) and a safetensors file of its weights, which the project
// names as model.weights. Every operator Neurite's layers can express is mapped, with the
// patterns exporters write (MatMul + Add as Dense, Clip(0, 6) as ReLU6, the Erf and tanh forms
// of GELU, x * Sigmoid(x) as SiLU, Shape/Gather/Concat-fed Reshape targets, ceil_mode pooling
// as extra padding, BatchNormalization optionally folded into the convolution before it). A file
// with any operator that cannot be expressed is refused whole, every such node listed.
// docs/import.md has the table of operators and their rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/shape.h"
#include "export/onnx_read.h"
#include "io/project.h"
#include "io/safetensors.h"

namespace neurite {

struct ImportOptions {
    std::string dataSource;           // the project's data; "" = a bundled set that fits the input
    std::vector<int64_t> inputShape;  // one sample's shape, where the file leaves it symbolic
    bool foldBatchNorm = false;       // fold BatchNormalization into the Conv/Gemm before it
    std::string output;               // the graph output that is the model's output (--model-output)
    std::string name;                 // the project's name; "" = the file's stem
};

struct ImportReport {
    std::string file, producer;
    int64_t opset = 0;
    int onnxNodes = 0;
    std::vector<std::string> mapped;   // "Conv conv1 -> Conv2D conv1"
    std::vector<std::string> folded;   // "BatchNormalization bn1 -> folded into conv1"
    std::vector<std::string> dropped;  // "Identity id_3: an alias"
    std::string summary() const;       // one sentence with the counts
    std::string text() const;          // the summary, then every line
};

struct ImportedModel {
    ProjectDocument project;  // project.weights is set by saveImported
    SafeTensorsFile weights;  // "<node>.<param>" F32 tensors
    ImportReport report;
    Shape sampleShape;        // the Input's shape without the batch
};

// Throws Error{BadInput} "<file>: ..." for a file that cannot be imported: malformed (see
// onnx_read.h), several inputs, several outputs and none chosen (options.output; a file
// Neurite exported takes its first, the logits or values), an opset outside 9..17, or
// unsupported nodes, all of them listed one per line as "<op> node '<name>' (opset N): why".
// In a file Neurite exported, the preprocessing and target-scaling nodes are dropped: the
// project's data settings apply them again.
ImportedModel importOnnx(const onnximport::OnnxGraph& graph, const ImportOptions& options);
ImportedModel importOnnxFile(const std::string& path, const ImportOptions& options);

// Writes the project to projectPath and its weights beside it as "<stem>.weights.safetensors"
// (the project's model.weights names it). Returns the weights file's path.
std::string saveImported(ImportedModel& model, const std::string& projectPath);

// The ONNX operators the importer maps (each only within the rules of docs/import.md).
std::vector<std::string> importableOperators();

// A bundled data set whose samples have this shape ("builtin:fashion-mnist" for [1,28,28] or
// [784], ...), or "" when none does.
std::string bundledDataFor(const Shape& sample);

}  // namespace neurite
