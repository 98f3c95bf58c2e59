// TargetScaling: a regression model's targets standardized per output column with the training
// split's mean and standard deviation (data.target_scaling, docs/data.md). The model trains on
// z = (y - mean) / std; whatever leaves the engine (evaluation metrics, Predictor outputs, the
// native file, the ONNX graph) is mapped back with y = z * std + mean, so users only ever see
// the target's own units. Empty vectors are the identity (classifiers, files and runs from
// before target scaling existed, target_scaling "none").
#pragma once

#include <cstdint>
#include <vector>

namespace neurite {

struct TargetScaling {
    std::vector<float> mean, stddev;  // [targetDim] each, stddev > 0; both empty = identity

    bool active() const { return !mean.empty(); }
    int64_t columns() const { return static_cast<int64_t>(mean.size()); }
    // dst[r, j] = (src[r, j] - mean[j]) / stddev[j] over `count` values (whole rows); src may be dst.
    void toScaled(const float* src, float* dst, int64_t count) const;
    // values[r, j] = values[r, j] * stddev[j] + mean[j], in place over `count` values (whole rows).
    void toOriginal(float* values, int64_t count) const;
    // What multiplies a loss on the scaled targets to express it in the target's squared units:
    // std^2 for one column (the mean of the columns' std^2 for several), 1 for the identity.
    double lossFactor() const;
};

}  // namespace neurite
