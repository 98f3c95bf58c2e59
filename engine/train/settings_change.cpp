// Settings changed while a run is paused: each one checked, applied and reported.
#include "train/settings_change.h"

#include <cmath>
#include <string>
#include <tuple>

namespace neurite {

void applyChange(const SettingsChange& c, const ChangeContext& at, Optimizer& optimizer, int64_t& batchSize,
                 float& baseLr, double& l1, double& l2) {
    const auto report = [&](const char* setting, double before, double after, std::string refusal) {
        at.observer.onSettingsChanged({at.step, at.epoch, setting, before, after, std::move(refusal)});
    };
    if (c.lr) {
        const double before = baseLr;
        if (!(*c.lr > 0) || !(*c.lr <= 10))
            report("lr", before, *c.lr, "the learning rate must be above 0 and at most 10");
        else {
            baseLr = static_cast<float>(*c.lr);
            report("lr", before, baseLr, "");
        }
    }
    if (c.batchSize) {
        const auto before = static_cast<double>(batchSize), after = static_cast<double>(*c.batchSize);
        if (*c.batchSize < 1 || *c.batchSize > at.trainCount)
            report("batch_size", before, after,
                   "the batch size must be between 1 and the training samples (" + std::to_string(at.trainCount) + ")");
        else if (at.pipeline && *c.batchSize != batchSize)
            report("batch_size", before, after,
                   "augmented batches are prepared ahead in the configured size; change it before starting");
        else {
            batchSize = *c.batchSize;
            report("batch_size", before, after, "");
        }
    }
    for (auto [setting, asked, value] : {std::tuple{"l1", c.l1, &l1}, std::tuple{"l2", c.l2, &l2}}) {
        if (!asked) continue;
        if (!(*asked >= 0) || !std::isfinite(*asked)) {
            report(setting, *value, *asked, std::string(setting) + " must be a finite number of 0 or more");
            continue;
        }
        const double before = *value;
        *value = *asked;
        report(setting, before, *asked, "");
    }
    optimizer.setRegularization(static_cast<float>(l1), static_cast<float>(l2));
}


}  // namespace neurite
