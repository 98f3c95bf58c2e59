#include "export/variants.h"

#include <algorithm>
#include <chrono>
#include <optional>

#include "core/error.h"
#include "export/compaction.h"
#include "export/export_model.h"
#include "export/native_model.h"
#include "export/predictor.h"

namespace neurite {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Deterministic inputs in the raw data's range: the split's own first samples, repeated.
std::vector<float> inputs(const Dataset& data, const DataSplit& split, int64_t count) {
    const int64_t per = data.sampleShape.numel();
    std::vector<float> raw(static_cast<std::size_t>(count * per));
    const auto have = static_cast<std::size_t>(split.count * per);
    for (std::size_t k = 0; k < raw.size(); ++k) raw[k] = split.value(k % have);
    return raw;
}

}  // namespace

VariantMeasures measureVariant(const ExportSource& whole, const Dataset& data, bool int8,
                               const VariantOptions& o) {
    const bool test = data.test.count > 0, validation = data.validation.count > 0;
    const DataSplit& split = test ? data.test : validation ? data.validation : data.train;
    if (split.count < 1) throwBadInput("the run's data has no samples to measure the model on");
    const auto stage = [&o](double f) {
        if (o.progress && !o.progress(f)) throw Error(ErrorKind::Cancelled, "measuring the variants cancelled");
    };
    const std::optional<CompactedModel> compact = compactModel(whole);
    const ExportSource source = compact ? compact->source(whole) : whole;
    VariantMeasures m;
    m.int8 = int8;
    m.split = test ? "test" : validation ? "validation" : "train";
    m.metric = source.classNames.empty() ? "RMSE" : "accuracy";

    std::optional<Model::Int8Spec> spec;
    if (int8) {
        if (data.train.count < 1) throwBadInput("an int8 variant needs training samples to calibrate on");
        const std::vector<int64_t> picked = calibrationIndices(data.train, o.calibrationSamples, o.seed);
        const std::vector<float> calib = rawSamplesAt(data, data.train, picked);
        const Int8Plan plan = calibrateInt8(source, calib.data(), static_cast<int64_t>(picked.size()), {}, o.calibration);
        spec = int8SpecOf(plan);
        m.fileBytes = static_cast<int64_t>(encodeNativeModel(source, &plan).size());
    } else {
        m.fileBytes = static_cast<int64_t>(encodeNativeModel(source).size());
    }
    stage(0.1);
    std::vector<float> values(static_cast<std::size_t>(source.model.values().numel()));
    source.model.backend().copyToHost(values.data(), source.model.values());
    m.parameters = static_cast<int64_t>(values.size());
    m.nonzero = std::count_if(values.begin(), values.end(), [](float v) { return v != 0.f; });
    m.flopsPerSample = source.model.forwardFlopsPerSample();

    const Model::Int8Spec* q = spec ? &*spec : nullptr;
    {
        Predictor one(source.model, source.preprocessing, 1, InferencePath::Compiled, q);
        const std::vector<float> x = inputs(data, split, 1);
        for (int i = 0; i < 20; ++i) one.outputs(x.data(), 1);
        std::vector<double> ms;
        const auto start = Clock::now();
        while (ms.size() < 5000 && (ms.size() < 50 || secondsSince(start) < o.benchSeconds)) {
            const auto t0 = Clock::now();
            one.outputs(x.data(), 1);
            ms.push_back(1e3 * secondsSince(t0));
        }
        std::sort(ms.begin(), ms.end());
        m.p50Ms = ms[(ms.size() - 1) / 2];
        m.p99Ms = ms[static_cast<std::size_t>(0.99 * static_cast<double>(ms.size() - 1))];
    }
    stage(0.3);
    {
        const int64_t b = 256;
        Predictor many(source.model, source.preprocessing, b, InferencePath::Compiled, q);
        const std::vector<float> x = inputs(data, split, b);
        many.outputs(x.data(), b);
        int64_t samples = 0;
        const auto t0 = Clock::now();
        double elapsed = 0;
        do {
            many.outputs(x.data(), b);
            samples += b;
            elapsed = secondsSince(t0);
        } while (elapsed < o.benchSeconds);
        m.samplesPerSec = static_cast<double>(samples) / elapsed;
    }
    stage(0.5);
    int64_t count = 0;
    const std::vector<float> raw = rawSamples(data, split, split.count, &count);
    m.value = metricOf(source, data, split, raw, [&](double f) { return !o.progress || o.progress(0.5 + 0.5 * f); }, q);
    return m;
}

}  // namespace neurite
