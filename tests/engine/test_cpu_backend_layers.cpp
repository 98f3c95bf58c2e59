// The oneDNN CPU backend's layer kernels against the reference backend on random inputs of several
// shapes: dense, convolution, pooling, batch and layer norm (with gradients, determinism and bad
// input), activations and softmax. Fixture: support/cpu_backend_fixture.h.
#include "support/cpu_backend_fixture.h"

#include <tuple>
#include <vector>

using namespace neurite;

class TestCpuBackendLayers : public QObject, test::CpuBackendFixture {
    Q_OBJECT

private slots:
    void initTestCase() {
        m_cpu->setThreads(2);
        qInfo("backend: %s, seed %llu", m_cpu->name().c_str(),
              static_cast<unsigned long long>(baseSeed()));
    }
    // ---- dense -------------------------------------------------------------------------------
    void dense_data() {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("inputs");
        QTest::addColumn<int>("outputs");
        QTest::addColumn<bool>("bias");
        QTest::addColumn<bool>("bf16");
        QTest::newRow("1x1->1") << 1 << 1 << 1 << true << false;
        QTest::newRow("7x13->5") << 7 << 13 << 5 << true << false;
        QTest::newRow("7x33->10 no bias") << 7 << 33 << 10 << false << false;
        QTest::newRow("3x5->17") << 3 << 5 << 17 << true << false;
        QTest::newRow("64x784->256 mlp") << 64 << 784 << 256 << true << false;
        QTest::newRow("bf16 7x33->10") << 7 << 33 << 10 << true << true;
        QTest::newRow("bf16 64x784->256 mlp") << 64 << 784 << 256 << true << true;
    }
    void dense() {
        QFETCH(int, batch);
        QFETCH(int, inputs);
        QFETCH(int, outputs);
        QFETCH(bool, bias);
        QFETCH(bool, bf16);
        DenseDesc d{batch, inputs, outputs, bias, bf16 ? DType::BF16 : DType::F32};
        if (bf16 && !cpu::cpuInfo().bf16) QSKIP(cpu::cpuInfo().bf16Reason.c_str());
        auto tol = [&](int64_t k) { return bf16 ? bf16Tolerance(k) : sumTolerance(k); };
        const double rtol = bf16 ? 2e-2 : 1e-4;
        auto cpu = m_cpu->makeDense(d);
        auto ref = m_ref.makeDense(d);
        Tensor src = random({batch, inputs}), w = random({outputs, inputs}), b = random({outputs});
        Tensor diffDst = random({batch, outputs});
        Tensor y1 = zeros({batch, outputs}), y2 = zeros({batch, outputs});
        cpu->forward(src, w, bias ? &b : nullptr, y1);
        ref->forward(src, w, bias ? &b : nullptr, y2);
        expectClose(y1, y2, tol(inputs), rtol, "dense forward");
        if (bf16) { // bf16 math really happened: fp32 gives other bits
            Tensor f32 = zeros({batch, outputs});
            m_cpu->makeDense(DenseDesc{batch, inputs, outputs, bias})->forward(src, w, &b, f32);
            QVERIFY(!sameBits(f32, y1));
        }
        Tensor dx1 = zeros({batch, inputs}), dx2 = zeros({batch, inputs});
        cpu->backwardData(diffDst, w, dx1);
        ref->backwardData(diffDst, w, dx2);
        expectClose(dx1, dx2, tol(outputs), rtol, "dense backward data");
        Tensor dw1 = random({outputs, inputs}), dw2 = zeros({outputs, inputs});
        Tensor db1 = random({outputs}), db2 = zeros({outputs});
        cpu->backwardWeights(src, diffDst, dw1, &db1);
        ref->backwardWeights(src, diffDst, dw2, &db2);
        expectClose(dw1, dw2, tol(batch), rtol, "dense backward weights");
        if (bias) expectClose(db1, db2, tol(batch), rtol, "dense backward bias");
    }

    // ---- convolution -----------------------------------------------------------------------
    void conv_data() {
        QTest::addColumn<ConvDesc>("d");
        auto row = [](const char* name, int64_t n, int64_t c, int64_t h, int64_t w, int64_t k,
                      int64_t r, int64_t s, int64_t stride, int64_t pad, bool bias = true,
                      DType compute = DType::F32) {
            ConvDesc d{n, c, h, w, k, r, s, stride, stride, pad, pad, pad, pad, bias, compute};
            QTest::newRow(name) << d;
        };
        row("1x1 kernel, single pixel channel", 1, 1, 5, 5, 1, 1, 1, 1, 0);
        row("3x3 stride 1 pad 1 odd sizes", 7, 3, 9, 11, 5, 3, 3, 1, 1);
        row("3x3 stride 2 pad 1", 2, 4, 8, 8, 6, 3, 3, 2, 1);
        row("5x5 stride 2 pad 2 odd", 1, 2, 13, 7, 3, 5, 5, 2, 2);
        row("5x5 stride 1 pad 2 wide", 7, 16, 6, 6, 32, 5, 5, 1, 2);
        row("3x3 no bias no pad", 3, 8, 10, 10, 16, 3, 3, 1, 0, false);
        row("cnn conv1 1->32", 4, 1, 28, 28, 32, 3, 3, 1, 1);
        row("cnn conv2 32->64", 2, 32, 14, 14, 64, 3, 3, 1, 1);
        row("bf16 3x3 stride 2 pad 1", 2, 4, 9, 9, 6, 3, 3, 2, 1, true, DType::BF16);
        row("bf16 cnn conv2 32->64", 2, 32, 14, 14, 64, 3, 3, 1, 1, true, DType::BF16);
        ConvDesc asym{2, 3, 7, 8, 4, 3, 2, 2, 1, 0, 1, 1, 0, true};
        QTest::newRow("asymmetric kernel, stride and padding") << asym;
        ConvDesc dilated{2, 3, 9, 10, 4, 3, 3, 1, 2, 2, 1, 2, 3, true};
        dilated.dilationH = 2;
        dilated.dilationW = 3;
        QTest::newRow("dilated 2x3, uneven padding") << dilated;
        ConvDesc grouped{2, 6, 9, 8, 9, 3, 3, 1, 1, 1, 1, 1, 1, true};
        grouped.groups = 3;
        QTest::newRow("3 groups 6->9") << grouped;
        ConvDesc depthwise{3, 8, 10, 10, 8, 3, 3, 2, 2, 1, 1, 0, 0, false};
        depthwise.groups = 8;
        QTest::newRow("depthwise 3x3 stride 2, no bias") << depthwise;
        ConvDesc multiplier{2, 4, 7, 7, 8, 5, 5, 1, 1, 2, 2, 2, 2, true};
        multiplier.groups = 4;
        multiplier.dilationH = 2;
        QTest::newRow("depthwise x2 channels 5x5 dilated") << multiplier;
        // Conv1D's form: [N, T, C] as channels-last with height 1 (causal: all padding before).
        auto sequence = [](const char* name, int64_t n, int64_t c, int64_t t, int64_t k, int64_t taps, int64_t stride,
                           int64_t dilation, int64_t padBefore, int64_t padAfter, bool bias) {
            ConvDesc d{n, c, 1, t, k, 1, taps, 1, stride, 0, padBefore, 0, padAfter, bias};
            d.dilationW = dilation;
            d.channelsLast = true;
            QTest::newRow(name) << d;
        };
        sequence("1-D channels-last k3 same", 3, 5, 17, 6, 3, 1, 1, 1, 1, true);
        sequence("1-D channels-last k3 d2 causal", 2, 4, 12, 3, 3, 1, 2, 4, 0, true);
        sequence("1-D channels-last k4 s2 uneven, no bias", 2, 3, 11, 5, 4, 2, 1, 1, 2, false);
        sequence("1-D channels-last text-sized", 4, 64, 100, 128, 5, 1, 1, 2, 2, true);
    }
    void conv() {
        QFETCH(ConvDesc, d);
        const bool bf16 = d.compute == DType::BF16;
        if (bf16 && !cpu::cpuInfo().bf16) QSKIP(cpu::cpuInfo().bf16Reason.c_str());
        auto tol = [&](int64_t k) { return bf16 ? bf16Tolerance(k) : sumTolerance(k); };
        const double rtol = bf16 ? 2e-2 : 1e-4;
        auto cpu = m_cpu->makeConv(d);
        auto ref = m_ref.makeConv(d);
        const Shape xs = d.channelsLast ? Shape{d.batch, d.height, d.width, d.inChannels}
                                        : Shape{d.batch, d.inChannels, d.height, d.width};
        const Shape ws{d.outChannels, d.groupIn(), d.kernelH, d.kernelW};
        const Shape ys = d.channelsLast ? Shape{d.batch, d.outHeight(), d.outWidth(), d.outChannels}
                                        : Shape{d.batch, d.outChannels, d.outHeight(), d.outWidth()};
        Tensor src = random(xs), w = random(ws), b = random({d.outChannels}), diffDst = random(ys);
        Tensor y1 = zeros(ys), y2 = zeros(ys);
        cpu->forward(src, w, d.bias ? &b : nullptr, y1);
        ref->forward(src, w, d.bias ? &b : nullptr, y2);
        const int64_t taps = d.kernelH * d.kernelW;
        expectClose(y1, y2, tol(d.inChannels * taps), rtol, "conv forward");
        if (bf16) { // bf16 math really happened: fp32 gives other bits
            ConvDesc f32 = d;
            f32.compute = DType::F32;
            Tensor y3 = zeros(ys);
            m_cpu->makeConv(f32)->forward(src, w, &b, y3);
            QVERIFY(!sameBits(y3, y1));
        }
        Tensor dx1 = random(xs), dx2 = zeros(xs);
        cpu->backwardData(diffDst, w, dx1);
        ref->backwardData(diffDst, w, dx2);
        expectClose(dx1, dx2, tol(d.outChannels * taps), rtol, "conv backward data");
        Tensor dw1 = random(ws), dw2 = zeros(ws), db1 = random({d.outChannels}),
               db2 = zeros({d.outChannels});
        cpu->backwardWeights(src, diffDst, dw1, &db1);
        ref->backwardWeights(src, diffDst, dw2, &db2);
        const int64_t pixels = d.batch * d.outHeight() * d.outWidth();
        expectClose(dw1, dw2, tol(pixels), rtol, "conv backward weights");
        if (d.bias) expectClose(db1, db2, tol(pixels), rtol, "conv backward bias");
    }

    // ---- pooling -----------------------------------------------------------------------------
    void pool_data() {
        QTest::addColumn<PoolDesc>("d");
        auto row = [](const char* name, PoolKind kind, int64_t n, int64_t c, int64_t h, int64_t w,
                      int64_t k, int64_t stride, int64_t pad) {
            QTest::newRow(name) << PoolDesc{kind,   n,      c,   h,   w,   k,  k,
                                            stride, stride, pad, pad, pad, pad};
        };
        row("max 2x2 stride 2", PoolKind::Max, 1, 1, 4, 4, 2, 2, 0);
        row("max 2x2 odd input", PoolKind::Max, 7, 3, 9, 7, 2, 2, 0);
        row("max 3x3 stride 2 pad 1", PoolKind::Max, 7, 3, 9, 9, 3, 2, 1);
        row("max 5x5 stride 1 pad 2", PoolKind::Max, 2, 3, 8, 8, 5, 1, 2);
        row("avg 2x2 stride 2", PoolKind::Avg, 2, 5, 8, 6, 2, 2, 0);
        row("avg 3x3 stride 2 pad 1", PoolKind::Avg, 7, 3, 9, 9, 3, 2, 1);
        row("avg 5x5 stride 1 pad 2", PoolKind::Avg, 1, 2, 7, 5, 5, 1, 2);
        row("max cnn 32x28x28", PoolKind::Max, 4, 32, 28, 28, 2, 2, 0);
    }
    void pool() {
        QFETCH(PoolDesc, d);
        auto cpu = m_cpu->makePool(d);
        auto ref = m_ref.makePool(d);
        const Shape xs{d.batch, d.channels, d.height, d.width};
        const Shape ys{d.batch, d.channels, d.outHeight(), d.outWidth()};
        Tensor src = random(xs), diffDst = random(ys);
        Tensor y1 = zeros(ys), y2 = zeros(ys);
        cpu->forward(src, y1, false);
        ref->forward(src, y2, false);
        expectClose(y1, y2, 1e-6, 1e-5, "pool inference forward");
        cpu->forward(src, y1, true);
        ref->forward(src, y2, true);
        expectClose(y1, y2, 1e-6, 1e-5, "pool training forward");
        Tensor dx1 = random(xs), dx2 = zeros(xs);
        cpu->backward(diffDst, dx1);
        ref->backward(diffDst, dx2);
        expectClose(dx1, dx2, 1e-6, 1e-5, "pool backward");
    }

    // ---- batch norm --------------------------------------------------------------------------
    void batchNorm_data() {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("spatial");
        QTest::newRow("dense 7x3") << 7 << 3 << 1;
        QTest::newRow("dense 64x16") << 64 << 16 << 1;
        QTest::newRow("conv 2x5x7x7") << 2 << 5 << 49;
        QTest::newRow("conv batch 1, 3x3") << 1 << 4 << 9;
    }
    void batchNorm() {
        QFETCH(int, batch);
        QFETCH(int, channels);
        QFETCH(int, spatial);
        BatchNormDesc d{batch, channels, spatial, 1e-5f};
        auto cpu = m_cpu->makeBatchNorm(d);
        auto ref = m_ref.makeBatchNorm(d);
        const Shape xs{batch, channels, spatial}, cs{channels};
        Tensor src = random(xs, -2.f, 3.f), gamma = random(cs, 0.5f, 1.5f), beta = random(cs);
        Tensor diffDst = random(xs), rm1 = random(cs), rv1 = random(cs, 0.5f, 2.f);
        Tensor rm2 = clone(rm1), rv2 = clone(rv1);
        Tensor y1 = zeros(xs), y2 = zeros(xs);
        cpu->forwardTraining(src, gamma, beta, y1, rm1, rv1, 0.1f);
        ref->forwardTraining(src, gamma, beta, y2, rm2, rv2, 0.1f);
        expectClose(y1, y2, 1e-5, 1e-4, "batch norm training forward");
        expectClose(rm1, rm2, 1e-6, 1e-5, "batch norm running mean");
        expectClose(rv1, rv2, 1e-6, 1e-5, "batch norm running variance");
        Tensor dx1 = zeros(xs), dx2 = zeros(xs), dg1 = zeros(cs), dg2 = zeros(cs), db1 = zeros(cs),
               db2 = zeros(cs);
        cpu->backward(src, diffDst, gamma, dx1, dg1, db1);
        ref->backward(src, diffDst, gamma, dx2, dg2, db2);
        expectClose(dx1, dx2, 1e-4, 1e-3, "batch norm backward data");
        expectClose(dg1, dg2, 1e-4, 1e-4, "batch norm backward gamma");
        expectClose(db1, db2, 1e-4, 1e-4, "batch norm backward beta");
        cpu->forwardInference(src, gamma, beta, rm1, rv1, y1);
        ref->forwardInference(src, gamma, beta, rm1, rv1, y2);
        expectClose(y1, y2, 1e-5, 1e-4, "batch norm inference");
    }

    // ---- layer norm ----------------------------------------------------------------------------
    // offset moves every input (a mean of 1e3 with a spread of 1 cancels catastrophically in a
    // float mean); spread scales them (1e-3: var below eps). 600 x 257 and 2000 x 100 span
    // several row blocks and column blocks of the gamma/beta reduction.
    void layerNorm_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("features");
        QTest::addColumn<float>("offset");
        QTest::addColumn<float>("spread");
        QTest::newRow("1x1") << 1 << 1 << 0.f << 1.f;
        QTest::newRow("7x1") << 7 << 1 << 0.f << 1.f;
        QTest::newRow("1x64") << 1 << 64 << 0.f << 1.f;
        QTest::newRow("33x96") << 33 << 96 << 0.f << 1.f;
        QTest::newRow("5x1000") << 5 << 1000 << 0.f << 1.f;
        QTest::newRow("600x257") << 600 << 257 << 0.f << 2.f;
        QTest::newRow("2000x100") << 2000 << 100 << 0.f << 1.f;
        QTest::newRow("9x1000 mean 1e3") << 9 << 1000 << 1000.f << 1.f;
        QTest::newRow("64x33 mean -1e3") << 64 << 33 << -1000.f << 1.f;
        QTest::newRow("16x50 spread 1e-3") << 16 << 50 << 5.f << 1e-3f;
    }
    void layerNorm() {
        QFETCH(int, rows);
        QFETCH(int, features);
        QFETCH(float, offset);
        QFETCH(float, spread);
        const LayerNormDesc d{rows, features, 1e-5f};
        auto cpu = m_cpu->makeLayerNorm(d);
        auto ref = m_ref.makeLayerNorm(d);
        const Shape xs{rows, features}, ps{features};
        Tensor src = random(xs, offset - spread, offset + spread), diffDst = random(xs);
        Tensor gamma = random(ps, 0.5f, 1.5f), beta = random(ps);
        Tensor y1 = zeros(xs), y2 = zeros(xs);
        cpu->forward(src, gamma, beta, y1);
        ref->forward(src, gamma, beta, y2);
        expectNormwise(y1, y2, 1e-6, "layer norm forward");
        // backward overwrites: start the gradients from garbage
        Tensor dx1 = random(xs), dx2 = zeros(xs), dg1 = random(ps), dg2 = zeros(ps);
        Tensor db1 = random(ps), db2 = zeros(ps);
        cpu->backward(src, diffDst, gamma, dx1, dg1, db1);
        ref->backward(src, diffDst, gamma, dx2, dg2, db2);
        expectNormwise(dx1, dx2, 1e-5, "layer norm backward data");
        expectNormwise(dg1, dg2, 1e-6, "layer norm backward gamma");
        expectNormwise(db1, db2, 1e-6, "layer norm backward beta");
        if (features == 1) { // nothing to normalize: y = beta, dx = 0
            for (int64_t i = 0; i < rows; ++i) {
                QCOMPARE(y1.f32()[i], beta.f32()[0]);
                QCOMPARE(dx1.f32()[i], 0.f);
            }
        }
    }

    // Central differences of L = sum(y * R) on the reference backend (the oracle of the test
    // above) and on the CPU, every element of x, gamma and beta probed; the step is the one the
    // float inputs really moved by. Gradients start from a sentinel: a backward that
    // accumulates or skips an element fails.
    void layerNormGradient_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("features");
        QTest::addColumn<float>("offset");
        QTest::newRow("3x5") << 3 << 5 << 0.f;
        QTest::newRow("2x1") << 2 << 1 << 0.f;
        QTest::newRow("1x8") << 1 << 8 << 0.f;
        QTest::newRow("4x7 mean 1e3") << 4 << 7 << 1000.f;
    }
    void layerNormGradient() {
        QFETCH(int, rows);
        QFETCH(int, features);
        QFETCH(float, offset);
        const LayerNormDesc d{rows, features, 1e-5f};
        const Shape xs{rows, features}, ps{features};
        Tensor x = random(xs, offset - 1.f, offset + 1.f), r = random(xs);
        Tensor gamma = random(ps, 0.5f, 1.5f), beta = random(ps);
        for (Backend* b : {static_cast<Backend*>(&m_ref), m_cpu.get()}) {
            auto plan = b->makeLayerNorm(d);
            Tensor y = zeros(xs);
            auto loss = [&] {
                plan->forward(x, gamma, beta, y);
                double l = 0;
                for (int64_t i = 0; i < y.numel(); ++i)
                    l += double(y.f32()[i]) * r.f32()[i];
                return l;
            };
            loss();
            Tensor dx = zeros(xs), dg = zeros(ps), db = zeros(ps);
            for (Tensor* t : {&dx, &dg, &db})
                m_cpu->fill(*t, 1e3f);
            plan->backward(x, r, gamma, dx, dg, db);
            const std::tuple<const char*, Tensor*, Tensor*> probes[] = {
                {"x", &x, &dx}, {"gamma", &gamma, &dg}, {"beta", &beta, &db}};
            for (const auto& [name, value, grad] : probes)
                for (int64_t i = 0; i < value->numel(); ++i) {
                    float& v = value->f32()[i];
                    const float v0 = v, up = v0 + 5e-3f, down = v0 - (up - v0);
                    v = up;
                    const double lUp = loss();
                    v = down;
                    const double lDown = loss();
                    v = v0;
                    const double numeric = (lUp - lDown) / (double(up) - double(down));
                    const double analytic = grad->f32()[i];
                    QVERIFY2(std::fabs(numeric - analytic) <=
                                 2e-3 + 1e-2 * std::max(std::fabs(numeric), std::fabs(analytic)),
                             qPrintable(QString("%1: %2[%3]: backward %4, numeric %5 (seed %6)")
                                            .arg(QString::fromStdString(b->name()))
                                            .arg(name)
                                            .arg(i)
                                            .arg(analytic)
                                            .arg(numeric)
                                            .arg(m_seed)));
                }
        }
    }

    // Same bits with 1 and 2 threads and on a second run of the same plan (catches a race in
    // the gamma/beta partials, or a float reduction whose order follows the threads).
    void layerNormDeterministic() {
        const LayerNormDesc d{600, 257, 1e-5f};
        const Shape xs{600, 257}, ps{257};
        Tensor x = random(xs, -3.f, 3.f), dy = random(xs), g = random(ps), b = random(ps);
        auto run = [&](int threads) {
            m_cpu->setThreads(threads);
            auto plan = m_cpu->makeLayerNorm(d);
            std::vector<Tensor> out{zeros(xs), zeros(xs), zeros(ps), zeros(ps), zeros(ps)};
            plan->forward(x, g, b, out[0]);
            plan->backward(x, dy, g, out[1], out[2], out[3]);
            plan->backward(x, dy, g, out[1], out[4], out[3]); // again, into out[4]
            return out;
        };
        const auto two = run(2), one = run(1);
        m_cpu->setThreads(2);
        QVERIFY2(sameBits(two[2], two[4]), "a second backward on the same plan gave other bits");
        for (std::size_t k = 0; k < 4; ++k)
            QVERIFY2(sameBits(one[k], two[k]), qPrintable(QString("output %1").arg(k)));
    }

    void layerNormRejectsBadInput() {
        auto message = [](Backend& b, const LayerNormDesc& d) -> std::string {
            try {
                b.makeLayerNorm(d);
            } catch (const Error& e) {
                return e.kind() == ErrorKind::BadInput ? e.what() : "not BadInput";
            }
            return "accepted";
        };
        for (const LayerNormDesc& d : {LayerNormDesc{0, 4}, LayerNormDesc{4, 0},
                                       LayerNormDesc{4, 4, 0.f}, LayerNormDesc{4, 4, -1e-5f},
                                       LayerNormDesc{4, 4, std::numeric_limits<float>::quiet_NaN()}}) {
            const std::string cpu = message(*m_cpu, d);
            QVERIFY2(cpu.find("layer norm plan") != std::string::npos, cpu.c_str());
            QCOMPARE(message(m_ref, d), cpu);
        }
        auto plan = m_cpu->makeLayerNorm(LayerNormDesc{2, 3});
        Tensor x = random({2, 3}), g = random({3}), y = zeros({2, 3}), wrong = zeros({4});
        QVERIFY_THROWS_EXCEPTION(Error, plan->backward(x, x, g, y, g, g)); // no forward yet
        QVERIFY_THROWS_EXCEPTION(Error, plan->forward(x, wrong, g, y));
        QVERIFY_THROWS_EXCEPTION(Error, plan->forward(wrong, g, g, y));
    }

    // ---- activations and softmax -------------------------------------------------------------
    void activation_data() {
        QTest::addColumn<int>("act");
        QTest::addColumn<float>("alpha");
        QTest::addColumn<int>("n");
        for (const ActivationInfo& a : kActivations)  // every row of backend/activations.h
            for (int n : {1, 37, 100003})
                QTest::addRow("%s %d", a.name, n)
                    << int(a.kind) << (a.hasAlpha() ? float(a.defaultAlpha) * 0.5f + 0.05f : 0.f)
                    << n;
    }
    void activation() {
        QFETCH(int, act);
        QFETCH(float, alpha);
        QFETCH(int, n);
        const auto a = static_cast<Activation>(act);
        Tensor x = random({n}, -4.f, 4.f), dy = random({n});
        Tensor y1 = zeros({n}), y2 = zeros({n}), dx1 = zeros({n}), dx2 = zeros({n});
        m_cpu->activationForward(a, alpha, x, y1);
        m_ref.activationForward(a, alpha, x, y2);
        expectClose(y1, y2, 1e-6, 1e-5, "activation forward");
        m_cpu->activationBackward(a, alpha, x, y2, dy, dx1);
        m_ref.activationBackward(a, alpha, x, y2, dy, dx2);
        expectClose(dx1, dx2, 1e-6, 1e-5, "activation backward");
        Tensor inPlace = clone(x);
        m_cpu->activationForward(a, alpha, inPlace, inPlace);
        QVERIFY(sameBits(inPlace, y1));
    }

    void softmax_data() {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<bool>("log");
        for (bool log : {false, true}) {
            const char* kind = log ? "log-softmax " : "softmax ";
            QTest::addRow("%s7x10", kind) << Shape{7, 10} << log;
            QTest::addRow("%s1x1", kind) << Shape{1, 1} << log;
            QTest::addRow("%s2x5x3x4 channels inner", kind) << Shape{2, 5, 3, 4} << log;
            QTest::addRow("%s64x1000", kind) << Shape{64, 1000} << log;
        }
    }
    void softmax() {
        QFETCH(Shape, shape);
        QFETCH(bool, log);
        Tensor x = random(shape, -5.f, 5.f), dy = random(shape);
        Tensor y1 = zeros(shape), y2 = zeros(shape), dx1 = zeros(shape), dx2 = zeros(shape);
        m_cpu->softmaxForward(x, y1, log);
        m_ref.softmaxForward(x, y2, log);
        expectClose(y1, y2, 1e-7, 1e-5, "softmax forward");
        m_cpu->softmaxBackward(y2, dy, dx1, log);
        m_ref.softmaxBackward(y2, dy, dx2, log);
        expectClose(dx1, dx2, 1e-6, 1e-5, "softmax backward");
    }

};

QTEST_APPLESS_MAIN(TestCpuBackendLayers)
#include "test_cpu_backend_layers.moc"
