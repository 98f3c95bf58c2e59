// Forecasts of a time-series regression (series: sources) on its validation windows, with the
// model in inference mode and the outputs mapped back to the target's units: what the Training
// tab draws against the actual values after each epoch. The training worker calls this between
// two steps, so it may use the model being trained.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "graph/model.h"

namespace neurite {

struct Forecast {
    std::string split;     // "validation", or "training" when there is no validation split
    int64_t count = 0;     // windows, in time order
    int64_t columns = 0;   // targets per window: horizon steps x target channels, step by step
    std::vector<float> actual, predicted;  // [count, columns], in the target's units
};

inline constexpr int64_t kMaxForecastWindows = 5000;

// The first `maxWindows` windows of the validation split (the training split without one).
// Throws Error{BadInput} when the data has no regression targets or the model's output does not
// hold one value per target.
Forecast forecastSplit(Model& model, const Dataset& data, int64_t maxWindows = kMaxForecastWindows);

}  // namespace neurite
