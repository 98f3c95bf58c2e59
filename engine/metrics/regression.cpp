// Regression metrics in double precision; see the header for the formulas.
#include "metrics/regression.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"

namespace neurite {

RegressionMetrics regressionMetrics(std::span<const float> predictions,
                                    std::span<const float> targets, int outputs) {
    if (outputs <= 0 || predictions.size() != targets.size() ||
        targets.size() % static_cast<std::size_t>(outputs) != 0)
        throwBadInput("regression metrics: " + std::to_string(predictions.size()) +
                      " predictions and " + std::to_string(targets.size()) +
                      " targets do not form rows of " + std::to_string(outputs) + " outputs");
    RegressionMetrics m;
    const std::size_t d = static_cast<std::size_t>(outputs), n = targets.size() / d;
    m.count = static_cast<int64_t>(n);
    if (n == 0) {
        m.mse = m.rmse = m.mae = m.r2 = MetricValue::undefined("undefined: the split is empty");
        return m;
    }
    std::vector<double> mean(d, 0.0), ssRes(d, 0.0), ssTot(d, 0.0);
    double se = 0, ae = 0;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < d; ++j) {
            const double e = static_cast<double>(predictions[i * d + j]) -
                             static_cast<double>(targets[i * d + j]);
            se += e * e;
            ae += std::abs(e);
            ssRes[j] += e * e;
            mean[j] += static_cast<double>(targets[i * d + j]);
        }
    for (double& v : mean)
        v /= static_cast<double>(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < d; ++j) {
            const double t = static_cast<double>(targets[i * d + j]) - mean[j];
            ssTot[j] += t * t;
        }
    const double count = static_cast<double>(n * d);
    m.mse = MetricValue::of(se / count);
    m.rmse = MetricValue::of(std::sqrt(se / count));
    m.mae = MetricValue::of(ae / count);
    double r2 = 0;
    for (std::size_t j = 0; j < d; ++j) {
        if (ssTot[j] <= 0) {
            m.r2 =
                MetricValue::undefined("R² undefined: the targets" +
                                       (d > 1 ? " of output " + std::to_string(j) : std::string()) +
                                       " are constant in the split");
            return m;
        }
        r2 += 1.0 - ssRes[j] / ssTot[j];
    }
    m.r2 = MetricValue::of(r2 / static_cast<double>(d));
    return m;
}

}  // namespace neurite
