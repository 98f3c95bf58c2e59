// Exact ROC/PR curves: one sort per binary problem, one pass over the distinct thresholds.
#include "metrics/curves.h"

#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "core/error.h"

namespace neurite {

namespace {

// A float's bits as an unsigned integer ordered like the floats (-0 folded into +0, NaN excluded).
uint32_t orderedBits(float f) {
    if (f == 0.f) f = 0.f;
    uint32_t u = 0;
    std::memcpy(&u, &f, sizeof u);
    return (u & 0x80000000u) ? ~u : (u | 0x80000000u);
}

double fromOrderedBits(uint32_t u) {
    u = (u & 0x80000000u) ? (u & 0x7fffffffu) : ~u;
    float f = 0;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

uint64_t keyOf(float score, bool positive) {
    return static_cast<uint64_t>(orderedBits(score)) << 1 | (positive ? 1u : 0u);
}

// LSD radix sort of 33-bit keys (ordered score bits, then the positive bit): 3 passes of 11
// bits; a 60k-sample sort takes well under a millisecond, several times faster than std::sort.
void radixSort(std::vector<uint64_t>& keys, std::vector<uint64_t>& tmp) {
    tmp.resize(keys.size());
    for (int shift = 0; shift < 33; shift += 11) {
        std::array<std::size_t, 2049> start{};
        for (uint64_t k : keys)
            ++start[((k >> shift) & 2047) + 1];
        for (std::size_t b = 1; b < start.size(); ++b)
            start[b] += start[b - 1];
        for (uint64_t k : keys)
            tmp[start[(k >> shift) & 2047]++] = k;
        keys.swap(tmp);
    }
}

struct Threshold {
    double t;
    int64_t tp, fp;  // positives and negatives scoring >= t
    uint32_t bits = 0;
};

// Buffers reused by the binary problems of one report: a report then allocates (and the kernel
// zero-fills) its large buffers once instead of once per class.
struct Scratch {
    std::vector<uint64_t> keys, tmp;  // keyOf() of every sample
    std::vector<Threshold> th;
    std::vector<double> fpr, tpr, precision;
};

std::string quoted(const std::string& name) {
    return "'" + name + "'";
}

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
            const std::string why = colon == std::string::npos
                                        ? v.undefinedReason
                                        : v.undefinedReason.substr(colon + 2);
            return MetricValue::undefined(
                std::string(roc ? "macro AUC" : "macro average precision") + " undefined: " + why);
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
        for (std::size_t i = 0; i < n; ++i)
            keep[i] = i;
        return keep;
    }
    std::vector<double> length(n, 0.0);
    for (std::size_t i = 1; i < n; ++i)
        length[i] = length[i - 1] + std::sqrt((x[i] - x[i - 1]) * (x[i] - x[i - 1]) +
                                              (y[i] - y[i - 1]) * (y[i] - y[i - 1]));
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

namespace {

// The curves of the binary problem whose keys are in s.keys (which this reorders).
BinaryCurves curvesOfKeys(Scratch& s, std::size_t maxPoints, bool withCurves) {
    std::vector<uint64_t>& keys = s.keys;
    radixSort(keys, s.tmp);

    // Walk the distinct thresholds, descending, with cumulative counts; th keeps them for the
    // curves ([0] is +inf with nothing above it).
    BinaryCurves c;
    const Threshold start{std::numeric_limits<double>::infinity(), 0, 0};
    std::vector<Threshold>& th = s.th;
    th.assign(1, start);
    Threshold prev = start, cur = start;
    // Twice the trapezoid area in units of one positive times one negative: exact in integers.
    int64_t area2 = 0;
    double apSum = 0;  // sum of (tp_i - tp_{i-1}) precision_i; divided by P once, so a perfect
                       // ranking gives exactly 1
    const auto close = [&] {
        area2 += (cur.fp - prev.fp) * (cur.tp + prev.tp);
        apSum += static_cast<double>(cur.tp - prev.tp) * static_cast<double>(cur.tp) /
                 static_cast<double>(cur.tp + cur.fp);
        if (withCurves) th.push_back(cur);
        prev = cur;
    };
    for (std::size_t i = keys.size(); i-- > 0;) {
        const uint32_t bits = static_cast<uint32_t>(keys[i] >> 1);
        if (i + 1 == keys.size() || bits != cur.bits) {
            if (i + 1 != keys.size()) close();
            cur = {fromOrderedBits(bits), prev.tp, prev.fp, bits};
        }
        (keys[i] & 1 ? cur.tp : cur.fp) += 1;
    }
    if (!keys.empty()) close();
    c.positives = prev.tp;
    c.negatives = prev.fp;
    const double P = static_cast<double>(c.positives), N = static_cast<double>(c.negatives);
    if (c.positives == 0 || c.negatives == 0)
        c.roc.auc = MetricValue::undefined(c.positives == 0 ? "AUC undefined: no positive sample"
                                                            : "AUC undefined: no negative sample");
    else
        c.roc.auc = MetricValue::of(static_cast<double>(area2) / (2.0 * P * N));
    c.pr.averagePrecision =
        c.positives > 0 ? MetricValue::of(apSum / P)
                        : MetricValue::undefined("average precision undefined: no positive sample");
    if (!withCurves) return c;

    std::vector<double>&fpr = s.fpr, &tpr = s.tpr, &precision = s.precision;
    fpr.resize(th.size());
    tpr.resize(th.size());
    precision.resize(th.size());
    for (std::size_t i = 0; i < th.size(); ++i) {
        fpr[i] = N > 0 ? static_cast<double>(th[i].fp) / N : 0.0;
        tpr[i] = P > 0 ? static_cast<double>(th[i].tp) / P : 0.0;
        precision[i] =
            i == 0 ? 1.0 : static_cast<double>(th[i].tp) / static_cast<double>(th[i].tp + th[i].fp);
    }
    for (std::size_t i : thinIndices(fpr, tpr, maxPoints)) {
        c.roc.fpr.push_back(fpr[i]);
        c.roc.tpr.push_back(tpr[i]);
        c.roc.thresholds.push_back(th[i].t);
    }
    for (std::size_t i : thinIndices(tpr, precision, maxPoints)) {
        c.pr.recall.push_back(tpr[i]);
        c.pr.precision.push_back(precision[i]);
        c.pr.thresholds.push_back(th[i].t);
    }
    return c;
}

}  // namespace

BinaryCurves binaryCurves(std::span<const float> scores, std::span<const uint8_t> positive,
                          std::size_t maxPoints, bool withCurves) {
    if (scores.size() != positive.size())
        throwBadInput("curves: " + std::to_string(scores.size()) + " scores for " +
                      std::to_string(positive.size()) + " labels");
    Scratch s;
    s.keys.resize(scores.size());
    for (std::size_t i = 0; i < scores.size(); ++i) {
        if (std::isnan(scores[i]))
            throwBadInput("curves: the score of sample " + std::to_string(i) + " is NaN");
        s.keys[i] = keyOf(scores[i], positive[i] != 0);
    }
    return curvesOfKeys(s, maxPoints, withCurves);
}

CurveReport curveReport(const ClassScores& scores, std::size_t maxPoints) {
    scores.check();
    const int k = scores.numClasses();
    const std::size_t n = scores.labels.size();
    const auto& names = scores.classNames;
    CurveReport r;
    Scratch s;  // the probabilities are finite: check() said so
    const std::size_t kk = static_cast<std::size_t>(k);
    for (int c = k == 2 ? 1 : 0; c < k; ++c) {
        s.keys.resize(n);
        for (std::size_t i = 0; i < n; ++i)
            s.keys[i] =
                keyOf(scores.probs[i * kk + static_cast<std::size_t>(c)], scores.labels[i] == c);
        ClassCurves cc{names[static_cast<std::size_t>(c)], curvesOfKeys(s, maxPoints, true)};
        nameUndefined(cc.curves, quoted(cc.name));
        if (k == 2 && n > 0 && cc.curves.positives == 0)
            cc.curves.roc.auc.undefinedReason =
                "AUC undefined: the split holds only class " + quoted(names[0]);
        r.perClass.push_back(std::move(cc));
    }
    if (k == 2) {
        const MetricValue u = MetricValue::undefined("no macro/micro average for a binary problem");
        r.aucMacro = r.aucMicro = r.apMacro = r.apMicro = u;
        return r;
    }
    r.aucMacro = macroOf(r.perClass, true);
    r.apMacro = macroOf(r.perClass, false);
    s.keys.resize(n * kk);
    for (std::size_t i = 0; i < n * kk; ++i)
        s.keys[i] = keyOf(scores.probs[i], scores.labels[i / kk] == static_cast<int32_t>(i % kk));
    const BinaryCurves micro = curvesOfKeys(s, 0, false);
    const char* empty = "undefined: the split is empty";
    r.aucMicro = n > 0 ? micro.roc.auc : MetricValue::undefined(std::string("micro AUC ") + empty);
    r.apMicro = n > 0 ? micro.pr.averagePrecision
                      : MetricValue::undefined(std::string("micro average precision ") + empty);
    return r;
}

}  // namespace neurite
