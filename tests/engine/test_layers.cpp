// Layer behaviour that gradient checks cannot see: dropout masks (the shared hash, per-step and
// per-node variation, inference identity), BatchNorm's running statistics in inference, merge
// layers with inputs that need no gradient, and plans per batch size.
#include <QtTest>

#include "core/error.h"
#include "layers/registry.h"
#include "support/gradcheck.h"
#include "support/reference_backend.h"

using namespace neurite;
using test::toBackend;
using test::toHost;

namespace {

std::unique_ptr<Layer> make(const std::string& type, const std::map<std::string, ParamValue>& p) {
    const LayerType* t = findLayerType(type);
    ParamCheck c = checkParams(*t, p);
    NEURITE_CHECK(c.errors.empty(), c.errors.empty() ? std::string() : c.errors[0]);
    return t->create(c.params);
}

std::vector<float> dropoutOnes(Backend& b, Layer& layer, int64_t step, bool training, int64_t n) {
    Tensor x = toBackend(b, std::vector<float>(std::size_t(n), 1.f), Shape{1, n});
    Tensor y = Tensor::empty(b, Shape{1, n});
    LayerContext ctx{b, training, 42, step};
    const Tensor* src[] = {&x};
    layer.forward(ctx, src, y);
    return toHost(b, y);
}

} // namespace

class TestLayers : public QObject {
    Q_OBJECT
private slots:
    // splitmix64 from state 0 starts with 0xE220A8397B1DCDAF: pins the hash every backend shares.
    void dropoutHashIsSplitmix64() {
        QCOMPARE(dropoutHash(0, 0), uint64_t(0xE220A8397B1DCDAFull));
        QVERIFY(dropoutHash(1, 0) != dropoutHash(0, 1));
        QVERIFY(dropoutKeep(5, 7, 0.f));
    }

    void dropoutKeepsAboutOneMinusRateScaled() {
        test::ReferenceBackend b;
        auto layer = make("Dropout", {{"rate", 0.25}});
        std::vector<float> y = dropoutOnes(b, *layer, 1, true, 20000);
        int kept = 0;
        for (float v : y) {
            QVERIFY(v == 0.f || std::abs(v - 1.f / 0.75f) < 1e-6f);
            kept += v != 0.f;
        }
        QVERIFY2(std::abs(kept / 20000.0 - 0.75) < 0.02, qPrintable(QString::number(kept)));
    }

    // Catches a seed that ignores the step (the same units dropped all run) or the node salt.
    void dropoutMaskVariesWithStepAndNode() {
        test::ReferenceBackend b;
        auto a = make("Dropout", {}), c = make("Dropout", {});
        a->setSalt(layerSalt("dropout_1"));
        c->setSalt(layerSalt("dropout_2"));
        std::vector<float> a1 = dropoutOnes(b, *a, 1, true, 256);
        QCOMPARE(dropoutOnes(b, *a, 1, true, 256), a1);
        QVERIFY(dropoutOnes(b, *a, 2, true, 256) != a1);
        QVERIFY(dropoutOnes(b, *c, 1, true, 256) != a1);
    }

    void dropoutIsIdentityInInference() {
        test::ReferenceBackend b;
        auto layer = make("Dropout", {{"rate", 0.9}});
        QCOMPARE(dropoutOnes(b, *layer, 1, false, 64), std::vector<float>(64, 1.f));
    }

    // After one training step from (0, 1) with momentum 0.5, inference must normalize with the
    // running statistics: x = [1, 3] -> mean 2, unbiased var 2 -> running (1, 1.5);
    // y = (x - 1) / sqrt(1.5 + eps) = [0, 1.6329931].
    void batchNormInferenceUsesRunningStats() {
        test::ReferenceBackend b;
        auto layer = make("BatchNorm", {{"momentum", 0.5}, {"epsilon", 1e-12}});
        std::vector<Param> params;
        for (const ParamSpec& s : layer->paramSpecs(std::vector<Shape>{Shape{Shape::kBatch, 1}})) {
            Param p{s.name, Tensor::empty(b, s.shape), Tensor::empty(b, s.shape)};
            b.fill(p.value, s.init == Init::Ones ? 1.f : 0.f);
            params.push_back(p);
        }
        layer->bindParams(params);
        Tensor x = toBackend(b, {1.f, 3.f}, Shape{2, 1}), y = Tensor::empty(b, Shape{2, 1});
        const Tensor* src[] = {&x};
        LayerContext train{b, true, 0, 0};
        layer->forward(train, src, y);
        QCOMPARE(toHost(b, params[2].value)[0], 1.f);
        QCOMPARE(toHost(b, params[3].value)[0], 1.5f);
        LayerContext eval{b, false, 0, 0};
        layer->forward(eval, src, y);
        std::vector<float> out = toHost(b, y);
        QCOMPARE(out[0], 0.f);
        QVERIFY(std::abs(out[1] - 1.6329931f) < 1e-6f);
    }

    // The model passes null for inputs that need no gradient (the data): Concat must still route
    // the right block to the others.
    void concatBackwardWithNullInput() {
        test::ReferenceBackend b;
        auto layer = make("Concat", {});
        Tensor x1 = toBackend(b, {1, 2}, Shape{1, 2}), x2 = toBackend(b, {3, 4, 5}, Shape{1, 3});
        Tensor y = Tensor::empty(b, Shape{1, 5});
        const Tensor* src[] = {&x1, &x2};
        LayerContext ctx{b, true, 0, 0};
        layer->forward(ctx, src, y);
        QCOMPARE(toHost(b, y), (std::vector<float>{1, 2, 3, 4, 5}));
        Tensor dy = toBackend(b, {10, 20, 30, 40, 50}, Shape{1, 5});
        Tensor dx2 = Tensor::empty(b, Shape{1, 3});
        Tensor* diff[] = {nullptr, &dx2};
        layer->backward(ctx, src, y, dy, diff);
        QCOMPARE(toHost(b, dx2), (std::vector<float>{30, 40, 50}));
    }

    void addBackwardWithNullInput() {
        test::ReferenceBackend b;
        auto layer = make("Add", {});
        Tensor x = toBackend(b, {1, 2}, Shape{1, 2});
        Tensor y = Tensor::empty(b, Shape{1, 2}), dy = toBackend(b, {7, 8}, Shape{1, 2});
        Tensor dx = Tensor::empty(b, Shape{1, 2});
        const Tensor* src[] = {&x, &x};
        Tensor* diff[] = {&dx, nullptr};
        LayerContext ctx{b, true, 0, 0};
        layer->forward(ctx, src, y);
        QCOMPARE(toHost(b, y), (std::vector<float>{2, 4}));
        layer->backward(ctx, src, y, dy, diff);
        QCOMPARE(toHost(b, dx), (std::vector<float>{7, 8}));
    }

    // A training batch of 3 then a last batch of 2 on the same layer: each gets its own plan.
    void plansPerBatchSize() {
        test::ReferenceBackend b;
        auto layer = make("Dense", {{"units", int64_t(1)}, {"bias", false}});
        Tensor w = toBackend(b, {2.f, -1.f}, Shape{1, 2}), g = Tensor::empty(b, Shape{1, 2});
        std::vector<Param> params{{"weight", w, g}};
        layer->bindParams(params);
        LayerContext ctx{b, true, 0, 0};
        for (int64_t n : {3, 2, 3}) {
            std::vector<float> xs;
            for (int64_t i = 0; i < n; ++i)
                xs.insert(xs.end(), {float(i), 1.f});
            Tensor x = toBackend(b, xs, Shape{n, 2}), y = Tensor::empty(b, Shape{n, 1});
            const Tensor* src[] = {&x};
            layer->forward(ctx, src, y);
            std::vector<float> out = toHost(b, y);
            for (int64_t i = 0; i < n; ++i)
                QCOMPARE(out[std::size_t(i)], 2.f * float(i) - 1.f);
        }
    }
};

QTEST_APPLESS_MAIN(TestLayers)
#include "test_layers.moc"
