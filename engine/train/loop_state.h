// The trainer's loop state besides the model (the early-stopping monitor, what a checkpoint
// takes from the loop) and its round trip through TrainerState. Internal to Trainer.
#pragma once

#include <cstdint>
#include <vector>

#include "config/train_config.h"
#include "graph/model.h"
#include "train/checkpoint.h"
#include "train/events.h"
#include "train/optimizer.h"
#include "train/schedule.h"

namespace neurite {

// Early-stopping bookkeeping for the monitored metric.
struct Monitor {
    const EarlyStoppingConfig& cfg;
    bool hasBest = false;
    double best = 0;
    int bad = 0;

    bool higherIsBetter() const { return cfg.monitor == "val_accuracy"; }
    // Returns true when the value improves on the best by more than minDelta.
    bool update(double value) {
        const bool improved = !hasBest || (higherIsBetter() ? value > best + cfg.minDelta
                                                            : value < best - cfg.minDelta);
        if (improved) {
            best = value;
            hasBest = true;
            bad = 0;
        } else {
            ++bad;
        }
        return improved;
    }
};

// What a run's future depends on besides the model: see TrainerState.
struct LoopState {
    Optimizer& optimizer;
    LrSchedule& schedule;
    Monitor& monitor;
    std::vector<float>& bestWeights;
    FinishedEvent& fin;
    double& trainSeconds;
    int64_t& trainSamples;
    int64_t& globalStep;
};

// Into `st`, reusing its buffers from the previous epoch.
void exportState(Model& model, const LoopState& l, bool earlyStopped, TrainerState& st);
// Returns the 0-based epoch to continue with.
int importState(Model& model, const TrainerState& st, const LoopState& l);

}  // namespace neurite
