// The numbers an experiment can optimize or constrain, by name: a training's losses and
// accuracies, any metric of its validation or test evaluation (docs/metrics.md), and its cost.
//   train_loss, train_accuracy
//   val_* and test_*: loss, accuracy, balanced_accuracy, log_loss, kappa, mcc, top_k_accuracy,
//     precision_macro, recall_macro, f1_macro, precision_weighted, recall_weighted,
//     f1_weighted, f1_micro, auc, mse, rmse, mae, r2
//   parameters, flops (forward, per sample), seconds (wall time), samples_per_sec
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "train/events.h"

namespace neurite {

// What one training of a trial gave.
struct TrainingOutcome {
    FinishedEvent finished;
    int64_t parameters = 0;
    double flopsPerSample = 0;
};

bool isKnownMetric(std::string_view name);
// Whether larger is better (accuracy, f1, auc, r2, samples_per_sec, ...).
bool largerIsBetter(std::string_view name);
// Every name, in the order people pick them: the validation metrics, the test ones, the training
// ones, then the costs.
std::vector<std::string> metricNames();
// The names, comma-separated and with the test ones folded ("test_* (as val_*)"), for messages.
std::string knownMetrics();
// The value, or nothing when this training has none (no test split, a regression has no
// accuracy, a metric undefined on the split).
std::optional<double> metricValue(std::string_view name, const TrainingOutcome& outcome);

}  // namespace neurite
