// Data sources on small files the test writes: CSV (delimiters, quotes, headers, one-hot,
// string and numeric labels, regression, missing values, every malformed input, encodings), the
// bundled tables and the synthetic generators. .npy, CIFAR-10 and image folders: test_data_files.
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


class TestDataSources : public QObject {
    Q_OBJECT
private slots:
    void csvTokenizer_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("delimiter");
        QTest::addColumn<bool>("header");
        QTest::addColumn<QStringList>("lastRow");
        QTest::newRow("comma-header") << "a,b,c\n1,2,x\n3,4,y\n" << int(',') << true << QStringList{"3", "4", "y"};
        QTest::newRow("semicolon") << "1;2,5;x\n3;4,5;y\n" << int(';') << false << QStringList{"3", "4,5", "y"};
        QTest::newRow("tab-crlf") << "a\tb\r\n1\t2\r\n3\t4\r\n" << int('\t') << true << QStringList{"3", "4"};
        QTest::newRow("quoted") << "name,v\n\"Smith, J\",1\n\"say \"\"hi\"\"\",2\n" << int(',') << true
                                << QStringList{"say \"hi\"", "2"};
        QTest::newRow("newline-in-quotes") << "t,v\n\"two\nlines\",1\nz,2\n" << int(',') << true
                                           << QStringList{"z", "2"};
        QTest::newRow("bom-blank-lines") << "\xEF\xBB\xBFx,y\n\n1,2\n\n3,4\n" << int(',') << true
                                         << QStringList{"3", "4"};
        QTest::newRow("no-header-text") << "red,1\nblue,2\nred,3\n" << int(',') << false
                                        << QStringList{"red", "3"};
        QTest::newRow("pipe") << "a|b\n1|2\n" << int('|') << true << QStringList{"1", "2"};
        QTest::newRow("spaces") << "  x   y  z\n 1.5  2   a\n 3    4   b  \n" << int(' ') << true << QStringList{"3", "4", "b"};
        QTest::newRow("spaces-quoted") << "name v\n\"New York\" 1\n\"Paris\"   2\n" << int(' ') << true
                                       << QStringList{"Paris", "2"};
        QTest::newRow("comma-beats-spaces") << "name,v\nNew York City,1\nParis,2\n" << int(',') << true
                                            << QStringList{"Paris", "2"};
        QTest::newRow("year-header") << "country,1990,2000\nFrance,1.5,2.5\nSpain,3.25,4\n" << int(',') << true
                                     << QStringList{"Spain", "3.25", "4"};
        QTest::newRow("years-as-data") << "a,1999,2005\nb,2001,2003\n" << int(',') << false << QStringList{"b", "2001", "2003"};
        QTest::newRow("numbers-as-data") << "1,2\n3,4\n" << int(',') << false << QStringList{"3", "4"};
    }
    void csvTokenizer() {
        QFETCH(QString, text);
        QFETCH(int, delimiter);
        QFETCH(bool, header);
        QFETCH(QStringList, lastRow);
        const CsvTable t = parseCsv(text.toStdString(), "t.csv");
        QCOMPARE(int(t.delimiter), delimiter);
        QCOMPARE(t.hasHeader, header);
        QStringList got;
        for (const auto& f : t.rows.back()) got << QString::fromStdString(f);
        QCOMPARE(got, lastRow);
    }

    void csvLineNumbers() {
        const CsvTable t = parseCsv("a,b\n\"x\ny\",1\n\n2,3\n", "t.csv");
        QCOMPARE(t.lines, (std::vector<int64_t>{2, 5}));
    }

    void csvBadInput_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << "" << "" << "t.csv: empty file";
        QTest::newRow("blank-only") << "\n\n  \n" << "" << "t.csv: empty file";
        QTest::newRow("ragged") << "a,b,c\n1,2,3\n4,5\n" << "" << "t.csv: line 3: 2 fields, but line 1 has 3";
        QTest::newRow("unterminated") << "a,b\n1,\"2\n3,4\n" << "" << "t.csv: line 2: a quoted field is not closed";
        QTest::newRow("after-quote") << "a,b\n1,\"2\"x\n" << "" << "t.csv: line 2: unexpected text after a closing quote";
        QTest::newRow("text-in-number") << "a,b\n1,0\n2,1\nabc,0\n" << ""
                                        << "t.csv: line 4: column \"a\": \"abc\" is not a number, but the column holds numbers (line 2";
        QTest::newRow("one-column") << "a\n1\n2\n" << "" << "only one column";
        QTest::newRow("header-only") << "a,b\n" << "header=yes" << "no data rows";
        QTest::newRow("bad-target") << "a,b\n1,x\n2,y\n" << "target=c" << "no target column \"c\"; the columns are \"a\", \"b\"";
        QTest::newRow("one-class") << "a,b\n1,x\n2,x\n" << "" << "fewer than 2 classes";
        QTest::newRow("regression-text") << "a,b\n1,x\n2,y\n" << "task=regression" << "needs a numeric target";
        QTest::newRow("bad-option") << "a,b\n1,x\n2,y\n" << "targte=b" << "unknown option \"targte\" (did you mean \"target\"?)";
        QTest::newRow("bad-missing") << "a,b\n1,x\n2,y\n" << "missing=zero" << "missing must be one of drop, mean, median, most_frequent";
        QTest::newRow("all-dropped") << "a,b\n,x\nNA,y\n" << "header=yes" << "no rows left";
    }
    void csvBadInput() {
        QFETCH(QString, text);
        QFETCH(QString, query);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.csv").toStdString();
        writeText(path, text.toStdString());
        const QString error = errorOf([&] { load("csv:" + path + (query.isEmpty() ? "" : "?" + query.toStdString())); });
        QVERIFY2(error.contains(expected), qPrintable("got: " + error + "\nexpected: " + expected));
        if (!expected.contains("option") && !expected.contains("must be one of") && !expected.contains("column"))
            QVERIFY2(error.contains(QString::fromStdString(path)) || error.contains("t.csv"), qPrintable(error));
    }

    // Whole files through the csv: source: encodings, preamble lines, spaces, out-of-range
    // numbers, empty columns. expected: an error substring, or "" and the feature and class
    // names ('|'-separated).
    void csvFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QString>("features");
        QTest::addColumn<QString>("classes");
        const QString text = QString::fromUtf8("x,y\n1,caf\u00e9\n2,th\u00e9\n3,\U0001F600\n");
        auto utf16 = [&](bool bigEndian) {
            QByteArray out = bigEndian ? QByteArray("\xFE\xFF", 2) : QByteArray("\xFF\xFE", 2);
            for (char16_t u : text.toStdU16String()) {
                const char hi = static_cast<char>(u >> 8), lo = static_cast<char>(u & 0xff);
                out += bigEndian ? hi : lo;
                out += bigEndian ? lo : hi;
            }
            return out;
        };
        const QString cafe = QString::fromUtf8("caf\u00e9|th\u00e9|\U0001F600");
        QTest::newRow("utf8") << text.toUtf8() << "" << "" << "x" << cafe;
        QTest::newRow("utf8-bom") << "\xEF\xBB\xBF" + text.toUtf8() << "" << "" << "x" << cafe;
        QTest::newRow("utf16-le") << utf16(false) << "" << "" << "x" << cafe;
        QTest::newRow("utf16-be") << utf16(true) << "encoding=utf-16" << "" << "x" << cafe;
        QTest::newRow("latin1-refused") << QByteArray("x,y\n1,ok\n2,caf\xe9\n") << "" << "t.csv: line 3: byte 0xE9 is not valid UTF-8; if the file is Latin-1 (ISO-8859-1), add encoding=latin1" << "" << "";
        QTest::newRow("latin1") << QByteArray("x,y\n1,ok\n2,caf\xe9\n") << "encoding=latin1" << "" << "x" << QString::fromUtf8("caf\u00e9|ok");
        QTest::newRow("overlong-utf8") << QByteArray("x,y\n1,a\xC0\xAF\n2,b\n") << "" << "line 2: byte 0xC0 is not valid UTF-8" << "" << "";
        QTest::newRow("skip-preamble") << QByteArray("Exported 2024-01-01\nsource: survey\nx,y\n1,a\n2,b\n") << "skip=2" << "" << "x" << "a|b";
        QTest::newRow("skip-keeps-line-numbers") << QByteArray("junk\nx,y\n1,a\n2\n") << "skip=1" << "t.csv: line 4: 1 fields, but line 2 has 2" << "" << "";
        QTest::newRow("spaces") << QByteArray("x  y   label\n1  2   a\n3  4   b\n") << "" << "" << "x|y" << "a|b";
        QTest::newRow("delimiter-space") << QByteArray("x y label\n1 2 a\n3 4 b\n") << "delimiter=space" << "" << "x|y" << "a|b";
        QTest::newRow("year-header") << QByteArray("region,1990,2000,y\nA,1.5,2.5,p\nB,3.5,4.25,q\n") << "" << "" << "region=A|region=B|1990|2000" << "p|q";
        QTest::newRow("empty-column") << QByteArray("a,b,c,y\n1,,,x\n2,,NA,y\n") << "" << "no rows left: column(s) b, c are empty in every row; leave them out with ignore=b, c" << "" << "";
        QTest::newRow("beyond-float") << QByteArray("a,y\n1,x\n1e39,y\n") << "" << "t.csv: line 3: column \"a\": 1e+39 is beyond the float32 range" << "" << "";
        QTest::newRow("beyond-double") << QByteArray("a,y\n1,x\n-1e400,y\n") << "" << "t.csv: line 3: column \"a\": -1e400 is beyond the float32 range" << "" << "";
        QTest::newRow("infinity") << QByteArray("a,y\ninf,x\n2,y\n") << "" << "t.csv: line 2: column \"a\": inf is beyond the float32 range" << "" << "";
        QTest::newRow("huge-target") << QByteArray("a,y\n1,0.5\n2,3e38\n3,-4e38\n") << "" << "t.csv: line 4: column \"y\": -4e+38 is beyond" << "" << "";
        QTest::newRow("underflow-is-zero") << QByteArray("a,y\n1e-400,x\n2,y\n") << "" << "" << "a" << "x|y";
    }
    void csvFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, query);
        QFETCH(QString, expected);
        QFETCH(QString, features);
        QFETCH(QString, classes);
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.csv").toStdString();
        writeText(path, bytes.toStdString());
        const std::string spec = "csv:" + path + (query.isEmpty() ? "" : "?" + query.toStdString());
        if (!expected.isEmpty()) {
            const QString error = errorOf([&] { load(spec); });
            QVERIFY2(error.contains(expected), qPrintable("got: " + error + "\nexpected: " + expected));
            return;
        }
        const Dataset ds = load(spec);
        QStringList f, c;
        for (const auto& n : ds.featureNames) f << QString::fromStdString(n);
        for (const auto& n : ds.classNames) c << QString::fromStdString(n);
        QCOMPARE(f.join('|'), features);
        QCOMPARE(c.join('|'), classes);
    }

    void csvGzip() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.csv.gz").toStdString();
        std::string text = "x,y\n";
        for (int i = 0; i < 1000; ++i) text += std::to_string(i) + (i % 3 ? ",a\n" : ",b\n");
        gzFile f = gzopen(path.c_str(), "wb");
        QVERIFY(f);
        QCOMPARE(gzwrite(f, text.data(), static_cast<unsigned>(text.size())), int(text.size()));
        QCOMPARE(gzclose(f), Z_OK);
        const Dataset ds = load("csv:" + path);
        QCOMPARE(ds.train.count, int64_t{1000});
        QCOMPARE(ds.classNames, (std::vector<std::string>{"a", "b"}));
        std::ifstream in(path, std::ios::binary);
        const std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        writeText(path, gz.substr(0, gz.size() / 2));
        const QString error = errorOf([&] { load("csv:" + path); });
        QVERIFY2(error.contains("t.csv.gz: at byte ") && error.contains("truncated"), qPrintable(error));
        // The cap on what a compressed file may expand to.
        const QString bomb = errorOf([&] { gunzip(gz, "t.csv.gz", 100); });
        QVERIFY2(bomb.contains("t.csv.gz: decompresses to more than 100 bytes"), qPrintable(bomb));
    }

    // Integer counts, years or prices read as classes: nearly one class per row is flagged.
    void csvManyClassesWarns() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("t.csv").toStdString();
        std::string text = "x,price\n";
        for (int i = 0; i < 40; ++i) text += std::to_string(i) + "," + std::to_string(100 + 3 * (i % 30)) + "\n";
        writeText(path, text);
        const Dataset ds = load("csv:" + path);
        QCOMPARE(ds.numClasses, 30);
        QVERIFY2(!ds.notes.empty() && ds.notes.back() == "warning: target column \"price\" has 30 classes for 40 rows, so "
                                                          "most classes have one or two samples; if it is a quantity (a count, "
                                                          "a year, a price), add task=regression",
                 ds.notes.empty() ? "no note" : ds.notes.back().c_str());
        QVERIFY(load("csv:" + path + "?task=classification").notes.empty());
        text = "x,grade\n";
        for (int i = 0; i < 40; ++i) text += std::to_string(i) + "," + std::to_string(i % 10) + "\n";
        writeText(path, text);
        QVERIFY(load("csv:" + path).notes.empty());
    }

    void csvMissingFile() {
        const QString error = errorOf([] { load("csv:/nonexistent/dir/x.csv"); });
        QVERIFY2(error.contains("/nonexistent/dir/x.csv does not exist"), qPrintable(error));
    }

    void csvOneHotAndStringLabels() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("pets.csv").toStdString();
        writeText(path, "weight,colour,kind\n4.5,black,cat\n30,brown,dog\n5,\"white\",cat\n25,black,dog\n0.1,white,fish\n");
        const Dataset ds = load("csv:" + path);
        QCOMPARE(ds.numClasses, 3);
        QCOMPARE(ds.classNames, (std::vector<std::string>{"cat", "dog", "fish"}));
        QCOMPARE(ds.featureNames,
                 (std::vector<std::string>{"weight", "colour=black", "colour=brown", "colour=white"}));
        QCOMPARE(ds.train.count, int64_t{5});
        QCOMPARE(row(ds, 1), (std::vector<float>{30.f, 0.f, 1.f, 0.f}));
        QCOMPARE(ds.train.labels, (std::vector<int32_t>{0, 1, 0, 1, 2}));
        // The target by index, and a categorical column as the target.
        const Dataset byIndex = load("csv:" + path, "1");
        QCOMPARE(byIndex.classNames, (std::vector<std::string>{"black", "brown", "white"}));
        QCOMPARE(load("csv:" + path + "?target=-1").numClasses, 3);
    }

    void csvNumericLabelsAndRegression() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("n.csv").toStdString();
        writeText(path, "x;y;label;price\n1;2;10;1.5\n3;4;2;2.25\n5;6;10;3\n7;8;2;4\n");
        const Dataset cls = load("csv:" + path + "?target=label&ignore=price");
        QCOMPARE(cls.classNames, (std::vector<std::string>{"2", "10"}));  // numeric order
        QCOMPARE(cls.train.labels, (std::vector<int32_t>{1, 0, 1, 0}));
        QCOMPARE(cls.sampleShape.numel(), int64_t{2});
        const Dataset reg = load("csv:" + path + "?target=price");  // non-integer: regression
        QCOMPARE(reg.numClasses, 0);
        QCOMPARE(reg.targetDim, 1);
        QCOMPARE(reg.train.targets, (std::vector<float>{1.5f, 2.25f, 3.f, 4.f}));
        const Dataset forced = load("csv:" + path + "?target=label&task=regression");
        QCOMPARE(forced.numClasses, 0);
        QCOMPARE(forced.train.targets[0], 10.f);
    }

    void csvMissingPolicies() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("m.csv").toStdString();
        writeText(path, "a,b,c,y\n1,,red,0\n2,20,NA,1\n,30,blue,0\n4,40,red,1\n5,50,red,\n");
        const Dataset dropped = load("csv:" + path);
        QCOMPARE(dropped.train.count, int64_t{1});  // only line 5 is complete
        QVERIFY(dropped.notes.size() == 2);
        QVERIFY2(QString::fromStdString(dropped.notes[1]).contains("dropped 3 rows with missing values (lines 2, 3, 4)"),
                 dropped.notes[1].c_str());
        QVERIFY(QString::fromStdString(dropped.notes[0]).contains("1 rows without a target value (lines 6)"));
        // mean: numeric gaps stay NaN until the split's training statistics fill them.
        const Dataset kept = load("csv:" + path + "?missing=mean");
        QCOMPARE(kept.train.count, int64_t{4});
        QCOMPARE(kept.imputation, std::string("mean"));
        QVERIFY(std::isnan(row(kept, 0)[1]));
        QCOMPARE(row(kept, 1), (std::vector<float>{2.f, 20.f, 0.f, 1.f}));  // NA colour -> red
        DataConfig cfg;
        cfg.source = "csv:" + path + "?missing=median";
        cfg.validationSplit = 0;
        cfg.scaling = "none";
        const Dataset median = loadDataset(cfg, 1);
        QCOMPARE(row(median, 0)[1], 30.f);  // median of 20, 30, 40
        QCOMPARE(row(median, 2)[0], 2.f);   // median of 1, 2, 4
    }

    void builtins_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("samples");
        QTest::addColumn<int>("features");
        QTest::addColumn<QStringList>("classes");
        QTest::addColumn<QList<int>>("counts");
        QTest::newRow("iris") << "iris" << 150 << 4 << QStringList{"setosa", "versicolor", "virginica"} << QList<int>{50, 50, 50};
        QTest::newRow("wine") << "wine" << 178 << 13 << QStringList{"class_0", "class_1", "class_2"} << QList<int>{59, 71, 48};
        QTest::newRow("breast-cancer") << "breast-cancer" << 569 << 30 << QStringList{"malignant", "benign"} << QList<int>{212, 357};
        QTest::newRow("digits") << "digits" << 1797 << 64 << QStringList{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}
                                << QList<int>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180};
    }
    void builtins() {
        QFETCH(QString, name);
        QFETCH(int, samples);
        QFETCH(int, features);
        QFETCH(QStringList, classes);
        QFETCH(QList<int>, counts);
        const Dataset ds = load("builtin:" + name.toStdString());
        QCOMPARE(ds.train.count, int64_t{samples});
        QCOMPARE(ds.sampleShape.numel(), int64_t{features});
        QStringList names;
        for (const auto& c : ds.classNames) names << QString::fromStdString(c);
        QCOMPARE(names, classes);
        QList<int> got(classes.size(), 0);
        for (int32_t l : ds.train.labels) ++got[l];
        QCOMPARE(got, counts);
        if (name == "iris") QCOMPARE(row(ds, 0), (std::vector<float>{5.1f, 3.5f, 1.4f, 0.2f}));
        if (name == "digits") QCOMPARE(ds.sampleShape, Shape({1, 8, 8}));
    }

    void synthetic_data() {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<int>("classes");
        QTest::addColumn<int>("dims");
        QTest::newRow("circles") << "circles?samples=400&noise=0&factor=0.3" << 2 << 2;
        QTest::newRow("moons") << "moons?samples=400&noise=0" << 2 << 2;
        QTest::newRow("xor") << "xor?samples=400&noise=0" << 2 << 2;
        QTest::newRow("blobs") << "blobs?samples=400&classes=4&features=3&noise=0.5" << 4 << 3;
        QTest::newRow("linear") << "linear?samples=400&noise=0&angle=30" << 2 << 2;
        QTest::newRow("gaussian") << "gaussian?samples=400&noise=0" << 2 << 2;
        QTest::newRow("xor ratio") << "xor?samples=400&noise=0&ratio=0.1" << 2 << 2;
        QTest::newRow("linear ratio") << "linear?samples=400&noise=0&ratio=0.8&angle=-45" << 2 << 2;
        QTest::newRow("circles ratio") << "circles?samples=400&noise=0&factor=0.3&ratio=0.25" << 2 << 2;
        QTest::newRow("moons ratio") << "moons?samples=400&noise=0&ratio=0.05" << 2 << 2;
        QTest::newRow("gaussian ratio") << "gaussian?samples=400&noise=0&ratio=0.3" << 2 << 2;
    }
    void synthetic() {
        QFETCH(QString, spec);
        QFETCH(int, classes);
        QFETCH(int, dims);
        const std::string s = "synthetic:" + spec.toStdString();
        const Dataset ds = load(s);
        QCOMPARE(ds.train.count, int64_t{400});
        QCOMPARE(ds.numClasses, classes);
        QCOMPARE(ds.sampleShape.numel(), int64_t{dims});
        QCOMPARE(load(s).train.bytes, ds.train.bytes);  // seeded
        QVERIFY(load(s + "&seed=2").train.bytes != ds.train.bytes);
        std::set<int32_t> firstLabels(ds.train.labels.begin(), ds.train.labels.begin() + 100);
        QCOMPARE(int(firstLabels.size()), classes);  // shuffled
        // ratio: class 1's share exactly; without it, halves (XOR and linear draw labels at random).
        if (classes == 2 && (spec.contains("ratio=") || !(spec.startsWith("xor") || spec.startsWith("linear")))) {
            const auto ones = std::count(ds.train.labels.begin(), ds.train.labels.end(), 1);
            const int at = spec.indexOf("ratio=");
            const double ratio = at < 0 ? 0.5 : spec.mid(at + 6).section('&', 0, 0).toDouble();
            QCOMPARE(int64_t(ones), int64_t(std::llround(ratio * 400)));
        }
        const double angle = spec.contains("angle=-45") ? -M_PI / 4 : M_PI / 6;
        for (int64_t r = 0; r < ds.train.count; ++r) {
            const std::vector<float> p = row(ds, r);
            const int32_t label = ds.train.labels[static_cast<std::size_t>(r)];
            // The generators' geometry without noise.
            if (spec.startsWith("circles"))
                QVERIFY(std::fabs(std::hypot(p[0], p[1]) - (label == 0 ? 1.f : 0.3f)) < 1e-5f);
            if (spec.startsWith("xor")) QCOMPARE(int((p[0] > 0) != (p[1] > 0)), int(label));
            if (spec.startsWith("linear"))  // class 1 above the line at `angle`
                QCOMPARE(int(std::cos(angle) * p[1] - std::sin(angle) * p[0] > 0), int(label));
            if (spec.startsWith("gaussian"))  // noise 0: exactly at the class's centre
                QCOMPARE(p, (std::vector<float>{label ? 2.f : -2.f, label ? 2.f : -2.f}));
            if (spec.startsWith("moons"))
                QVERIFY(std::fabs(std::hypot(p[0] - (label ? 1.f : 0.f), p[1] - (label ? 0.5f : 0.f)) - 1.f) < 1e-5f);
        }
    }

    void syntheticRatioIsChecked() {
        for (const char* bad : {"synthetic:xor?ratio=0", "synthetic:xor?ratio=1", "synthetic:moons?ratio=abc",
                                "synthetic:blobs?ratio=0.3", "synthetic:linear?angle=100"}) {
            try {
                load(bad);
                QFAIL(bad);
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::BadInput);
            }
        }
        // The same seed without ratio gives the points it always gave (the halves of old).
        QCOMPARE(load("synthetic:circles?samples=300&seed=4").train.bytes,
                 load("synthetic:circles?samples=300&seed=4&ratio=0.5").train.bytes);
    }
};

QTEST_APPLESS_MAIN(TestDataSources)
#include "test_data_sources.moc"
