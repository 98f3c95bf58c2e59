// ROC and precision-recall curves: hand-computed AUC and AP (sklearn's documented examples among
// them), ties as one threshold, order independence, shape invariants, thinning, one-vs-rest.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/random.h"
#include "metrics/curves.h"

using namespace neurite;

namespace {

BinaryCurves curves(const std::vector<int>& labels, const std::vector<float>& scores,
                    std::size_t maxPoints = 0) {
    std::vector<uint8_t> pos(labels.begin(), labels.end());
    return binaryCurves(scores, pos, maxPoints);
}

// Pairwise oracle: P(score_pos > score_neg) + 1/2 P(tie).
double mannWhitney(const std::vector<uint8_t>& pos, const std::vector<float>& s) {
    double wins = 0, pairs = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        for (std::size_t j = 0; j < s.size(); ++j)
            if (pos[i] && !pos[j]) {
                wins += s[i] > s[j] ? 1.0 : s[i] == s[j] ? 0.5 : 0.0;
                pairs += 1;
            }
    return wins / pairs;
}

double trapezoid(const std::vector<double>& x, const std::vector<double>& y) {
    double a = 0;
    for (std::size_t i = 1; i < x.size(); ++i)
        a += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
    return a;
}

void checkRocShape(const RocCurve& r) {
    QVERIFY(!r.fpr.empty());
    QCOMPARE(r.fpr.front(), 0.0);
    QCOMPARE(r.tpr.front(), 0.0);
    QCOMPARE(r.fpr.back(), 1.0);
    QCOMPARE(r.tpr.back(), 1.0);
    for (std::size_t i = 1; i < r.fpr.size(); ++i) {
        QVERIFY(r.fpr[i] >= r.fpr[i - 1]);
        QVERIFY(r.tpr[i] >= r.tpr[i - 1]);
        QVERIFY(r.thresholds[i] < r.thresholds[i - 1]);
    }
}

}  // namespace

class TestCurves : public QObject {
    Q_OBJECT
private slots:
    void sklearnExample() {
        // sklearn docs: y = (0,0,1,1), scores (.1,.4,.35,.8): roc_auc_score .75,
        // average_precision_score = .5 * 1 (at .8) + 0 (at .4) + .5 * 2/3 (at .35) = .8333
        const BinaryCurves c = curves({0, 0, 1, 1}, {.1f, .4f, .35f, .8f});
        QCOMPARE(c.roc.auc.v, 0.75);
        QVERIFY(std::abs(c.pr.averagePrecision.v - 5.0 / 6) < 1e-12);
        checkRocShape(c.roc);
        QCOMPARE(c.roc.fpr.size(), std::size_t(5));  // +inf and 4 distinct thresholds
    }

    void tiesAreOneThreshold() {
        // positives .5 .9, negatives .5 .2: pairs (.5,.5) tie 1/2, (.5,.2) 1, (.9,.5) 1, (.9,.2) 1
        // AUC 3.5 / 4; AP: at .9 recall .5 precision 1, at .5 recall 1 precision 2/3 -> .8333
        const BinaryCurves c = curves({0, 1, 0, 1}, {.5f, .5f, .2f, .9f});
        QCOMPARE(c.roc.auc.v, 0.875);
        QVERIFY(std::abs(c.pr.averagePrecision.v - (0.5 + 0.5 * 2.0 / 3)) < 1e-12);
        // one point for the tied pair: (0,0) (0,.5) (.5,1) (1,1)
        QCOMPARE(c.roc.fpr, (std::vector<double>{0, 0, 0.5, 1}));
        QCOMPARE(c.roc.tpr, (std::vector<double>{0, 0.5, 1, 1}));
    }

    void allEqualScores() {
        // one threshold: the ROC is the diagonal, AUC 1/2; AP = 1 * precision 3/5
        const BinaryCurves c = curves({0, 1, 1, 0, 1}, {.5f, .5f, .5f, .5f, .5f});
        QCOMPARE(c.roc.fpr, (std::vector<double>{0, 1}));
        QCOMPARE(c.roc.tpr, (std::vector<double>{0, 1}));
        QCOMPARE(c.roc.auc.v, 0.5);
        QVERIFY(std::abs(c.pr.averagePrecision.v - 0.6) < 1e-12);
    }

    void perfectAndInverted() {
        const BinaryCurves perfect = curves({0, 0, 1, 1}, {.1f, .2f, .8f, .9f});
        QCOMPARE(perfect.roc.auc.v, 1.0);
        QCOMPARE(perfect.pr.averagePrecision.v, 1.0);
        checkRocShape(perfect.roc);
        const BinaryCurves inverted = curves({0, 0, 1, 1}, {.9f, .8f, .2f, .1f});
        QCOMPARE(inverted.roc.auc.v, 0.0);
        checkRocShape(inverted.roc);
        // precision at .2: 1/3 (recall .5), at .1: 2/4 (recall 1): AP = .5/3 + .5 * .5
        QVERIFY(std::abs(inverted.pr.averagePrecision.v - (0.5 / 3 + 0.25)) < 1e-12);
        QCOMPARE(inverted.pr.precision.front(), 1.0);
        QCOMPARE(inverted.pr.recall.back(), 1.0);
    }

    void undefinedWithoutBothClasses() {
        const BinaryCurves c = curves({1, 1}, {.3f, .7f});
        QVERIFY(!c.roc.auc.defined());
        QVERIFY(c.pr.averagePrecision.defined());
        const BinaryCurves n = curves({0, 0}, {.3f, .7f});
        QVERIFY(!n.roc.auc.defined());
        QVERIFY(!n.pr.averagePrecision.defined());
        for (double v : n.roc.tpr)
            QVERIFY(std::isfinite(v));
    }

    void matchesPairwiseOracle() {
        for (uint64_t seed = 1; seed <= 20; ++seed) {
            Rng rng(seed);
            const std::size_t n = 20 + seed * 7;
            std::vector<uint8_t> pos(n);
            std::vector<float> s(n);
            for (std::size_t i = 0; i < n; ++i) {
                pos[i] = rng.uniform() < 0.4;
                s[i] = std::floor(static_cast<float>(rng.uniform()) * 8) / 8;  // many ties
            }
            if (std::count(pos.begin(), pos.end(), 1) == 0) pos[0] = 1;
            if (std::count(pos.begin(), pos.end(), 0) == 0) pos[1] = 0;
            const BinaryCurves c = binaryCurves(s, pos);
            QVERIFY2(std::abs(c.roc.auc.v - mannWhitney(pos, s)) < 1e-12,
                     qPrintable(QString("seed %1").arg(seed)));
            QVERIFY(std::abs(c.roc.auc.v - trapezoid(c.roc.fpr, c.roc.tpr)) < 1e-12);
            checkRocShape(c.roc);
        }
    }

    void tiedOrderDoesNotMatter() {
        Rng rng(7);
        const std::size_t n = 2000;
        std::vector<uint8_t> pos(n);
        std::vector<float> s(n);
        for (std::size_t i = 0; i < n; ++i) {
            pos[i] = rng.uniform() < 0.3;
            s[i] = std::floor(static_cast<float>(rng.uniform()) * 10) / 10;
        }
        const BinaryCurves a = binaryCurves(s, pos);
        std::vector<uint32_t> perm(n);
        for (std::size_t i = 0; i < n; ++i)
            perm[i] = static_cast<uint32_t>(i);
        rng.shuffle(std::span(perm));
        std::vector<uint8_t> pos2(n);
        std::vector<float> s2(n);
        for (std::size_t i = 0; i < n; ++i) {
            pos2[i] = pos[perm[i]];
            s2[i] = s[perm[i]];
        }
        const BinaryCurves b = binaryCurves(s2, pos2);
        QCOMPARE(a.roc.fpr, b.roc.fpr);
        QCOMPARE(a.roc.tpr, b.roc.tpr);
        QCOMPARE(a.pr.precision, b.pr.precision);
        QCOMPARE(a.roc.auc.v, b.roc.auc.v);
        QCOMPARE(a.pr.averagePrecision.v, b.pr.averagePrecision.v);
        QCOMPARE(a.roc.fpr.size(), std::size_t(11));  // +inf and the 10 levels
    }

    void thinningKeepsShapeAndExactAuc() {
        Rng rng(42);
        const std::size_t n = 100000;
        std::vector<uint8_t> pos(n);
        std::vector<float> s(n);
        for (std::size_t i = 0; i < n; ++i) {
            pos[i] = rng.uniform() < 0.5;
            s[i] = static_cast<float>(rng.uniform() + (pos[i] ? 0.4 : 0.0));
        }
        const BinaryCurves full = binaryCurves(s, pos);
        const BinaryCurves thin = binaryCurves(s, pos, kCurvePoints);
        QVERIFY(full.roc.fpr.size() > 50000);
        QVERIFY(thin.roc.fpr.size() <= kCurvePoints);
        QVERIFY(thin.pr.recall.size() <= kCurvePoints);
        QVERIFY(thin.roc.fpr.size() > kCurvePoints / 2);
        QCOMPARE(thin.roc.auc.v, full.roc.auc.v);  // the reported AUC stays the exact one
        QCOMPARE(thin.pr.averagePrecision.v, full.pr.averagePrecision.v);
        const double drawn = trapezoid(thin.roc.fpr, thin.roc.tpr);
        QVERIFY2(std::abs(drawn - full.roc.auc.v) < 1e-3,
                 qPrintable(QString("thinned %1 exact %2").arg(drawn).arg(full.roc.auc.v)));
        checkRocShape(thin.roc);
    }

    void thinIndicesKeepEnds() {
        std::vector<double> x(1000), y(1000);
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] = y[i] = static_cast<double>(i);
        const auto idx = thinIndices(x, y, 10);
        QVERIFY(idx.size() <= 10 && idx.size() >= 9);
        QCOMPARE(idx.front(), std::size_t(0));
        QCOMPARE(idx.back(), std::size_t(999));
        QCOMPARE(thinIndices(x, y, 0).size(), std::size_t(1000));
    }

    void oneVsRestAndAverages() {
        // classes A B C, probabilities per sample (A, B, C) and the true class:
        //   A: (.6 .2 .2) (.3 .1 .6)   B: (.2 .6 .2) (.2 .6 .2) (.5 .1 .4)   C: (.2 .2 .6)
        ClassScores s;
        s.classNames = {"A", "B", "C"};
        s.labels = {0, 0, 1, 1, 1, 2};
        s.probs = {.6f, .2f, .2f, .3f, .1f, .6f, .2f, .6f, .2f,
                   .2f, .6f, .2f, .5f, .1f, .4f, .2f, .2f, .6f};
        const CurveReport r = curveReport(s);
        QCOMPARE(r.perClass.size(), std::size_t(3));
        // C vs rest: the positive (.6) beats .2 .2 .2 .4 and ties .6: (4 + .5) / 5 = .9
        QVERIFY(std::abs(r.perClass[2].curves.roc.auc.v - 0.9) < 1e-12);
        // AP of C: at .6 one positive and one negative: recall 1, precision .5
        QVERIFY(std::abs(r.perClass[2].curves.pr.averagePrecision.v - 0.5) < 1e-12);
        // A vs rest: positives .6 .3, negatives .2 .2 .5 .2: .6 beats 4, .3 beats 3 -> 7/8
        QVERIFY(std::abs(r.perClass[0].curves.roc.auc.v - 0.875) < 1e-12);
        // B vs rest: positives .6 .6 .1, negatives .2 .1 .2: .6 beats 3 (x2), .1 ties .1 -> 6.5/9
        QVERIFY(std::abs(r.perClass[1].curves.roc.auc.v - 6.5 / 9) < 1e-12);
        QVERIFY(std::abs(r.aucMacro.v - (0.875 + 6.5 / 9 + 0.9) / 3) < 1e-12);
        QVERIFY(r.aucMicro.defined() && r.aucMicro.v > 0.5 && r.aucMicro.v <= 1.0);
        QVERIFY(std::abs(r.auc().v - r.aucMacro.v) < 1e-15);
    }

    void microMatchesFlattenedBinary() {
        ClassScores s;
        s.classNames = {"A", "B", "C"};
        s.labels = {0, 1, 2, 2};
        s.probs = {.5f, .3f, .2f, .1f, .7f, .2f, .3f, .3f, .4f, .6f, .3f, .1f};
        std::vector<uint8_t> flat{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1};
        const CurveReport r = curveReport(s);
        QCOMPARE(r.aucMicro.v, mannWhitney(flat, s.probs));
    }

    void binaryUsesSecondClass() {
        ClassScores s;
        s.classNames = {"cat", "dog"};
        s.labels = {0, 1, 1};
        s.probs = {.8f, .2f, .3f, .7f, .6f, .4f};
        const CurveReport r = curveReport(s);
        QCOMPARE(r.perClass.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(r.perClass[0].name), QString("dog"));
        // dog scores: positives .7 .4, negative .2 -> AUC 1
        QCOMPARE(r.auc().v, 1.0);
        QVERIFY(!r.aucMacro.defined());
    }
};

QTEST_GUILESS_MAIN(TestCurves)
#include "test_curves.moc"
