// ClassScores: what a classifier said about one split, per sample: the true class and every
// class's probability. The input of every classification metric and curve.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurite {

struct ClassScores {
    std::vector<std::string> classNames;  // [k], k >= 2
    std::vector<int32_t> labels;          // [n], each in [0, k)
    std::vector<float> probs;             // [n * k] row-major; each row sums to 1

    int64_t count() const { return static_cast<int64_t>(labels.size()); }
    int numClasses() const { return static_cast<int>(classNames.size()); }
    const float* row(int64_t i) const { return probs.data() + i * numClasses(); }

    // Throws Error{BadInput} when the sizes disagree, a label is out of range or a probability is
    // not finite.
    void check() const;
    // The most probable class of each sample; the first (lowest index) on ties, as numpy.argmax.
    std::vector<int32_t> predictions() const;
};

}  // namespace neurite
