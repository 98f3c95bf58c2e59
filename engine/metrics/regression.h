// Regression metrics over n samples of d outputs, predictions y^ and targets y (row-major [n, d]).
//   MSE   1/(n d) sum (y^ - y)^2                     (sklearn mean_squared_error, uniform_average)
//   RMSE  sqrt(MSE)                                   (root_mean_squared_error for d = 1)
//   MAE   1/(n d) sum |y^ - y|                        (mean_absolute_error)
//   R²    mean over outputs j of 1 - sum_i (y^_ij - y_ij)^2 / sum_i (y_ij - mean_j)^2, undefined
//         when an output's targets are constant (sklearn returns 0 or 1 there)      (r2_score)
#pragma once

#include <cstdint>
#include <span>

#include "metrics/metric_value.h"

namespace neurite {

struct RegressionMetrics {
    int64_t count = 0;
    MetricValue mse, rmse, mae, r2;
};

// Throws Error{BadInput} when the sizes disagree with outputs.
RegressionMetrics regressionMetrics(std::span<const float> predictions,
                                    std::span<const float> targets, int outputs);

}  // namespace neurite
