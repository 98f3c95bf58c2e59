#include "train/step_scalars.h"

#include <algorithm>

#include "core/error.h"

namespace neurite {

StepScalars::StepScalars(Backend& backend, int capacity, double seconds)
    : m_backend(backend), m_capacity(std::max(capacity, 1)), m_seconds(seconds) {
    m_slots = Tensor::empty(backend, Shape{2 * static_cast<int64_t>(m_capacity)});
    backend.fill(m_slots, 0.f);
    m_host.resize(static_cast<std::size_t>(2 * m_capacity));
    m_steps.reserve(static_cast<std::size_t>(m_capacity));
}

StepScalars::Step& StepScalars::begin(const Step& info) {
    if (static_cast<int>(m_steps.size()) >= m_capacity) throwInternal("step scalars: the ring is full; read it first");
    if (m_steps.empty()) m_oldest = std::chrono::steady_clock::now();
    m_steps.push_back(info);
    return m_steps.back();
}

bool StepScalars::due() const {
    if (static_cast<int>(m_steps.size()) >= m_capacity) return true;
    if (m_steps.empty() || m_seconds <= 0) return false;
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_oldest).count() >= m_seconds;
}

std::span<const StepScalars::Step> StepScalars::read() {
    const bool onDevice = std::any_of(m_steps.begin() + static_cast<std::ptrdiff_t>(m_read), m_steps.end(),
                                      [](const Step& s) { return s.lossOnDevice || s.countOnDevice; });
    if (onDevice) {
        const int64_t used = 2 * static_cast<int64_t>(m_steps.size());
        m_backend.copyToHost(m_host.data(), m_slots.slice(0, Shape{used}));
        for (std::size_t i = m_read; i < m_steps.size(); ++i) {
            Step& s = m_steps[i];
            if (s.lossOnDevice) s.loss = m_host[2 * i];
            if (s.countOnDevice) {
                s.correct = static_cast<double>(m_host[2 * i + 1]);
                m_countsUsed = true;
            }
        }
    }
    m_read = m_steps.size();
    return m_steps;
}

void StepScalars::clear() {
    if (m_read != m_steps.size()) throwInternal("step scalars: cleared before they were read");
    m_steps.clear();
    m_read = 0;
    if (m_countsUsed) {  // countCorrect adds: its slots start again from zero
        m_backend.fill(m_slots, 0.f);
        m_countsUsed = false;
    }
}

}  // namespace neurite
