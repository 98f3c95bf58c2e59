// Builds EvaluationReports and turns logits into probabilities (in double, stored as float).
#include "metrics/evaluation.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <utility>

namespace neurite {

namespace {
using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}
}  // namespace

EvaluationReport evaluateClassification(const ClassScores& scores, std::string split,
                                        std::size_t maxPoints) {
    const auto t0 = Clock::now();
    EvaluationReport r;
    r.split = std::move(split);
    r.count = scores.count();
    r.classification = classificationMetrics(scores);
    r.curves = curveReport(scores, maxPoints);
    r.seconds = since(t0);
    return r;
}

EvaluationReport evaluateRegression(std::span<const float> predictions,
                                    std::span<const float> targets, int outputs,
                                    std::string split) {
    const auto t0 = Clock::now();
    EvaluationReport r;
    r.split = std::move(split);
    r.regression = regressionMetrics(predictions, targets, outputs);
    r.count = r.regression->count;
    r.seconds = since(t0);
    return r;
}

void appendProbabilities(const float* logits, int64_t n, int64_t units, std::vector<float>& probs) {
    if (units == 1) {
        for (int64_t i = 0; i < n; ++i) {
            const double p = 1.0 / (1.0 + std::exp(-static_cast<double>(logits[i])));
            probs.push_back(static_cast<float>(1.0 - p));
            probs.push_back(static_cast<float>(p));
        }
        return;
    }
    std::vector<double> e(static_cast<std::size_t>(units));
    for (int64_t i = 0; i < n; ++i) {
        const float* row = logits + i * units;
        const double top = *std::max_element(row, row + units);
        double sum = 0;
        for (int64_t c = 0; c < units; ++c)
            sum += e[static_cast<std::size_t>(c)] = std::exp(static_cast<double>(row[c]) - top);
        for (int64_t c = 0; c < units; ++c)
            probs.push_back(static_cast<float>(e[static_cast<std::size_t>(c)] / sum));
    }
}

}  // namespace neurite
