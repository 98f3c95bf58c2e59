// A literal ONNX interpreter for the CPU: evaluates a graph node by node as the ONNX operator
// specifications (opsets 9 to 17) say, on float32 tensors (int64 for shapes and indices). Written
// from the specifications alone, independently of the importer, so that "Compare with original"
// can check Neurite's imported layers against it; speed is not its aim.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "export/onnx_read.h"

namespace neurite {

struct OnnxRunResult {
    std::vector<int64_t> dims; // the output's shape
    std::vector<float> values; // row-major
};

// Evaluates graph on one input tensor (inputDims: the graph's only non-initializer input, batch
// first) and returns the named graph output (empty name: the first graph output). Throws (BadInput)
// naming the node for an operator, attribute or input it does not evaluate. The input is float
// unless the graph reads it where ONNX requires integers (a Gather's indices, a shape): then it is
// taken as int64, truncated toward zero as Cast does (token ids given as floats). Integer outputs
// (a Shape, an ArgMax-like index) come back converted to float. Any tensor the graph would make
// past 2^28 elements is refused before it is allocated.
OnnxRunResult runOnnx(const onnximport::OnnxGraph& graph, const std::vector<int64_t>& inputDims,
                      const std::vector<float>& input, const std::string& output = "");

// The operators runOnnx evaluates (sorted), for docs and tests.
std::vector<std::string> runnableOperators();

} // namespace neurite
