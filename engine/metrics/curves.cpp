// Exact ROC/PR curves: one sort per binary problem, one pass over the distinct thresholds.
#include "metrics/curves.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "core/error.h"

namespace neurite {

namespace {

void keepOnly(std::vector<double>& v, const std::vector<std::size_t>& idx) {
    std::vector<double> out;
    out.reserve(idx.size());
    for (std::size_t i : idx) out.push_back(v[i]);
    v = std::move(out);
}

std::string quoted(const std::string& name) { return "'" + name + "'"; }

// Rewords the generic reasons of binaryCurves for one class of a split.
void nameUndefined(BinaryCurves& c, const std::string& positive) {
    if (c.positives == 0) {
        c.roc.auc.undefinedReason = "AUC undefined: the split holds no sample of class " + positive;
        c.pr.averagePrecision.undefinedReason =
            "average precision undefined: the split holds no sample of class " + positive;
    } else if (c.negatives == 0) {
        c.roc.auc.undefinedReason = "AUC undefined: the split holds only class " + positive;
    }
}

MetricValue macroOf(const std::vector<ClassCurves>& perClass, bool roc) {
    double sum = 0;
    for (const ClassCurves& c : perClass) {
        const MetricValue& v = roc ? c.curves.roc.auc : c.curves.pr.averagePrecision;
        if (!v.defined()) {
            // "AUC undefined: <why>" becomes "macro AUC undefined: <why>"
            const std::size_t colon = v.undefinedReason.find(": ");
            const std::string why =
                colon == std::string::npos ? v.undefinedReason : v.undefinedReason.substr(colon + 2);
            return MetricValue::undefined(std::string(roc ? "macro AUC" : "macro average precision") +
                                          " undefined: " + why);
        }
        sum += v.v;
    }
    return MetricValue::of(sum / static_cast<double>(perClass.size()));
}

}  // namespace

std::vector<std::size_t> thinIndices(const std::vector<double>& x, const std::vector<double>& y,
                                     std::size_t maxPoints) {
    const std::size_t n = x.size();
    std::vector<std::size_t> keep;
    if (maxPoints < 2 || n <= maxPoints) {
        keep.resize(n);
        for (std::size_t i = 0; i < n; ++i) keep[i] = i;
        return keep;
    }
    std::vector<double> length(n, 0.0);
    for (std::size_t i = 1; i < n; ++i)
        length[i] = length[i - 1] + std::hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
    const double step = length[n - 1] / static_cast<double>(maxPoints - 1);
    keep.push_back(0);
    double next = step;
    for (std::size_t i = 1; i + 1 < n; ++i)
        if (length[i] >= next && keep.size() + 1 < maxPoints) {
            keep.push_back(i);
            next = length[i] + step;
        }
    keep.push_back(n - 1);
    return keep;
}

BinaryCurves binaryCurves(std::span<const float> scores, std::span<const uint8_t> positive,
                          std::size_t maxPoints) {
    if (scores.size() != positive.size())
        throwBadInput("curves: " + std::to_string(scores.size()) + " scores for " +
                      std::to_string(positive.size()) + " labels");
    std::vector<std::pair<float, uint8_t>> s(scores.size());
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (std::isnan(scores[i])) throwBadInput("curves: the score of sample " + std::to_string(i) + " is NaN");
        s[i] = {scores[i], positive[i] != 0};
    }
    std::sort(s.begin(), s.end(), [](const auto& a, const auto& b) { return a.first > b.first; });

    BinaryCurves c;
    for (const auto& e : s) (e.second ? c.positives : c.negatives) += 1;
    const double P = static_cast<double>(c.positives), N = static_cast<double>(c.negatives);
    const double inf = std::numeric_limits<double>::infinity();
    RocCurve& roc = c.roc;
    PrCurve& pr = c.pr;
    roc.fpr = {0.0};
    roc.tpr = {0.0};
    roc.thresholds = {inf};
    pr.recall = {0.0};
    pr.precision = {1.0};
    pr.thresholds = {inf};
    int64_t tp = 0, fp = 0;
    // Twice the trapezoid area in units of one positive times one negative: exact in integers.
    int64_t area2 = 0;
    double apSum = 0;  // sum of (tp_i - tp_{i-1}) precision_i; divided by P once, so a perfect ranking gives exactly 1
    for (std::size_t i = 0; i < s.size();) {
        const float t = s[i].first;
        const int64_t tp0 = tp, fp0 = fp;
        for (; i < s.size() && s[i].first == t; ++i) (s[i].second ? tp : fp) += 1;
        area2 += (fp - fp0) * (tp + tp0);
        roc.fpr.push_back(N > 0 ? static_cast<double>(fp) / N : 0.0);
        roc.tpr.push_back(P > 0 ? static_cast<double>(tp) / P : 0.0);
        roc.thresholds.push_back(t);
        const double precision = static_cast<double>(tp) / static_cast<double>(tp + fp);
        apSum += static_cast<double>(tp - tp0) * precision;
        pr.recall.push_back(P > 0 ? static_cast<double>(tp) / P : 0.0);
        pr.precision.push_back(precision);
        pr.thresholds.push_back(t);
    }
    if (c.positives == 0 || c.negatives == 0)
        roc.auc = MetricValue::undefined(c.positives == 0 ? "AUC undefined: no positive sample"
                                                          : "AUC undefined: no negative sample");
    else
        roc.auc = MetricValue::of(static_cast<double>(area2) / (2.0 * P * N));
    pr.averagePrecision = c.positives > 0
                              ? MetricValue::of(apSum / P)
                              : MetricValue::undefined("average precision undefined: no positive sample");
    if (maxPoints > 0) {
        const auto r = thinIndices(roc.fpr, roc.tpr, maxPoints);
        keepOnly(roc.fpr, r);
        keepOnly(roc.tpr, r);
        keepOnly(roc.thresholds, r);
        const auto p = thinIndices(pr.recall, pr.precision, maxPoints);
        keepOnly(pr.recall, p);
        keepOnly(pr.precision, p);
        keepOnly(pr.thresholds, p);
    }
    return c;
}

CurveReport curveReport(const ClassScores& scores, std::size_t maxPoints) {
    scores.check();
    const int k = scores.numClasses();
    const std::size_t n = scores.labels.size();
    const auto& names = scores.classNames;
    CurveReport r;
    std::vector<float> s(n);
    std::vector<uint8_t> pos(n);
    const int first = k == 2 ? 1 : 0;
    for (int c = first; c < k; ++c) {
        for (std::size_t i = 0; i < n; ++i) {
            s[i] = scores.probs[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(c)];
            pos[i] = scores.labels[i] == c;
        }
        ClassCurves cc{names[static_cast<std::size_t>(c)], binaryCurves(s, pos, maxPoints)};
        nameUndefined(cc.curves, quoted(cc.name));
        if (k == 2 && n > 0 && cc.curves.positives == 0)
            cc.curves.roc.auc.undefinedReason = "AUC undefined: the split holds only class " + quoted(names[0]);
        r.perClass.push_back(std::move(cc));
    }
    if (k == 2) {
        const MetricValue u = MetricValue::undefined("no macro/micro average for a binary problem");
        r.aucMacro = r.aucMicro = r.apMacro = r.apMicro = u;
        return r;
    }
    r.aucMacro = macroOf(r.perClass, true);
    r.apMacro = macroOf(r.perClass, false);
    std::vector<uint8_t> flat(scores.probs.size(), 0);
    for (std::size_t i = 0; i < n; ++i) flat[i * static_cast<std::size_t>(k) + static_cast<std::size_t>(scores.labels[i])] = 1;
    BinaryCurves micro = binaryCurves(scores.probs, flat, 2);
    const char* empty = "undefined: the split is empty";
    r.aucMicro = n > 0 ? micro.roc.auc : MetricValue::undefined(std::string("micro AUC ") + empty);
    r.apMicro = n > 0 ? micro.pr.averagePrecision : MetricValue::undefined(std::string("micro average precision ") + empty);
    return r;
}

}  // namespace neurite
