// The oneDNN CPU backend against the reference backend, op by op, on random inputs of several
// shapes; plus hand-computed optimizer steps, determinism, plan reuse and bad descriptors.
// Set NEURITE_TEST_SEED to replay a failure; every failure message prints the seed.
#include <QtTest>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <tuple>
#include <vector>

#include "backend/cpu/cpu_backend.h"
#include "core/error.h"
#include "support/reference_backend.h"

using namespace neurite;

Q_DECLARE_METATYPE(neurite::ConvDesc)
Q_DECLARE_METATYPE(neurite::PoolDesc)
Q_DECLARE_METATYPE(neurite::Shape)

namespace {

uint64_t baseSeed() {
    static const uint64_t seed = [] {
        const char* env = std::getenv("NEURITE_TEST_SEED");
        return env ? std::strtoull(env, nullptr, 10) : uint64_t(std::random_device{}());
    }();
    return seed;
}

// Worst |a - b| / (atol + rtol |b|) over the elements; <= 1 passes. `where` names the worst.
struct Diff {
    double worst = 0.0;
    std::string where;
};

Diff compare(const Tensor& a, const Tensor& b, double atol, double rtol) {
    Diff d;
    if (a.numel() != b.numel()) return {std::numeric_limits<double>::infinity(), "sizes differ"};
    for (int64_t i = 0; i < a.numel(); ++i) {
        const double x = a.f32()[i], y = b.f32()[i];
        const double e = std::isfinite(x) ? std::fabs(x - y) / (atol + rtol * std::fabs(y))
                                          : std::numeric_limits<double>::infinity();
        if (e > d.worst || std::isnan(e)) {
            d.worst = std::isnan(e) ? std::numeric_limits<double>::infinity() : e;
            d.where = "element " + std::to_string(i) + ": cpu " + std::to_string(x) +
                      " reference " + std::to_string(y);
        }
    }
    return d;
}

// Absolute tolerance for an fp32 sum of k products of values in [-1, 1]: rounding grows about
// like eps * sqrt(k) * (the sum's spread, about sqrt(k / 9)), with a safety factor of five.
double sumTolerance(int64_t k) {
    return 1e-6 + 1e-7 * double(k);
}

// The same for bf16 compute: inputs rounded to 8-bit mantissas (relative error 2^-9 each).
double bf16Tolerance(int64_t k) {
    return 1e-3 + 1e-2 * std::sqrt(double(k));
}

bool sameBits(const Tensor& a, const Tensor& b) {
    return a.bytes() == b.bytes() && std::memcmp(a.raw(), b.raw(), a.bytes()) == 0;
}

} // namespace

class TestCpuBackend : public QObject {
    Q_OBJECT

    std::unique_ptr<Backend> m_cpu = cpu::makeCpuBackend();
    test::ReferenceBackend m_ref;
    std::mt19937_64 m_rng;
    uint64_t m_seed = 0;

    // A fresh generator per test row, seeded from the base seed and the row name.
    void reseed() {
        m_seed = baseSeed() ^
                 std::hash<std::string>{}(QTest::currentDataTag() ? QTest::currentDataTag()
                                                                  : QTest::currentTestFunction());
        m_rng.seed(m_seed);
    }
    Tensor zeros(const Shape& s) {
        Tensor t = Tensor::empty(*m_cpu, s);
        m_cpu->fill(t, 0.f);
        return t;
    }
    Tensor random(const Shape& s, float lo = -1.f, float hi = 1.f) {
        Tensor t = Tensor::empty(*m_cpu, s);
        std::uniform_real_distribution<float> u(lo, hi);
        for (int64_t i = 0; i < t.numel(); ++i)
            t.f32()[i] = u(m_rng);
        return t;
    }
    Tensor labels(int64_t n, int classes) {
        Tensor t = Tensor::empty(*m_cpu, Shape{n}, DType::I32);
        std::uniform_int_distribution<int> u(0, classes - 1);
        for (int64_t i = 0; i < n; ++i)
            t.data<int32_t>()[i] = u(m_rng);
        return t;
    }
    Tensor clone(const Tensor& t) {
        Tensor c = Tensor::empty(*m_cpu, t.shape(), t.dtype());
        m_cpu->copy(t, c);
        return c;
    }
    void expectClose(const Tensor& cpu, const Tensor& ref, double atol, double rtol,
                     const char* what) {
        Diff d = compare(cpu, ref, atol, rtol);
        QVERIFY2(d.worst <= 1.0, qPrintable(QString("%1: off by %2 x tolerance at %3 (seed %4)")
                                                .arg(what)
                                                .arg(d.worst)
                                                .arg(QString::fromStdString(d.where))
                                                .arg(m_seed)));
    }
    // Normwise: |cpu - ref| <= tol * max|ref| (+ tol * |ref| per element) everywhere, for
    // outputs whose elements may cancel to near zero (a layer norm's dx).
    void expectNormwise(const Tensor& cpu, const Tensor& ref, double tol, const char* what) {
        double scale = 0.0;
        for (int64_t i = 0; i < ref.numel(); ++i)
            scale = std::max(scale, double(std::fabs(ref.f32()[i])));
        expectClose(cpu, ref, tol * std::max(scale, 1e-30), tol, what);
    }
    void expectNear(double cpu, double ref, double tol, const char* what) {
        QVERIFY2(std::fabs(cpu - ref) <= tol * (1.0 + std::fabs(ref)),
                 qPrintable(QString("%1: cpu %2 reference %3 (seed %4)")
                                .arg(what)
                                .arg(cpu, 0, 'g', 10)
                                .arg(ref, 0, 'g', 10)
                                .arg(m_seed)));
    }

private slots:
    void initTestCase() {
        m_cpu->setThreads(2);
        qInfo("backend: %s, seed %llu", m_cpu->name().c_str(),
              static_cast<unsigned long long>(baseSeed()));
    }
    void init() { reseed(); }

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
    }
    void conv() {
        QFETCH(ConvDesc, d);
        const bool bf16 = d.compute == DType::BF16;
        if (bf16 && !cpu::cpuInfo().bf16) QSKIP(cpu::cpuInfo().bf16Reason.c_str());
        auto tol = [&](int64_t k) { return bf16 ? bf16Tolerance(k) : sumTolerance(k); };
        const double rtol = bf16 ? 2e-2 : 1e-4;
        auto cpu = m_cpu->makeConv(d);
        auto ref = m_ref.makeConv(d);
        const Shape xs{d.batch, d.inChannels, d.height, d.width};
        const Shape ws{d.outChannels, d.inChannels, d.kernelH, d.kernelW};
        const Shape ys{d.batch, d.outChannels, d.outHeight(), d.outWidth()};
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
        QTest::newRow("7x10") << Shape{7, 10};
        QTest::newRow("1x1") << Shape{1, 1};
        QTest::newRow("2x5x3x4 channels inner") << Shape{2, 5, 3, 4};
        QTest::newRow("64x1000") << Shape{64, 1000};
    }
    void softmax() {
        QFETCH(Shape, shape);
        Tensor x = random(shape, -5.f, 5.f), dy = random(shape);
        Tensor y1 = zeros(shape), y2 = zeros(shape), dx1 = zeros(shape), dx2 = zeros(shape);
        m_cpu->softmaxForward(x, y1);
        m_ref.softmaxForward(x, y2);
        expectClose(y1, y2, 1e-7, 1e-5, "softmax forward");
        m_cpu->softmaxBackward(y2, dy, dx1);
        m_ref.softmaxBackward(y2, dy, dx2);
        expectClose(dx1, dx2, 1e-6, 1e-5, "softmax backward");
    }

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

QTEST_APPLESS_MAIN(TestCpuBackend)
#include "test_cpu_backend.moc"
