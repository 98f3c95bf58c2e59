// Int8 post-training quantization (docs/export.md, "ONNX int8"): the arithmetic of ONNX's
// QuantizeLinear/DequantizeLinear, the calibration of activation ranges on training samples, and
// SimulatedInt8, which makes a Model compute what the exported QDQ graph computes (weights
// rounded to int8 per output channel, the inputs of every Dense and Conv2D rounded to uint8 per
// tensor) so that Neurite itself can report the accuracy after quantization.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <span>
#include <string>
#include <vector>

#include "backend/quantization.h"
#include "export/export_source.h"

namespace neurite {

// quantizeU8, quantizeI8 and dequantize: backend/quantization.h.

// ActivationQuant, activationQuantFor and channelScales: backend/quantization.h.

// How an activation's range is chosen from the calibration samples' values (docs/quantization.md):
// MinMax: their min and max (nothing clips); Percentile: the 0.01st and 99.99th percentiles (a few
// outliers clip, the rest get finer steps); Entropy: the clipping point whose 256-level
// quantization keeps the histogram closest in KL divergence (TensorRT's entropy calibration).
enum class Calibration { MinMax, Percentile, Entropy };
const char* nameOf(Calibration c);  // "minmax" | "percentile" | "entropy"
std::optional<Calibration> calibrationFromName(std::string_view name);

// The range of one tensor's values by `method`, from their min and max and a histogram of
// `bins.size()` equal bins over [min, max].
std::pair<float, float> calibratedRange(Calibration method, float min, float max, std::span<const double> bins);

// What gets quantized, by node index in the project's node list.
struct Int8Plan {
    std::map<int, ActivationQuant> activations;      // outputs that are quantize-dequantized
    std::map<int, std::vector<float>> weightScales;  // Dense/Conv2D node -> scale per out channel
    int64_t calibrationSamples = 0;
    Calibration calibration = Calibration::MinMax;
};

// Called between batches with the fraction done (0..1); returning false cancels
// (Error{Cancelled}).
using Int8Progress = std::function<bool(double fraction)>;

// Runs `count` raw samples through the model and records the min/max of every tensor that feeds
// a Dense or Conv2D layer; weight scales come from the weights. Throws Error{BadInput} when the
// model has no Dense or Conv2D layer or count < 1.
Int8Plan calibrateInt8(const ExportSource& source, const float* raw, int64_t count,
                       const Int8Progress& progress = {}, Calibration method = Calibration::MinMax);

// Up to `count` sample indices of a split, seeded, stratified for classifiers (classes taken in
// turn, each class's samples in a shuffled order), shuffled for regression.
std::vector<int64_t> calibrationIndices(const DataSplit& split, int64_t count, uint64_t seed);
// The raw values of those samples (as rawSamples() returns them).
std::vector<float> rawSamplesAt(const Dataset& data, const DataSplit& split,
                                const std::vector<int64_t>& indices);

// The plan as the compiled inference path takes it (Model::Int8Spec, Predictor's int8): the same
// activation scales and zero points and weight scales, so the compiled int8 plan computes this
// QDQ graph with integer arithmetic.
Model::Int8Spec int8SpecOf(const Int8Plan& plan);

// A forward hook (Model::setForwardHook) that rounds each listed node's output to uint8 and back
// in place, as the QDQ graph's QuantizeLinear/DequantizeLinear pairs do (SimulatedInt8, and the
// Predictor's layer-by-layer path for int8 models).
Model::ForwardHook qdqOutputsHook(Backend& backend, std::map<int, InferQuant> outputs);

// While it lives, the model computes the int8 QDQ graph: its quantized weights hold their int8
// round trip (the float weights come back on destruction, also when an exception unwinds) and a
// forward hook quantize-dequantizes the planned activations in place.
class SimulatedInt8 {
public:
    SimulatedInt8(const ExportSource& source, const Int8Plan& plan);
    ~SimulatedInt8();
    SimulatedInt8(const SimulatedInt8&) = delete;
    SimulatedInt8& operator=(const SimulatedInt8&) = delete;

private:
    Model& m_model;
    std::vector<float> m_float;  // snapshot of the float weights
};

}  // namespace neurite
