// Classification and regression metrics against hand-computed values (arithmetic in comments),
// and the awkward cases: ties, all-equal scores, a perfect and an inverted classifier, a class
// never predicted, a split with one class, an empty split.
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "metrics/classification.h"
#include "metrics/curves.h"
#include "metrics/evaluation.h"
#include "metrics/regression.h"

using namespace neurite;

namespace {

// Six samples of classes A, B, C; the predicted class gets the larger probability.
//   sample  true  probs (A, B, C)    predicted
//   0       A     .6 .2 .2           A
//   1       A     .3 .1 .6           C
//   2       B     .2 .6 .2           B
//   3       B     .2 .6 .2           B
//   4       B     .5 .1 .4           A
//   5       C     .2 .2 .6           C
ClassScores threeClasses() {
    ClassScores s;
    s.classNames = {"A", "B", "C"};
    s.labels = {0, 0, 1, 1, 1, 2};
    s.probs = {.6f, .2f, .2f, .3f, .1f, .6f, .2f, .6f, .2f,
               .2f, .6f, .2f, .5f, .1f, .4f, .2f, .2f, .6f};
    return s;
}

ClassScores binary(std::vector<int32_t> labels, const std::vector<float>& p1) {
    ClassScores s;
    s.classNames = {"neg", "pos"};
    s.labels = std::move(labels);
    for (float p : p1) {
        s.probs.push_back(1.f - p);
        s.probs.push_back(p);
    }
    return s;
}

void near(double actual, double expected, double tol = 1e-6) {
    QVERIFY2(std::abs(actual - expected) <= tol,
             qPrintable(
                 QString("got %1, expected %2").arg(actual, 0, 'g', 12).arg(expected, 0, 'g', 12)));
}

#define NEAR(value, expected)                                                                      \
    do {                                                                                           \
        QVERIFY2((value).defined(), (value).undefinedReason.c_str());                              \
        near((value).v, (expected));                                                               \
        if (QTest::currentTestFailed()) return;                                                    \
    } while (0)

}  // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private slots:
    void confusionMatrixCounts() {
        const ClassificationMetrics m = classificationMetrics(threeClasses());
        // rows = true A, B, C; columns = predicted A, B, C
        const std::vector<int64_t> expected{1, 0, 1, 1, 2, 0, 0, 0, 1};
        QVERIFY(m.confusion.counts == expected);
        const std::vector<double> norm = m.confusion.rowNormalized();
        near(norm[0], 0.5);
        near(norm[3], 1.0 / 3);
        near(norm[4], 2.0 / 3);
        near(norm[8], 1.0);
    }

    void multiClassMetrics() {
        const ClassificationMetrics m = classificationMetrics(threeClasses());
        NEAR(m.accuracy, 4.0 / 6);  // 1 + 2 + 1 correct of 6
        // predicted A: 2 (samples 0, 4), B: 2, C: 2; support 2, 3, 1
        // precision A 1/2, B 2/2, C 1/2; recall A 1/2, B 2/3, C 1/1
        NEAR(m.perClass[0].precision, 0.5);
        NEAR(m.perClass[1].precision, 1.0);
        NEAR(m.perClass[2].precision, 0.5);
        NEAR(m.perClass[1].recall, 2.0 / 3);
        // f1 = 2tp/(2tp+fp+fn): A 2/(2+1+1) = .5, B 4/(4+0+1) = .8, C 2/(2+1+0) = 2/3
        NEAR(m.perClass[0].f1, 0.5);
        NEAR(m.perClass[1].f1, 0.8);
        NEAR(m.perClass[2].f1, 2.0 / 3);
        NEAR(m.macro.precision, 2.0 / 3);                               // (.5 + 1 + .5) / 3
        NEAR(m.macro.recall, (0.5 + 2.0 / 3 + 1) / 3);                  // .722222
        NEAR(m.macro.f1, (0.5 + 0.8 + 2.0 / 3) / 3);                    // .655556
        NEAR(m.weighted.precision, (2 * 0.5 + 3 * 1.0 + 1 * 0.5) / 6);  // .75
        NEAR(m.weighted.recall, 4.0 / 6);                               // = accuracy
        NEAR(m.weighted.f1, (2 * 0.5 + 3 * 0.8 + 1 * (2.0 / 3)) / 6);   // .677778
        NEAR(m.micro.precision, 4.0 / 6);
        NEAR(m.micro.f1, 4.0 / 6);
        NEAR(m.balancedAccuracy, (0.5 + 2.0 / 3 + 1) / 3);
        // p_o = 4/6, p_e = (2*2 + 3*2 + 1*2) / 36 = 1/3, kappa = (2/3 - 1/3) / (2/3) = .5
        NEAR(m.kappa, 0.5);
        // n=6, sum tp=4, sum p_k t_k = 12, sum p_k^2 = 12, sum t_k^2 = 4+9+1 = 14
        // mcc = (6*4 - 12) / sqrt((36-12)(36-14)) = 12 / sqrt(528)
        NEAR(m.mcc, 12.0 / std::sqrt(528.0));
        // -(ln .6 * 4 + ln .3 + ln .1) / 6
        NEAR(m.logLoss, -(4 * std::log(0.6) + std::log(0.3) + std::log(0.1)) / 6);
        // top-2: sample 4's true class B (.1) has two classes above it; the others are in the top 2
        QCOMPARE(m.topK, 2);
        NEAR(m.topKAccuracy, 5.0 / 6);
    }

    void topKCountsTiesInFavour() {
        ClassScores s;
        s.classNames = {"a", "b", "c", "d"};
        s.labels = {3};
        s.probs = {.4f, .2f, .2f, .2f};  // d ties with b and c behind a: in the top 2
        NEAR(topKAccuracy(s, 2), 1.0);
        s.probs = {.4f, .3f, .2f, .1f};  // d is 4th
        NEAR(topKAccuracy(s, 2), 0.0);
        NEAR(topKAccuracy(s, 4), 1.0);
    }

    void classNeverPredicted() {
        ClassScores s = threeClasses();
        s.probs[5] = .2f;  // sample 1 now predicted A (.3) instead of C
        s.probs[3] = .7f;
        s.probs[14] = .2f;  // sample 4: A .5 stays predicted
        s.probs[17] = .1f;  // sample 5: C .1 -> predicted A or B (.2 tie -> A)
        s.probs[15] = .7f;
        const ClassificationMetrics m = classificationMetrics(s);
        QCOMPARE(m.perClass[2].predicted, int64_t(0));
        QVERIFY(!m.perClass[2].precision.defined());
        QCOMPARE(QString::fromStdString(m.perClass[2].precision.undefinedReason),
                 QString("precision of class 'C' undefined: never predicted"));
        // C is present (support 1) with tp 0: recall 0, f1 = 0 / (0 + 0 + 1) = 0
        NEAR(m.perClass[2].recall, 0.0);
        NEAR(m.perClass[2].f1, 0.0);
        // macro precision counts the undefined one as 0 over the 3 present classes
        QVERIFY(m.macro.precision.defined());
        const double pa = m.perClass[0].precision.v, pb = m.perClass[1].precision.v;
        near(m.macro.precision.v, (pa + pb + 0) / 3);
    }

    void classAbsentFromSplit() {
        ClassScores s;
        s.classNames = {"A", "B", "C"};
        s.labels = {0, 1};
        s.probs = {.8f, .1f, .1f, .1f, .8f, .1f};
        const ClassificationMetrics m = classificationMetrics(s);
        QVERIFY(!m.perClass[2].recall.defined());
        QVERIFY(!m.perClass[2].f1.defined());
        NEAR(m.macro.f1,
             1.0);  // C is left out of the macro average (neither present nor predicted)
        NEAR(m.balancedAccuracy, 1.0);
        const std::vector<double> norm = m.confusion.rowNormalized();
        QCOMPARE(norm[6] + norm[7] + norm[8], 0.0);  // an empty row stays zero, not NaN
        const CurveReport c = curveReport(s);
        QVERIFY(!c.perClass[2].curves.roc.auc.defined());
        QVERIFY(!c.aucMacro.defined());
        QVERIFY2(c.aucMacro.undefinedReason.find("no sample of class 'C'") != std::string::npos,
                 c.aucMacro.undefinedReason.c_str());
        QVERIFY(c.aucMicro.defined());
    }

    void oneClassSplit() {
        const ClassScores s = binary({1, 1, 1}, {.9f, .2f, .6f});
        const EvaluationReport r = evaluateClassification(s, "validation");
        QVERIFY(!r.curves->auc().defined());
        QCOMPARE(QString::fromStdString(r.curves->auc().undefinedReason),
                 QString("AUC undefined: the split holds only class 'pos'"));
        QVERIFY(!r.classification->mcc.defined());
        NEAR(r.classification->accuracy, 2.0 / 3);
        const ClassScores negatives = binary({0, 0}, {.9f, .2f});
        const CurveReport c = curveReport(negatives);
        QCOMPARE(QString::fromStdString(c.auc().undefinedReason),
                 QString("AUC undefined: the split holds only class 'neg'"));
        QVERIFY(!c.perClass[0].curves.pr.averagePrecision.defined());
    }

    void allSameClassPredictedAndTrue() {
        const ClassificationMetrics m = classificationMetrics(binary({0, 0}, {.1f, .2f}));
        QVERIFY(!m.kappa.defined());  // p_e = 1
        QVERIFY(!m.mcc.defined());
        NEAR(m.accuracy, 1.0);
    }

    void emptySplit() {
        const ClassScores s = binary({}, {});
        const EvaluationReport r = evaluateClassification(s, "test");
        QVERIFY(!r.classification->accuracy.defined());
        QVERIFY(!r.classification->macro.f1.defined());
        QVERIFY(!r.curves->auc().defined());
    }

    void rejectsBadScores() {
        ClassScores s = binary({0, 2}, {.1f, .2f});
        QVERIFY_THROWS_EXCEPTION(Error, classificationMetrics(s));
        s = binary({0, 1}, {.1f, NAN});
        QVERIFY_THROWS_EXCEPTION(Error, curveReport(s));
    }

    void regression() {
        // errors 1, 0, -2: MSE 5/3, MAE 1; mean target 11/3, SS_tot = 18.6667, R² = 1 - 5/18.6667
        const std::vector<float> pred{2, 3, 5}, target{1, 3, 7};
        const RegressionMetrics m = regressionMetrics(pred, target, 1);
        NEAR(m.mse, 5.0 / 3);
        NEAR(m.rmse, std::sqrt(5.0 / 3));
        NEAR(m.mae, 1.0);
        const double mean = 11.0 / 3;
        const double ssTot =
            (1 - mean) * (1 - mean) + (3 - mean) * (3 - mean) + (7 - mean) * (7 - mean);
        NEAR(m.r2, 1 - 5.0 / ssTot);
        const std::vector<float> constant{4, 4, 4};
        QVERIFY(!regressionMetrics(pred, constant, 1).r2.defined());
        QVERIFY_THROWS_EXCEPTION(Error, regressionMetrics(pred, constant, 2));
    }

    void regressionTwoOutputsAveragesR2() {
        // output 0: pred (1, 3) target (1, 3): R² 1; output 1: pred (0, 0) target (1, 3):
        // SS_res = 1 + 9 = 10, SS_tot = 1 + 1 = 2, R² = -4; mean -1.5
        const std::vector<float> pred{1, 0, 3, 0}, target{1, 1, 3, 3};
        const RegressionMetrics m = regressionMetrics(pred, target, 2);
        NEAR(m.r2, -1.5);
        NEAR(m.mse, 10.0 / 4);
    }

    void probabilities() {
        std::vector<float> p;
        const float logits[] = {0.f, std::log(3.f), 1000.f, 0.f};
        appendProbabilities(logits, 2, 2, p);  // softmax: (1/4, 3/4), (1, 0) without overflow
        near(p[0], 0.25, 1e-6);
        near(p[1], 0.75, 1e-6);
        near(p[2], 1.0);
        near(p[3], 0.0);
        p.clear();
        const float one[] = {0.f, std::log(4.f)};
        appendProbabilities(one, 2, 1, p);  // sigmoid: .5 and 4/5
        QCOMPARE(p.size(), std::size_t(4));
        near(p[1], 0.5);
        near(p[3], 0.8, 1e-6);
        near(p[2], 0.2, 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
