// Classification metrics from the confusion matrix and the probabilities; see the header for the
// formulas. Counts are integers, so every ratio is computed once from exact sums.
#include "metrics/classification.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace neurite {

namespace {

double ratio(int64_t a, int64_t b) {
    return static_cast<double>(a) / static_cast<double>(b);
}

std::string quoted(const std::string& name) {
    return "'" + name + "'";
}

void perClassMetrics(ClassificationMetrics& m, const std::vector<std::string>& names) {
    const int k = m.confusion.numClasses;
    m.perClass.resize(static_cast<std::size_t>(k));
    for (int c = 0; c < k; ++c) {
        ClassMetrics& pc = m.perClass[static_cast<std::size_t>(c)];
        pc.name = names[static_cast<std::size_t>(c)];
        const int64_t tp = m.confusion.at(c, c);
        for (int o = 0; o < k; ++o) {
            pc.support += m.confusion.at(c, o);
            pc.predicted += m.confusion.at(o, c);
        }
        const int64_t fp = pc.predicted - tp, fn = pc.support - tp;
        pc.precision = pc.predicted > 0
                           ? MetricValue::of(ratio(tp, pc.predicted))
                           : MetricValue::undefined("precision of class " + quoted(pc.name) +
                                                    " undefined: never predicted");
        pc.recall = pc.support > 0
                        ? MetricValue::of(ratio(tp, pc.support))
                        : MetricValue::undefined("recall of class " + quoted(pc.name) +
                                                 " undefined: no sample of it in the split");
        pc.f1 = 2 * tp + fp + fn > 0
                    ? MetricValue::of(ratio(2 * tp, 2 * tp + fp + fn))
                    : MetricValue::undefined("F1 of class " + quoted(pc.name) +
                                             " undefined: neither present nor predicted");
    }
}

void averages(ClassificationMetrics& m) {
    if (m.count == 0) {
        const MetricValue u = MetricValue::undefined("undefined: the split is empty");
        m.macro = m.weighted = m.micro = {u, u, u};
        return;
    }
    double mp = 0, mr = 0, mf = 0, wp = 0, wr = 0, wf = 0;
    int present = 0;
    int64_t tp = 0;
    for (const ClassMetrics& pc : m.perClass) {
        if (pc.support == 0 && pc.predicted == 0) continue;
        ++present;
        mp += pc.precision.defined() ? pc.precision.v : 0;
        mr += pc.recall.defined() ? pc.recall.v : 0;
        mf += pc.f1.defined() ? pc.f1.v : 0;
        const double w = static_cast<double>(pc.support);
        wp += w * (pc.precision.defined() ? pc.precision.v : 0);
        wr += w * (pc.recall.defined() ? pc.recall.v : 0);
        wf += w * (pc.f1.defined() ? pc.f1.v : 0);
    }
    for (int c = 0; c < m.confusion.numClasses; ++c)
        tp += m.confusion.at(c, c);
    const double n = static_cast<double>(m.count);
    m.macro = {MetricValue::of(mp / present), MetricValue::of(mr / present),
               MetricValue::of(mf / present)};
    m.weighted = {MetricValue::of(wp / n), MetricValue::of(wr / n), MetricValue::of(wf / n)};
    // Single-label data: summed fp and summed fn both equal n - tp, so all three are tp / n.
    const MetricValue micro = MetricValue::of(ratio(tp, m.count));
    m.micro = {micro, micro, micro};
}

void agreement(ClassificationMetrics& m) {
    const int k = m.confusion.numClasses;
    const double n = static_cast<double>(m.count);
    double tp = 0, pt = 0, pp = 0, tt = 0;
    for (int c = 0; c < k; ++c) {
        const ClassMetrics& pc = m.perClass[static_cast<std::size_t>(c)];
        tp += static_cast<double>(m.confusion.at(c, c));
        pt += static_cast<double>(pc.predicted) * static_cast<double>(pc.support);
        pp += static_cast<double>(pc.predicted) * static_cast<double>(pc.predicted);
        tt += static_cast<double>(pc.support) * static_cast<double>(pc.support);
    }
    if (m.count == 0) {
        m.kappa = m.mcc = MetricValue::undefined("undefined: the split is empty");
        return;
    }
    const double po = tp / n, pe = pt / (n * n);
    m.kappa =
        pe < 1 ? MetricValue::of((po - pe) / (1 - pe))
               : MetricValue::undefined("Cohen's kappa undefined: the labels and the predictions "
                                        "are all the same single class (chance agreement is 1)");
    const double a = n * n - pp, b = n * n - tt;
    if (b <= 0)
        m.mcc = MetricValue::undefined("MCC undefined: the split holds only one class");
    else if (a <= 0)
        m.mcc =
            MetricValue::undefined("MCC undefined: every sample is predicted as the same class");
    else
        m.mcc = MetricValue::of((n * tp - pt) / std::sqrt(a * b));
}

}  // namespace

std::vector<double> ConfusionMatrix::rowNormalized() const {
    std::vector<double> out(counts.size(), 0.0);
    for (int t = 0; t < numClasses; ++t) {
        int64_t sum = 0;
        for (int p = 0; p < numClasses; ++p)
            sum += at(t, p);
        if (sum == 0) continue;
        for (int p = 0; p < numClasses; ++p)
            out[static_cast<std::size_t>(t * numClasses + p)] = ratio(at(t, p), sum);
    }
    return out;
}

ConfusionMatrix confusionMatrix(const std::vector<int32_t>& labels,
                                const std::vector<int32_t>& predicted, int numClasses) {
    if (labels.size() != predicted.size())
        throwBadInput("confusion matrix: " + std::to_string(labels.size()) + " labels but " +
                      std::to_string(predicted.size()) + " predictions");
    ConfusionMatrix cm;
    cm.numClasses = numClasses;
    cm.counts.assign(static_cast<std::size_t>(numClasses * numClasses), 0);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] >= numClasses || predicted[i] < 0 ||
            predicted[i] >= numClasses)
            throwBadInput("confusion matrix: sample " + std::to_string(i) +
                          " has a class outside [0, " + std::to_string(numClasses) + ")");
        ++cm.counts[static_cast<std::size_t>(labels[i] * numClasses + predicted[i])];
    }
    return cm;
}

MetricValue topKAccuracy(const ClassScores& scores, int k) {
    if (scores.count() == 0)
        return MetricValue::undefined("top-k accuracy undefined: the split is empty");
    int64_t hits = 0;
    for (int64_t i = 0; i < scores.count(); ++i) {
        const float* r = scores.row(i);
        const float truth = r[scores.labels[static_cast<std::size_t>(i)]];
        int higher = 0;
        for (int c = 0; c < scores.numClasses(); ++c)
            higher += r[c] > truth;
        hits += higher < k;
    }
    return MetricValue::of(ratio(hits, scores.count()));
}

double logLoss(const ClassScores& scores) {
    double sum = 0;
    for (int64_t i = 0; i < scores.count(); ++i) {
        const double p = scores.row(i)[scores.labels[static_cast<std::size_t>(i)]];
        sum -= std::log(std::clamp(p, 1e-15, 1.0));
    }
    return scores.count() > 0 ? sum / static_cast<double>(scores.count()) : 0.0;
}

ClassificationMetrics classificationMetrics(const ClassScores& scores) {
    scores.check();
    ClassificationMetrics m;
    m.count = scores.count();
    const int k = scores.numClasses();
    m.confusion = confusionMatrix(scores.labels, scores.predictions(), k);
    perClassMetrics(m, scores.classNames);
    averages(m);
    agreement(m);
    if (m.count == 0) {
        m.accuracy = m.balancedAccuracy = m.logLoss = m.topKAccuracy =
            MetricValue::undefined("undefined: the split is empty");
        return m;
    }
    m.accuracy = m.micro.recall;
    double recallSum = 0;
    int present = 0;
    for (const ClassMetrics& pc : m.perClass)
        if (pc.recall.defined()) {
            recallSum += pc.recall.v;
            ++present;
        }
    m.balancedAccuracy = MetricValue::of(recallSum / present);
    m.logLoss = MetricValue::of(logLoss(scores));
    m.topK = k > 5 ? 5 : k > 2 ? 2 : 0;
    if (m.topK > 0)
        m.topKAccuracy = topKAccuracy(scores, m.topK);
    else
        m.topKAccuracy = MetricValue::undefined("top-k accuracy not computed for 2 classes");
    return m;
}

}  // namespace neurite
