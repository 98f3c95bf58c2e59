// The oneDNN CPU backend's other ops against the reference backend: losses, arithmetic,
// concatenation, dropout, gathers, optimizers (and hand-computed steps), reductions; plus
// determinism, plan reuse, bad descriptors and capabilities. Fixture:
// support/cpu_backend_fixture.h.
#include "support/cpu_backend_fixture.h"

#include <tuple>
#include <vector>

using namespace neurite;

class TestCpuBackendOps : public QObject, test::CpuBackendFixture {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_cpu->setThreads(2);
        qInfo("backend: %s, seed %llu", m_cpu->name().c_str(),
              static_cast<unsigned long long>(baseSeed()));
    }
    void init() { reseed(); }

    // ---- losses ------------------------------------------------------------------------------
    void crossEntropy_data() {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("classes");
        QTest::addColumn<bool>("weighted");
        QTest::addColumn<float>("smoothing");
        QTest::newRow("plain 7x10") << 7 << 10 << false << 0.f;
        QTest::newRow("smoothing 64x10") << 64 << 10 << false << 0.1f;
        QTest::newRow("weights 7x5") << 7 << 5 << true << 0.f;
        QTest::newRow("weights and smoothing 33x3") << 33 << 3 << true << 0.2f;
        QTest::newRow("batch 1, 2 classes") << 1 << 2 << false << 0.f;
        QTest::newRow("many rows 1000x7") << 1000 << 7 << true << 0.05f;
    }
    void crossEntropy() {
        QFETCH(int, batch);
        QFETCH(int, classes);
        QFETCH(bool, weighted);
        QFETCH(float, smoothing);
        Tensor z = random({batch, classes}, -3.f, 3.f), y = labels(batch, classes);
        Tensor w = random({classes}, 0.2f, 2.f);
        Tensor g1 = zeros({batch, classes}), g2 = zeros({batch, classes});
        float l1 = m_cpu->softmaxCrossEntropy(z, y, weighted ? &w : nullptr, smoothing, g1);
        float l2 = m_ref.softmaxCrossEntropy(z, y, weighted ? &w : nullptr, smoothing, g2);
        expectNear(l1, l2, 1e-5, "cross-entropy loss");
        expectClose(g1, g2, 1e-7, 1e-4, "cross-entropy gradient");
    }

    void otherLosses_data() {
        QTest::addColumn<QString>("loss");
        QTest::addColumn<float>("param");
        QTest::addColumn<int>("n");
        QTest::newRow("bce") << "bce" << 1.f << 37;
        QTest::newRow("bce pos weight 3") << "bce" << 3.f << 10000;
        QTest::newRow("focal gamma 0") << "focal" << 0.f << 7;
        QTest::newRow("focal gamma 2") << "focal" << 2.f << 64;
        QTest::newRow("focal gamma 0.5") << "focal" << 0.5f << 9;
        QTest::newRow("mse") << "mse" << 0.f << 20001;
        QTest::newRow("huber 1") << "huber" << 1.f << 37;
        QTest::newRow("huber 0.3") << "huber" << 0.3f << 20001;
    }
    void otherLosses() {
        QFETCH(QString, loss);
        QFETCH(float, param);
        QFETCH(int, n);
        float l1 = 0, l2 = 0;
        Tensor g1, g2;
        if (loss == "focal") {
            const int classes = 5;
            Tensor z = random({n, classes}, -4.f, 4.f), y = labels(n, classes);
            g1 = zeros({n, classes});
            g2 = zeros({n, classes});
            l1 = m_cpu->focalLoss(z, y, param, 0.25f, g1);
            l2 = m_ref.focalLoss(z, y, param, 0.25f, g2);
        } else {
            Tensor p = random({n, 1}, -3.f, 3.f), t = random({n, 1}, 0.f, 1.f);
            g1 = zeros({n, 1});
            g2 = zeros({n, 1});
            if (loss == "bce") {
                l1 = m_cpu->binaryCrossEntropy(p, t, param, g1);
                l2 = m_ref.binaryCrossEntropy(p, t, param, g2);
            } else if (loss == "mse") {
                l1 = m_cpu->mseLoss(p, t, g1);
                l2 = m_ref.mseLoss(p, t, g2);
            } else {
                l1 = m_cpu->huberLoss(p, t, param, g1);
                l2 = m_ref.huberLoss(p, t, param, g2);
            }
        }
        expectNear(l1, l2, 1e-5, "loss value");
        expectClose(g1, g2, 1e-8, 1e-4, "loss gradient");
    }

    void lossRejectsBadLabels() {
        Tensor z = random({2, 3}), y = labels(2, 3), g = zeros({2, 3});
        y.data<int32_t>()[1] = 3;
        try {
            m_cpu->softmaxCrossEntropy(z, y, nullptr, 0.f, g);
            QFAIL("a label outside the classes was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
        }
    }

    // ---- elementwise arithmetic, merges, dropout, gathers ------------------------------------
    void arithmetic() {
        const int64_t n = 70001;
        Tensor a = random({n}), b = random({n}), c = random({n});
        Tensor y1 = zeros({n}), y2 = zeros({n});
        const Tensor* srcs[] = {&a, &b, &c};
        m_cpu->addN(srcs, y1);
        m_ref.addN(srcs, y2);
        expectClose(y1, y2, 1e-6, 1e-6, "addN");
        Tensor alias = clone(a);
        const Tensor* aliased[] = {&b, &alias, &c};
        m_cpu->addN(aliased, alias);
        expectClose(alias, y2, 1e-6, 1e-6, "addN with dst aliasing a source");
        m_cpu->axpy(0.5f, a, y1);
        m_ref.axpy(0.5f, a, y2);
        expectClose(y1, y2, 1e-6, 1e-6, "axpy");
        m_cpu->scale(y1, -3.f);
        m_ref.scale(y2, -3.f);
        expectClose(y1, y2, 1e-6, 1e-6, "scale");
        m_cpu->multiply(a, b, y1);
        m_ref.multiply(a, b, y2);
        QVERIFY(sameBits(y1, y2));
        m_cpu->fill(y1, 2.5f);
        QCOMPARE(y1.f32()[n - 1], 2.5f);
    }

    void concatSplit() {
        Tensor a = random({3, 2, 5}), b = random({3, 1, 5}), c = random({3, 4, 5});
        Tensor y1 = zeros({3, 7, 5}), y2 = zeros({3, 7, 5});
        const Tensor* srcs[] = {&a, &b, &c};
        m_cpu->concat(srcs, y1);
        m_ref.concat(srcs, y2);
        QVERIFY(sameBits(y1, y2));
        Tensor a2 = zeros(a.shape()), b2 = zeros(b.shape()), c2 = zeros(c.shape());
        Tensor* parts[] = {&a2, &b2, &c2};
        m_cpu->split(y1, parts);
        QVERIFY(sameBits(a, a2) && sameBits(b, b2) && sameBits(c, c2));
    }

    void dropout() {
        const int64_t n = 100003;
        Tensor x = random({n}), y1 = zeros({n}), y2 = zeros({n}), m1 = zeros({n}), m2 = zeros({n});
        m_cpu->dropoutForward(x, y1, m1, 0.3f, 1234);
        m_ref.dropoutForward(x, y2, m2, 0.3f, 1234);
        QVERIFY(sameBits(m1, m2));
        QVERIFY(sameBits(y1, y2));
        m_cpu->setThreads(1);
        m_cpu->dropoutForward(x, y2, m2, 0.3f, 1234);
        m_cpu->setThreads(2);
        QVERIFY(sameBits(m1, m2));
        const double kept = std::count_if(m1.f32(), m1.f32() + n, [](float v) { return v > 0; });
        QVERIFY(std::fabs(kept / double(n) - 0.7) < 0.01);
    }

    void gathers() {
        const int64_t rows = 50, features = 12, count = 7;
        Tensor u8 = Tensor::empty(*m_cpu, {rows, 3, 4}, DType::U8);
        for (int64_t i = 0; i < u8.numel(); ++i)
            u8.data<uint8_t>()[i] = uint8_t(m_rng() % 256);
        Tensor f = random({rows, features});
        Tensor idx = labels(count, int(rows));
        Tensor mean = random({features}), invStd = random({features}, 0.5f, 2.f);
        Tensor y1 = zeros({count, features}), y2 = zeros({count, features});
        m_cpu->gatherRows(u8, idx, count, 1.f / 255.f, &mean, &invStd, y1);
        m_ref.gatherRows(u8, idx, count, 1.f / 255.f, &mean, &invStd, y2);
        expectClose(y1, y2, 1e-6, 1e-6, "gatherRows u8 standardized");
        m_cpu->gatherRows(f, idx, count, 2.f, nullptr, nullptr, y1);
        m_ref.gatherRows(f, idx, count, 2.f, nullptr, nullptr, y2);
        QVERIFY(sameBits(y1, y2));
        Tensor lab = labels(rows, 10), l1 = labels(count, 1), l2 = labels(count, 1);
        m_cpu->gatherLabels(lab, idx, count, l1);
        m_ref.gatherLabels(lab, idx, count, l2);
        QVERIFY(sameBits(l1, l2));
        idx.data<int32_t>()[3] = int32_t(rows);
        QVERIFY_THROWS_EXCEPTION(Error,
                                 m_cpu->gatherRows(f, idx, count, 1.f, nullptr, nullptr, y1));
    }

    // ---- optimizers and reductions -----------------------------------------------------------
    void optimizers_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<float>("momentum");
        QTest::addColumn<float>("decay");
        QTest::addColumn<bool>("flag"); // nesterov for SGD, decoupled for Adam
        QTest::newRow("sgd") << "sgd" << 0.f << 0.f << false;
        QTest::newRow("sgd momentum decay") << "sgd" << 0.9f << 0.01f << false;
        QTest::newRow("sgd nesterov") << "sgd" << 0.9f << 0.f << true;
        QTest::newRow("adam") << "adam" << 0.f << 0.f << false;
        QTest::newRow("adam l2") << "adam" << 0.f << 0.01f << false;
        QTest::newRow("adamw") << "adam" << 0.f << 0.05f << true;
        QTest::newRow("rmsprop") << "rmsprop" << 0.f << 0.f << false;
        QTest::newRow("rmsprop momentum decay") << "rmsprop" << 0.9f << 0.01f << false;
    }
    void optimizers() {
        QFETCH(QString, kind);
        QFETCH(float, momentum);
        QFETCH(float, decay);
        QFETCH(bool, flag);
        const int64_t n = 100003;
        Tensor w1 = random({n}), w2 = clone(w1);
        Tensor s1 = zeros({n}), s2 = zeros({n}), t1 = zeros({n}), t2 = zeros({n});
        for (int step = 1; step <= 3; ++step) {
            // |g| in [0.1, 1]: weight decay cannot cancel it to ~0, where g / sqrt(s) would
            // amplify fp32-vs-double differences of the decayed gradient into large ones
            Tensor g = random({n});
            for (int64_t i = 0; i < n; ++i)
                g.f32()[i] = std::copysign(0.1f + 0.9f * std::fabs(g.f32()[i]), g.f32()[i]);
            if (kind == "sgd") {
                SgdParams p{0.1f, momentum, decay, flag};
                m_cpu->sgdStep(w1, g, s1, p);
                m_ref.sgdStep(w2, g, s2, p);
            } else if (kind == "adam") {
                AdamParams p{0.01f, 0.9f, 0.999f, 1e-8f, decay, flag, step};
                m_cpu->adamStep(w1, g, s1, t1, p);
                m_ref.adamStep(w2, g, s2, t2, p);
            } else {
                RmspropParams p{0.01f, 0.99f, 1e-8f, momentum, decay};
                m_cpu->rmspropStep(w1, g, s1, t1, p);
                m_ref.rmspropStep(w2, g, s2, t2, p);
            }
        }
        // RMSprop's momentum buffer sums steps of size ~10 (g / sqrt(s) early on), so its
        // absolute tolerance follows that scale rather than the buffer's own value.
        expectClose(w1, w2, 1e-6, 1e-5, "parameters after 3 steps");
        expectClose(s1, s2, 1e-6, 1e-5, "first optimizer state after 3 steps");
        expectClose(t1, t2, 1e-5, 1e-5, "second optimizer state after 3 steps");
    }

    // One parameter p = 1 with a constant gradient g = 0.5, three steps.
    // Adam, lr 0.1: m_t/(1-b1^t) = 0.5 and v_t/(1-b2^t) = 0.25 at every t, so each step moves p
    //   by lr * 0.5 / (0.5 + eps) = 0.1: p = 0.9, 0.8, 0.7.
    // AdamW, wd 0.1: p *= 1 - 0.01 first, then the same 0.1 step: 0.89, 0.7811, 0.673289.
    // SGD, lr 0.1, momentum 0.9: buf = 0.5, 0.95, 1.355: p = 0.95, 0.855, 0.7195.
    // SGD nesterov: step d = g + 0.9 buf = 0.95, 1.355, 1.7195: p = 0.905, 0.7695, 0.59755.
    // RMSprop, lr 0.01, alpha 0.99: s = 0.0025, 0.004975, 0.00742525; p -= 0.01 * 0.5 / sqrt(s):
    //   p = 0.9, 0.8291119, 0.7710870.
    void optimizerHandValues_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QList<double>>("expected");
        QTest::newRow("adam") << "adam" << QList<double>{0.9, 0.8, 0.7};
        QTest::newRow("adamw") << "adamw" << QList<double>{0.89, 0.7811, 0.673289};
        QTest::newRow("sgd momentum") << "sgd" << QList<double>{0.95, 0.855, 0.7195};
        QTest::newRow("sgd nesterov") << "nesterov" << QList<double>{0.905, 0.7695, 0.59755};
        QTest::newRow("rmsprop") << "rmsprop" << QList<double>{0.9, 0.8291119, 0.7710870};
    }
    void optimizerHandValues() {
        QFETCH(QString, kind);
        QFETCH(QList<double>, expected);
        Tensor w = zeros({1}), g = zeros({1}), s = zeros({1}), t = zeros({1});
        m_cpu->fill(w, 1.f);
        m_cpu->fill(g, 0.5f);
        for (int step = 1; step <= 3; ++step) {
            if (kind.startsWith("adam"))
                m_cpu->adamStep(w, g, s, t,
                                {0.1f, 0.9f, 0.999f, 1e-8f, kind == "adamw" ? 0.1f : 0.f,
                                 kind == "adamw", step});
            else if (kind == "rmsprop")
                m_cpu->rmspropStep(w, g, s, t, {0.01f, 0.99f, 1e-8f, 0.f, 0.f});
            else
                m_cpu->sgdStep(w, g, s, {0.1f, 0.9f, 0.f, kind == "nesterov"});
            expectNear(w.f32()[0], expected[step - 1], 2e-6, qPrintable(kind));
        }
    }

    void reductions() {
        Tensor x = random({1000003}), g1 = random({1000003}), g2 = clone(g1);
        expectNear(m_cpu->sumSquares(x), m_ref.sumSquares(x), 1e-12, "sumSquares");
        m_cpu->regularize(x, g1, 0.01f, 0.001f);
        m_ref.regularize(x, g2, 0.01f, 0.001f);
        expectClose(g1, g2, 1e-7, 1e-6, "regularize");
        QVERIFY(m_cpu->allFinite(x));
        x.f32()[777777] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY(!m_cpu->allFinite(x));
        x.f32()[777777] = -std::numeric_limits<float>::infinity();
        QVERIFY(!m_cpu->allFinite(x));
    }

    // ---- determinism, reuse, errors, capabilities --------------------------------------------
    void deterministic() {
        ConvDesc d{7, 16, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, true};
        auto plan = m_cpu->makeConv(d);
        Tensor src = random({7, 16, 14, 14}), diffDst = random({7, 32, 14, 14});
        Tensor dw1 = zeros({32, 16, 3, 3}), dw2 = zeros({32, 16, 3, 3});
        Tensor db1 = zeros({32}), db2 = zeros({32});
        plan->backwardWeights(src, diffDst, dw1, &db1);
        auto again = m_cpu->makeConv(d);
        again->backwardWeights(src, diffDst, dw2, &db2);
        QVERIFY(sameBits(dw1, dw2) && sameBits(db1, db2));
        Tensor big = random({3000017});
        const double s = m_cpu->sumSquares(big);
        QCOMPARE(m_cpu->sumSquares(big), s);
        m_cpu->setThreads(1);
        QCOMPARE(m_cpu->sumSquares(big), s); // fixed partition: thread count does not matter
        m_cpu->setThreads(2);
    }

    void planReuse() {
        DenseDesc dd{7, 33, 10, true};
        ConvDesc cd{3, 4, 9, 9, 8, 3, 3, 2, 2, 1, 1, 1, 1, true};
        auto dense = m_cpu->makeDense(dd);
        auto conv = m_cpu->makeConv(cd);
        Tensor x = random({7, 33}), w = random({10, 33}), b = random({10}), dy = random({7, 10});
        Tensor cx = random({3, 4, 9, 9}), cw = random({8, 4, 3, 3}), cb = random({8});
        Tensor y0 = zeros({7, 10}), y = zeros({7, 10}), dw0 = zeros({10, 33}), dw = zeros({10, 33});
        Tensor db = zeros({10}), cy0 = zeros({3, 8, 5, 5}), cy = zeros({3, 8, 5, 5});
        dense->forward(x, w, &b, y0);
        dense->backwardWeights(x, dy, dw0, &db);
        conv->forward(cx, cw, &cb, cy0);
        for (int i = 0; i < 100; ++i) {
            dense->forward(x, w, &b, y);
            dense->backwardWeights(x, dy, dw, &db);
            conv->forward(cx, cw, &cb, cy);
        }
        QVERIFY(sameBits(y, y0) && sameBits(dw, dw0) && sameBits(cy, cy0));
    }

    void badDescriptorsThrow() {
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makeDense(DenseDesc{0, 4, 4, true}));
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makeDense(DenseDesc{4, 0, 4, true}));
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makeConv(ConvDesc{1, 1, 5, 5, 1, 0, 3}));
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makeConv(ConvDesc{1, 1, 2, 2, 1, 3, 3}));
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makeConv(ConvDesc{1, 0, 5, 5, 1, 3, 3}));
        // (2 - 3) / 2 + 1 truncates to an output of 1: the input must still be rejected
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makeConv(ConvDesc{1, 1, 2, 2, 1, 3, 3, 2, 2}));
        PoolDesc p{PoolKind::Max, 1, 1, 4, 4, 2, 2, 0, 2};
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makePool(p)); // stride 0, no division by it
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makePool(PoolDesc{PoolKind::Avg, 1, 1, 1, 1}));
        QVERIFY_THROWS_EXCEPTION(Error, m_cpu->makeBatchNorm(BatchNormDesc{4, 0, 1}));
        auto bn = m_cpu->makeBatchNorm(BatchNormDesc{1, 2, 1});
        Tensor x = random({1, 2}), g = random({2}), rm = zeros({2}), y = zeros({1, 2});
        QVERIFY_THROWS_EXCEPTION(Error, bn->forwardTraining(x, g, g, y, rm, rm, 0.1f));
        auto dense = m_cpu->makeDense(DenseDesc{2, 3, 4, true});
        Tensor wrong = zeros({2, 5}), w = zeros({4, 3}), out = zeros({2, 4});
        QVERIFY_THROWS_EXCEPTION(Error, dense->forward(wrong, w, &g, out));
    }

    void capabilities() {
        const cpu::CpuInfo info = cpu::cpuInfo();
        qInfo("cpu: %s, %d cores, isa %s, bf16 %s", info.model.c_str(), info.cores,
              info.isa.c_str(), info.bf16 ? "yes" : info.bf16Reason.c_str());
        QVERIFY(!info.model.empty());
        QVERIFY(info.cores >= 1);
        QVERIFY(m_cpu->supports(Op::Conv, DType::F32).ok);
        Support bf16 = m_cpu->supports(Op::Dense, DType::BF16);
        QCOMPARE(bf16.ok, info.bf16);
        QVERIFY(bf16.ok || !bf16.reason.empty());
        QVERIFY(!m_cpu->supports(Op::Pool, DType::BF16).ok);
        QVERIFY(m_cpu->supports(Op::LayerNorm, DType::F32).ok);
        QVERIFY(!m_cpu->supports(Op::LayerNorm, DType::BF16).reason.empty());
        QVERIFY(!m_cpu->supports(Op::Loss, DType::U8).reason.empty());
        QVERIFY(QString::fromStdString(m_cpu->name())
                    .contains("oneDNN " + QString::fromStdString(cpu::onednnVersion())));
        QCOMPARE(m_cpu->threads(), 2);
        m_cpu->setThreads(0);
        QCOMPARE(m_cpu->threads(), info.cores);
        m_cpu->setThreads(2);
    }
};

QTEST_APPLESS_MAIN(TestCpuBackendOps)
#include "test_cpu_backend_ops.moc"
