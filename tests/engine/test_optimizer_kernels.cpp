// Optimizer steps and regularize() of the ReferenceBackend against values worked out by hand
// (the arithmetic is in the comments), two or three steps each, as torch.optim defines them.
// Every row starts from w = [1, -2]; grads are given per step.
#include <QtTest>

#include <cmath>
#include <functional>

#include "support/gradcheck.h"
#include "support/reference_backend.h"

using namespace neurite;

namespace {

struct OptRow {
    const char* name;
    std::function<void(Backend&, Tensor& w, const Tensor& g, Tensor& s1, Tensor& s2, int64_t step)>
        step;
    std::vector<std::vector<float>> grads;    // per step
    std::vector<std::vector<float>> expected; // w after each step
};

SgdParams sgd(float lr, float momentum, float wd, bool nesterov) {
    SgdParams p;
    p.lr = lr;
    p.momentum = momentum;
    p.weightDecay = wd;
    p.nesterov = nesterov;
    return p;
}

auto sgdStep(SgdParams p) {
    return [p](Backend& b, Tensor& w, const Tensor& g, Tensor& s1, Tensor&, int64_t) {
        b.sgdStep(w, g, s1, p);
    };
}
auto adamStep(float wd, bool decoupled) {
    return [wd, decoupled](Backend& b, Tensor& w, const Tensor& g, Tensor& s1, Tensor& s2,
                           int64_t step) {
        AdamParams p;
        p.lr = 0.1f;
        p.weightDecay = wd;
        p.decoupled = decoupled;
        p.step = step;
        b.adamStep(w, g, s1, s2, p);
    };
}
auto rmspropStep(float momentum) {
    return [momentum](Backend& b, Tensor& w, const Tensor& g, Tensor& s1, Tensor& s2, int64_t) {
        RmspropParams p;
        p.lr = 0.01f;
        p.momentum = momentum;
        b.rmspropStep(w, g, s1, s2, p);
    };
}

const std::vector<OptRow>& rows() {
    const std::vector<float> g = {0.5f, 0.25f};
    static const std::vector<OptRow> table = {
        // w -= 0.1 g: 1 - 0.05 = 0.95, 0.95 - 0.05 = 0.9 ; -2 - 0.025 = -2.025, -2.05
        {"sgd plain", sgdStep(sgd(0.1f, 0, 0, false)), {g, g}, {{0.95f, -2.025f}, {0.9f, -2.05f}}},
        // buf = 0.9 buf + g: 0.5, 0.95, 1.355 | 0.25, 0.475, 0.6775 ; w -= 0.1 buf:
        // 0.95, 0.855, 0.7195 | -2.025, -2.0725, -2.14025
        {"sgd momentum",
         sgdStep(sgd(0.1f, 0.9f, 0, false)),
         {g, g, g},
         {{0.95f, -2.025f}, {0.855f, -2.0725f}, {0.7195f, -2.14025f}}},
        // buf as above; w -= 0.1 (g + 0.9 buf): g + 0.9 buf = 0.95, 1.355 | 0.475, 0.6775
        // -> 0.905, 0.7695 | -2.0475, -2.11525
        {"sgd nesterov",
         sgdStep(sgd(0.1f, 0.9f, 0, true)),
         {g, g},
         {{0.905f, -2.0475f}, {0.7695f, -2.11525f}}},
        // g' = g + 0.1 w: 0.6 -> 0.94 ; 0.5 + 0.094 = 0.594 -> 0.8806
        //                 0.05 -> -2.005 ; 0.25 - 0.2005 = 0.0495 -> -2.00995
        {"sgd weight decay",
         sgdStep(sgd(0.1f, 0, 0.1f, false)),
         {g, g},
         {{0.94f, -2.005f}, {0.8806f, -2.00995f}}},
        // Bias correction makes step 1 move by lr exactly: mhat = g, vhat = g^2 -> w -= 0.1
        // sign(g).
        // Step 2, element 0 with g = -0.5: m = 0.9*0.05 - 0.05 = -0.005, v = 0.999*0.00025 +
        // 0.001*0.25 = 0.00049975; mhat = -0.005/0.19 = -0.0263158, vhat = 0.00049975/0.001999 =
        // 0.25 -> w = 0.9 + 0.1*0.0263158/0.5 = 0.9052632. Element 1 (constant g): -2.2.
        {"adam", adamStep(0, false), {g, {-0.5f, 0.25f}}, {{0.9f, -2.1f}, {0.9052632f, -2.2f}}},
        // Coupled L2: g' = g + 0.1 w = 0.6 | 0.05, both positive -> w -= 0.1: 0.9 | -2.1.
        // Step 2: g' = 0.5 + 0.09 = 0.59 vs m = 0.06: still one sign, but the ratio is no longer
        // exactly 1: m = 0.9*0.06 + 0.1*0.59 = 0.113, v = 0.999*0.00036 + 0.001*0.3481 =
        // 0.00070774; mhat = 0.5947368, vhat = 0.3540470 -> w = 0.9 - 0.1*0.5947368/0.5950185
        // = 0.8000473. Element 1: g' = 0.25 - 0.21 = 0.04; m = 0.9*0.005 + 0.004 = 0.0085,
        // v = 0.999*0.0000025 + 0.001*0.0016 = 0.0000040975; mhat = 0.0447368, vhat = 0.0020498
        // -> w = -2.1 - 0.1*0.0447368/0.0452744 = -2.1988125
        {"adam l2", adamStep(0.1f, false), {g, g}, {{0.9f, -2.1f}, {0.8000473f, -2.1988125f}}},
        // AdamW: w *= 1 - lr wd = 0.99 first, then the Adam step (lr per step for constant g):
        // 0.99 - 0.1 = 0.89, 0.8811 - 0.1 = 0.7811 | -1.98 - 0.1 = -2.08, -2.0592 - 0.1 = -2.1592
        {"adamw", adamStep(0.1f, true), {g, g}, {{0.89f, -2.08f}, {0.7811f, -2.1592f}}},
        // sq = 0.99 sq + 0.01 g^2: 0.0025, 0.004975 (element 0); w -= 0.01 g / sqrt(sq):
        // 1 - 0.01*0.5/0.05 = 0.9 ; 0.9 - 0.01*0.5/0.0705337 = 0.8291119. Element 1 the same with
        // g = 0.25: sq = 0.000625, 0.00124375 -> -2.1, -2.1 - 0.0708881 = -2.1708881
        {"rmsprop", rmspropStep(0), {g, g}, {{0.9f, -2.1f}, {0.8291119f, -2.1708881f}}},
        // buf = 0.9 buf + g/sqrt(sq): 10, 9 + 7.0888092 = 16.0888092; w -= 0.01 buf:
        // 0.9, 0.7391119 | -2.1, -2.1 - 0.160888 = -2.2608881
        {"rmsprop momentum", rmspropStep(0.9f), {g, g}, {{0.9f, -2.1f}, {0.7391119f, -2.2608881f}}},
    };
    return table;
}

} // namespace

class TestOptimizerKernels : public QObject {
    Q_OBJECT
private slots:
    void steps_data() {
        QTest::addColumn<int>("row");
        for (std::size_t i = 0; i < rows().size(); ++i)
            QTest::newRow(rows()[i].name) << int(i);
    }
    void steps() {
        QFETCH(int, row);
        const OptRow& r = rows()[std::size_t(row)];
        test::ReferenceBackend b;
        Shape shape{2};
        Tensor w = test::toBackend(b, {1.f, -2.f}, shape);
        Tensor s1 = test::toBackend(b, {0.f, 0.f}, shape),
               s2 = test::toBackend(b, {0.f, 0.f}, shape);
        for (std::size_t step = 0; step < r.grads.size(); ++step) {
            Tensor g = test::toBackend(b, r.grads[step], shape);
            r.step(b, w, g, s1, s2, int64_t(step + 1));
            std::vector<float> got = test::toHost(b, w);
            for (std::size_t i = 0; i < got.size(); ++i) {
                float want = r.expected[step][i];
                QVERIFY2(std::abs(got[i] - want) <= 2e-6f * std::max(1.f, std::abs(want)),
                         qPrintable(QString("step %1 element %2: got %3, expected %4")
                                        .arg(step + 1)
                                        .arg(i)
                                        .arg(double(got[i]), 0, 'g', 9)
                                        .arg(double(want), 0, 'g', 9)));
            }
        }
    }

    // grads += l1 sign(w) + l2 w with w = [1, -2, 0], l1 = 0.01, l2 = 0.1:
    // 0.5 + 0.01 + 0.1 = 0.61 ; 0.25 - 0.01 - 0.2 = 0.04 ; 0.1 + 0 + 0 = 0.1 (sign(0) = 0)
    void regularize() {
        test::ReferenceBackend b;
        Tensor w = test::toBackend(b, {1.f, -2.f, 0.f}, Shape{3});
        Tensor g = test::toBackend(b, {0.5f, 0.25f, 0.1f}, Shape{3});
        b.regularize(w, g, 0.01f, 0.1f);
        std::vector<float> got = test::toHost(b, g);
        QCOMPARE(got[0], 0.61f);
        QCOMPARE(got[1], 0.04f);
        QCOMPARE(got[2], 0.1f);
    }

    // Sum of squares and the finiteness scan feed clipping and divergence detection.
    void reductions() {
        test::ReferenceBackend b;
        Tensor x = test::toBackend(b, {3.f, -4.f, 0.5f}, Shape{3});
        QCOMPARE(b.sumSquares(x), 25.25);
        QVERIFY(b.allFinite(x));
        Tensor y = test::toBackend(b, {1.f, std::nanf(""), 0.f}, Shape{3});
        QVERIFY(!b.allFinite(y));
    }
};

QTEST_APPLESS_MAIN(TestOptimizerKernels)
#include "test_optimizer_kernels.moc"
