// Classification metrics of one split from labels and per-class probabilities. Formulas follow
// sklearn.metrics; n samples, k classes, C the confusion matrix (row = true, column = predicted),
// tp_c = C[c][c], fp_c = column sum - tp_c, fn_c = row sum - tp_c, support_c = row sum.
//   accuracy            sum_c tp_c / n                                    (accuracy_score)
//   top-k accuracy      share of samples whose true class is among the k most probable; a tie at
//                       the k-th place counts in the sample's favour       (top_k_accuracy_score)
//   balanced accuracy   mean recall over the classes present in the split (balanced_accuracy_score)
//   precision_c         tp_c / (tp_c + fp_c), undefined when c is never predicted
//   recall_c            tp_c / support_c, undefined when c has no sample
//   f1_c                2 tp_c / (2 tp_c + fp_c + fn_c), undefined when c is neither present nor
//                       predicted                               (precision_recall_fscore_support)
//   macro               unweighted mean over the classes present in the labels or predictions,
//                       an undefined per-class value counting as 0   (average='macro',
//                       zero_division=0)
//   weighted            mean weighted by support, undefined values as 0      (average='weighted')
//   micro               from summed tp/fp/fn; equals accuracy for single-label data
//   (average='micro') log loss            -1/n sum_i ln max(p_i,y_i, 1e-15) (log_loss) Cohen's
//   kappa       (p_o - p_e) / (1 - p_e), p_e = sum_c support_c predicted_c / n^2,
//                       undefined when p_e = 1                               (cohen_kappa_score)
//   MCC                 (n sum_c tp_c - sum_c predicted_c support_c) /
//                       sqrt((n^2 - sum_c predicted_c^2)(n^2 - sum_c support_c^2)), undefined when
//                       a factor is 0 (sklearn returns 0 there)               (matthews_corrcoef)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/class_scores.h"
#include "metrics/metric_value.h"

namespace neurite {

struct ConfusionMatrix {
    int numClasses = 0;
    std::vector<int64_t> counts;  // [k * k], row = true class, column = predicted class

    int64_t at(int truth, int predicted) const {
        return counts[static_cast<std::size_t>(truth * numClasses + predicted)];
    }
    // Each row divided by its sum (sklearn normalize='true'); a class without samples keeps a
    // row of zeros, as sklearn does.
    std::vector<double> rowNormalized() const;
};

struct ClassMetrics {
    std::string name;
    int64_t support = 0;    // samples of this class
    int64_t predicted = 0;  // samples predicted as this class
    MetricValue precision, recall, f1;
};

struct AveragedMetrics {
    MetricValue precision, recall, f1;
};

struct ClassificationMetrics {
    int64_t count = 0;
    MetricValue accuracy, balancedAccuracy, logLoss, kappa, mcc;
    int topK = 0;  // 5 with more than 5 classes, 2 with 3 to 5, 0 (not computed) for binary
    MetricValue topKAccuracy;
    std::vector<ClassMetrics> perClass;
    AveragedMetrics macro, weighted, micro;
    ConfusionMatrix confusion;
};

ConfusionMatrix confusionMatrix(const std::vector<int32_t>& labels,
                                const std::vector<int32_t>& predicted, int numClasses);
// Share of samples whose true class is among the k most probable.
MetricValue topKAccuracy(const ClassScores& scores, int k);
double logLoss(const ClassScores& scores);
// Every metric above. An empty split gives undefined values, never a throw.
ClassificationMetrics classificationMetrics(const ClassScores& scores);

}  // namespace neurite
