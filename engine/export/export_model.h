// exportModel: writes a model in a chosen format and verifies what it wrote, for the CLI's
// `export` and the studio's export dialog alike. Native files are loaded back and their outputs
// compared with the original model's on sample inputs; ONNX files pass the ONNX checker and strict
// shape inference (their outputs are compared in other runtimes by tests/engine/test_export_onnx).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/export_source.h"

namespace neurite {

enum class ExportFormat { Native, Onnx };
const char* nameOf(ExportFormat f);  // "native", "onnx"
std::optional<ExportFormat> exportFormatFromName(std::string_view name);

struct ExportReport {
    ExportFormat format = ExportFormat::Native;
    std::string path;
    int64_t bytes = 0;
    // ONNX
    bool checkerPassed = false;  // check_model + strict shape inference
    int opset = 0;
    int onnxNodes = 0;
    // Native: the written file loaded back and run on the sample inputs.
    int64_t comparedSamples = 0;
    double maxAbsDiff = 0;  // 0 = bit-identical

    // One line per thing verified, for people ("checker: passed").
    std::vector<std::string> summary() const;
};

// samples: raw sample inputs (sampleCount of them) for the native round-trip comparison; may be
// empty. Throws Error{Io} when the file cannot be written, Error{Internal} when a check fails.
ExportReport exportModel(const ExportSource& source, ExportFormat format, const std::string& path,
                         const std::vector<float>& samples, int64_t sampleCount);

// Up to `max` raw samples of a split (as the data file holds them), for the verification above.
std::vector<float> rawSamples(const Dataset& data, const DataSplit& split, int64_t max,
                              int64_t* count);

}  // namespace neurite
