#include "train/distillation.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace neurite {

namespace {

// softmax(v / t) into out, stably.
void softmaxAt(const float* v, int64_t classes, double t, std::vector<double>& out) {
    out.resize(static_cast<std::size_t>(classes));
    double top = -std::numeric_limits<double>::infinity();
    for (int64_t k = 0; k < classes; ++k) top = std::max(top, v[k] / t);
    double sum = 0;
    for (int64_t k = 0; k < classes; ++k) sum += (out[static_cast<std::size_t>(k)] = std::exp(v[k] / t - top));
    for (double& x : out) x /= sum;
}

}  // namespace

double distillationTerm(std::span<const float> logits, std::span<const float> teacher,
                        std::span<const int32_t> samples, int64_t classes, double alpha,
                        double temperature, std::vector<float>& grad) {
    const auto n = static_cast<int64_t>(samples.size());
    grad.assign(static_cast<std::size_t>(n * classes), 0.f);
    std::vector<double> p, q;
    double kl = 0;
    for (int64_t i = 0; i < n; ++i) {
        softmaxAt(teacher.data() + static_cast<int64_t>(samples[static_cast<std::size_t>(i)]) * classes, classes,
                  temperature, q);
        softmaxAt(logits.data() + i * classes, classes, temperature, p);
        for (int64_t k = 0; k < classes; ++k) {
            const double qk = q[static_cast<std::size_t>(k)], pk = p[static_cast<std::size_t>(k)];
            if (qk > 0) kl += qk * (std::log(qk) - std::log(std::max(pk, 1e-300)));
            grad[static_cast<std::size_t>(i * classes + k)] =
                static_cast<float>((1.0 - alpha) * temperature * (pk - qk) / static_cast<double>(n));
        }
    }
    return (1.0 - alpha) * temperature * temperature * kl / static_cast<double>(n);
}

}  // namespace neurite
