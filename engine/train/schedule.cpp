// Learning-rate schedules. Formulas follow torch.optim.lr_scheduler (StepLR, ExponentialLR,
// CosineAnnealingLR after a linear warm-up, ReduceLROnPlateau in 'rel' threshold mode).
#include "train/schedule.h"

#include <algorithm>
#include <cmath>

namespace neurite {

LrSchedule::LrSchedule(const ScheduleConfig& cfg, float baseLr, int epochs, int64_t stepsPerEpoch)
    : m_cfg(cfg), m_baseLr(baseLr), m_epochs(std::max(epochs, 1)),
      m_stepsPerEpoch(std::max<int64_t>(stepsPerEpoch, 1)), m_plateauLr(baseLr) {}

float LrSchedule::lr(int epoch, int64_t stepInEpoch) const {
    switch (m_cfg.kind) {
    case ScheduleKind::Constant: return m_baseLr;
    case ScheduleKind::Step:
        return m_baseLr * std::pow(m_cfg.gamma, static_cast<float>(epoch / std::max(m_cfg.stepSize, 1)));
    case ScheduleKind::Exponential: return m_baseLr * std::pow(m_cfg.gamma, static_cast<float>(epoch));
    case ScheduleKind::Cosine: {
        const double step = static_cast<double>(epoch) * static_cast<double>(m_stepsPerEpoch) +
                            static_cast<double>(stepInEpoch);
        const double warmup = static_cast<double>(m_cfg.warmupEpochs) * static_cast<double>(m_stepsPerEpoch);
        if (step < warmup) return static_cast<float>(m_baseLr * (step + 1) / warmup);
        const double total = static_cast<double>(m_epochs) * static_cast<double>(m_stepsPerEpoch) - warmup;
        const double t = total > 0 ? std::min((step - warmup) / total, 1.0) : 1.0;
        return static_cast<float>(m_cfg.minLr + (m_baseLr - m_cfg.minLr) * 0.5 * (1 + std::cos(M_PI * t)));
    }
    case ScheduleKind::Plateau: return m_plateauLr;
    }
    return m_baseLr;
}

void LrSchedule::onEpochEnd(double monitoredLoss) {
    if (m_cfg.kind != ScheduleKind::Plateau) return;
    if (!m_hasBest || monitoredLoss < m_best * (1.0 - m_cfg.threshold)) {
        m_best = monitoredLoss;
        m_hasBest = true;
        m_bad = 0;
        return;
    }
    if (++m_bad > m_cfg.patience) {
        m_plateauLr = std::max(m_plateauLr * m_cfg.factor, m_cfg.minLr);
        m_bad = 0;
    }
}

}  // namespace neurite
