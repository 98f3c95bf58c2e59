// Gradient checks over the layer registry and the fused losses, on the ReferenceBackend: random
// shapes and data (a fresh seed per run, printed on failure; NEURITE_TEST_SEED repeats a run),
// central differences of L = sum(dst * R) against backward. Every registered layer type but Input
// must have a row here.
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

using Rng = std::mt19937_64;
using ShapeGen = std::function<std::vector<Shape>(Rng&)>;

struct LayerRow {
    const char* name;
    const char* type;
    std::map<std::string, ParamValue> params;
    ShapeGen shapes;
    GradCheckOptions options;
};

int64_t dim(Rng& rng, int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
}

uint64_t runSeed() {
    if (const char* s = std::getenv("NEURITE_TEST_SEED")) return std::strtoull(s, nullptr, 10);
    return std::random_device{}();
}

using L = std::vector<int64_t>;

// [N,C,H,W] with the given ranges; H and W drawn independently (non-square inputs).
ShapeGen image(int64_t hLo, int64_t hHi, int64_t wLo, int64_t wHi, int64_t cHi = 3) {
    return [=](Rng& r) {
        return std::vector<Shape>{
            Shape{dim(r, 1, 2), dim(r, 1, cHi), dim(r, hLo, hHi), dim(r, wLo, wHi)}};
    };
}
ShapeGen matrix(int64_t nLo, int64_t nHi, int64_t fLo, int64_t fHi) {
    return [=](Rng& r) { return std::vector<Shape>{Shape{dim(r, nLo, nHi), dim(r, fLo, fHi)}}; };
}
// `count` inputs of one shape drawn by `gen`.
ShapeGen same(int count, ShapeGen gen) {
    return [=](Rng& r) { return std::vector<Shape>(std::size_t(count), gen(r)[0]); };
}
// `count` inputs [N, C_i, H, W] that differ in channels only (rank 2 when spatial is false).
ShapeGen channels(int count, bool spatial) {
    return [=](Rng& r) {
        int64_t n = dim(r, 1, 3), h = dim(r, 2, 4), w = dim(r, 2, 4);
        std::vector<Shape> s;
        for (int i = 0; i < count; ++i)
            s.push_back(spatial ? Shape{n, dim(r, 1, 3), h, w} : Shape{n, dim(r, 1, 4)});
        return s;
    };
}

GradCheckOptions kinked() {
    GradCheckOptions o;
    o.minAbs = 0.05;
    return o;
}
GradCheckOptions distinct() {
    GradCheckOptions o;
    o.distinct = true;
    return o;
}
// Batch statistics of a few samples curve sharply: a smaller step keeps truncation error down.
GradCheckOptions fineStep() {
    GradCheckOptions o;
    o.step = 1e-3;
    return o;
}
GradCheckOptions inference() {
    GradCheckOptions o;
    o.training = false;
    return o;
}

const std::vector<LayerRow>& layerRows() {
    // clang-format off
    static const std::vector<LayerRow> rows = {
        {"dense", "Dense", {{"units", int64_t(5)}}, matrix(2, 4, 3, 7), {}},
        {"dense no bias", "Dense", {{"units", int64_t(3)}, {"bias", false}}, matrix(1, 3, 1, 5), {}},
        {"conv 3x3 s1 same", "Conv2D", {{"filters", int64_t(3)}}, image(4, 7, 4, 8), {}},
        {"conv 3x3 s2 same", "Conv2D", {{"filters", int64_t(2)}, {"strides", int64_t(2)}}, image(5, 8, 4, 7), {}},
        {"conv 5x5 s1 valid", "Conv2D", {{"filters", int64_t(2)}, {"kernel_size", int64_t(5)}, {"padding", std::string("valid")}}, image(5, 8, 6, 9), {}},
        {"conv 5x5 s2 same no bias", "Conv2D", {{"filters", int64_t(2)}, {"kernel_size", int64_t(5)}, {"strides", int64_t(2)}, {"bias", false}}, image(4, 7, 5, 8), {}},
        {"conv 1x1 s1 valid", "Conv2D", {{"filters", int64_t(4)}, {"kernel_size", int64_t(1)}, {"padding", std::string("valid")}}, image(2, 5, 2, 5), {}},
        {"conv 1x1 s2 same", "Conv2D", {{"filters", int64_t(2)}, {"kernel_size", int64_t(1)}, {"strides", int64_t(2)}}, image(3, 6, 3, 6), {}},
        {"conv 4x4 same (uneven pad)", "Conv2D", {{"filters", int64_t(2)}, {"kernel_size", int64_t(4)}}, image(4, 6, 5, 7), {}},
        {"conv 3x2 s[2,1] valid", "Conv2D", {{"filters", int64_t(2)}, {"kernel_size", L{3, 2}}, {"strides", L{2, 1}}, {"padding", std::string("valid")}}, image(5, 8, 3, 6), {}},
        {"maxpool 2x2 valid", "MaxPool2D", {}, image(4, 7, 4, 8), distinct()},
        {"maxpool 3x3 s2 same", "MaxPool2D", {{"pool_size", int64_t(3)}, {"strides", int64_t(2)}, {"padding", std::string("same")}}, image(4, 7, 5, 8), distinct()},
        {"maxpool 3x2 s1 valid", "MaxPool2D", {{"pool_size", L{3, 2}}, {"strides", int64_t(1)}}, image(3, 6, 2, 5), distinct()},
        {"maxpool 2x2 same odd", "MaxPool2D", {{"padding", std::string("same")}}, image(3, 5, 3, 5), distinct()},
        {"avgpool 2x2 valid", "AvgPool2D", {}, image(4, 7, 4, 8), {}},
        {"avgpool 3x3 s2 same", "AvgPool2D", {{"pool_size", int64_t(3)}, {"strides", int64_t(2)}, {"padding", std::string("same")}}, image(4, 7, 5, 8), {}},
        {"avgpool 2x3 s1 same", "AvgPool2D", {{"pool_size", L{2, 3}}, {"strides", int64_t(1)}, {"padding", std::string("same")}}, image(2, 5, 2, 5), {}},
        {"global avg pool", "GlobalAvgPool", {}, image(1, 5, 1, 6, 4), {}},
        {"flatten", "Flatten", {}, image(1, 3, 1, 3), {}},
        {"reshape", "Reshape", {{"shape", L{6, -1}}}, [](Rng& r) { return std::vector<Shape>{Shape{dim(r, 1, 3), 2, 3, 4}}; }, {}},
        {"dropout fixed seed", "Dropout", {{"rate", 0.4}}, matrix(2, 4, 3, 9), {}},
        {"dropout inference", "Dropout", {{"rate", 0.4}}, matrix(2, 4, 3, 9), inference()},
        {"batchnorm 2-D", "BatchNorm", {}, matrix(3, 6, 1, 4), fineStep()},
        {"batchnorm 4-D", "BatchNorm", {{"momentum", 0.3}}, image(2, 4, 2, 4), fineStep()},
        {"relu", "ReLU", {}, matrix(2, 4, 3, 8), kinked()},
        {"leaky relu", "LeakyReLU", {{"alpha", 0.2}}, matrix(2, 4, 3, 8), kinked()},
        {"elu", "ELU", {}, image(2, 3, 2, 3), kinked()},
        {"elu alpha 0.5", "ELU", {{"alpha", 0.5}}, matrix(2, 4, 3, 8), kinked()},
        {"sigmoid", "Sigmoid", {}, matrix(2, 4, 3, 8), {}},
        {"tanh", "Tanh", {}, matrix(2, 4, 3, 8), {}},
        {"gelu", "GELU", {}, image(2, 3, 2, 3), {}},
        {"softmax 2-D", "Softmax", {}, matrix(2, 4, 2, 6), {}},
        {"softmax 4-D", "Softmax", {}, image(2, 3, 1, 3, 4), {}},
        {"add 2 inputs", "Add", {}, same(2, matrix(2, 4, 3, 6)), {}},
        {"add 3 inputs", "Add", {}, same(3, image(2, 3, 2, 3)), {}},
        {"concat 2 inputs 2-D", "Concat", {}, channels(2, false), {}},
        {"concat 3 inputs 4-D", "Concat", {}, channels(3, true), {}},
    };
    // clang-format on
    return rows;
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

    // Catches a layer type added to the registry without its gradient check.
    void everyLayerTypeHasARow() {
        std::set<std::string> covered;
        for (const LayerRow& r : layerRows())
            covered.insert(r.type);
        for (const LayerType& t : layerTypes()) {
            if (t.name == "Input") continue;
            QVERIFY2(covered.count(t.name), qPrintable("no gradient-check row for layer type " +
                                                       QString::fromStdString(t.name)));
        }
    }

    void layer_data() {
        QTest::addColumn<int>("row");
        for (std::size_t i = 0; i < layerRows().size(); ++i)
            QTest::newRow(layerRows()[i].name) << int(i);
    }
    void layer() {
        QFETCH(int, row);
        const LayerRow& r = layerRows()[std::size_t(row)];
        for (uint64_t rep = 0; rep < 2; ++rep) {
            GradCheckOptions o = r.options;
            o.seed = m_seed + uint64_t(row) * 1000 + rep;
            Rng rng(o.seed);
            std::vector<Shape> shapes = r.shapes(rng);
            test::ReferenceBackend backend;
            GradCheckResult res = test::gradCheckLayer(backend, r.type, r.params, shapes, o);
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
        Rng rng(o.seed);
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
