// The forward and inverse target maps. Both in float, element by element, so that the trainer's
// evaluation, the Predictor and the ONNX graph (a Mul then an Add) compute the same numbers.
#include "data/target_scaling.h"

#include "core/error.h"

namespace neurite {

void TargetScaling::toScaled(const float* src, float* dst, int64_t count) const {
    if (!active()) {
        if (src != dst)
            for (int64_t i = 0; i < count; ++i) dst[i] = src[i];
        return;
    }
    const int64_t d = columns();
    NEURITE_CHECK(static_cast<int64_t>(stddev.size()) == d && count % d == 0,
                  "target scaling: the values are not whole rows of the target columns");
    for (int64_t i = 0; i < count; ++i) {
        const auto j = static_cast<std::size_t>(i % d);
        dst[i] = static_cast<float>((static_cast<double>(src[i]) - mean[j]) / stddev[j]);
    }
}

void TargetScaling::toOriginal(float* values, int64_t count) const {
    if (!active()) return;
    const int64_t d = columns();
    NEURITE_CHECK(static_cast<int64_t>(stddev.size()) == d && count % d == 0,
                  "target scaling: the values are not whole rows of the target columns");
    for (int64_t i = 0; i < count; ++i) {
        const auto j = static_cast<std::size_t>(i % d);
        // Two roundings, as ONNX's Mul and Add do (no fused multiply-add).
        const float scaled = values[i] * stddev[j];
        values[i] = scaled + mean[j];
    }
}

double TargetScaling::lossFactor() const {
    if (!active()) return 1.0;
    double sum = 0;
    for (float s : stddev) sum += static_cast<double>(s) * static_cast<double>(s);
    return sum / static_cast<double>(stddev.size());
}

}  // namespace neurite
