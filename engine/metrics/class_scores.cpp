// Validation and argmax of ClassScores.
#include "metrics/class_scores.h"

#include <cmath>

#include "core/error.h"

namespace neurite {

void ClassScores::check() const {
    const int k = numClasses();
    if (k < 2) throwBadInput("metrics need at least 2 classes, got " + std::to_string(k));
    if (probs.size() != labels.size() * static_cast<std::size_t>(k))
        throwBadInput("metrics: " + std::to_string(probs.size()) + " probabilities for " +
                      std::to_string(labels.size()) + " samples of " + std::to_string(k) +
                      " classes");
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] < 0 || labels[i] >= k)
            throwBadInput("metrics: label " + std::to_string(labels[i]) + " of sample " +
                          std::to_string(i) + " is not a class index below " + std::to_string(k));
    for (std::size_t i = 0; i < probs.size(); ++i)
        if (!std::isfinite(probs[i]))
            throwBadInput("metrics: the probability of class " +
                          std::to_string(i % static_cast<std::size_t>(k)) + " of sample " +
                          std::to_string(i / static_cast<std::size_t>(k)) + " is not finite");
}

std::vector<int32_t> ClassScores::predictions() const {
    const int k = numClasses();
    std::vector<int32_t> out(labels.size());
    for (int64_t i = 0; i < count(); ++i) {
        const float* r = row(i);
        int best = 0;
        for (int c = 1; c < k; ++c)
            if (r[c] > r[best]) best = c;
        out[static_cast<std::size_t>(i)] = best;
    }
    return out;
}

}  // namespace neurite
