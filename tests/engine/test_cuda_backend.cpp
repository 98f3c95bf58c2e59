// The CUDA backend against the CPU backend: every op through the backend self-test (relative
// error under 1e-4 on fresh random inputs), the layer norm kernels on the shapes of their paths,
// and short trainings of the spiral and the Fashion-MNIST MLP and CNN on both devices, whose
// accuracies must agree within 0.5 points.
// Without a usable GPU (no driver, no device, no plugin) the GPU cases skip and print why; the
// fallback case then checks that such a build still trains on the CPU and says so.
#include <QtTest>

#include <algorithm>
#include <cstdlib>
#include <random>

#include "devices/backend_selftest.h"
#include "backend/cpu/cpu_backend.h"
#include "devices/device_registry.h"
#include "core/error.h"
#include "io/project.h"
#include "support/reference_backend.h"
#include "support/test_env.h"
#include "run/run_setup.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

// The CUDA backend, or null with the reason it cannot be used.
Backend* cudaOrNull(std::string& why) {
    try {
        return &backendFor("cuda");
    } catch (const Error& e) {
        why = e.what();
        return nullptr;
    }
}

#define REQUIRE_GPU(backend)                                                        \
    std::string why;                                                                \
    Backend* backend = cudaOrNull(why);                                             \
    if (!backend) QSKIP(qPrintable("no usable GPU: " + QString::fromStdString(why)))

struct Quiet : TrainObserver {};

double trainAccuracy(const std::string& example, const std::string& device, int epochs,
                     int64_t maxSteps) {
    ProjectDocument doc = loadProject(test::sourceDir() + "/resources/examples/" + example, nullptr);
    doc.training.device = device;
    doc.training.epochs = epochs;
    doc.training.maxSteps = maxSteps;
    RunSetup s = prepareRun(doc);
    Trainer trainer(*s.model, s.data, doc.training);
    Quiet quiet;
    StopToken stop;
    const FinishedEvent fin = trainer.run(quiet, stop);
    return fin.testAccuracy.value_or(fin.valAccuracy.value_or(fin.trainAccuracy));
}

}  // namespace

// A backend with one deliberate bug, to prove the self-test catches a wrong op.
class BrokenAxpy : public test::ReferenceBackend {
public:
    void axpy(float alpha, const Tensor& x, Tensor& y) override {
        test::ReferenceBackend::axpy(alpha * 1.001f, x, y);
    }
};

class TestCudaBackend : public QObject {
    Q_OBJECT
private slots:
    // The harness itself, on every machine: oneDNN against the double-precision reference
    // passes with small but nonzero errors, and a broken op is reported on its row.
    void selftestHarnessComparesBackends() {
        std::unique_ptr<Backend> cpu = cpu::makeCpuBackend();
        test::ReferenceBackend reference;
        double largest = 0.0;
        for (const SelftestRow& r : runBackendSelftest(*cpu, reference, 7)) {
            // the reference reports bad indices and labels as Internal (a bug in the caller),
            // the backends as BadInput, so those two rows differ by design here
            if (r.op.find("rejects") != std::string::npos) continue;
            QVERIFY2(r.pass, qPrintable(QString::fromStdString(r.op + ": " + r.error) + " " +
                                        QString::number(r.maxRelError)));
            largest = std::max(largest, r.maxRelError);
        }
        QVERIFY2(largest > 0.0, "oneDNN and the reference cannot agree to the last bit everywhere");
        BrokenAxpy broken;
        int failed = 0;
        for (const SelftestRow& r : runBackendSelftest(broken, reference, 7)) {
            if (!r.pass && r.op.find("rejects") == std::string::npos) {
                ++failed;
                QCOMPARE(QString::fromStdString(r.op), QString("axpy, scale, multiply, fill"));
            }
        }
        QCOMPARE(failed, 1);
    }

    void withoutGpuFallsBackToCpuWithAReason() {
        std::string why;
        if (cudaOrNull(why)) QSKIP("a GPU is usable here; the fallback path is not taken");
        QVERIFY2(!why.empty(), "backendFor(cuda) must say why no GPU is usable");
        QVERIFY(why.find("use --device cpu") != std::string::npos);
        std::string note;
        Backend& be = backendFor("auto", &note);
        QVERIFY(be.device().isCpu());
        QVERIFY2(note.find("using the CPU") != std::string::npos, note.c_str());
        const DeviceList list = listDevices();
        QVERIFY2(!list.gpuNote.empty(), "devices must explain why no GPU is listed as usable");
    }

    void everyOpMatchesTheCpu() {
        REQUIRE_GPU(gpu);
        const char* env = std::getenv("NEURITE_TEST_SEED");
        const uint64_t seed = env ? std::strtoull(env, nullptr, 10) : std::random_device{}();
        std::unique_ptr<Backend> cpu = cpu::makeCpuBackend();
        for (const SelftestRow& r : runBackendSelftest(*gpu, *cpu, seed))
            QVERIFY2(r.pass, qPrintable(QString("%1: max rel err %2 > %3 %4 (seed %5)")
                                            .arg(QString::fromStdString(r.op))
                                            .arg(r.maxRelError)
                                            .arg(r.tolerance)
                                            .arg(QString::fromStdString(r.error))
                                            .arg(seed)));
    }

    // The layer norm kernels on the shapes that exercise their paths (a row narrower than a warp,
    // wider than a block, several row blocks and column tiles of the gamma/beta reduction, a
    // mean of 1e3) against the CPU, normwise within 1e-5; two runs give the same bits; a bad
    // descriptor is refused with the CPU's words.
    void layerNormMatchesTheCpu_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("features");
        QTest::addColumn<float>("offset");
        QTest::newRow("1x1") << 1 << 1 << 0.f;
        QTest::newRow("7x1") << 7 << 1 << 0.f;
        QTest::newRow("33x96") << 33 << 96 << 0.f;
        QTest::newRow("1x4096") << 1 << 4096 << 0.f;
        QTest::newRow("600x257") << 600 << 257 << 0.f;
        QTest::newRow("20000x8") << 20000 << 8 << 0.f;
        QTest::newRow("9x1000 mean 1e3") << 9 << 1000 << 1000.f;
    }
    void layerNormMatchesTheCpu() {
        REQUIRE_GPU(gpu);
        QFETCH(int, rows);
        QFETCH(int, features);
        QFETCH(float, offset);
        const LayerNormDesc d{rows, features, 1e-5f};
        const Shape xs{rows, features}, ps{features};
        std::mt19937_64 rng(uint64_t(rows) * 131 + uint64_t(features));
        auto random = [&](int64_t n, float lo, float hi) {
            std::uniform_real_distribution<float> u(lo, hi);
            std::vector<float> v(static_cast<std::size_t>(n));
            for (float& e : v) e = u(rng);
            return v;
        };
        const auto x = random(xs.numel(), offset - 1.f, offset + 1.f), dy = random(xs.numel(), -1, 1);
        const auto g = random(features, 0.5f, 1.5f), b = random(features, -1, 1);
        std::unique_ptr<Backend> cpu = cpu::makeCpuBackend();
        auto run = [&](Backend& be) {
            auto up = [&](const std::vector<float>& v, const Shape& s) {
                Tensor t = Tensor::empty(be, s);
                be.copyFromHost(t, v.data());
                return t;
            };
            auto down = [&](const Tensor& t) {
                std::vector<float> v(static_cast<std::size_t>(t.numel()));
                be.copyToHost(v.data(), t);
                return v;
            };
            auto plan = be.makeLayerNorm(d);
            Tensor tx = up(x, xs), tdy = up(dy, xs), tg = up(g, ps), tb = up(b, ps);
            Tensor y = Tensor::empty(be, xs), dx = Tensor::empty(be, xs);
            Tensor dg = Tensor::empty(be, ps), db = Tensor::empty(be, ps);
            plan->forward(tx, tg, tb, y);
            plan->backward(tx, tdy, tg, dx, dg, db);
            return std::vector<std::vector<float>>{down(y), down(dx), down(dg), down(db)};
        };
        const auto want = run(*cpu), got = run(*gpu), again = run(*gpu);
        const char* names[] = {"y", "dx", "dgamma", "dbeta"};
        for (std::size_t k = 0; k < want.size(); ++k) {
            double worst = 0.0, scale = 1e-30;
            for (std::size_t i = 0; i < want[k].size(); ++i) {
                worst = std::max(worst, double(std::abs(got[k][i] - want[k][i])));
                scale = std::max(scale, double(std::abs(want[k][i])));
            }
            QVERIFY2(worst <= 1e-5 * scale, qPrintable(QString("%1: max |gpu - cpu| %2, max |cpu| %3")
                                                          .arg(names[k])
                                                          .arg(worst)
                                                          .arg(scale)));
            QVERIFY2(got[k] == again[k], qPrintable(QString("%1 differs between runs").arg(names[k])));
        }
        auto refusal = [&](Backend& be) -> std::string {
            try {
                be.makeLayerNorm(LayerNormDesc{rows, 0});
            } catch (const Error& e) {
                return e.what();
            }
            return "accepted";
        };
        QCOMPARE(QString::fromStdString(refusal(*gpu)), QString::fromStdString(refusal(*cpu)));
    }

    void outOfMemoryIsAnErrorAndTheBackendStaysUsable() {
        REQUIRE_GPU(gpu);
        setGpuMemoryCap(std::size_t(64) << 20);
        bool threw = false;
        try {
            Tensor big = Tensor::empty(*gpu, Shape{int64_t(1) << 26});  // 256 MiB
        } catch (const Error& e) {
            threw = true;
            QCOMPARE(e.kind(), ErrorKind::Unsupported);
            QVERIFY2(std::string(e.what()).find("free") != std::string::npos, e.what());
        }
        setGpuMemoryCap(0);
        QVERIFY(threw);
        Tensor small = Tensor::empty(*gpu, Shape{16});
        gpu->fill(small, 2.f);
        QCOMPARE(gpu->sumSquares(small), 64.0);
    }

    void trainingMatchesTheCpu_data() {
        QTest::addColumn<QString>("example");
        QTest::addColumn<int>("epochs");
        QTest::addColumn<int>("maxSteps");
        QTest::newRow("spiral") << "spiral.neurite.json" << 0 << 0;
        QTest::newRow("fashion mlp") << "fashion_mlp.neurite.json" << 2 << 0;
        QTest::newRow("fashion cnn") << "fashion_cnn.neurite.json" << 1 << 300;
    }
    void trainingMatchesTheCpu() {
        REQUIRE_GPU(gpu);
        (void)gpu;
        QFETCH(QString, example);
        QFETCH(int, epochs);
        QFETCH(int, maxSteps);
        const std::string name = example.toStdString();
        const ProjectDocument doc =
            loadProject(test::sourceDir() + "/resources/examples/" + name, nullptr);
        const int e = epochs > 0 ? epochs : doc.training.epochs;
        const double cpuAcc = trainAccuracy(name, "cpu", e, maxSteps);
        const double gpuAcc = trainAccuracy(name, "cuda", e, maxSteps);
        qInfo("%s: cpu %.4f cuda %.4f", name.c_str(), cpuAcc, gpuAcc);
        // one point: the CPU against itself at 8 and 2 threads differs by half a point on the
        // MLP after two epochs (float sums in another order; docs/gpu.md, first GPU run)
        QVERIFY2(std::abs(cpuAcc - gpuAcc) <= 0.01,
                 qPrintable(QString("cpu %1 vs cuda %2").arg(cpuAcc).arg(gpuAcc)));
    }
};

QTEST_APPLESS_MAIN(TestCudaBackend)
#include "test_cuda_backend.moc"
