// Per-group rates and their spreads; see the header for the definitions.
#include "metrics/fairness.h"

#include <algorithm>

#include "core/error.h"

namespace neurite {

namespace {

struct Counts {
    int64_t n = 0, correct = 0, selected = 0, positives = 0, truePositives = 0;
};

double ratio(int64_t a, int64_t b) {
    return static_cast<double>(a) / static_cast<double>(b);
}

}  // namespace

FairnessReport groupFairness(const std::vector<int32_t>& labels,
                             const std::vector<int32_t>& predicted,
                             const std::vector<int32_t>& groups,
                             const std::vector<std::string>& groupNames, int32_t positiveClass) {
    if (labels.size() != predicted.size() || labels.size() != groups.size())
        throwBadInput("group metrics: " + std::to_string(labels.size()) + " labels, " +
                      std::to_string(predicted.size()) + " predictions and " +
                      std::to_string(groups.size()) + " group entries must match");
    const std::size_t g = groupNames.size();
    std::vector<Counts> c(g);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (groups[i] < 0 || static_cast<std::size_t>(groups[i]) >= g)
            throwBadInput("group metrics: sample " + std::to_string(i) + " has group " +
                          std::to_string(groups[i]) + " but there are " + std::to_string(g) +
                          " groups");
        Counts& k = c[static_cast<std::size_t>(groups[i])];
        const bool pos = labels[i] == positiveClass, sel = predicted[i] == positiveClass;
        ++k.n;
        k.correct += labels[i] == predicted[i];
        k.selected += sel;
        k.positives += pos;
        k.truePositives += pos && sel;
    }
    FairnessReport r;
    std::vector<double> selection, tpr;
    std::string tprUndefined;
    for (std::size_t j = 0; j < g; ++j) {
        GroupMetrics m;
        m.name = groupNames[j];
        m.count = c[j].n;
        m.positives = c[j].positives;
        if (c[j].n == 0) {
            const std::string why = " of group '" + m.name + "' undefined: no sample";
            m.accuracy = MetricValue::undefined("accuracy" + why);
            m.selectionRate = MetricValue::undefined("selection rate" + why);
            m.truePositiveRate = MetricValue::undefined("true-positive rate" + why);
            r.groups.push_back(m);
            continue;
        }
        m.accuracy = MetricValue::of(ratio(c[j].correct, c[j].n));
        m.selectionRate = MetricValue::of(ratio(c[j].selected, c[j].n));
        selection.push_back(m.selectionRate.v);
        if (c[j].positives > 0) {
            m.truePositiveRate = MetricValue::of(ratio(c[j].truePositives, c[j].positives));
            tpr.push_back(m.truePositiveRate.v);
        } else {
            m.truePositiveRate =
                MetricValue::undefined("true-positive rate of group '" + m.name +
                                       "' undefined: the group has no positive sample");
            if (tprUndefined.empty()) tprUndefined = m.truePositiveRate.undefinedReason;
        }
        r.groups.push_back(m);
    }
    if (selection.empty())
        r.demographicParityDifference =
            MetricValue::undefined("demographic-parity difference undefined: no sample");
    else
        r.demographicParityDifference =
            MetricValue::of(*std::max_element(selection.begin(), selection.end()) -
                            *std::min_element(selection.begin(), selection.end()));
    if (!tprUndefined.empty() || tpr.empty())
        r.equalOpportunityDifference = MetricValue::undefined(
            "equal-opportunity difference undefined: " +
            (tprUndefined.empty() ? std::string("no sample") : tprUndefined));
    else
        r.equalOpportunityDifference = MetricValue::of(*std::max_element(tpr.begin(), tpr.end()) -
                                                       *std::min_element(tpr.begin(), tpr.end()));
    return r;
}

}  // namespace neurite
