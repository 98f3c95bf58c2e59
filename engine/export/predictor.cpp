// Inference over raw inputs in batches.
#include "export/predictor.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"
#include "metrics/evaluation.h"

namespace neurite {

Predictor::Predictor(Model& model, const Preprocessing& pre, int64_t maxBatch)
    : m_model(model), m_pre(pre), m_maxBatch(std::max<int64_t>(maxBatch, 1)) {
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

Tensor& Predictor::buffer(std::vector<std::pair<int64_t, Tensor>>& pool, int64_t n) {
    for (auto& [size, t] : pool)
        if (size == n) return t;
    pool.emplace_back(n, Tensor::empty(m_model.backend(), m_model.inputShape().withBatch(n)));
    return pool.back().second;
}

std::vector<float> Predictor::outputs(const float* raw, int64_t count) {
    Backend& be = m_model.backend();
    std::vector<float> out(static_cast<std::size_t>(count * m_units));
    for (int64_t start = 0; start < count; start += m_maxBatch) {
        const int64_t n = std::min(m_maxBatch, count - start);
        Tensor& src = buffer(m_raw, n);
        Tensor& x = buffer(m_x, n);
        be.copyFromHost(src, raw + start * m_sampleValues);
        be.gatherRows(src, m_indices, n, m_pre.scale, m_mean.defined() ? &m_mean : nullptr,
                      m_invStd.defined() ? &m_invStd : nullptr, x);
        const Tensor& y = m_model.forward(x, false, 0, 0);
        be.copyToHost(out.data() + start * m_units, y);
        m_pre.target.toOriginal(out.data() + start * m_units, n * m_units);
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

}  // namespace neurite
