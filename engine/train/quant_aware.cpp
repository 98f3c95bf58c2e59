#include "train/quant_aware.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "backend/quantization.h"
#include "core/error.h"
#include "graph/model.h"
#include "layers/registry.h"

namespace neurite {

QuantAware::QuantAware(Model& model, const QuantAwareConfig& cfg) : m_model(model), m_cfg(cfg) {
    const ResolvedGraph& g = model.graph();
    for (int i : g.order) {
        const LayerType* type = findLayerType(model.nodeOp(i));
        if (!type || !type->quantizeWeight) continue;
        for (const ParamInfo& p : model.params())
            if (p.node == model.nodeId(i) && p.name == "weight") {
                m_weightNodes.push_back(i);
                m_weights.push_back({p.offset, p.shape[0]});
                m_weightSizes.push_back(p.shape.numel());
            }
        // As the int8 export: the input of each quantized layer, but never the graph's output.
        const int in = g.inputs[static_cast<std::size_t>(i)][0];
        if (in != g.output && std::find(m_inputs.begin(), m_inputs.end(), in) == m_inputs.end())
            m_inputs.push_back(in);
    }
    if (m_weights.empty())
        throwBadInput("training.quantization_aware: the model has no Dense or Conv2D layer to quantize");
}

QuantAware::~QuantAware() {
    end();
    if (m_installed) m_model.setForwardHook({});
}

void QuantAware::installHook() {
    m_installed = true;
    Backend& be = m_model.backend();
    m_model.setForwardHook([this, &be](int node, Tensor& out) {
        if (!m_swapped || std::find(m_inputs.begin(), m_inputs.end(), node) == m_inputs.end()) return;
        const auto n = static_cast<std::size_t>(out.numel());
        const bool host = out.device().isCpu();
        float* v = host ? out.f32() : nullptr;
        if (!host) {
            m_host.resize(n);
            be.copyToHost(m_host.data(), out);
            v = m_host.data();
        }
        auto it = m_ranges.find(node);
        if (m_training) {
            float lo = std::numeric_limits<float>::infinity(), hi = -lo;
            for (std::size_t k = 0; k < n; ++k)
                if (std::isfinite(v[k])) {
                    lo = std::min(lo, v[k]);
                    hi = std::max(hi, v[k]);
                }
            if (!(lo <= hi)) lo = hi = 0.f;
            const float m = m_cfg.rangeMomentum;
            if (it == m_ranges.end())
                it = m_ranges.emplace(node, std::make_pair(lo, hi)).first;
            else
                it->second = {m * it->second.first + (1 - m) * lo, m * it->second.second + (1 - m) * hi};
        }
        if (it == m_ranges.end()) return;
        const ActivationQuant q = activationQuantFor(it->second.first, it->second.second);
        for (std::size_t k = 0; k < n; ++k) v[k] = fakeQuantU8(v[k], q.scale, q.zeroPoint);
        if (!host) be.copyFromHost(out, m_host.data());
    });
}

void QuantAware::begin(int64_t stepsTaken, bool training) {
    end();
    // Installed for every pass: whatever set a hook of its own between two steps (the studio's
    // activation maps) has taken it down again by then.
    installHook();
    if (training ? stepsTaken < m_cfg.beginStep : !begun()) return;
    // Only the quantized weights travel (packed one after another in m_master): biases,
    // BatchNorm and the rest stay where they are.
    Backend& be = m_model.backend();
    Tensor& values = m_model.values();
    std::size_t total = 0;
    for (int64_t n : m_weightSizes) total += static_cast<std::size_t>(n);
    m_master.resize(total);
    m_rounded.resize(total);
    std::size_t at = 0;
    for (std::size_t k = 0; k < m_weights.size(); ++k) {
        const auto [offset, channels] = m_weights[k];
        const auto n = static_cast<std::size_t>(m_weightSizes[k]);
        const Tensor slice = values.slice(offset, Shape{m_weightSizes[k]});
        be.copyToHost(m_master.data() + at, slice);
        const std::span<const float> w(m_master.data() + at, n);
        const std::vector<float> scales = channelScales(w, channels);
        const std::size_t per = n / static_cast<std::size_t>(channels);
        for (std::size_t i = 0; i < n; ++i) m_rounded[at + i] = fakeQuantI8(w[i], scales[i / per]);
        Tensor target = values.slice(offset, Shape{m_weightSizes[k]});
        be.copyFromHost(target, m_rounded.data() + at);
        at += n;
    }
    m_swapped = true;
    m_training = training;
}

void QuantAware::end() {
    if (!m_swapped) return;
    std::size_t at = 0;
    for (std::size_t k = 0; k < m_weights.size(); ++k) {
        Tensor target = m_model.values().slice(m_weights[k].first, Shape{m_weightSizes[k]});
        m_model.backend().copyFromHost(target, m_master.data() + at);
        at += static_cast<std::size_t>(m_weightSizes[k]);
    }
    m_swapped = false;
}

std::vector<float> QuantAware::state() const {
    std::vector<float> out;
    for (const auto& [node, r] : m_ranges) out.insert(out.end(), {static_cast<float>(node), r.first, r.second});
    return out;
}

void QuantAware::setState(const std::vector<float>& state) {
    m_ranges.clear();
    for (std::size_t k = 0; k + 2 < state.size(); k += 3) {
        const int node = static_cast<int>(state[k]);
        if (std::find(m_inputs.begin(), m_inputs.end(), node) == m_inputs.end() || !std::isfinite(state[k + 1]) ||
            !std::isfinite(state[k + 2]))
            throwBadInput("the checkpoint's quantization ranges do not fit this model");
        m_ranges[node] = {state[k + 1], state[k + 2]};
    }
}

}  // namespace neurite
