// Reconstructions (train/reconstruction): the first held-out samples as the model sees them and
// the model's outputs for them, as numbers and as pictures on the input's scale. A Dense layer
// with weights 2 * I over 2x2 images doubles each scaled value, so every number and pixel can be
// worked out by hand; the validation split is used, the training split when there is none.
#include <QtTest>

#include "core/error.h"
#include "devices/device_registry.h"
#include "train/reconstruction.h"

using namespace neurite;

namespace {

// [1,2,2] samples, f32, with the given raw values (4 per sample).
DataSplit split(const std::vector<float>& values) {
    DataSplit s;
    s.dtype = DType::F32;
    s.count = static_cast<int64_t>(values.size() / 4);
    s.bytes.resize(values.size() * sizeof(float));
    std::memcpy(s.bytes.data(), values.data(), s.bytes.size());
    return s;
}

Dataset imageData() {
    Dataset ds;
    ds.sampleShape = Shape{1, 2, 2};
    ds.scale = 0.5f;
    ds.train = split({8, 8, 8, 8, 0, 2, 4, 6});
    ds.validation = split({0, 2, 4, 6, 6, 4, 2, 0, 2, 2, 2, 2});
    return ds;
}

// Input [1,2,2] -> Flatten -> Dense(units) with weight = factor * I (units 4) and no bias.
std::unique_ptr<Model> scaling(float factor, int units = 4) {
    const std::vector<Node> nodes{makeNode("input", "Input"), makeNode("flat", "Flatten", {"input"}),
                                  makeNode("out", "Dense", {"flat"}, {{"units", int64_t(units)}, {"bias", false}})};
    const ResolvedGraph g = resolveGraph(nodes, "out", DataInfo{Shape{1, 2, 2}, units});
    if (!g.ok()) qFatal("graph: %s", g.firstError().c_str());
    auto m = std::make_unique<Model>(backendFor("cpu"), nodes, g, 1);
    std::vector<float> values = m->snapshot();
    for (const ParamInfo& p : m->params())
        for (int o = 0; o < units; ++o)
            for (int i = 0; i < 4; ++i) values[std::size_t(p.offset + o * 4 + i)] = o == i ? factor : 0.f;
    m->restore(values);
    return m;
}

std::vector<uint8_t> pixels(const SampleImage& img) { return img.pixels; }

}  // namespace

class TestReconstruction : public QObject {
    Q_OBJECT
private slots:
    void heldOutSamplesAndTheirReconstructions() {
        const Dataset ds = imageData();
        auto model = scaling(2);
        const Reconstructions r = reconstructSamples(*model, ds, 2);
        QCOMPARE(r.count, int64_t(2));
        QCOMPARE(r.sampleShape, (Shape{1, 2, 2}));
        // The validation split's first two samples, scaled by 0.5: what the model sees.
        QCOMPARE(r.inputs, (std::vector<float>{0, 1, 2, 3, 3, 2, 1, 0}));
        QCOMPARE(r.outputs, (std::vector<float>{0, 2, 4, 6, 6, 4, 2, 0}));
        QCOMPARE(r.inputImages.size(), std::size_t(2));
        QCOMPARE(r.inputImages[0].channels, 1);
        QCOMPARE(r.inputImages[0].height, 2);
        QCOMPARE(r.inputImages[0].width, 2);
        // Each pair on its input's range 0..3: outputs past it are white.
        QCOMPARE(pixels(r.inputImages[0]), (std::vector<uint8_t>{0, 85, 170, 255}));
        QCOMPARE(pixels(r.outputImages[0]), (std::vector<uint8_t>{0, 170, 255, 255}));
        QCOMPARE(pixels(r.inputImages[1]), (std::vector<uint8_t>{255, 170, 85, 0}));
        QCOMPARE(pixels(r.outputImages[1]), (std::vector<uint8_t>{255, 255, 170, 0}));
    }

    // The standardization is part of what the model sees; a flat sample maps to black.
    void standardizedInputsAndAFlatSample() {
        Dataset ds = imageData();
        ds.mean = {1, 1, 1, 1};
        ds.invStd = {2, 2, 2, 2};
        auto model = scaling(1);
        const Reconstructions r = reconstructSamples(*model, ds);  // 8 asked, 3 held out
        QCOMPARE(r.count, int64_t(3));
        QCOMPARE(std::vector<float>(r.inputs.begin(), r.inputs.begin() + 4), (std::vector<float>{-2, 0, 2, 4}));
        QCOMPARE(r.outputs, r.inputs);
        QCOMPARE(pixels(r.inputImages[2]), (std::vector<uint8_t>{0, 0, 0, 0}));  // (2*0.5 - 1) * 2 = 0 everywhere
        QCOMPARE(pixels(r.outputImages[1]), pixels(r.inputImages[1]));  // a perfect reconstruction looks alike
    }

    void withoutValidationTheTrainingSplit() {
        Dataset ds = imageData();
        ds.validation = DataSplit{};
        auto model = scaling(1);
        const Reconstructions r = reconstructSamples(*model, ds, 1);
        QCOMPARE(r.inputs, (std::vector<float>{4, 4, 4, 4}));
        ds.train = DataSplit{};
        QCOMPARE(reconstructSamples(*model, ds).count, int64_t(0));
    }

    void refusesWhatCannotBeShown() {
        const Dataset ds = imageData();
        auto three = scaling(1, 3);  // three outputs for four input values
        try {
            reconstructSamples(*three, ds);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY2(QByteArray(e.what()).contains("one value per input value"), e.what());
        }
        Dataset tabular = ds;
        tabular.sampleShape = Shape{4};
        try {
            reconstructSamples(*three, tabular);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY2(QByteArray(e.what()).contains("image samples"), e.what());
        }
    }
};

QTEST_MAIN(TestReconstruction)
#include "test_reconstruction.moc"
