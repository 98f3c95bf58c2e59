// LrSchedule: the learning rate for each step from the base rate and the schedule settings
// (constant, step, exponential, cosine with linear warm-up, reduce-on-plateau).
#pragma once

#include <cstdint>

#include "config/train_config.h"

namespace neurite {

class LrSchedule {
public:
    LrSchedule(const ScheduleConfig& cfg, float baseLr, int epochs, int64_t stepsPerEpoch);
    // epoch 0-based, stepInEpoch 0-based.
    float lr(int epoch, int64_t stepInEpoch) const;
    // Reduce-on-plateau bookkeeping: call once per epoch with the validation loss (or the
    // training loss without validation). Other schedules ignore it.
    void onEpochEnd(double monitoredLoss);

    // Reduce-on-plateau bookkeeping, for checkpoints (the other schedules are pure functions).
    struct State {
        float plateauLr = 0;
        double best = 0;
        bool hasBest = false;
        int bad = 0;
    };
    State state() const { return {m_plateauLr, m_best, m_hasBest, m_bad}; }
    void setState(const State& s) {
        m_plateauLr = s.plateauLr;
        m_best = s.best;
        m_hasBest = s.hasBest;
        m_bad = s.bad;
    }

private:
    ScheduleConfig m_cfg;
    float m_baseLr;
    int m_epochs;
    int64_t m_stepsPerEpoch;
    float m_plateauLr;
    double m_best = 0;
    bool m_hasBest = false;
    int m_bad = 0;
};

}  // namespace neurite
