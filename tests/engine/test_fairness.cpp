// Group fairness metrics against hand-computed rates, and groups that leave a rate undefined.
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "metrics/fairness.h"

using namespace neurite;

class TestFairness : public QObject {
    Q_OBJECT
private slots:
    void twoGroups() {
        // group a: labels 1 1 0 0, predictions 1 0 0 1: correct 2/4, selected 2/4, TPR 1/2
        // group b: labels 1 0 0 0, predictions 1 1 1 0: correct 2/4, selected 3/4, TPR 1/1
        const FairnessReport r = groupFairness({1, 1, 0, 0, 1, 0, 0, 0}, {1, 0, 0, 1, 1, 1, 1, 0},
                                               {0, 0, 0, 0, 1, 1, 1, 1}, {"a", "b"}, 1);
        QCOMPARE(r.groups.size(), std::size_t(2));
        QCOMPARE(r.groups[0].accuracy.v, 0.5);
        QCOMPARE(r.groups[0].selectionRate.v, 0.5);
        QCOMPARE(r.groups[0].truePositiveRate.v, 0.5);
        QCOMPARE(r.groups[1].accuracy.v, 0.5);
        QCOMPARE(r.groups[1].selectionRate.v, 0.75);
        QCOMPARE(r.groups[1].truePositiveRate.v, 1.0);
        QCOMPARE(r.groups[1].positives, int64_t(1));
        QCOMPARE(r.demographicParityDifference.v, 0.25);  // .75 - .5
        QCOMPARE(r.equalOpportunityDifference.v, 0.5);    // 1 - .5
    }

    void groupWithoutPositives() {
        // group b has no sample of the positive class: its TPR and the difference are undefined
        const FairnessReport r =
            groupFairness({1, 0, 0, 0}, {1, 0, 1, 0}, {0, 0, 1, 1}, {"a", "b"}, 1);
        QVERIFY(!r.groups[1].truePositiveRate.defined());
        QVERIFY(!r.equalOpportunityDifference.defined());
        QVERIFY2(r.equalOpportunityDifference.undefinedReason.find("group 'b'") !=
                     std::string::npos,
                 r.equalOpportunityDifference.undefinedReason.c_str());
        QCOMPARE(r.demographicParityDifference.v, 0.0);  // .5 and .5
    }

    void emptyGroupIsListedButLeftOut() {
        const FairnessReport r = groupFairness({1, 0}, {1, 1}, {0, 0}, {"a", "b"}, 1);
        QCOMPARE(r.groups[1].count, int64_t(0));
        QVERIFY(!r.groups[1].accuracy.defined());
        QCOMPARE(r.demographicParityDifference.v, 0.0);
        QCOMPARE(r.equalOpportunityDifference.v, 0.0);
    }

    void rejectsBadInput() {
        QVERIFY_THROWS_EXCEPTION(Error, groupFairness({1}, {1, 0}, {0}, {"a"}, 1));
        QVERIFY_THROWS_EXCEPTION(Error, groupFairness({1}, {1}, {3}, {"a"}, 1));
    }
};

QTEST_GUILESS_MAIN(TestFairness)
#include "test_fairness.moc"
