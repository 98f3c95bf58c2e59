// Compare with original: an imported project's layers against its ONNX file run node by node by
// the literal interpreter of onnx_run.h, which shares nothing with the importer's conversion, on
// the same samples of the project's data (the first of its test split, else validation, else
// training). A mistake in the conversion (a gate order, a transposed view, a folded bias) shows
// as a difference; the project's own weights (model.weights) are the ones compared, so a
// fine-tuned project differs by design.
#pragma once

#include <cstdint>
#include <string>

#include "export/onnx_read.h"
#include "io/project.h"
#include "train/events.h"

namespace neurite {

struct OnnxComparison {
    std::string onnxFile;      // as given
    std::string output;        // the ONNX output compared
    std::string split;         // "test", "validation" or "train"
    int64_t samples = 0;
    int64_t values = 0;        // compared values per sample
    double maxAbs = 0;         // largest |neurite - onnx|
    double maxRel = 0;         // largest |neurite - onnx| / (1 + |onnx|)
    int64_t worstSample = -1;  // where maxRel is
    int64_t sameClass = -1;    // classifiers: samples whose largest output is the same unit; else -1

    static constexpr double kTolerance = 1e-4;  // of maxRel, as the import tests ask of PyTorch's outputs
    bool agrees() const { return maxRel <= kTolerance; }
    // "64 samples of the test split: largest difference 3.1e-07 (relative 1.2e-07), same class for 64 of 64"
    std::string summary() const;
};

struct CompareOptions {
    std::string output;        // the ONNX output to compare; empty: the only one (a Neurite file's first)
    int64_t maxSamples = 64;
    const StopToken* stop = nullptr;  // checked between chunks (Error{Cancelled})
};

// Throws Error{BadInput} when the file cannot be read or run (an operator the interpreter does
// not evaluate, several outputs and none chosen), the project's data cannot be loaded, or the
// outputs do not have the same number of values.
OnnxComparison compareWithOnnx(const ProjectDocument& project, const std::string& onnxPath,
                               const CompareOptions& options = {});
// The same with the file already read (onnx_read.h; graph.what is the file).
OnnxComparison compareWithOnnx(const ProjectDocument& project, const onnximport::OnnxGraph& graph,
                               const CompareOptions& options = {});

}  // namespace neurite
