// exportModel: writes a model in a chosen format and verifies what it wrote, for the CLI's
// `export` and the studio's export dialog alike. Native files are loaded back and their outputs
// compared with the original model's on sample inputs; ONNX files pass the ONNX checker and strict
// shape inference (their outputs are compared in other runtimes by tests/engine/test_export_onnx).
// Int8 ONNX files are calibrated on training samples, and the model's metric is computed before
// and after quantization with the simulated int8 model (export/quantize.h). Int8 native files
// are calibrated the same way; their metric is Neurite's int8 runtime's (the compiled int8 plan),
// and the file is loaded back and run on it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "export/export_source.h"
#include "export/quantize.h"

namespace neurite {

enum class ExportFormat { Native, Onnx, OnnxInt8, NativeInt8 };
const char* nameOf(ExportFormat f);  // "native", "onnx", "onnx-int8", "native-int8"
inline bool isInt8(ExportFormat f) { return f == ExportFormat::OnnxInt8 || f == ExportFormat::NativeInt8; }
inline bool isOnnx(ExportFormat f) { return f == ExportFormat::Onnx || f == ExportFormat::OnnxInt8; }
std::optional<ExportFormat> exportFormatFromName(std::string_view name);

struct ExportReport {
    ExportFormat format = ExportFormat::Native;
    std::string path;
    int64_t bytes = 0;
    // ONNX
    bool checkerPassed = false;  // check_model + strict shape inference
    int opset = 0;
    int onnxNodes = 0;
    bool textInput = false;  // a text model: the ONNX input is token ids (tokenize first)
    // Native: the written file loaded back and run on the sample inputs.
    int64_t comparedSamples = 0;
    double maxAbsDiff = 0;  // 0 = bit-identical
    // Int8: calibration, the metric on the evaluated split with the float model and with the int8
    // model (ONNX: simulated; native: the int8 runtime), and the size of the float file of the
    // same model in the same format.
    int64_t calibrationSamples = 0;
    std::string calibration;  // "minmax" | "percentile" | "entropy"
    int quantizedLayers = 0;
    std::string metric;          // "accuracy" (classifiers) or "RMSE" (regression)
    std::string evaluatedSplit;  // "test", "validation" or "train"
    int64_t evaluatedSamples = 0;
    double metricFloat = 0, metricInt8 = 0;
    int64_t floatBytes = 0;
    // Structured pruning: "<node> <before> -> <after>" per layer whose zero units were removed
    // (export/compaction.h), and the largest output difference to the uncompacted model.
    std::vector<std::string> compacted;
    double compactedMaxDiff = 0;

    // One line per thing verified, for people ("checker: passed").
    std::vector<std::string> summary() const;
};

// What an int8 export needs besides the model: the run's data (calibration on a seeded sample of
// its training split, the metric on its test split, else validation, else train).
struct Int8Options {
    const Dataset* data = nullptr;
    int64_t calibrationSamples = 512;
    Calibration calibration = Calibration::MinMax;  // how activation ranges are chosen
    uint64_t seed = 0;
    Int8Progress progress;  // calibration and evaluation, 0..1 overall; false cancels
};

// samples: raw sample inputs (sampleCount of them) for the native round-trip comparison; may be
// empty. Throws Error{Io} when the file cannot be written, Error{Internal} when a check fails.
// OnnxInt8 and NativeInt8 need `int8` with data (Error{BadInput} otherwise).
ExportReport exportModel(const ExportSource& source, ExportFormat format, const std::string& path,
                         const std::vector<float>& samples, int64_t sampleCount,
                         const Int8Options* int8 = nullptr);

// The model's metric on a split's raw samples (all of them): accuracy for a classifier, RMSE
// (in the target's units) for regression. int8: on the int8 runtime; else layer by layer.
// progress gets 0..1 and cancels with false (Error{Cancelled}).
double metricOf(const ExportSource& source, const Dataset& data, const DataSplit& split,
                const std::vector<float>& raw, const std::function<bool(double)>& progress,
                const Model::Int8Spec* int8 = nullptr);

// Up to `max` raw samples of a split (as the data file holds them), for the verification above.
std::vector<float> rawSamples(const Dataset& data, const DataSplit& split, int64_t max,
                              int64_t* count);

}  // namespace neurite
