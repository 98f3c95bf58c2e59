// EvaluationReport: every metric of one split after one epoch (validation) or at the end of a
// run (test), as the trainer's events carry them. Classification reports hold the metrics, the
// confusion matrix and thinned ROC/PR curves; regression reports the regression metrics.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "metrics/class_scores.h"
#include "metrics/classification.h"
#include "metrics/curves.h"
#include "metrics/regression.h"

namespace neurite {

struct EvaluationReport {
    std::string split;  // "validation" | "test"
    int64_t count = 0;
    std::optional<ClassificationMetrics> classification;
    std::optional<CurveReport> curves;  // with classification
    std::optional<RegressionMetrics> regression;
    double seconds = 0;  // time spent computing the report (not the forward passes)
};

EvaluationReport evaluateClassification(const ClassScores& scores, std::string split,
                                        std::size_t maxPoints = kCurvePoints);
EvaluationReport evaluateRegression(std::span<const float> predictions,
                                    std::span<const float> targets, int outputs, std::string split);

// Probabilities from a model's raw outputs, appended row by row to probs: softmax over `units`
// values per sample, or for one unit the sigmoid as [1 - p, p] (two classes).
void appendProbabilities(const float* logits, int64_t n, int64_t units, std::vector<float>& probs);

}  // namespace neurite
