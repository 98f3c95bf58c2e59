// Exact ROC and precision-recall curves. Samples are sorted by score, descending; samples with
// equal scores form one threshold, so a curve never depends on the order of tied samples. At the
// i-th distinct threshold t_i (predict positive when score >= t_i), tp_i and fp_i count the
// positives and negatives scoring >= t_i; P and N are the totals.
//   ROC   starts at (0,0) (threshold +inf) and ends at (1,1): fpr_i = fp_i / N, tpr_i = tp_i / P.
//         AUC = sum_i (fp_i - fp_{i-1}) (tp_i + tp_{i-1}) / (2 P N), the trapezoid rule over all
//         thresholds, computed with integers: a tie between a positive and a negative counts 1/2,
//         as in the Mann-Whitney statistic                    (sklearn roc_curve, roc_auc_score)
//   PR    starts at (recall 0, precision 1) (threshold +inf): recall_i = tp_i / P,
//         precision_i = tp_i / (tp_i + fp_i).
//         AP = sum_i (recall_i - recall_{i-1}) precision_i, the step-wise sum without
//         interpolation                    (sklearn precision_recall_curve,
//         average_precision_score)
// Curves handed out may be thinned to at most maxPoints points spaced evenly along the curve's
// length (first and last kept); auc and averagePrecision are always computed on all thresholds.
// One-vs-rest: class c is positive, the others negative, its probability the score. Micro average:
// every (sample, class) pair as one binary sample (label_binarize + ravel); macro: the mean of
// the per-class values, undefined when one of them is (sklearn raises there).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "metrics/class_scores.h"
#include "metrics/metric_value.h"

namespace neurite {

inline constexpr std::size_t kCurvePoints = 400;  // default thinning target

struct RocCurve {
    std::vector<double> fpr, tpr, thresholds;  // thresholds[0] = +inf
    MetricValue auc;
};

struct PrCurve {
    std::vector<double> recall, precision, thresholds;  // thresholds[0] = +inf
    MetricValue averagePrecision;
};

struct BinaryCurves {
    RocCurve roc;
    PrCurve pr;
    int64_t positives = 0, negatives = 0;
};

// scores[i] and positive[i] (0 or 1) of each sample; maxPoints 0 keeps every threshold, withCurves
// false gives only the AUC and AP (and empty curves). Undefined
// AUC without positives or negatives, undefined AP without positives (the reasons say which; the
// caller names the class). Throws Error{BadInput} on a size mismatch or a NaN score.
BinaryCurves binaryCurves(std::span<const float> scores, std::span<const uint8_t> positive,
                          std::size_t maxPoints = 0, bool withCurves = true);

// Indices of at most maxPoints points spread evenly along the polyline's length.
std::vector<std::size_t> thinIndices(const std::vector<double>& x, const std::vector<double>& y,
                                     std::size_t maxPoints);

struct ClassCurves {
    std::string name;  // the positive class
    BinaryCurves curves;
};

struct CurveReport {
    // Binary: one entry, the second class (index 1) as the positive one. Multi-class: one-vs-rest
    // for every class.
    std::vector<ClassCurves> perClass;
    MetricValue aucMacro, aucMicro, apMacro, apMicro;  // multi-class only (undefined for binary)
    // The binary AUC and AP (of perClass[0]) or the macro ones.
    const MetricValue& auc() const {
        return perClass.size() == 1 ? perClass[0].curves.roc.auc : aucMacro;
    }
};

CurveReport curveReport(const ClassScores& scores, std::size_t maxPoints = kCurvePoints);

}  // namespace neurite
