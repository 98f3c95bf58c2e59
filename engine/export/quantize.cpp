// Int8 quantization arithmetic, calibration and the simulated int8 model.
#include "export/quantize.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.h"
#include "core/random.h"
#include "export/predictor.h"
#include "layers/registry.h"

namespace neurite {

namespace {

// The registry says which layers store their weight int8 (LayerType::quantizeWeight).
bool isQuantizedLayer(const std::string& op) {
    const LayerType* type = findLayerType(op);
    return type && type->quantizeWeight;
}

}  // namespace

const char* nameOf(Calibration c) {
    switch (c) {
    case Calibration::MinMax: return "minmax";
    case Calibration::Percentile: return "percentile";
    case Calibration::Entropy: return "entropy";
    }
    return "?";
}

std::optional<Calibration> calibrationFromName(std::string_view name) {
    for (Calibration c : {Calibration::MinMax, Calibration::Percentile, Calibration::Entropy})
        if (name == nameOf(c)) return c;
    return std::nullopt;
}

namespace {

// KL divergence of the histogram `bins` (of |x|) clipped at bin `kept` against its quantization
// into `levels` equal steps (TensorRT's entropy calibration): P is the histogram with everything
// past the clip added to its last bin; Q spreads each step's total evenly over the step's
// non-empty bins.
double clippedKl(std::span<const double> bins, std::size_t kept, std::size_t levels) {
    std::vector<double> p(bins.begin(), bins.begin() + static_cast<std::ptrdiff_t>(kept));
    for (std::size_t k = kept; k < bins.size(); ++k) p[kept - 1] += bins[k];
    std::vector<double> q(kept, 0.0);
    for (std::size_t j = 0; j < levels; ++j) {
        const std::size_t from = j * kept / levels, to = (j + 1) * kept / levels;
        double total = 0;
        std::size_t used = 0;
        for (std::size_t k = from; k < to; ++k) {
            total += bins[k];
            used += bins[k] > 0;
        }
        for (std::size_t k = from; k < to; ++k)
            if (bins[k] > 0) q[k] = total / static_cast<double>(used);
    }
    double sp = 0, sq = 0;
    for (std::size_t k = 0; k < kept; ++k) {
        sp += p[k];
        sq += q[k];
    }
    if (!(sp > 0) || !(sq > 0)) return std::numeric_limits<double>::infinity();
    double kl = 0;
    for (std::size_t k = 0; k < kept; ++k) {
        if (p[k] <= 0) continue;
        const double pk = p[k] / sp, qk = q[k] > 0 ? q[k] / sq : 1e-12;
        kl += pk * std::log(pk / qk);
    }
    return kl;
}

}  // namespace

std::pair<float, float> calibratedRange(Calibration method, float min, float max, std::span<const double> bins) {
    const float absMax = std::max(std::fabs(min), std::fabs(max));
    if (method == Calibration::MinMax || bins.empty() || !(absMax > 0)) return {min, max};
    const double width = static_cast<double>(absMax) / static_cast<double>(bins.size());
    double total = 0;
    for (double b : bins) total += b;
    if (!(total > 0)) return {min, max};
    std::size_t kept = bins.size();
    if (method == Calibration::Percentile) {
        // The smallest clip that keeps 99.99% of the values' magnitudes.
        double seen = 0;
        for (std::size_t k = 0; k < bins.size(); ++k) {
            seen += bins[k];
            if (seen >= 0.9999 * total) {
                kept = k + 1;
                break;
            }
        }
    } else {
        // Uint8 spends 256 steps on [0, t] for a tensor without negatives, 128 on each side
        // otherwise.
        const std::size_t levels = min >= 0 ? 256 : 128;
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t k = std::min(levels, bins.size()); k <= bins.size(); ++k) {
            const double kl = clippedKl(bins, k, std::min(levels, k));
            if (kl < best) {
                best = kl;
                kept = k;
            }
        }
    }
    const auto t = static_cast<float>(std::min(static_cast<double>(kept) * width, static_cast<double>(absMax)));
    return {std::max(min, -t), std::min(max, t)};
}

Int8Plan calibrateInt8(const ExportSource& source, const float* raw, int64_t count,
                       const Int8Progress& progress, Calibration method) {
    if (count < 1) throwBadInput("int8 calibration needs at least one sample");
    const ResolvedGraph g = resolveExported(source);
    Int8Plan plan;
    plan.calibrationSamples = count;
    plan.calibration = method;
    const std::vector<float> snap = source.model.snapshot();
    for (int i : g.order) {
        const auto idx = static_cast<std::size_t>(i);
        if (!isQuantizedLayer(source.project.nodes[idx].op)) continue;
        // The graph output stays float (it is also the file's output).
        if (g.inputs[idx][0] != g.output) plan.activations[g.inputs[idx][0]] = {};
        for (const ParamInfo& p : source.model.params())
            if (p.node == source.project.nodes[idx].id && p.name == "weight")
                plan.weightScales[i] = channelScales(
                    std::span<const float>(snap.data() + p.offset,
                                           static_cast<std::size_t>(p.shape.numel())),
                    p.shape[0]);
    }
    if (plan.weightScales.empty())
        throwBadInput("int8 quantization needs a Dense or Conv2D layer; this model has none");

    // Ranges over every calibration batch.
    std::map<int, std::pair<float, float>> range;
    for (const auto& [node, q] : plan.activations)
        range[node] = {std::numeric_limits<float>::infinity(),
                       -std::numeric_limits<float>::infinity()};
    Backend& be = source.model.backend();
    std::vector<float> host;
    source.model.setForwardHook([&](int node, Tensor& out) {
        auto it = range.find(node);
        if (it == range.end()) return;
        host.resize(static_cast<std::size_t>(out.numel()));
        be.copyToHost(host.data(), out);
        for (float v : host) {
            if (!std::isfinite(v)) continue;
            it->second.first = std::min(it->second.first, v);
            it->second.second = std::max(it->second.second, v);
        }
    });
    struct Unhook {
        Model& m;
        ~Unhook() { m.setForwardHook({}); }
    } unhook{source.model};
    Predictor predictor(source.model, source.preprocessing);
    const int64_t batch = 256, values = predictor.sampleValues();
    const int passes = method == Calibration::MinMax ? 1 : 2;
    const auto runAll = [&](int pass) {
        for (int64_t start = 0; start < count; start += batch) {
            const double done = (static_cast<double>(start) / static_cast<double>(count) + pass) / passes;
            if (progress && !progress(done)) throw Error(ErrorKind::Cancelled, "int8 export cancelled");
            predictor.outputs(raw + start * values, std::min(batch, count - start));
        }
    };
    runAll(0);
    for (auto& [node, r] : range)
        if (!(r.first <= r.second)) r = {0.f, 0.f};
    std::map<int, std::vector<double>> histogram;
    if (passes == 2) {
        // A second pass: the histogram of |x| over [0, max |x|] that percentile and entropy read.
        constexpr std::size_t kBins = 2048;
        for (const auto& [node, r] : range) histogram[node].assign(kBins, 0.0);
        source.model.setForwardHook([&](int node, Tensor& out) {
            auto it = histogram.find(node);
            if (it == histogram.end()) return;
            const auto [lo, hi] = range[node];
            const float absMax = std::max(std::fabs(lo), std::fabs(hi));
            if (!(absMax > 0)) return;
            host.resize(static_cast<std::size_t>(out.numel()));
            be.copyToHost(host.data(), out);
            const float perBin = static_cast<float>(kBins) / absMax;
            for (float v : host) {
                if (!std::isfinite(v)) continue;
                const auto k = static_cast<std::size_t>(std::fabs(v) * perBin);
                it->second[std::min(k, kBins - 1)] += 1.0;
            }
        });
        runAll(1);
    }
    for (auto& [node, q] : plan.activations) {
        const auto [lo, hi] = range[node];
        const auto [a, b] = calibratedRange(method, lo, hi, histogram[node]);
        q = activationQuantFor(a, b);
    }
    return plan;
}

std::vector<int64_t> calibrationIndices(const DataSplit& split, int64_t count, uint64_t seed) {
    std::vector<int64_t> all(static_cast<std::size_t>(split.count));
    std::iota(all.begin(), all.end(), 0);
    Rng rng(seed ^ 0xCA1B0A7Eu);
    auto shuffle = [&rng](std::vector<int64_t>& v) {
        for (std::size_t i = v.size(); i > 1; --i)
            std::swap(v[i - 1], v[static_cast<std::size_t>(rng.next() % i)]);
    };
    shuffle(all);
    const auto n = static_cast<std::size_t>(std::clamp<int64_t>(count, 0, split.count));
    if (split.labels.size() != all.size()) {
        all.resize(n);
        return all;
    }
    // Classes in turn, so a small sample still sees every class.
    std::map<int32_t, std::vector<int64_t>> byClass;
    for (int64_t i : all) byClass[split.labels[static_cast<std::size_t>(i)]].push_back(i);
    std::vector<int64_t> picked;
    for (std::size_t k = 0; picked.size() < n; ++k)
        for (auto& [label, members] : byClass)
            if (k < members.size() && picked.size() < n) picked.push_back(members[k]);
    return picked;
}

std::vector<float> rawSamplesAt(const Dataset& data, const DataSplit& split,
                                const std::vector<int64_t>& indices) {
    const auto per = static_cast<std::size_t>(data.sampleShape.numel());
    std::vector<float> raw(indices.size() * per);
    for (std::size_t s = 0; s < indices.size(); ++s) {
        const std::size_t at = static_cast<std::size_t>(indices[s]) * per;
        for (std::size_t k = 0; k < per; ++k)
            raw[s * per + k] = split.value(at + k);
    }
    return raw;
}

Model::Int8Spec int8SpecOf(const Int8Plan& plan) {
    Model::Int8Spec spec;
    for (const auto& [node, a] : plan.activations) spec.outputs[node] = InferQuant{true, a.scale, a.zeroPoint};
    spec.weightScales = plan.weightScales;
    return spec;
}

Model::ForwardHook qdqOutputsHook(Backend& backend, std::map<int, InferQuant> outputs) {
    return [&backend, outputs = std::move(outputs), host = std::vector<float>()](int node, Tensor& out) mutable {
        auto it = outputs.find(node);
        if (it == outputs.end()) return;
        const InferQuant& q = it->second;
        host.resize(static_cast<std::size_t>(out.numel()));
        backend.copyToHost(host.data(), out);
        for (float& v : host) v = dequantize(quantizeU8(v, q.scale, q.zeroPoint), q.scale, q.zeroPoint);
        backend.copyFromHost(out, host.data());
    };
}

SimulatedInt8::SimulatedInt8(const ExportSource& source, const Int8Plan& plan)
    : m_model(source.model), m_float(source.model.snapshot()) {
    std::vector<float> q = m_float;
    for (const auto& [node, scales] : plan.weightScales)
        for (const ParamInfo& p : m_model.params()) {
            if (p.node != source.project.nodes[static_cast<std::size_t>(node)].id ||
                p.name != "weight")
                continue;
            const std::size_t per = static_cast<std::size_t>(p.shape.numel()) / scales.size();
            for (std::size_t k = 0; k < static_cast<std::size_t>(p.shape.numel()); ++k) {
                float& w = q[static_cast<std::size_t>(p.offset) + k];
                w = dequantize(quantizeI8(w, scales[k / per]), scales[k / per], 0);
            }
        }
    m_model.restore(q);
    m_model.setForwardHook(qdqOutputsHook(m_model.backend(), int8SpecOf(plan).outputs));
}

SimulatedInt8::~SimulatedInt8() {
    m_model.setForwardHook({});
    m_model.restore(m_float);
}

}  // namespace neurite
