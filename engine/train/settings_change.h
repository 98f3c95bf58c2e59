// Settings changed while a run is paused (teaching mode): how the trainer applies what its
// observer returned from whilePaused() and reports each setting, applied or refused.
// Internal to engine/train.
#pragma once

#include <cstdint>

#include "train/events.h"
#include "train/optimizer.h"

namespace neurite {

struct ChangeContext {
    TrainObserver& observer;
    int64_t step = 0;
    int epoch = 0;
    bool pipeline = false;  // batches are prepared ahead in the configured size
    int64_t trainCount = 0;
};

// Applies `c` to the loop's batch size, base learning rate and L1/L2 (and the optimizer's
// regularization), telling the observer what happened to each setting it names.
void applyChange(const SettingsChange& c, const ChangeContext& at, Optimizer& optimizer, int64_t& batchSize,
                 float& baseLr, double& l1, double& l2);

}  // namespace neurite
