// Group metrics for a sensitive attribute: how a binary decision ("predicted positiveClass")
// treats each group of samples (references: fairlearn.metrics MetricFrame,
// demographic_parity_difference, equal_opportunity_difference).
//   accuracy_g          share of group g's samples predicted correctly
//   selection rate_g    share of group g's samples predicted as the positive class
//   TPR_g               share of group g's positive samples predicted positive; undefined when the
//                       group has no positive sample
//   demographic-parity difference  max_g selection rate_g - min_g selection rate_g
//   equal-opportunity difference   max_g TPR_g - min_g TPR_g, undefined when a TPR is
// Groups without samples are listed with undefined values and left out of the differences.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/metric_value.h"

namespace neurite {

struct GroupMetrics {
    std::string name;
    int64_t count = 0, positives = 0;
    MetricValue accuracy, selectionRate, truePositiveRate;
};

struct FairnessReport {
    std::vector<GroupMetrics> groups;
    MetricValue demographicParityDifference, equalOpportunityDifference;
};

// labels, predicted and groups hold one entry per sample; groups[i] indexes groupNames. Throws
// Error{BadInput} on size mismatches or a group index out of range.
FairnessReport groupFairness(const std::vector<int32_t>& labels,
                             const std::vector<int32_t>& predicted,
                             const std::vector<int32_t>& groups,
                             const std::vector<std::string>& groupNames, int32_t positiveClass);

}  // namespace neurite
