// The trainer's metric plumbing: an evaluation pass hands each batch's host outputs here, and the
// split's EvaluationReport is built once from what was collected.
#pragma once

#include <cstdint>
#include <string>

#include "data/dataset.h"
#include "metrics/evaluation.h"
#include "train/trainer.h"

namespace neurite {

// Prepares r to collect a split: labels and class names (or room for regression outputs).
void beginCollecting(EvalResult& r, const Dataset& data, const DataSplit& split, int64_t units);
// Appends one batch of host outputs [n, units]: class probabilities (softmax, or sigmoid for one
// unit) or, for regression, the raw outputs.
void collectBatch(EvalResult& r, const float* outputs, int64_t n, int64_t units);
// Accuracy of the collected probabilities (argmax, first class on ties); 0 for regression.
double collectedAccuracy(const EvalResult& r);
// The metrics and curves of the collected split.
EvaluationReport splitReport(const EvalResult& r, const Dataset& data, const DataSplit& split,
                             const std::string& name);

}  // namespace neurite
