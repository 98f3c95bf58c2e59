// Gradient checks over the layer registry and the fused losses, on the ReferenceBackend: random
// shapes and data (a fresh seed per run, printed on failure; NEURITE_TEST_SEED repeats a run),
// central differences of L = sum(dst * R) against backward. The rows are the registry's examples
// (LayerType::examples), so every registered type but Input is checked.
#include <QtTest>

#include <cstdlib>
#include <functional>
#include <random>
#include <set>

#include "layers/registry.h"
#include "support/gradcheck.h"
#include "support/reference_backend.h"

using namespace neurite;
using neurite::test::GradCheckOptions;
using neurite::test::GradCheckResult;

namespace {

using MtRng = std::mt19937_64;

int64_t dim(MtRng& rng, int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

uint64_t runSeed() {
    if (const char* s = std::getenv("NEURITE_TEST_SEED")) return std::strtoull(s, nullptr, 10);
    return std::random_device{}();
}

// Every example of every registered layer type (LayerType::examples).
struct LayerRow {
    const LayerType* type;
    const LayerExample* example;
};

const std::vector<LayerRow>& layerRows() {
    static const std::vector<LayerRow> rows = [] {
        std::vector<LayerRow> r;
        for (const LayerType& t : layerTypes())
            for (const LayerExample& e : t.examples) r.push_back({&t, &e});
        return r;
    }();
    return rows;
}

GradCheckOptions optionsFor(LayerExample::Check check) {
    GradCheckOptions o;
    switch (check) {
    case LayerExample::Check::Smooth: break;
    case LayerExample::Check::Kinked: o.minAbs = 0.05; break;     // skip inputs at the kink
    case LayerExample::Check::Distinct: o.distinct = true; break;  // no ties for max
    // Batch statistics of a few samples curve sharply: a smaller step keeps truncation error down.
    case LayerExample::Check::FineStep: o.step = 1e-3; break;
    case LayerExample::Check::Inference: o.training = false; break;
    }
    return o;
}

} // namespace

class TestGradcheck : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        m_seed = runSeed();
        qInfo("gradcheck seed %llu (set NEURITE_TEST_SEED to repeat)",
              static_cast<unsigned long long>(m_seed));
    }

    // Catches a layer type added to the registry without an example to check.
    void everyLayerTypeHasAnExample() {
        for (const LayerType& t : layerTypes()) {
            if (t.dataInput) continue;
            QVERIFY2(!t.examples.empty(), qPrintable("no example (gradient-check case) for layer type " +
                                                      QString::fromStdString(t.name)));
        }
    }

    void layer_data() {
        QTest::addColumn<int>("row");
        for (std::size_t i = 0; i < layerRows().size(); ++i)
            QTest::newRow(layerRows()[i].example->name.c_str()) << int(i);
    }
    void layer() {
        QFETCH(int, row);
        const LayerRow& r = layerRows()[std::size_t(row)];
        for (uint64_t rep = 0; rep < 2; ++rep) {
            GradCheckOptions o = optionsFor(r.example->check);
            o.seed = m_seed + uint64_t(row) * 1000 + rep;
            o.ids = r.example->ids;
            neurite::Rng rng(o.seed);
            std::vector<Shape> shapes = exampleShapes(*r.example, &rng);
            test::ReferenceBackend backend;
            GradCheckResult res =
                test::gradCheckLayer(backend, r.type->name, r.example->params, shapes, o);
            QString where = QString::fromStdString(shapes[0].str());
            QVERIFY2(res.ok, qPrintable(QString::fromStdString(res.message) + " input " + where));
            QVERIFY2(res.checked > 0, "nothing was checked");
        }
    }

    void loss_data() {
        QTest::addColumn<QString>("kind");
        for (const char* k : {"ce", "ce weights", "ce smoothing", "ce weights smoothing", "bce",
                              "bce pos_weight", "focal gamma 2", "focal gamma 0.5", "mse", "huber"})
            QTest::newRow(k) << QString(k);
    }
    void loss() {
        QFETCH(QString, kind);
        const std::string k = kind.toStdString();
        GradCheckOptions o;
        o.seed = m_seed + std::hash<std::string>{}(k) % 100000;
        o.atol = 1e-4;
        MtRng rng(o.seed);
        test::ReferenceBackend be;
        const int64_t n = dim(rng, 2, 5), c = dim(rng, 2, 5);
        std::vector<int32_t> labels;
        for (int64_t i = 0; i < n; ++i)
            labels.push_back(int32_t(dim(rng, 0, c - 1)));
        Tensor y = test::toBackendI32(be, labels, Shape{n});
        Tensor weights = test::toBackend(be, test::uniform(rng, c, 0.3, 2.0), Shape{c});
        Tensor soft = test::toBackend(be, test::uniform(rng, n, 0.0, 1.0), Shape{n, 1});
        Tensor targets = test::toBackend(be, test::uniform(rng, n * c, -1.0, 1.0), Shape{n, c});
        Shape shape{n, c};
        std::vector<float> initial;
        test::LossFn fn;
        if (k.rfind("ce", 0) == 0) {
            const Tensor* w = k.find("weights") != std::string::npos ? &weights : nullptr;
            float eps = k.find("smoothing") != std::string::npos ? 0.15f : 0.f;
            fn = [&, w, eps](Backend& b, const Tensor& x, Tensor& d) {
                return b.softmaxCrossEntropy(x, y, w, eps, d);
            };
        } else if (k.rfind("bce", 0) == 0) {
            shape = Shape{n, 1};
            float pw = k == "bce" ? 1.f : 2.5f;
            fn = [&, pw](Backend& b, const Tensor& x, Tensor& d) {
                return b.binaryCrossEntropy(x, soft, pw, d);
            };
        } else if (k.rfind("focal", 0) == 0) {
            float gamma = k == "focal gamma 2" ? 2.f : 0.5f;
            fn = [&, gamma](Backend& b, const Tensor& x, Tensor& d) {
                return b.focalLoss(x, y, gamma, 0.25f, d);
            };
        } else if (k == "mse") {
            fn = [&](Backend& b, const Tensor& x, Tensor& d) { return b.mseLoss(x, targets, d); };
        } else {
            // Predictions spread over [-3, 3] around zero targets: both sides of delta = 1.
            targets = test::toBackend(be, std::vector<float>(std::size_t(n * c), 0.f), shape);
            initial = test::uniform(rng, n * c, -3.0, 3.0);
            initial[0] = 0.5f;
            initial[1] = -2.5f;
            fn = [&](Backend& b, const Tensor& x, Tensor& d) {
                return b.huberLoss(x, targets, 1.f, d);
            };
        }
        GradCheckResult res =
            test::gradCheckLoss(be, shape, fn, o, initial.empty() ? nullptr : &initial);
        QVERIFY2(res.ok, qPrintable(QString::fromStdString(res.message)));
    }

private:
    uint64_t m_seed = 0;
};

QTEST_APPLESS_MAIN(TestGradcheck)
#include "test_gradcheck.moc"
