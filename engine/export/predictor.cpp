// Inference over raw inputs in batches.
#include "export/predictor.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "export/quantize.h"
#include "metrics/evaluation.h"

namespace neurite {

namespace {
// The compiled path splits a batch so that one chunk's activations take at most this many bytes:
// the Fashion-MNIST CNN (355 KB per sample) runs 32 samples at a time, fastest on the 2-core VM
// (tests/bench/predict_vs_ort.sh; 128 at a time is 20% slower), an MLP its whole batch.
constexpr int64_t kChunkBytes = 12 << 20;
}  // namespace

Predictor::Predictor(Model& model, const Preprocessing& pre, int64_t maxBatch, InferencePath path,
                     const Model::Int8Spec* int8)
    : m_model(model), m_pre(pre), m_maxBatch(std::max<int64_t>(maxBatch, 1)), m_chunk(m_maxBatch), m_path(path) {
    if (int8) {
        m_int8 = *int8;
        if (path == InferencePath::LayerByLayer) m_engine = "layer by layer, int8 rounding in float (the QDQ graph)";
    }
    if (path == InferencePath::Compiled) {
        int64_t chunk = kChunkBytes / std::max<int64_t>(1, model.activationValuesPerSample() * 4);
        if (chunk >= 8) chunk -= chunk % 8;
        m_chunk = std::clamp<int64_t>(chunk, 1, m_maxBatch);
    }
    m_units = model.outputShape().numelFrom(1);
    m_sampleValues = model.inputShape().numelFrom(1);
    Backend& be = model.backend();
    if (pre.standardized()) {
        NEURITE_CHECK(static_cast<int64_t>(pre.mean.size()) == m_sampleValues &&
                          pre.invStd.size() == pre.mean.size(),
                      "preprocessing has the wrong number of features");
        m_mean = Tensor::empty(be, Shape{m_sampleValues});
        m_invStd = Tensor::empty(be, Shape{m_sampleValues});
        be.copyFromHost(m_mean, pre.mean.data());
        be.copyFromHost(m_invStd, pre.invStd.data());
    }
    NEURITE_CHECK(!pre.target.active() || (pre.target.columns() == m_units &&
                                           pre.target.stddev.size() == pre.target.mean.size()),
                  "target scaling has the wrong number of outputs");
    std::vector<int32_t> seq(static_cast<std::size_t>(m_maxBatch));
    std::iota(seq.begin(), seq.end(), 0);
    m_indices = Tensor::empty(be, Shape{m_maxBatch}, DType::I32);
    be.copyFromHost(m_indices, seq.data());
}

Predictor::~Predictor() = default;

Tensor& Predictor::buffer(std::vector<std::pair<int64_t, Tensor>>& pool, int64_t n, const Shape& shape) {
    for (auto& [size, t] : pool)
        if (size == n) return t;
    pool.emplace_back(n, Tensor::empty(m_model.backend(), shape.withBatch(n)));
    return pool.back().second;
}

InferencePlan* Predictor::plan(int64_t n) {
    for (auto& [size, p] : m_plans)
        if (size == n) return p.get();
    std::string why;
    std::unique_ptr<InferencePlan> made = m_model.compileInference(n, &why, m_int8 ? &*m_int8 : nullptr);
    if (!made && m_int8)
        throw Error(ErrorKind::Unsupported, "Neurite's int8 runtime cannot run this model (" + why +
                                                "); export it as onnx-int8 for other runtimes, or as a float native model");
    m_engine = made ? (m_int8 ? "compiled int8, " : "compiled, ") + made->summary() : "layer by layer: " + why;
    m_plans.emplace_back(n, std::move(made));
    return m_plans.back().second.get();
}

// On the CPU the caller's arrays are read and written in place (no copies in or out).
std::vector<float> Predictor::outputs(const float* raw, int64_t count) {
    Backend& be = m_model.backend();
    const bool host = be.device().isCpu();
    std::vector<float> out(static_cast<std::size_t>(count * m_units));
    // An int8 model layer by layer: the QDQ graph in float, each quantized output rounded to
    // uint8 and back in place.
    struct Unhook {
        Model* m = nullptr;
        ~Unhook() {
            if (m) m->setForwardHook({});
        }
    } unhook;
    if (m_int8 && m_path == InferencePath::LayerByLayer) {
        m_model.setForwardHook(qdqOutputsHook(be, m_int8->outputs));
        unhook.m = &m_model;
    }
    for (int64_t start = 0; start < count; start += m_chunk) {
        const int64_t n = std::min(m_chunk, count - start);
        float* dst = out.data() + start * m_units;
        Tensor src;
        if (host) {
            src = Tensor::wrap(const_cast<float*>(raw + start * m_sampleValues), m_model.inputShape().withBatch(n),
                               DType::F32, be.device());
        } else {
            src = buffer(m_raw, n, m_model.inputShape());
            be.copyFromHost(src, raw + start * m_sampleValues);
        }
        Tensor& x = buffer(m_x, n, m_model.inputShape());
        be.gatherRows(src, m_indices, n, m_pre.scale, m_mean.defined() ? &m_mean : nullptr,
                      m_invStd.defined() ? &m_invStd : nullptr, x);
        if (InferencePlan* compiled = m_path == InferencePath::Compiled ? plan(n) : nullptr) {
            Tensor y = host ? Tensor::wrap(dst, m_model.outputShape().withBatch(n), DType::F32, be.device())
                            : buffer(m_y, n, m_model.outputShape());
            compiled->run(x, y);
            if (!host) be.copyToHost(dst, y);
        } else {
            be.copyToHost(dst, m_model.forward(x, false, 0, 0));
        }
        m_pre.target.toOriginal(dst, n * m_units);
    }
    return out;
}

std::vector<float> probabilitiesOf(const std::vector<float>& outputs, int64_t units) {
    std::vector<float> probs;
    if (units <= 0) return probs;
    const auto n = static_cast<int64_t>(outputs.size()) / units;
    probs.reserve(static_cast<std::size_t>(n * std::max<int64_t>(units, 2)));
    appendProbabilities(outputs.data(), n, units, probs);
    return probs;
}

std::vector<int> argmaxRows(const std::vector<float>& probabilities, int64_t k) {
    std::vector<int> best;
    if (k <= 0) return best;
    for (std::size_t i = 0; i + static_cast<std::size_t>(k) <= probabilities.size();
         i += static_cast<std::size_t>(k)) {
        const float* row = probabilities.data() + i;
        best.push_back(static_cast<int>(std::max_element(row, row + k) - row));
    }
    return best;
}

int64_t firstMistake(Model& model, const Preprocessing& preprocessing, int classes, const DataSplit& split,
                     int64_t start, const StopToken* stop, const Model::Int8Spec* int8) {
    const int64_t n = split.count;
    if (n <= 0) return -1;
    if (static_cast<int64_t>(split.labels.size()) != n)
        throwBadInput("the split has no class labels to compare the predictions with");
    Predictor predictor(model, preprocessing, 256, int8 ? InferencePath::Compiled : InferencePath::LayerByLayer, int8);
    const int64_t values = predictor.sampleValues();
    const std::size_t valueBytes = split.dtype == DType::U8 ? 1 : sizeof(float);
    if (split.bytes.size() != static_cast<std::size_t>(n * values) * valueBytes)
        throwBadInput("the split's samples do not have the model's " + std::to_string(values) + " input values");
    start = ((start % n) + n) % n;
    std::vector<float> batch;
    for (int64_t done = 0; done < n;) {
        if (stop && stop->stopRequested()) throw Error(ErrorKind::Cancelled, "the search for the next mistake was cancelled");
        // Contiguous chunks of at most 256 samples, wrapping at the end of the split.
        const int64_t first = (start + done) % n;
        const int64_t count = std::min({int64_t{256}, n - first, n - done});
        batch.resize(static_cast<std::size_t>(count * values));
        const auto offset = static_cast<std::size_t>(first * values);
        for (std::size_t i = 0; i < batch.size(); ++i)
            batch[i] = split.value(offset + i);
        const std::vector<int> predicted =
            argmaxRows(probabilitiesOf(predictor.outputs(batch.data(), count), predictor.units()), classes);
        for (int64_t i = 0; i < count; ++i)
            if (predicted[static_cast<std::size_t>(i)] != split.labels[static_cast<std::size_t>(first + i)]) return first + i;
        done += count;
    }
    return -1;
}

}  // namespace neurite
