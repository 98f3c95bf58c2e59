// Export with verification.
#include "export/export_model.h"

#include <cmath>

#include "backend/device_registry.h"
#include "core/error.h"
#include "export/file_bytes.h"
#include "export/native_model.h"
#include "export/onnx_export.h"
#include "export/predictor.h"

namespace neurite {

const char* nameOf(ExportFormat f) {
    switch (f) {
    case ExportFormat::Native: return "native";
    case ExportFormat::Onnx: return "onnx";
    }
    return "?";
}

std::optional<ExportFormat> exportFormatFromName(std::string_view name) {
    for (ExportFormat f : {ExportFormat::Native, ExportFormat::Onnx})
        if (name == nameOf(f)) return f;
    return std::nullopt;
}

std::vector<std::string> ExportReport::summary() const {
    std::vector<std::string> lines;
    lines.push_back("file: " + path + " (" + std::to_string(bytes) + " bytes)");
    if (format == ExportFormat::Onnx) {
        lines.push_back("format: ONNX opset " + std::to_string(opset) + ", " +
                        std::to_string(onnxNodes) + " nodes, preprocessing included, dynamic batch");
        lines.push_back(std::string("ONNX checker and strict shape inference: ") +
                        (checkerPassed ? "passed" : "not run"));
    } else {
        lines.push_back("format: Neurite native model (safetensors layout)");
        if (comparedSamples > 0)
            lines.push_back("reloaded and compared on " + std::to_string(comparedSamples) +
                            " sample inputs: " +
                            (maxAbsDiff == 0 ? std::string("bit-identical outputs")
                                             : "max abs difference " + std::to_string(maxAbsDiff)));
    }
    return lines;
}

ExportReport exportModel(const ExportSource& source, ExportFormat format, const std::string& path,
                         const std::vector<float>& samples, int64_t sampleCount) {
    ExportReport r;
    r.format = format;
    r.path = path;
    if (format == ExportFormat::Onnx) {
        const OnnxExport onnx = exportOnnx(source, path);
        r.bytes = static_cast<int64_t>(onnx.bytes.size());
        r.checkerPassed = onnx.checked;
        r.opset = kOnnxOpset;
        r.onnxNodes = onnx.nodes;
        return r;
    }
    const std::vector<uint8_t> bytes = encodeNativeModel(source);
    writeFileAtomic(path, bytes.data(), bytes.size());
    r.bytes = static_cast<int64_t>(bytes.size());
    if (sampleCount <= 0) return r;
    // Load what was written, on the CPU, and compare with the source model.
    NativeModel loaded = loadNativeModel(path, backendFor("cpu"));
    Predictor before(source.model, source.preprocessing);
    Predictor after(*loaded.model, loaded.preprocessing);
    const std::vector<float> a = before.outputs(samples.data(), sampleCount);
    const std::vector<float> b = after.outputs(samples.data(), sampleCount);
    for (std::size_t i = 0; i < a.size(); ++i)
        r.maxAbsDiff = std::max(r.maxAbsDiff, static_cast<double>(std::fabs(a[i] - b[i])));
    r.comparedSamples = sampleCount;
    if (!(r.maxAbsDiff == 0) && source.model.backend().device().isCpu())
        throwInternal("the reloaded model gives different outputs (max abs difference " +
                      std::to_string(r.maxAbsDiff) + ")");
    return r;
}

std::vector<float> rawSamples(const Dataset& data, const DataSplit& split, int64_t max,
                              int64_t* count) {
    const int64_t n = std::min(split.count, max);
    const auto values = static_cast<std::size_t>(n * data.sampleShape.numel());
    std::vector<float> raw(values);
    for (std::size_t i = 0; i < values; ++i)
        raw[i] = split.dtype == DType::U8 ? static_cast<float>(split.bytes[i]) : split.f32()[i];
    if (count) *count = n;
    return raw;
}

}  // namespace neurite
