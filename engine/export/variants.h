// Compression variants side by side (docs/compression.md): one trained model measured as it
// would ship, in float and in int8: the size of its native file, its parameters and non-zero
// parameters, FLOPs per sample (after compaction: structurally pruned units removed), batch-1
// latency (p50, p99) and batch-256 throughput on the compiled inference plan (the int8 runtime for
// int8), and its metric (accuracy, or RMSE) on the test split (else validation, else train).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "export/export_source.h"
#include "export/quantize.h"

namespace neurite {

struct VariantMeasures {
    bool int8 = false;
    int64_t fileBytes = 0;
    int64_t parameters = 0, nonzero = 0;
    double flopsPerSample = 0;
    double p50Ms = 0, p99Ms = 0;
    double samplesPerSec = 0;  // batch 256
    std::string metric;        // "accuracy" | "RMSE"
    std::string split;         // "test" | "validation" | "train"
    double value = 0;
};

struct VariantOptions {
    int64_t calibrationSamples = 512;  // int8: as the export calibrates
    Calibration calibration = Calibration::MinMax;
    uint64_t seed = 0;
    double benchSeconds = 0.5;  // per timing (latency, then throughput)
    // Called between the stages with a fraction 0..1; false cancels (Error{Cancelled}).
    std::function<bool(double)> progress;
};

// Throws Error{BadInput} when the data has no samples to evaluate on, Error{Cancelled} when
// progress asks.
VariantMeasures measureVariant(const ExportSource& source, const Dataset& data, bool int8,
                               const VariantOptions& options = {});

}  // namespace neurite
