#include "experiment/pruner.h"

#include <algorithm>
#include <cmath>

namespace neurite {

bool Pruner::report(int trial, int slot, int epoch, double value) {
    if (m_config.kind == PrunerConfig::Kind::None) return false;
    if (!std::isfinite(value)) return true;
    std::lock_guard lock(m_mutex);
    m_values[{slot, epoch}][trial] = value;
    return m_config.kind == PrunerConfig::Kind::Median ? medianStops(trial, slot, epoch, value)
                                                       : halvingStops(slot, epoch, value);
}

void Pruner::restore(int trial, int slot, const std::vector<double>& curve) {
    std::lock_guard lock(m_mutex);
    for (std::size_t e = 0; e < curve.size(); ++e)
        if (std::isfinite(curve[e])) m_values[{slot, static_cast<int>(e) + 1}][trial] = curve[e];
}

bool Pruner::medianStops(int trial, int slot, int epoch, double value) const {
    if (epoch < m_config.warmupEpochs) return false;
    std::vector<double> others;
    for (const auto& [t, v] : m_values.at({slot, epoch}))
        if (t != trial) others.push_back(v);
    if (static_cast<int>(others.size()) < std::max(1, m_config.minTrials)) return false;
    std::sort(others.begin(), others.end());
    const std::size_t n = others.size();
    const double median = n % 2 ? others[n / 2] : 0.5 * (others[n / 2 - 1] + others[n / 2]);
    return better(median, value);
}

bool Pruner::halvingStops(int slot, int epoch, double value) const {
    // Is this epoch a rung: min_epochs * eta^k?
    const int eta = std::max(2, m_config.reductionFactor);
    int64_t rung = std::max(1, m_config.minEpochs);
    while (rung < epoch) rung *= eta;
    if (rung != epoch) return false;
    std::vector<double> competing;
    for (const auto& [t, v] : m_values.at({slot, epoch})) competing.push_back(v);
    std::sort(competing.begin(), competing.end());
    if (m_maximize) std::reverse(competing.begin(), competing.end());
    const std::size_t keep = std::max<std::size_t>(1, competing.size() / static_cast<std::size_t>(eta));
    const double threshold = competing[keep - 1];  // the worst value that still goes on
    return better(threshold, value);
}

}  // namespace neurite
