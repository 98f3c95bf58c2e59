// Learning-rate schedules against hand-computed values (torch.optim.lr_scheduler semantics).
#include <QtTest>

#include "train/schedule.h"

using namespace neurite;

class TestSchedule : public QObject {
    Q_OBJECT
private slots:
    void constant() {
        LrSchedule s({}, 0.1f, 10, 5);
        QCOMPARE(s.lr(0, 0), 0.1f);
        QCOMPARE(s.lr(9, 4), 0.1f);
    }
    void stepDecaysEveryStepSize() {
        ScheduleConfig c;
        c.kind = ScheduleKind::Step;
        c.stepSize = 3;
        c.gamma = 0.5f;
        LrSchedule s(c, 0.8f, 10, 5);
        QCOMPARE(s.lr(2, 4), 0.8f);  // epochs 0..2 at the base rate
        QCOMPARE(s.lr(3, 0), 0.4f);  // 0.8 * 0.5
        QCOMPARE(s.lr(6, 0), 0.2f);  // 0.8 * 0.5^2
    }
    void exponential() {
        ScheduleConfig c;
        c.kind = ScheduleKind::Exponential;
        c.gamma = 0.9f;
        LrSchedule s(c, 1.0f, 10, 5);
        QVERIFY(qAbs(s.lr(2, 3) - 0.81f) < 1e-6f);
    }
    void cosineWithWarmup() {
        ScheduleConfig c;
        c.kind = ScheduleKind::Cosine;
        c.warmupEpochs = 1;
        c.minLr = 0.f;
        LrSchedule s(c, 1.0f, 3, 4);  // 12 steps: 4 warm-up, 8 cosine
        QVERIFY(qAbs(s.lr(0, 0) - 0.25f) < 1e-6f);  // (0+1)/4
        QVERIFY(qAbs(s.lr(0, 3) - 1.00f) < 1e-6f);  // (3+1)/4
        QVERIFY(qAbs(s.lr(1, 0) - 1.00f) < 1e-6f);  // cosine t=0
        QVERIFY(qAbs(s.lr(2, 0) - 0.50f) < 1e-6f);  // t=4/8: 0.5*(1+cos(pi/2))
        QVERIFY(s.lr(2, 3) < 0.05f);                // t=7/8 near the floor
    }
    void plateauReducesAfterPatience() {
        ScheduleConfig c;
        c.kind = ScheduleKind::Plateau;
        c.patience = 1;
        c.factor = 0.5f;
        c.minLr = 0.3f;
        LrSchedule s(c, 1.0f, 10, 5);
        s.onEpochEnd(1.0);  // best
        s.onEpochEnd(1.0);  // bad 1 (not > patience)
        QCOMPARE(s.lr(2, 0), 1.0f);
        s.onEpochEnd(1.0);  // bad 2 > 1: reduce
        QCOMPARE(s.lr(3, 0), 0.5f);
        s.onEpochEnd(0.5);  // improvement resets
        s.onEpochEnd(0.5);
        s.onEpochEnd(0.5);  // reduce again, floored at min_lr
        QCOMPARE(s.lr(6, 0), 0.3f);
    }
};

QTEST_APPLESS_MAIN(TestSchedule)
#include "test_schedule.moc"
