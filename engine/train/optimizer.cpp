// Optimizer dispatch onto the backend's fused update kernels.
#include "train/optimizer.h"

#include <cmath>
#include <string>

#include "core/error.h"

namespace neurite {

Optimizer::Optimizer(Model& model, const OptimizerConfig& cfg, float l1, float l2, float clipNorm)
    : m_model(model), m_cfg(cfg), m_l1(l1), m_l2(l2), m_clipNorm(clipNorm) {
    Backend& be = model.backend();
    const Shape shape = model.values().shape();
    m_state1 = Tensor::empty(be, shape);
    be.fill(m_state1, 0.f);
    for (const ParamInfo& p : model.params()) {
        if (!p.trainable || p.lrScale == 0.f) continue;
        if (!m_ranges.empty() && m_ranges.back().scale == p.lrScale &&
            m_ranges.back().offset + m_ranges.back().count == p.offset)
            m_ranges.back().count += p.shape.numel();
        else
            m_ranges.push_back({p.offset, p.shape.numel(), p.lrScale});
    }
    m_whole = m_ranges.size() == 1 && m_ranges[0].offset == 0 && m_ranges[0].count == shape.numel() &&
              m_ranges[0].scale == 1.f;
    if (cfg.kind != OptimizerKind::Sgd) {
        m_state2 = Tensor::empty(be, shape);
        be.fill(m_state2, 0.f);
    }
}

void Optimizer::saveState(std::vector<float>& state1, std::vector<float>& state2, int64_t& steps) {
    Backend& be = m_model.backend();
    state1.resize(static_cast<std::size_t>(m_state1.numel()));
    be.copyToHost(state1.data(), m_state1);
    state2.clear();
    if (m_state2.defined()) {
        state2.resize(static_cast<std::size_t>(m_state2.numel()));
        be.copyToHost(state2.data(), m_state2);
    }
    steps = m_steps;
}

bool Optimizer::fits(const std::vector<float>& state1, const std::vector<float>& state2) const {
    const auto expected2 = m_state2.defined() ? static_cast<std::size_t>(m_state2.numel()) : 0u;
    return state1.size() == static_cast<std::size_t>(m_state1.numel()) && state2.size() == expected2;
}

void Optimizer::loadState(const std::vector<float>& state1, const std::vector<float>& state2,
                          int64_t steps) {
    const auto expected2 = m_state2.defined() ? static_cast<std::size_t>(m_state2.numel()) : 0u;
    if (!fits(state1, state2))
        throwBadInput("the checkpoint's optimizer state (" + std::to_string(state1.size()) + " + " +
                      std::to_string(state2.size()) + " values) does not fit " +
                      nameOf(m_cfg.kind) + " on this model (" + std::to_string(m_state1.numel()) +
                      " + " + std::to_string(expected2) + "); the project changed since the checkpoint");
    Backend& be = m_model.backend();
    be.copyFromHost(m_state1, state1.data());
    if (m_state2.defined()) be.copyFromHost(m_state2, state2.data());
    m_steps = steps;
}

double Optimizer::step(float lr) {
    Backend& be = m_model.backend();
    Tensor& values = m_model.values();
    Tensor& grads = m_model.grads();
    if (m_l1 != 0.f || m_l2 != 0.f) {
        for (const auto& p : m_model.params()) {
            if (!p.trainable || !p.decay || p.lrScale == 0.f) continue;
            Tensor v = values.slice(p.offset, p.shape);
            Tensor g = grads.slice(p.offset, p.shape);
            be.regularize(v, g, m_l1, m_l2);
        }
    }
    double norm = -1;
    if (m_clipNorm > 0.f) {
        double squares = 0;  // over what is stepped: a frozen layer's gradient is not
        if (m_whole) {
            squares = be.sumSquares(grads);
        } else {
            for (const Range& r : m_ranges) squares += be.sumSquares(grads.slice(r.offset, Shape{r.count}));
        }
        norm = std::sqrt(squares);
        if (!std::isfinite(norm))
            throw Error(ErrorKind::Diverged,
                        "the gradient became NaN/Inf at step " + std::to_string(m_steps + 1) +
                            "; lower the learning rate or check the data for NaN/Inf values");
        if (norm > m_clipNorm) be.scale(grads, static_cast<float>(m_clipNorm / (norm + 1e-6)));
    }
    ++m_steps;
    if (m_whole) {
        update(values, grads, m_state1, m_state2, lr);
        return norm;
    }
    for (const Range& r : m_ranges) {
        const Shape s{r.count};
        Tensor v = values.slice(r.offset, s), g = grads.slice(r.offset, s), s1 = m_state1.slice(r.offset, s);
        Tensor s2 = m_state2.defined() ? m_state2.slice(r.offset, s) : Tensor();
        update(v, g, s1, s2, lr * r.scale);
    }
    return norm;
}

void Optimizer::update(Tensor& values, const Tensor& grads, Tensor& state1, Tensor& state2, float lr) {
    Backend& be = m_model.backend();
    switch (m_cfg.kind) {
    case OptimizerKind::Sgd:
        be.sgdStep(values, grads, state1, {lr, m_cfg.momentum, m_cfg.weightDecay, m_cfg.nesterov});
        break;
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
        be.adamStep(values, grads, state1, state2,
                    {lr, m_cfg.beta1, m_cfg.beta2, m_cfg.epsilon, m_cfg.weightDecay,
                     m_cfg.kind == OptimizerKind::AdamW, m_steps});
        break;
    case OptimizerKind::Rmsprop:
        be.rmspropStep(values, grads, state1, state2,
                       {lr, m_cfg.alpha, m_cfg.epsilon, m_cfg.momentum, m_cfg.weightDecay});
        break;
    }
}

}  // namespace neurite
