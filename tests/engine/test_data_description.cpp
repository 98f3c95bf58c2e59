// Data descriptions (data/data_description) and probing (train/data_probe): the counts, class
// counts and 2-D points of a hand-made data set, the strided points of a large one, image
// previews scaled by their own range with their labels, and the probe of a real source agreeing
// with loadDataset, dataInfo and dataFacts (reconstruction included).
#include <QtTest>

#include <cstring>

#include "core/error.h"
#include "data/data_description.h"
#include "data/data_source.h"
#include "train/data_probe.h"

using namespace neurite;

namespace {

DataSplit f32Split(const std::vector<float>& values, int64_t count, std::vector<int32_t> labels) {
    DataSplit s;
    s.count = count;
    s.bytes.resize(values.size() * sizeof(float));
    std::memcpy(s.bytes.data(), values.data(), s.bytes.size());
    s.labels = std::move(labels);
    return s;
}

}  // namespace

class TestDataDescription : public QObject {
    Q_OBJECT
private slots:
    void twoFeatureClassification() {
        Dataset ds;
        ds.source = "hand-made";
        ds.sampleShape = Shape{2};
        ds.numClasses = 3;
        ds.classNames = {"a", "b", "c"};
        ds.train = f32Split({0, 1, 2, 3, 4, 5, 6, 7}, 4, {0, 2, 2, 1});
        ds.validation = f32Split({9, 9}, 1, {0});
        const DataDescription d = describeData(ds, false);
        QCOMPARE(d.source, std::string("hand-made"));
        QCOMPARE(d.sampleShape, Shape{2});
        QCOMPARE(d.classNames, (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(d.trainCount, int64_t(4));
        QCOMPARE(d.validationCount, int64_t(1));
        QCOMPARE(d.testCount, int64_t(0));
        QCOMPARE(d.classCounts, (std::vector<int64_t>{1, 1, 2}));
        QVERIFY(d.twoDimensional);
        QCOMPARE(d.pointX, (std::vector<double>{0, 2, 4, 6}));
        QCOMPARE(d.pointY, (std::vector<double>{1, 3, 5, 7}));
        QCOMPARE(d.pointLabel, (std::vector<int>{0, 2, 2, 1}));
        QVERIFY(d.previews.empty());
        QVERIFY(!d.reconstructs);  // not images
        QVERIFY(!describeData(ds, true).reconstructs);
    }

    // More training points than kMaxDescribedPoints: every stride-th, the stride count / max.
    void largeSetsAreStrided() {
        const int64_t n = 3 * kMaxDescribedPoints + 7;
        std::vector<float> v(static_cast<std::size_t>(2 * n));
        for (int64_t i = 0; i < n; ++i) v[std::size_t(2 * i)] = float(i);
        Dataset ds;
        ds.sampleShape = Shape{2};
        ds.numClasses = 2;
        ds.train = f32Split(v, n, std::vector<int32_t>(std::size_t(n), 1));
        const DataDescription d = describeData(ds, false);
        QCOMPARE(int64_t(d.pointX.size()), (n + 2) / 3);
        QCOMPARE(d.pointX[1], 3.0);
        QCOMPARE(d.classCounts, (std::vector<int64_t>{0, n}));
    }

    void regressionHasNoPointsNorClasses() {
        Dataset ds;
        ds.sampleShape = Shape{2};
        ds.targetDim = 1;
        ds.train = f32Split({0, 1, 2, 3}, 2, {});
        const DataDescription d = describeData(ds, false);
        QVERIFY(!d.twoDimensional);
        QVERIFY(d.pointX.empty());
        QVERIFY(d.classCounts.empty());
    }

    // u8 images: the first samples as pictures, each stretched over its own range.
    void imagePreviewsWithTheirLabels() {
        Dataset ds;
        ds.sampleShape = Shape{1, 1, 3};
        ds.numClasses = 2;
        ds.train.dtype = DType::U8;
        ds.train.count = 2;
        ds.train.bytes = {10, 20, 30, 0, 255, 255};
        ds.train.labels = {1, 0};
        const DataDescription d = describeData(ds, true);
        QVERIFY(d.reconstructs);
        QCOMPARE(d.previews.size(), std::size_t(2));
        QCOMPARE(d.previews[0].pixels, (std::vector<uint8_t>{0, 127, 255}));
        QCOMPARE(d.previews[1].pixels, (std::vector<uint8_t>{0, 255, 255}));
        QCOMPARE(d.previewLabels, (std::vector<int>{1, 0}));
        QVERIFY(!describeData(ds, false).reconstructs);
        // RGB: three planes.
        const float rgb[] = {0, 1, 0.5f};
        const SampleImage img = sampleImage(rgb, Shape{3, 1, 1}, 0, 1);
        QCOMPARE(img.channels, 3);
        QCOMPARE(img.pixels, (std::vector<uint8_t>{0, 255, 127}));
        QVERIFY(isImageShape(Shape{3, 4, 4}) && !isImageShape(Shape{4, 4, 4}) && !isImageShape(Shape{16}));
    }

    // The probe is loadDataset + dataInfo + dataFacts + describeData of the same settings.
    void probeAgreesWithTheLoadedData() {
        DataConfig cfg;
        cfg.source = "synthetic:spiral?samples=300&classes=3&seed=4";
        cfg.validationSplit = 0.2;
        cfg.testSplit = 0.1;
        const ProbedData p = probeData(cfg, 7);
        const Dataset ds = loadDataset(cfg, 7);
        QCOMPARE(p.info.sampleShape, Shape{2});
        QCOMPARE(p.info.outputUnits, 3);
        QCOMPARE(p.facts.numClasses, 3);
        QCOMPARE(p.facts.trainCount, ds.train.count);
        QCOMPARE(p.description.trainCount, ds.train.count);
        QCOMPARE(p.description.testCount, ds.test.count);
        QVERIFY(p.description.twoDimensional);
        QCOMPARE(p.description.pointX.front(), double(ds.train.f32()[0]));
        // Another seed draws other splits.
        QVERIFY(probeData(cfg, 8).description.pointX != p.description.pointX);
        // Reconstruction: the outputs are the inputs, no classes.
        cfg.reconstruct = true;
        const ProbedData r = probeData(cfg, 7);
        QCOMPARE(r.info.outputUnits, 2);
        QCOMPARE(r.facts.numClasses, 0);
        QVERIFY(r.description.classNames.empty());
        QVERIFY(!r.description.twoDimensional);
    }

    void probeOfABadSourceThrows() {
        DataConfig cfg;
        cfg.source = "nosuchkind:x";
        try {
            probeData(cfg, 1);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
        }
    }
};

QTEST_MAIN(TestDataDescription)
#include "test_data_description.moc"
