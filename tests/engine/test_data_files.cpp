// Array and image data sources on small files the test writes: .npy (labels by distinct value,
// bad values, Fortran order, malformed headers), CIFAR-10 binaries and image folders (nested,
// hidden and empty folders, truncated images, on_error=skip).
#include <QTemporaryDir>
#include <QtTest>

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>
#include <set>

#include "support/data_source_helpers.h"
#include "support/skip_missing.h"
#include "core/error.h"
#include "data/data_source.h"
#include "data/sources/csv_parser.h"
#include "data/sources/csv_text.h"
#include "data/sources/npy_reader.h"

using namespace neurite;

using namespace neurite::test;

class TestDataFiles : public QObject {
    Q_OBJECT
private slots:
    void npySource() {
        QTemporaryDir dir;
        const std::string x = dir.filePath("X.npy").toStdString(), y = dir.filePath("y.npy").toStdString();
        writeText(x, npy("<f8", "(3, 2)", raw(std::vector<double>{1, 2, 3, 4, 5, 6})));
        writeText(y, npy("<i8", "(3,)", raw(std::vector<int64_t>{0, 2, 1})));
        const Dataset ds = load("npy:" + dir.path().toStdString());
        QCOMPARE(ds.train.count, int64_t{3});
        QCOMPARE(ds.numClasses, 3);
        QCOMPARE(row(ds, 2), (std::vector<float>{5.f, 6.f}));
        QCOMPARE(ds.train.labels, (std::vector<int32_t>{0, 2, 1}));
        // uint8 images stay uint8; float labels become regression targets.
        writeText(x, npy("|u1", "(2, 2, 2)", std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8)));
        writeText(dir.filePath("t.npy").toStdString(), npy("<f4", "(2,)", raw(std::vector<float>{0.5f, -1.25f})));
        const Dataset img = load("npy:" + x + "?labels=t.npy");
        QCOMPARE(img.train.dtype, DType::U8);
        QCOMPARE(img.sampleShape, Shape({1, 2, 2}));
        QCOMPARE(img.train.targets, (std::vector<float>{0.5f, -1.25f}));
        // Big-endian int16 is converted.
        const std::string beText = npy(">i2", "(2,)", std::string("\xff\xfe\x01\x00", 4));
        const NpyArray a = parseNpy(std::span(reinterpret_cast<const uint8_t*>(beText.data()), beText.size()), "x");
        QCOMPARE(a.at(0), -2.0);
        QCOMPARE(a.at(1), 256.0);
    }

    // NPY labels: distinct values are the classes (as in the CSV source), whatever their dtype.
    void npyLabels_data() {
        QTest::addColumn<QByteArray>("labels");
        QTest::addColumn<QString>("task");
        QTest::addColumn<QStringList>("classes");   // empty: regression
        QTest::addColumn<QList<int>>("mapped");
        auto b = [](const std::string& s) { return QByteArray::fromStdString(s); };
        QTest::newRow("1-2") << b(npy("<i8", "(4,)", raw(std::vector<int64_t>{1, 2, 2, 1}))) << "auto"
                             << QStringList{"1", "2"} << QList<int>{0, 1, 1, 0};
        QTest::newRow("0-5000") << b(npy("<i4", "(4,)", raw(std::vector<int32_t>{5000, 0, 0, 5000}))) << "auto"
                                << QStringList{"0", "5000"} << QList<int>{1, 0, 0, 1};
        QTest::newRow("minus-one-one") << b(npy("<f8", "(4,)", raw(std::vector<double>{-1, 1, 1, -1}))) << "auto"
                                       << QStringList{"-1", "1"} << QList<int>{0, 1, 1, 0};
        QTest::newRow("column-ints") << b(npy("<i8", "(4, 1)", raw(std::vector<int64_t>{3, 9, 3, 9}))) << "auto"
                                     << QStringList{"3", "9"} << QList<int>{0, 1, 0, 1};
        QTest::newRow("bool") << b(npy("|b1", "(4,)", std::string("\x01\x00\x00\x01", 4))) << "auto"
                              << QStringList{"0", "1"} << QList<int>{1, 0, 0, 1};
        QTest::newRow("float-classes") << b(npy("<f4", "(4,)", raw(std::vector<float>{0.5f, 1.5f, 0.5f, 1.5f})))
                                       << "classification" << QStringList{"0.5", "1.5"} << QList<int>{0, 1, 0, 1};
        QTest::newRow("ints-as-regression") << b(npy("<i8", "(4,)", raw(std::vector<int64_t>{1, 2, 2, 1})))
                                            << "regression" << QStringList{} << QList<int>{};
        QTest::newRow("reals") << b(npy("<f4", "(4,)", raw(std::vector<float>{0.5f, 1.f, 2.f, 3.f}))) << "auto"
                               << QStringList{} << QList<int>{};
    }
    void npyLabels() {
        QFETCH(QByteArray, labels);
        QFETCH(QString, task);
        QFETCH(QStringList, classes);
        QFETCH(QList<int>, mapped);
        QTemporaryDir dir;
        writeText(dir.filePath("X.npy").toStdString(), npy("<f4", "(4, 1)", raw(std::vector<float>{1, 2, 3, 4})));
        writeText(dir.filePath("y.npy").toStdString(), labels.toStdString());
        const Dataset ds = load("npy:" + dir.filePath("X.npy").toStdString() + "?labels=y.npy&task=" + task.toStdString());
        QStringList names;
        for (const auto& n : ds.classNames) names << QString::fromStdString(n);
        QCOMPARE(names, classes);
        QCOMPARE(ds.numClasses, int(classes.size()));
        QCOMPARE(QList<int>(ds.train.labels.begin(), ds.train.labels.end()), mapped);
        QCOMPARE(ds.targetDim, classes.isEmpty() ? 1 : 0);
        QCOMPARE(ds.train.targets.size(), classes.isEmpty() ? std::size_t{4} : std::size_t{0});
    }

    // Rejected at load, naming the file and the element: NaN labels, values beyond float32,
    // (N, 0) features, one class only, several columns as classes.
    void npyBadValues_data() {
        QTest::addColumn<QByteArray>("x");
        QTest::addColumn<QByteArray>("y");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        auto b = [](const std::string& s) { return QByteArray::fromStdString(s); };
        const QByteArray x = b(npy("<f4", "(3, 1)", raw(std::vector<float>{1, 2, 3})));
        const QByteArray y = b(npy("<i8", "(3,)", raw(std::vector<int64_t>{0, 1, 0})));
        const double nan = std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("nan-label") << x << b(npy("<f8", "(3,)", raw(std::vector<double>{0, nan, 1})))
                                   << "y.npy" << "element 1 is nan; labels must be finite";
        QTest::newRow("inf-label") << x << b(npy("<f8", "(3,)", raw(std::vector<double>{0, 1, -INFINITY})))
                                   << "y.npy" << "element 2 is -inf; labels must be finite";
        QTest::newRow("huge-feature") << b(npy("<f8", "(3, 1)", raw(std::vector<double>{1, 1e39, 3}))) << y
                                      << "X.npy" << "element 1 is 1e+39; features must be finite and within the float32 range";
        QTest::newRow("huge-target") << x << b(npy("<f8", "(3,)", raw(std::vector<double>{0.5, 1, -1e300})))
                                     << "y.npy" << "element 2 is -1e+300; labels must be finite and within the float32 range";
        QTest::newRow("no-features") << b(npy("<f4", "(3, 0)", "")) << y
                                     << "X.npy" << "features have shape (3, 0), so no feature values per sample";
        QTest::newRow("no-target-columns") << x << b(npy("<f4", "(3, 0)", ""))
                                           << "y.npy" << "labels must have shape (3,) or (3, D)";
        QTest::newRow("one-class") << x << b(npy("<i8", "(3,)", raw(std::vector<int64_t>{7, 7, 7})))
                                   << "y.npy" << "every label is 7; classification needs at least 2 classes";
        QTest::newRow("matrix-classes") << x << b(npy("<i8", "(3, 2)", raw(std::vector<int64_t>{0, 1, 1, 0, 0, 1})))
                                        << "no error" << "no error";  // (N, 2) integers: regression
    }
    void npyBadValues() {
        QFETCH(QByteArray, x);
        QFETCH(QByteArray, y);
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        writeText(dir.filePath("X.npy").toStdString(), x.toStdString());
        writeText(dir.filePath("y.npy").toStdString(), y.toStdString());
        const QString error = errorOf([&] { load("npy:" + dir.path().toStdString()); });
        QVERIFY2(error.contains(expected) && error.contains(file), qPrintable("got: " + error + "\nexpected: " + expected));
        if (file != "no error") QVERIFY2(error.contains(dir.filePath(file)), qPrintable(error));
    }

    // numpy.asfortranarray(x) saved with np.save: the elements column-major, read as numpy does.
    void npyFortranOrder() {
        auto fortran = [](const std::string& shape, const std::string& data) {
            std::string bytes = npy("<i4", shape, data);
            return bytes.replace(bytes.find("False"), 5, "True ");
        };
        const std::string a = fortran("(2, 3)", raw(std::vector<int32_t>{1, 4, 2, 5, 3, 6}));
        const NpyArray m = parseNpy(std::span(reinterpret_cast<const uint8_t*>(a.data()), a.size()), "x");
        std::vector<double> got;
        for (int64_t i = 0; i < m.numel(); ++i) got.push_back(m.at(i));
        QCOMPARE(got, (std::vector<double>{1, 2, 3, 4, 5, 6}));
        // (2, 2, 3): C element (i, j, k) = 100i + 10j + k sits at i + 2j + 4k in Fortran order.
        std::vector<int32_t> f(12);
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j)
                for (int k = 0; k < 3; ++k) f[static_cast<std::size_t>(i + 2 * j + 4 * k)] = 100 * i + 10 * j + k;
        const std::string b = fortran("(2, 2, 3)", raw(f));
        const NpyArray t = parseNpy(std::span(reinterpret_cast<const uint8_t*>(b.data()), b.size()), "x");
        got.clear();
        for (int64_t i = 0; i < t.numel(); ++i) got.push_back(t.at(i));
        QCOMPARE(got, (std::vector<double>{0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112}));
    }

    void npyBadInput_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        const std::string ok = npy("<f4", "(2, 2)", raw(std::vector<float>{1, 2, 3, 4}));
        std::string badVersion = ok, badLength = ok;  // byte edits, not replace(): GCC 12 -Wrestrict
        badVersion[6] = '\x07';
        badLength[8] = badLength[9] = '\xff';
        QTest::newRow("empty") << QByteArray() << "at byte 0: file too short";
        QTest::newRow("magic") << QByteArray("GIF89azipzip", 12) << "at byte 0: bad magic";
        QTest::newRow("npz") << QByteArray("PK\x03\x04zipzipzip", 13) << "at byte 0: a .npz (zip) archive, not a .npy array; extract its arrays first";
        QTest::newRow("version") << QByteArray::fromStdString(badVersion) << "at byte 6: unsupported .npy format version 7";
        QTest::newRow("header-len") << QByteArray::fromStdString(badLength) << "at byte 8: header length 65535 runs past the end";
        QTest::newRow("truncated") << QByteArray::fromStdString(ok.substr(0, ok.size() - 3)) << "(truncated)";
        QTest::newRow("trailing") << QByteArray::fromStdString(ok + "xx") << "(trailing data)";
        QTest::newRow("absurd-shape") << QByteArray::fromStdString(npy("<f4", "(99999999999, 99999999999)", ""))
                                      << "shape too large";
        QTest::newRow("dtype") << QByteArray::fromStdString(npy("<c16", "(1,)", std::string(16, '\0'))) << "unsupported dtype '<c16'";
        QTest::newRow("object") << QByteArray::fromStdString(npy("|O", "(1,)", std::string(8, '\0'))) << "unsupported dtype '|O'";
        std::string garbled = ok;
        garbled.replace(garbled.find("'shape'"), 7, "'shapX'");
        QTest::newRow("garbled") << QByteArray::fromStdString(garbled) << "unexpected key 'shapX'";
    }
    void npyBadInput() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = dir.filePath("X.npy").toStdString();
        writeText(path, bytes.toStdString());
        writeText(dir.filePath("y.npy").toStdString(), npy("<i8", "(2,)", raw(std::vector<int64_t>{0, 1})));
        const QString error = errorOf([&] { load("npy:" + path + "?labels=y.npy"); });
        QVERIFY2(error.contains(expected) && error.contains(QString::fromStdString(path)),
                 qPrintable("got: " + error + "\nexpected: " + expected));
    }

    void cifar10() {
        QTemporaryDir dir;
        std::string batch;
        for (int i = 0; i < 4; ++i) {
            batch += static_cast<char>(i % 10);
            batch += std::string(3072, static_cast<char>(i * 10));
        }
        writeText(dir.filePath("data_batch_1.bin").toStdString(), batch);
        writeText(dir.filePath("data_batch_2.bin").toStdString(), batch.substr(0, 3073));
        writeText(dir.filePath("test_batch.bin").toStdString(), batch.substr(3073, 2 * 3073));
        const Dataset ds = load("cifar10:" + dir.path().toStdString());
        QCOMPARE(ds.sampleShape, Shape({3, 32, 32}));
        QCOMPARE(ds.train.count, int64_t{5});
        QCOMPARE(ds.test.count, int64_t{2});
        QCOMPARE(ds.train.labels, (std::vector<int32_t>{0, 1, 2, 3, 0}));
        QCOMPARE(int(ds.train.bytes[3 * 3072 + 5]), 30);
        QCOMPARE(ds.classNames[9], std::string("truck"));
        // Truncated, wrong label, missing directory.
        writeText(dir.filePath("data_batch_2.bin").toStdString(), batch.substr(0, 3000));
        QVERIFY(errorOf([&] { load("cifar10:" + dir.path().toStdString()); }).contains("data_batch_2.bin: at byte 0: truncated"));
        std::string bad = batch.substr(0, 2 * 3073);
        bad[3073] = 42;
        writeText(dir.filePath("data_batch_2.bin").toStdString(), bad);
        QVERIFY(errorOf([&] { load("cifar10:" + dir.path().toStdString()); }).contains("data_batch_2.bin: at byte 3073: label 42"));
        QVERIFY(errorOf([] { load("cifar10:/nonexistent"); }).contains("/nonexistent is not a directory"));
    }

    void imageFolders() {
        QTemporaryDir dir;
        const QDir root(dir.path());
        root.mkpath("cats");
        root.mkpath("dogs");
        // 4x2 grey PGM images; stb reads binary PNM.
        auto pgm = [](int value) { return "P5\n4 2\n255\n" + std::string(8, static_cast<char>(value)); };
        writeText(dir.filePath("cats/a.pgm").toStdString(), pgm(10));
        writeText(dir.filePath("cats/b.pgm").toStdString(), pgm(20));
        writeText(dir.filePath("dogs/c.pgm").toStdString(), pgm(200));
        writeText(dir.filePath("dogs/notes.txt").toStdString(), "ignored");
        Dataset ds;
        try {
            ds = load("images:" + dir.path().toStdString() + "?size=2&color=gray");
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::Unsupported) NEURITE_SKIP_MISSING(e.what());  // built without libstb-dev
            throw;
        }
        QCOMPARE(ds.sampleShape, Shape({1, 2, 2}));
        QCOMPARE(ds.train.count, int64_t{3});
        QCOMPARE(ds.classNames, (std::vector<std::string>{"cats", "dogs"}));
        QCOMPARE(ds.train.labels, (std::vector<int32_t>{0, 0, 1}));
        QCOMPARE(int(ds.train.bytes[4]), 20);
        QCOMPARE(int(ds.train.bytes[11]), 200);
        const Dataset rgb = load("images:" + dir.path().toStdString() + "?size=3");
        QCOMPARE(rgb.sampleShape, Shape({3, 3, 3}));
        writeText(dir.filePath("dogs/broken.png").toStdString(), "\x89PNG\r\n\x1a\ngarbage");
        const QString error = errorOf([&] { load("images:" + dir.path().toStdString()); });
        QVERIFY2(error.contains("broken.png: cannot decode the image"), qPrintable(error));
        QVERIFY(errorOf([] { load("images:/nonexistent"); }).contains("is not a directory"));
    }

    // Real folders: macOS debris, hidden files, an empty class folder, nested sub-folders, and
    // several bad files, all reported in one pass (or skipped and listed with on_error=skip).
    void imageFolderTrees() {
        QTemporaryDir dir;
        const QDir root(dir.path());
        for (const char* d : {"cats/indoor/sofa", "dogs", "empty", "__MACOSX/cats", ".thumbs", "dogs/.cache"})
            root.mkpath(d);
        auto pgm = [](int value) { return "P5\n4 2\n255\n" + std::string(8, static_cast<char>(value)); };
        auto put = [&](const char* name, const std::string& bytes) { writeText(dir.filePath(name).toStdString(), bytes); };
        put("cats/a.pgm", pgm(10));
        put("cats/indoor/b.pgm", pgm(20));
        put("cats/indoor/sofa/c.pgm", pgm(30));
        put("cats/._a.pgm", "\x00\x05\x16\x07 AppleDouble");
        put("__MACOSX/cats/._a.pgm", "\x00\x05\x16\x07 AppleDouble");
        put(".thumbs/x.pgm", pgm(1));
        put("dogs/.cache/y.pgm", pgm(2));
        put("dogs/d.pgm", pgm(200));
        put("dogs/e.pgm", pgm(210));
        Dataset ds;
        try {
            ds = load("images:" + dir.path().toStdString() + "?size=2&color=gray");
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::Unsupported) NEURITE_SKIP_MISSING(e.what());
            throw;
        }
        QCOMPARE(ds.classNames, (std::vector<std::string>{"cats", "dogs"}));
        QCOMPARE(ds.train.labels, (std::vector<int32_t>{0, 0, 0, 1, 1}));  // a, indoor/b, indoor/sofa/c
        QCOMPARE(int(ds.train.bytes[4 * 2]), 30);
        QVERIFY(std::find(ds.notes.begin(), ds.notes.end(), "folder \"empty\" holds no images; it is not a class") != ds.notes.end());

        // A BMP cut to 32 bytes, a BMP missing pixel rows, a JPEG without its end, a garbled PNG.
        std::string bmp = "BM" + std::string(4, '\0') + std::string(4, '\0') + raw(std::vector<uint32_t>{54, 40, 2, 2});
        bmp += raw(std::vector<uint16_t>{1, 24}) + raw(std::vector<uint32_t>{0, 16, 2835, 2835, 0, 0});
        bmp += std::string(16, '\x7f');  // 2 rows of 2 pixels, each row padded to 8 bytes
        put("dogs/whole.bmp", bmp);
        ds = load("images:" + dir.path().toStdString() + "?size=2&color=gray");
        QCOMPARE(ds.train.count, int64_t{6});
        put("dogs/cut.bmp", bmp.substr(0, 32));
        put("dogs/rows.bmp", bmp.substr(0, bmp.size() - 8));
        put("cats/cut.jpg", std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 20));
        put("cats/indoor/bad.png", "\x89PNG\r\n\x1a\ngarbage");
        const QString error = errorOf([&] { load("images:" + dir.path().toStdString() + "?size=2"); });
        for (const char* expected : {"4 image files cannot be used (add on_error=skip", "cut.bmp: truncated BMP: 32 bytes",
                                     "rows.bmp: truncated BMP: the pixels need 70 bytes, the file has 62",
                                     "cut.jpg: truncated JPEG", "indoor/bad.png: cannot decode"})
            QVERIFY2(error.contains(expected), qPrintable("missing \"" + QString(expected) + "\" in: " + error));
        ds = load("images:" + dir.path().toStdString() + "?size=2&on_error=skip");
        QCOMPARE(ds.train.count, int64_t{6});
        QVERIFY2(std::any_of(ds.notes.begin(), ds.notes.end(), [](const std::string& n) {
                     return n.starts_with("on_error=skip: skipped 4 image files: ") && n.find("rows.bmp") != std::string::npos;
                 }), qPrintable(QString::fromStdString(ds.notes.back())));
    }
};

QTEST_APPLESS_MAIN(TestDataFiles)
#include "test_data_files.moc"
