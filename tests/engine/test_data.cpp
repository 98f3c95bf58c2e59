// Data: IDX reading (raw and gzipped) and every corruption, the IDX and Fashion-MNIST sources,
// the seeded spiral and splits, scaling fitted on the training split only, and bad specs.
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <numeric>
#include <set>
#include <tuple>

#include "support/skip_missing.h"
#include "core/error.h"
#include "data/data_source.h"
#include "data/idx_reader.h"
#include "core/random.h"

using namespace neurite;

namespace {

std::vector<uint8_t> idxBytes(const std::vector<uint32_t>& dims, const std::vector<uint8_t>& data,
                              uint8_t type = 0x08) {
    std::vector<uint8_t> out = {0, 0, type, static_cast<uint8_t>(dims.size())};
    for (uint32_t d : dims)
        for (int shift : {24, 16, 8, 0})
            out.push_back(static_cast<uint8_t>(d >> shift));
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

void writeFile(const std::string& path, const std::vector<uint8_t>& bytes, bool gz) {
    if (gz) {
        gzFile f = gzopen(path.c_str(), "wb");
        QVERIFY(f);
        if (!bytes.empty())
            QCOMPARE(gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size())),
                     int(bytes.size()));
        QCOMPARE(gzclose(f), Z_OK);
    } else {
        std::ofstream out(path, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
        QVERIFY(out.good());
    }
}

std::vector<uint8_t> iota(std::size_t n, int mod = 256) {
    std::vector<uint8_t> v(n);
    for (std::size_t i = 0; i < n; ++i)
        v[i] = static_cast<uint8_t>(i % static_cast<std::size_t>(mod));
    return v;
}

// A directory of IDX files: `train` 4x4 images with labels i % classes, and `test` more.
void writeIdxDir(const QString& dir, int train, int test, int classes, bool gz) {
    const std::string ext = gz ? ".gz" : "";
    const std::string d = dir.toStdString() + "/";
    writeFile(d + "train-images-idx3-ubyte" + ext,
              idxBytes({uint32_t(train), 4, 4}, iota(std::size_t(train) * 16)), gz);
    writeFile(d + "train-labels-idx1-ubyte" + ext,
              idxBytes({uint32_t(train)}, iota(std::size_t(train), classes)), gz);
    if (test > 0) {
        writeFile(d + "t10k-images-idx3-ubyte" + ext,
                  idxBytes({uint32_t(test), 4, 4}, iota(std::size_t(test) * 16)), gz);
        writeFile(d + "t10k-labels-idx1-ubyte" + ext,
                  idxBytes({uint32_t(test)}, iota(std::size_t(test), classes)), gz);
    }
}

QString errorOf(const std::function<void()>& f, ErrorKind kind = ErrorKind::BadInput) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() != kind) return QString("wrong kind ") + nameOf(e.kind()) + ": " + e.what();
        return QString::fromStdString(e.what());
    }
    return "no error";
}

DataConfig config(std::string source, double val, double test, std::string scaling) {
    DataConfig cfg;
    cfg.source = std::move(source);
    cfg.validationSplit = val;
    cfg.testSplit = test;
    cfg.scaling = std::move(scaling);
    return cfg;
}

DataConfig spiral(const std::string& query, double val = 0.2, double test = 0.1,
                  std::string scaling = "auto") {
    return config("synthetic:spiral?" + query, val, test, std::move(scaling));
}

// Mean and standard deviation of feature i over a split, after the dataset's scaling.
std::pair<double, double> featureStats(const Dataset& ds, const DataSplit& split, std::size_t i) {
    const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
    std::vector<int64_t> rows(static_cast<std::size_t>(split.count));
    std::iota(rows.begin(), rows.end(), int64_t{0});
    std::vector<float> f(rows.size() * d);
    gatherFeatures(ds, split, rows, f.data());
    double sum = 0, sq = 0;
    for (std::size_t r = 0; r < rows.size(); ++r)
        sum += f[r * d + i];
    const double mean = sum / static_cast<double>(rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r)
        sq += (f[r * d + i] - mean) * (f[r * d + i] - mean);
    return {mean, std::sqrt(sq / static_cast<double>(rows.size()))};
}

using Sample = std::tuple<float, float, int32_t>;
std::vector<Sample> samplesOf(const DataSplit& s) {
    std::vector<Sample> out;
    for (int64_t r = 0; r < s.count; ++r)
        out.emplace_back(s.f32()[2 * r], s.f32()[2 * r + 1], s.labels[static_cast<std::size_t>(r)]);
    return out;
}

} // namespace

class TestData : public QObject {
    Q_OBJECT
private slots:
    void rngIsTheReferenceXoshiro() {
        Rng rng(1); // splitmix64-seeded xoshiro256**, checked against a Python transcription
        QCOMPARE(rng.next(), uint64_t{12966619160104079557ull});
        QCOMPARE(rng.next(), uint64_t{9600361134598540522ull});
        QCOMPARE(rng.next(), uint64_t{10590380919521690900ull});
    }

    void rngNormalMoments() {
        Rng rng(3);
        double sum = 0, sq = 0;
        const int n = 200000;
        for (int i = 0; i < n; ++i) {
            const double x = rng.normal();
            sum += x;
            sq += x * x;
        }
        QVERIFY(std::fabs(sum / n) < 0.01);
        QVERIFY(std::fabs(sq / n - 1.0) < 0.01);
    }

    void readIdx_data() {
        QTest::addColumn<bool>("gz");
        QTest::newRow("raw") << false;
        QTest::newRow("gzip") << true;
    }
    void readIdx() {
        QFETCH(bool, gz);
        QTemporaryDir dir;
        const std::string path =
            dir.filePath("x-images-idx3-ubyte").toStdString() + (gz ? ".gz" : "");
        writeFile(path, idxBytes({3, 2, 5}, iota(30)), gz);
        const IdxArray a = neurite::readIdx(path);
        QCOMPARE(a.dims, (std::vector<int64_t>{3, 2, 5}));
        QCOMPARE(a.data, iota(30));
    }

    void corruptIdx_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("gz");
        QTest::addColumn<QString>("expected");
        auto qb = [](const std::vector<uint8_t>& v) {
            return QByteArray(reinterpret_cast<const char*>(v.data()),
                              static_cast<qsizetype>(v.size()));
        };
        const std::vector<uint8_t> good = idxBytes({4, 2, 2}, iota(16));
        std::vector<uint8_t> magic = good;
        magic[0] = 0x12;
        std::vector<uint8_t> rank = good;
        rank[3] = 9;
        const std::vector<uint8_t> truncated(good.begin(), good.end() - 3);
        std::vector<uint8_t> trailing = good;
        trailing.push_back(7);
        for (bool gz : {false, true}) {
            const char* kind = gz ? "gz" : "raw";
            QTest::addRow("bad-magic-%s", kind)
                << qb(magic) << gz << "at byte 0: bad magic number 0x12000803";
            QTest::addRow("bad-rank-%s", kind)
                << qb(rank) << gz << "at byte 0: bad magic number 0x00000809";
            QTest::addRow("float-%s", kind) << qb(idxBytes({4}, iota(16), 0x0D)) << gz
                                            << "at byte 2: unsupported element type 0x0D (float32)";
            QTest::addRow("empty-%s", kind) << QByteArray() << gz << "at byte 0: file too short";
            QTest::addRow("short-header-%s", kind)
                << qb({0, 0, 8, 3, 0, 0}) << gz
                << "at byte 4: truncated header: dimension 0 of 3 missing";
            QTest::addRow("zero-dim-%s", kind)
                << qb(idxBytes({0, 2}, {})) << gz << "at byte 4: dimension 0 is 0";
            QTest::addRow("truncated-%s", kind)
                << qb(truncated) << gz << (gz ? "truncated" : "(the file is truncated)");
            QTest::addRow("trailing-%s", kind) << qb(trailing) << gz << "trailing data";
            // Found by tests/fuzz: two 32-bit dimensions overflowed int64 before the size check.
            QTest::addRow("overflow-dims-%s", kind)
                << qb(idxBytes({0xE7E7E7E7u, 0xE7E7E7E7u}, {1, 2, 3})) << gz
                << "at byte 8: dimensions too large";
            // Found by tests/fuzz: a gzipped header declaring ~2 GB allocated it before reading;
            // now the data grows only as far as the file really decompresses, and a gzip file
            // declaring over 200 times its size is refused before inflating (issue 17).
            QTest::addRow("absurd-dims-%s", kind)
                << qb(idxBytes({60000, 200, 170}, iota(64))) << gz
                << (gz ? "more than 200 times the" : "truncated");
        }
    }
    void corruptIdx() {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, gz);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = dir.filePath("bad-idx3-ubyte").toStdString() + (gz ? ".gz" : "");
        writeFile(path, std::vector<uint8_t>(bytes.begin(), bytes.end()), gz);
        const QString error = errorOf([&] { neurite::readIdx(path); });
        QVERIFY2(error.startsWith(QString::fromStdString(path) + ": "), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable("got: " + error + "\nexpected: " + expected));
    }

    // A path the user named that is not there is bad input (exit 2), like every other reader's.
    void missingIdxFileIsBadInput() {
        const QString error =
            errorOf([] { neurite::readIdx("/nonexistent/x-idx1-ubyte"); }, ErrorKind::BadInput);
        QVERIFY2(error.startsWith("cannot open /nonexistent/x-idx1-ubyte"), qPrintable(error));
    }

    void idxDirectory_data() {
        QTest::addColumn<bool>("gz");
        QTest::newRow("raw") << false;
        QTest::newRow("gzip") << true;
    }
    void idxDirectory() {
        QFETCH(bool, gz);
        QTemporaryDir dir;
        writeIdxDir(dir.path(), 20, 6, 4, gz);
        const Dataset ds = loadDataset(config("idx:" + dir.path().toStdString(), 0.25, 0.5, "auto"), 1);
        QCOMPARE(ds.sampleShape, Shape({1, 4, 4}));
        QCOMPARE(ds.numClasses, 4);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"0", "1", "2", "3"}));
        QCOMPARE(ds.train.dtype, DType::U8);
        QCOMPARE(ds.train.count, int64_t{15});
        QCOMPARE(ds.validation.count, int64_t{5});
        QCOMPARE(ds.test.count, int64_t{6}); // the t10k files; test_split does not apply
        QCOMPARE(ds.train.bytes.size(), std::size_t{15 * 16});
        QCOMPARE(ds.train.labels.size(), std::size_t{15});
        QCOMPARE(ds.test.bytes, iota(6 * 16));
        QCOMPARE(ds.scale, 1.f / 255.f);
        QVERIFY(ds.mean.empty());
        // Every training row is still its label's image: row r of the source has bytes r*16.. and
        // label r % 4.
        for (int64_t r = 0; r < ds.train.count; ++r) {
            const int source = ds.train.bytes[static_cast<std::size_t>(r) * 16] / 16;
            QCOMPARE(ds.train.labels[static_cast<std::size_t>(r)], source % 4);
        }
        const DataInfo info = dataInfo(ds);
        QCOMPARE(info.sampleShape, Shape({1, 4, 4}));
        QCOMPARE(info.outputUnits, 4);
    }

    void idxSingleFile() {
        QTemporaryDir dir;
        writeIdxDir(dir.path(), 10, 0, 2, false);
        const Dataset ds = loadDataset(
            config("idx:" + dir.filePath("train-images-idx3-ubyte").toStdString(), 0.2, 0.1, "none"), 1);
        QCOMPARE(ds.train.count + ds.validation.count + ds.test.count, int64_t{10});
        QCOMPARE(ds.validation.count, int64_t{2});
        QCOMPARE(ds.test.count, int64_t{1}); // no t10k: the test split comes off the training data
        QCOMPARE(ds.scale, 1.f);
    }

    // Labels are mapped by distinct value, not used as indices: {1, 2} is 2 classes, not 3 with
    // an empty "0"; {0, 200} is 2 classes, not 201; a value only in t10k is a class too.
    void idxLabelsAreDistinctValues_data() {
        QTest::addColumn<QList<int>>("train");
        QTest::addColumn<QList<int>>("test");
        QTest::addColumn<QStringList>("classes");
        QTest::addColumn<QList<int>>("mapped");  // train then test class indices
        QTest::newRow("1-2") << QList<int>{1, 2, 2, 1} << QList<int>{} << QStringList{"1", "2"}
                             << QList<int>{0, 1, 1, 0};
        QTest::newRow("0-200") << QList<int>{200, 0, 0, 200} << QList<int>{} << QStringList{"0", "200"}
                               << QList<int>{1, 0, 0, 1};
        QTest::newRow("test-only-class") << QList<int>{3, 5, 3, 5} << QList<int>{7, 3}
                                         << QStringList{"3", "5", "7"} << QList<int>{0, 1, 0, 1, 2, 0};
    }
    void idxLabelsAreDistinctValues() {
        QFETCH(QList<int>, train);
        QFETCH(QList<int>, test);
        QFETCH(QStringList, classes);
        QFETCH(QList<int>, mapped);
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString() + "/";
        auto write = [&](const std::string& prefix, const QList<int>& labels) {
            std::vector<uint8_t> bytes(labels.begin(), labels.end());
            writeFile(d + prefix + "-images-idx3-ubyte", idxBytes({uint32_t(labels.size()), 2, 2}, iota(bytes.size() * 4)), false);
            writeFile(d + prefix + "-labels-idx1-ubyte", idxBytes({uint32_t(labels.size())}, bytes), false);
        };
        write("train", train);
        if (!test.isEmpty()) write("t10k", test);
        const Dataset ds = loadSource(config("idx:" + dir.path().toStdString(), 0, 0, "auto"));
        QCOMPARE(ds.numClasses, int(classes.size()));
        QStringList names;
        for (const auto& n : ds.classNames) names << QString::fromStdString(n);
        QCOMPARE(names, classes);
        QList<int> got(ds.train.labels.begin(), ds.train.labels.end());
        got.append(QList<int>(ds.test.labels.begin(), ds.test.labels.end()));
        QCOMPARE(got, mapped);
        writeFile(d + "train-labels-idx1-ubyte", idxBytes({uint32_t(train.size())}, std::vector<uint8_t>(train.size(), 4)), false);
        QFile::remove(dir.filePath("t10k-images-idx3-ubyte"));
        QFile::remove(dir.filePath("t10k-labels-idx1-ubyte"));
        const QString error = errorOf([&] { loadSource(config("idx:" + dir.path().toStdString(), 0, 0, "auto")); });
        QVERIFY2(error.contains("every label is 4; classification needs at least 2 classes"), qPrintable(error));
    }

    void idxMismatch_data() {
        QTest::addColumn<int>("case_");
        QTest::addColumn<QString>("expected");
        QTest::newRow("count") << 0 << "holds 10 images but";
        QTest::newRow("labels-as-images") << 1 << "expected an images file with 2 to 4 dimensions";
        QTest::newRow("test-shape") << 2 << "differ from the training images [1,4,4]";
        QTest::newRow("half-test")
            << 3 << "has only one of t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte";
        QTest::newRow("no-train") << 4 << "lacks train-images-idx3-ubyte[.gz]";
    }
    void idxMismatch() {
        QFETCH(int, case_);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string d = dir.path().toStdString() + "/";
        writeIdxDir(dir.path(), 10, 4, 2, false);
        if (case_ == 0) writeFile(d + "train-labels-idx1-ubyte", idxBytes({9}, iota(9, 2)), false);
        if (case_ == 1)
            writeFile(d + "train-images-idx3-ubyte", idxBytes({10}, iota(10, 2)), false);
        if (case_ == 2)
            writeFile(d + "t10k-images-idx3-ubyte", idxBytes({4, 2, 8}, iota(64)), false);
        if (case_ == 3) QVERIFY(QFile::remove(dir.filePath("t10k-labels-idx1-ubyte")));
        if (case_ == 4) QVERIFY(QFile::remove(dir.filePath("train-images-idx3-ubyte")));
        const QString error = errorOf([&] {
            loadDataset(config("idx:" + dir.path().toStdString(), 0.1, 0, "auto"), 1);
        });
        QVERIFY2(error.contains(expected), qPrintable("got: " + error + "\nexpected: " + expected));
        QVERIFY2(error.contains(dir.path()), qPrintable("no file named: " + error));
    }

    void fashionMnist() {
        if (!QFile::exists(kFashionMnistDir))
            NEURITE_SKIP_MISSING("Fashion-MNIST is not installed at /usr/share/datasets/fashion-mnist (apt-get "
                  "install dataset-fashion-mnist)");
        const Dataset ds = loadDataset(config("builtin:fashion-mnist", 0.1, 0.0, "auto"), 42);
        QCOMPARE(ds.sampleShape, Shape({1, 28, 28}));
        QCOMPARE(ds.numClasses, 10);
        QCOMPARE(ds.classNames.front(), std::string("T-shirt/top"));
        QCOMPARE(ds.classNames.back(), std::string("Ankle boot"));
        QCOMPARE(ds.train.count, int64_t{54000});
        QCOMPARE(ds.validation.count, int64_t{6000});
        QCOMPARE(ds.test.count, int64_t{10000});
        QCOMPARE(ds.train.dtype, DType::U8);
        // u8 stays u8: 47 MB for the 60000 training images, not 4x that.
        QCOMPARE(ds.train.bytes.size() + ds.validation.bytes.size(), std::size_t{60000} * 784);
        QVERIFY(ds.train.bytes.capacity() <= ds.train.bytes.size() + 4096);
        QVERIFY(ds.train.targets.empty());
        QCOMPARE(ds.scale, 1.f / 255.f);
        std::vector<int> perClass(10, 0);
        for (int32_t l : ds.test.labels)
            ++perClass[static_cast<std::size_t>(l)];
        QCOMPARE(perClass, std::vector<int>(10, 1000)); // the t10k set is balanced
    }

    void spiralDeterminism() {
        const Dataset a = loadDataset(spiral("samples=300&seed=7"), 1);
        const Dataset b = loadDataset(spiral("samples=300&seed=7"), 1);
        const Dataset c = loadDataset(spiral("samples=300&seed=8"), 1);
        QCOMPARE(a.train.bytes, b.train.bytes);
        QCOMPARE(a.train.labels, b.train.labels);
        QCOMPARE(a.validation.bytes, b.validation.bytes);
        QVERIFY(a.train.bytes != c.train.bytes);
        // The run seed moves samples between splits, but the data itself is the same.
        const Dataset d = loadDataset(spiral("samples=300&seed=7"), 2);
        QVERIFY(a.validation.bytes != d.validation.bytes);
        auto all = [](const Dataset& ds) {
            std::vector<Sample> s = samplesOf(ds.train);
            for (const DataSplit* split : {&ds.validation, &ds.test})
                for (const Sample& x : samplesOf(*split))
                    s.push_back(x);
            std::sort(s.begin(), s.end());
            return s;
        };
        QVERIFY(all(a) == all(d));
    }

    void spiralShape() {
        const Dataset ds = loadDataset(spiral("samples=1500&classes=3&noise=0.1", 0, 0), 1);
        QCOMPARE(ds.sampleShape, Shape({2}));
        QCOMPARE(ds.numClasses, 3);
        QCOMPARE(ds.train.dtype, DType::F32);
        QCOMPARE(ds.train.count, int64_t{1500});
        std::vector<int> perClass(3, 0);
        float maxRadius = 0;
        for (const auto& [x, y, label] : samplesOf(ds.train)) {
            ++perClass[static_cast<std::size_t>(label)];
            maxRadius = std::max(maxRadius, std::hypot(x, y));
        }
        QCOMPARE(perClass, (std::vector<int>{500, 500, 500}));
        QVERIFY(maxRadius <= 1.0001f && maxRadius > 0.99f);
        // Interleaved: the first 30 samples already hold every class.
        std::set<int32_t> first(ds.train.labels.begin(), ds.train.labels.begin() + 30);
        QCOMPARE(first.size(), std::size_t{3});
    }

    void splitSizes_data() {
        QTest::addColumn<int>("samples");
        QTest::addColumn<double>("val");
        QTest::addColumn<double>("test");
        QTest::addColumn<int>("train");
        QTest::addColumn<int>("valCount");
        QTest::addColumn<int>("testCount");
        QTest::newRow("usual") << 1000 << 0.2 << 0.1 << 700 << 200 << 100;
        QTest::newRow("none") << 1000 << 0.0 << 0.0 << 1000 << 0 << 0;
        QTest::newRow("val-only") << 999 << 0.1 << 0.0 << 899 << 100 << 0;
        QTest::newRow("rounding") << 10 << 0.25 << 0.25 << 4 << 3 << 3;
    }
    void splitSizes() {
        QFETCH(int, samples);
        QFETCH(double, val);
        QFETCH(double, test);
        QFETCH(int, train);
        QFETCH(int, valCount);
        QFETCH(int, testCount);
        const Dataset ds = loadDataset(spiral("samples=" + std::to_string(samples), val, test), 5);
        QCOMPARE(ds.train.count, int64_t{train});
        QCOMPARE(ds.validation.count, int64_t{valCount});
        QCOMPARE(ds.test.count, int64_t{testCount});
        QCOMPARE(ds.validation.bytes.size(), std::size_t(valCount) * 8);
        QCOMPARE(ds.test.labels.size(), std::size_t(testCount));
        // The splits partition the data: together they hold exactly the unsplit samples.
        const Dataset whole = loadDataset(spiral("samples=" + std::to_string(samples), 0, 0), 5);
        std::vector<Sample> parts = samplesOf(ds.train);
        for (const DataSplit* s : {&ds.validation, &ds.test})
            for (const Sample& x : samplesOf(*s))
                parts.push_back(x);
        std::vector<Sample> all = samplesOf(whole.train);
        std::sort(parts.begin(), parts.end());
        std::sort(all.begin(), all.end());
        QVERIFY(parts == all);
    }

    void standardizationFitsTrainOnly() {
        const Dataset ds = loadDataset(spiral("samples=1000&noise=0.3"), 3);
        QCOMPARE(ds.mean.size(), std::size_t{2});
        QCOMPARE(ds.invStd.size(), std::size_t{2});
        for (std::size_t i = 0; i < 2; ++i) {
            const auto [trainMean, trainStd] = featureStats(ds, ds.train, i);
            const auto [valMean, valStd] = featureStats(ds, ds.validation, i);
            QVERIFY2(std::fabs(trainMean) < 1e-5, qPrintable(QString::number(trainMean)));
            QVERIFY2(std::fabs(trainStd - 1.0) < 1e-4, qPrintable(QString::number(trainStd)));
            QVERIFY2(std::fabs(valMean) > 1e-4,
                     qPrintable("validation mean is 0: fitted on more than train? " +
                                QString::number(valMean)));
            (void)valStd;
        }
    }

    void scalingModes_data() {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<bool>("images");
        QTest::addColumn<float>("scale");
        QTest::addColumn<bool>("fitted");
        QTest::newRow("images-auto") << "auto" << true << 1.f / 255.f << false;
        QTest::newRow("images-unit") << "unit" << true << 1.f / 255.f << false;
        QTest::newRow("images-none") << "none" << true << 1.f << false;
        QTest::newRow("images-standardize") << "standardize" << true << 1.f / 255.f << true;
        QTest::newRow("tabular-auto") << "auto" << false << 1.f << true;
        QTest::newRow("tabular-unit") << "unit" << false << 1.f << true;
        QTest::newRow("tabular-none") << "none" << false << 1.f << false;
    }
    void scalingModes() {
        QFETCH(QString, mode);
        QFETCH(bool, images);
        QFETCH(float, scale);
        QFETCH(bool, fitted);
        QTemporaryDir dir;
        writeIdxDir(dir.path(), 20, 0, 2, false);
        const DataConfig cfg =
            images ? config("idx:" + dir.path().toStdString(), 0.2, 0.0, mode.toStdString())
                   : spiral("samples=200", 0.2, 0.0, mode.toStdString());
        const Dataset ds = loadDataset(cfg, 1);
        QCOMPARE(ds.scale, scale);
        QCOMPARE(!ds.mean.empty(), fitted);
        if (mode == "unit" && !images) {
            std::vector<int64_t> rows(static_cast<std::size_t>(ds.train.count));
            std::iota(rows.begin(), rows.end(), int64_t{0});
            std::vector<float> f(rows.size() * 2);
            gatherFeatures(ds, ds.train, rows, f.data());
            QCOMPARE(*std::min_element(f.begin(), f.end()), 0.f);
            QVERIFY(std::fabs(*std::max_element(f.begin(), f.end()) - 1.f) < 1e-6f);
        }
    }

    void badSpecs_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("expected");
        QTest::newRow("scheme") << "foo:bar"
                                << "data source \"foo:bar\": unknown scheme \"foo\"; valid "
                                   "sources: \"builtin:fashion-mnist\"";
        QTest::newRow("no-scheme") << "fashion-mnist"
                                   << "data source \"fashion-mnist\": unknown scheme";
        QTest::newRow("builtin") << "builtin:mnist"
                                 << "unknown builtin dataset \"mnist\"; available: fashion-mnist, "
                                    "iris, wine, breast-cancer, digits";
        QTest::newRow("synthetic") << "synthetic:swirl"
                                   << "unknown synthetic dataset \"swirl\"; available: spiral, "
                                      "circles, moons, xor, linear, gaussian, blobs";
        QTest::newRow("samples") << "synthetic:spiral?samples=abc"
                                 << "data source \"synthetic:spiral?samples=abc\": samples must be "
                                    "an integer in [2, 10000000], got \"abc\"";
        QTest::newRow("samples-suffix") << "synthetic:spiral?samples=10x"
                                        << "samples must be an integer";
        QTest::newRow("classes") << "synthetic:spiral?classes=1"
                                 << "classes must be an integer in [2, 1000], got \"1\"";
        QTest::newRow("noise") << "synthetic:spiral?noise=-1"
                               << "noise must be a number in [0, 10], got \"-1\"";
        QTest::newRow("seed") << "synthetic:spiral?seed=-3"
                              << "seed must be an integer";
        QTest::newRow("typo") << "synthetic:spiral?noize=0.1"
                              << "unknown parameter \"noize\" (did you mean \"noise\"?); spiral "
                                 "takes samples, classes, noise, seed";
        QTest::newRow("no-value") << "synthetic:spiral?samples"
                                  << "parameter \"samples\" has no value";
        QTest::newRow("too-few") << "synthetic:spiral?samples=2&classes=3"
                                 << "samples (2) must be at least classes (3)";
        QTest::newRow("idx-empty") << "idx:"
                                   << "give a path after idx:";
        QTest::newRow("idx-missing") << "idx:/nonexistent/mnist"
                                     << "/nonexistent/mnist does not exist";
        QTest::newRow("no-train-left") << "synthetic:spiral?samples=3&classes=2"
                                       << "leave none for training";
    }
    void badSpecs() {
        QFETCH(QString, spec);
        QFETCH(QString, expected);
        const QString error = errorOf([&] {
            loadDataset(config(spec.toStdString(), 0.5, 0.4, "auto"), 1);
        });
        QVERIFY2(error.contains(expected), qPrintable("got: " + error + "\nexpected: " + expected));
    }

    void badSplitSettings() {
        const QString error = errorOf([] { loadDataset(spiral("", 0.7, 0.3), 1); });
        QVERIFY2(error.contains("validation_split and test_split"), qPrintable(error));
        const QString scaling = errorOf([] { loadDataset(spiral("", 0.1, 0.1, "scale"), 1); });
        QVERIFY2(scaling.contains("unknown scaling \"scale\""), qPrintable(scaling));
    }
};

QTEST_APPLESS_MAIN(TestData)
#include "test_data.moc"
