// Export with verification.
#include "export/export_model.h"

#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
#include <sstream>

#include "devices/device_registry.h"
#include "core/error.h"
#include "core/file_write.h"
#include "export/compaction.h"
#include "export/native_model.h"
#include "export/onnx_export.h"
#include "export/predictor.h"

namespace neurite {

const char* nameOf(ExportFormat f) {
    switch (f) {
    case ExportFormat::Native: return "native";
    case ExportFormat::Onnx: return "onnx";
    case ExportFormat::OnnxInt8: return "onnx-int8";
    case ExportFormat::NativeInt8: return "native-int8";
    }
    return "?";
}

std::optional<ExportFormat> exportFormatFromName(std::string_view name) {
    for (ExportFormat f : {ExportFormat::Native, ExportFormat::Onnx, ExportFormat::OnnxInt8, ExportFormat::NativeInt8})
        if (name == nameOf(f)) return f;
    return std::nullopt;
}

std::vector<std::string> ExportReport::summary() const {
    std::vector<std::string> lines;
    lines.push_back("file: " + path + " (" + std::to_string(bytes) + " bytes)");
    if (!compacted.empty()) {
        std::string s = "pruned units removed (units before -> after): ";
        for (std::size_t k = 0; k < compacted.size(); ++k) s += (k ? ", " : "") + compacted[k];
        std::ostringstream d;
        d << s << "; outputs equal to the unpruned layout within " << compactedMaxDiff;
        lines.push_back(d.str());
    }
    if (isOnnx(format)) {
        lines.push_back("format: ONNX opset " + std::to_string(opset) + ", " + std::to_string(onnxNodes) +
                        (textInput ? " nodes, input token ids (the vocabulary is in the neurite.text metadata)"
                                   : " nodes, preprocessing included") +
                        ", dynamic batch");
        lines.push_back(std::string("ONNX checker and strict shape inference: ") +
                        (checkerPassed ? "passed" : "not run"));
    }
    if (isInt8(format)) {
        lines.push_back(std::string(format == ExportFormat::OnnxInt8 ? "int8 QDQ: " : "int8 native model: ") +
                        std::to_string(quantizedLayers) +
                        " Dense/Conv2D layers with int8 weights (per output channel), activations "
                        "uint8 calibrated (" + calibration + ") on " + std::to_string(calibrationSamples) +
                        " training samples");
        if (format == ExportFormat::NativeInt8)
            lines.emplace_back("int8 metric computed on Neurite's int8 runtime (the compiled int8 plan)");
        char buf[256];
        const bool acc = metric == "accuracy";
        const double k = acc ? 100.0 : 1.0;
        std::snprintf(buf, sizeof buf, acc ? "%s on %s split (%lld samples): float %.2f%%, int8 %.2f%% (%+.2f points)"
                                           : "%s on %s split (%lld samples): float %.5g, int8 %.5g (%+.3g)",
                      metric.c_str(), evaluatedSplit.c_str(), static_cast<long long>(evaluatedSamples),
                      metricFloat * k, metricInt8 * k, (metricInt8 - metricFloat) * k);
        lines.emplace_back(buf);
        // Tiny models barely shrink: the QDQ nodes and scales outweigh the saved weight bytes.
        const char* kind = format == ExportFormat::OnnxInt8 ? "ONNX" : "native";
        std::snprintf(buf, sizeof buf, "size: float %s %lld bytes, int8 %s %lld bytes (%.0f%% of the float file)",
                      kind, static_cast<long long>(floatBytes), kind, static_cast<long long>(bytes),
                      floatBytes > 0 ? 100.0 * static_cast<double>(bytes) / static_cast<double>(floatBytes) : 0.0);
        lines.emplace_back(buf);
    }
    if (format == ExportFormat::Native || format == ExportFormat::NativeInt8) {
        lines.push_back("format: Neurite native model (safetensors layout)");
        if (comparedSamples > 0)
            lines.push_back("reloaded and compared on " + std::to_string(comparedSamples) +
                            (format == ExportFormat::NativeInt8 ? " sample inputs on the int8 runtime: " : " sample inputs: ") +
                            (maxAbsDiff == 0 ? std::string("bit-identical outputs")
                                             : "max abs difference " + std::to_string(maxAbsDiff)));
    }
    return lines;
}

double metricOf(const ExportSource& source, const Dataset& data, const DataSplit& split,
                const std::vector<float>& raw, const std::function<bool(double)>& progress,
                const Model::Int8Spec* int8) {
    Predictor predictor(source.model, source.preprocessing, 256,
                        int8 ? InferencePath::Compiled : InferencePath::LayerByLayer, int8);
    const int64_t units = predictor.units(), chunk = 1024;
    double sum = 0;
    for (int64_t start = 0; start < split.count; start += chunk) {
        if (progress && !progress(static_cast<double>(start) / static_cast<double>(split.count)))
            throw Error(ErrorKind::Cancelled, "int8 export cancelled");
        const int64_t n = std::min(chunk, split.count - start);
        const std::vector<float> out =
            predictor.outputs(raw.data() + start * predictor.sampleValues(), n);
        if (!source.classNames.empty()) {
            const std::vector<int> best = argmaxRows(probabilitiesOf(out, units),
                                                     std::max<int64_t>(units, 2));
            for (int64_t i = 0; i < n; ++i)
                sum += best[static_cast<std::size_t>(i)] ==
                       split.labels[static_cast<std::size_t>(start + i)];
        } else {
            for (int64_t i = 0; i < n * units; ++i) {
                const double d = out[static_cast<std::size_t>(i)] -
                                 split.targets[static_cast<std::size_t>(start * units + i)];
                sum += d * d;
            }
        }
    }
    if (!source.classNames.empty()) return sum / static_cast<double>(split.count);
    return std::sqrt(sum / static_cast<double>(split.count * std::max<int64_t>(data.targetDim, 1)));
}

namespace {

// Runs the written model (loaded back on the CPU) and the source on the same samples: any
// difference is a bug when the source is on the CPU too.
void compareReloaded(Predictor& before, Predictor& after, const std::vector<float>& samples, int64_t sampleCount,
                     bool cpu, ExportReport& r) {
    const std::vector<float> a = before.outputs(samples.data(), sampleCount);
    const std::vector<float> b = after.outputs(samples.data(), sampleCount);
    for (std::size_t i = 0; i < a.size(); ++i)
        r.maxAbsDiff = std::max(r.maxAbsDiff, static_cast<double>(std::fabs(a[i] - b[i])));
    r.comparedSamples = sampleCount;
    if (!(r.maxAbsDiff == 0) && cpu)
        throwInternal("the reloaded model gives different outputs (max abs difference " +
                      std::to_string(r.maxAbsDiff) + ")");
}

// Writes the native int8 file and runs it back on the int8 runtime against the in-memory int8
// model: equal bit for bit (the reloaded weights round to the same int8 values).
void writeNativeInt8(const ExportSource& source, const Int8Plan& plan, const Model::Int8Spec& spec,
                     const std::string& path, const std::vector<float>& samples, int64_t sampleCount,
                     ExportReport& r) {
    const std::vector<uint8_t> bytes = encodeNativeModel(source, &plan);
    writeFileAtomic(path, bytes.data(), bytes.size());
    r.bytes = static_cast<int64_t>(bytes.size());
    r.floatBytes = static_cast<int64_t>(encodeNativeModel(source).size());
    if (sampleCount <= 0) return;
    NativeModel loaded = loadNativeModel(path, backendFor("cpu"));
    if (!loaded.int8) throwInternal("the int8 model file was read back without its quantization");
    Predictor before(source.model, source.preprocessing, 256, InferencePath::Compiled, &spec);
    Predictor after(*loaded.model, loaded.preprocessing, 256, InferencePath::Compiled, &*loaded.int8);
    compareReloaded(before, after, samples, sampleCount, source.model.backend().device().isCpu(), r);
}

ExportReport exportInt8(const ExportSource& source, ExportFormat format, const std::string& path,
                        const Int8Options& o, const std::vector<float>& samples, int64_t sampleCount) {
    if (!o.data) throwBadInput("an int8 export needs the run's training data for calibration");
    if (o.calibrationSamples < 1)
        throwBadInput("the number of calibration samples must be at least 1, got " +
                      std::to_string(o.calibrationSamples));
    const Dataset& data = *o.data;
    if (data.train.count < 1) throwBadInput("an int8 export needs training samples to calibrate on");
    // Progress: calibration 0..0.2, float metric 0.2..0.6, int8 metric 0.6..1.
    auto stage = [&o](double from, double to) -> std::function<bool(double)> {
        if (!o.progress) return {};
        return [&o, from, to](double f) { return o.progress(from + (to - from) * f); };
    };
    const std::vector<int64_t> picked = calibrationIndices(data.train, o.calibrationSamples, o.seed);
    const std::vector<float> calib = rawSamplesAt(data, data.train, picked);
    const Int8Plan plan = calibrateInt8(source, calib.data(), static_cast<int64_t>(picked.size()),
                                        stage(0.0, 0.2), o.calibration);

    ExportReport r;
    r.format = format;
    r.path = path;
    r.calibrationSamples = plan.calibrationSamples;
    r.calibration = nameOf(plan.calibration);
    r.quantizedLayers = static_cast<int>(plan.weightScales.size());
    const bool test = data.test.count > 0, validation = data.validation.count > 0;
    const DataSplit& split = test ? data.test : validation ? data.validation : data.train;
    r.evaluatedSplit = test ? "test" : validation ? "validation" : "train";
    r.evaluatedSamples = split.count;
    r.metric = source.classNames.empty() ? "RMSE" : "accuracy";
    int64_t n = 0;
    const std::vector<float> raw = rawSamples(data, split, split.count, &n);
    r.metricFloat = metricOf(source, data, split, raw, stage(0.2, 0.6));
    if (format == ExportFormat::NativeInt8) {
        if (!source.model.backend().device().isCpu())
            throwBadInput("the int8 runtime runs on the CPU; export the run from a model on the CPU");
        const Model::Int8Spec spec = int8SpecOf(plan);
        r.metricInt8 = metricOf(source, data, split, raw, stage(0.6, 1.0), &spec);
        writeNativeInt8(source, plan, spec, path, samples, sampleCount, r);
        return r;
    }
    {
        SimulatedInt8 simulated(source, plan);
        r.metricInt8 = metricOf(source, data, split, raw, stage(0.6, 1.0));
    }
    r.floatBytes = static_cast<int64_t>(buildOnnx(source).bytes.size());
    const OnnxExport onnx = exportOnnx(source, path, &plan);
    r.bytes = static_cast<int64_t>(onnx.bytes.size());
    r.checkerPassed = onnx.checked;
    r.opset = kOnnxOpset;
    r.onnxNodes = onnx.nodes;
    r.textInput = source.preprocessing.text.fitted();
    return r;
}

}  // namespace

namespace {

ExportReport exportWhole(const ExportSource& source, ExportFormat format, const std::string& path,
                         const std::vector<float>& samples, int64_t sampleCount,
                         const Int8Options* int8) {
    if (isInt8(format)) {
        if (!int8) throwBadInput("an int8 export needs the run's training data for calibration");
        return exportInt8(source, format, path, *int8, samples, sampleCount);
    }
    ExportReport r;
    r.format = format;
    r.path = path;
    if (format == ExportFormat::Onnx) {
        const OnnxExport onnx = exportOnnx(source, path);
        r.bytes = static_cast<int64_t>(onnx.bytes.size());
        r.checkerPassed = onnx.checked;
        r.opset = kOnnxOpset;
        r.onnxNodes = onnx.nodes;
        r.textInput = source.preprocessing.text.fitted();
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
    compareReloaded(before, after, samples, sampleCount, source.model.backend().device().isCpu(), r);
    return r;
}

}  // namespace

ExportReport exportModel(const ExportSource& source, ExportFormat format, const std::string& path,
                         const std::vector<float>& samples, int64_t sampleCount,
                         const Int8Options* int8) {
    const std::optional<CompactedModel> compact = compactModel(source);
    if (!compact) return exportWhole(source, format, path, samples, sampleCount, int8);
    const ExportSource smaller = compact->source(source);
    ExportReport r = exportWhole(smaller, format, path, samples, sampleCount, int8);
    for (const CompactedModel::Removed& k : compact->removed)
        r.compacted.push_back(k.node + " " + std::to_string(k.before) + " -> " + std::to_string(k.after));
    if (sampleCount > 0) {
        // The removed units output zeros: the compact model computes what the whole one does, up
        // to the order of float additions.
        Predictor whole(source.model, source.preprocessing);
        Predictor compacted(*compact->model, source.preprocessing);
        const std::vector<float> a = whole.outputs(samples.data(), sampleCount);
        const std::vector<float> b = compacted.outputs(samples.data(), sampleCount);
        for (std::size_t i = 0; i < a.size(); ++i)
            r.compactedMaxDiff = std::max(r.compactedMaxDiff, static_cast<double>(std::fabs(a[i] - b[i])));
        double largest = 0;
        for (float v : a) largest = std::max(largest, static_cast<double>(std::fabs(v)));
        if (!(r.compactedMaxDiff <= 1e-3 * (1 + largest)))
            throwInternal("the compacted model gives different outputs (max abs difference " +
                          std::to_string(r.compactedMaxDiff) + ")");
    }
    return r;
}

std::vector<float> rawSamples(const Dataset& data, const DataSplit& split, int64_t max,
                              int64_t* count) {
    const int64_t n = std::min(split.count, max);
    const auto values = static_cast<std::size_t>(n * data.sampleShape.numel());
    std::vector<float> raw(values);
    for (std::size_t i = 0; i < values; ++i)
        raw[i] = split.value(i);
    if (count) *count = n;
    return raw;
}

}  // namespace neurite
