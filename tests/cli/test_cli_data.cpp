// neurite-cli's data side: `data inspect` on bundled, synthetic and CSV sources (table and
// JSON), `train --data/--target` on another source, `train --folds K`, and bad data files
// answered with exit code 2 and one `error:` line naming the file and line or byte.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cli_runner.h"
#include "support/test_env.h"

using neurite::test::example;
using neurite::test::Result;
using neurite::test::runCli;
using neurite::test::writeFile;

namespace {

} // namespace

class TestCliData : public QObject {
    Q_OBJECT
private slots:
    void inspectJson() {
        const Result r = runCli({"data", "inspect", "builtin:iris", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["samples"].toInt(), 150);
        QCOMPARE(j["features"].toInt(), 4);
        QCOMPARE(j["task"].toString(), QString("classification"));
        const QJsonArray classes = j["classes"].toArray();
        QCOMPARE(classes.size(), 3);
        QCOMPARE(classes[1].toObject()["name"].toString(), QString("versicolor"));
        QCOMPARE(classes[1].toObject()["count"].toInt(), 50);
        const QJsonObject petal = j["columns"].toArray()[2].toObject();
        QCOMPARE(petal["name"].toString(), QString("petal length (cm)"));
        QCOMPARE(petal["min"].toDouble(), 1.0);
        QCOMPARE(petal["max"].toDouble(), 6.9);
    }

    void inspectCsvTableWithMissing() {
        QTemporaryDir dir;
        const QString csv = writeFile(dir, "m.csv", "age;city;score\n31;Oslo;1\n;Rome;0\n45;;1\n28;Oslo;0\n");
        const Result r = runCli({"data", "inspect", "csv:" + csv + "?missing=mean", "--target", "score"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("task     classification, 2 classes"), r.out.constData());
        QVERIFY2(r.out.contains("age") && r.out.contains("city=Oslo") && r.out.contains("city=Rome"), r.out.constData());
        // age: one missing value, kept as a gap until training imputes it from the training split.
        const QByteArray ageLine = r.out.mid(r.out.indexOf("  age"), r.out.indexOf('\n', r.out.indexOf("  age")) - r.out.indexOf("  age"));
        QVERIFY2(ageLine.simplified().endsWith(" 1"), ageLine.constData());
        QVERIFY2(r.out.contains("note: column \"city\": 1 missing values set to its most frequent category \"Oslo\""), r.out.constData());
    }

    void inspectImages() {
        const Result r = runCli({"data", "inspect", "builtin:digits"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("shape    [1,8,8], float32"), r.out.constData());
        QVERIFY(r.out.contains("all features"));
    }

    void badData_data() {
        QTest::addColumn<QByteArray>("file");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("spec");  // %1 = the file
        QTest::addColumn<QString>("message");
        QTest::newRow("ragged csv") << QByteArray("r.csv") << QByteArray("a,b,c\n1,2,3\n4,5\n") << "csv:%1" << "r.csv: line 3: 2 fields";
        QTest::newRow("text in numbers") << QByteArray("t.csv") << QByteArray("a,b\n1,0\nx1,1\n2,0\n") << "csv:%1"
                                         << "t.csv: line 3: column \"a\": \"x1\" is not a number";
        QTest::newRow("empty csv") << QByteArray("e.csv") << QByteArray() << "csv:%1" << "e.csv: empty file";
        QTest::newRow("bad npy") << QByteArray("X.npy") << QByteArray("not numpy at all") << "npy:%1?labels=X.npy"
                                 << "X.npy: at byte 0: bad magic";
        QTest::newRow("idx magic") << QByteArray("train-images-idx3-ubyte") << QByteArray("\x01\x02\x03\x04xxxx", 8) << "idx:%1"
                                   << "train-images-idx3-ubyte: at byte 0: bad magic number";
        QTest::newRow("missing dir") << QByteArray("x") << QByteArray("x") << "cifar10:%1/nope" << "is not a directory";
    }
    void badData() {
        QFETCH(QByteArray, file);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, spec);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString path = writeFile(dir, file.constData(), bytes);
        writeFile(dir, "train-labels-idx1-ubyte", QByteArray("\0\0\x08\x01\0\0\0\x01\x00", 9));
        for (const QStringList& args : {QStringList{"data", "inspect", spec.arg(path)},
                                        QStringList{"train", example("spiral.neurite.json"), "--data", spec.arg(path)}}) {
            const Result r = runCli(args);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.startsWith("error: ") && r.err.count('\n') == 1 && r.err.contains(message.toUtf8()),
                     r.err.constData());
        }
    }

    void trainOnAnotherSource() {
        // The spiral project's MLP on the bundled wine table: "auto" units rebind to 3 classes, 13 inputs.
        const Result r = runCli({"train", example("spiral.neurite.json"), "--data", "builtin:wine", "--epochs", "15", "--json"});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        const QJsonObject fin = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(fin["event"].toString(), QString("finished"));
        QVERIFY2(fin["test_accuracy"].toDouble() > 0.85, lines.last().constData());
        QVERIFY2(r.err.contains("data builtin:wine (124 train, 36 val, 18 test)"), r.err.constData());
    }

    void trainWithTargetColumn() {
        QTemporaryDir dir;
        QByteArray csv = "label,x,y\n";
        for (int i = 0; i < 200; ++i) {
            const double x = (i % 20) / 10.0 - 1, y = (i / 20) / 5.0 - 1;
            csv += QByteArray(x * y > 0 ? "same" : "diff") + "," + QByteArray::number(x) + "," + QByteArray::number(y) + "\n";
        }
        const QString path = writeFile(dir, "q.csv", csv);
        const Result r = runCli({"train", example("spiral.neurite.json"), "--data", "csv:" + path, "--target", "label",
                                 "--epochs", "30", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject fin = QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
        QVERIFY2(fin["val_accuracy"].toDouble() > 0.8, r.out.constData());
        const Result bad = runCli({"train", example("spiral.neurite.json"), "--data", "csv:" + path, "--target", "labl"});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("no target column \"labl\""), bad.err.constData());
    }

    void benchReportsDataWait() {
        const Result r = runCli({"bench", "--data", "builtin:digits", "--model", "mlp", "--max-steps", "5",
                                 "--threads", "1", "--pipeline", "host", "--json"});
        QCOMPARE(r.code, 0);
        const QJsonObject j = QJsonDocument::fromJson(r.out.trimmed()).object();
        QCOMPARE(j["pipeline"].toString(), QString("host"));
        QVERIFY2(j.contains("data_wait_fraction") && j["data_wait_fraction"].toDouble() >= 0 &&
                     j["data_wait_fraction"].toDouble() <= 1, r.out.constData());
        const Result bad = runCli({"bench", "--pipeline", "gpu"});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("--pipeline must be device or host"));
    }

    void folds() {
        const Result r = runCli({"train", example("breast_cancer.neurite.json"), "--folds", "3", "--epochs", "5"});
        QCOMPARE(r.code, 0);
        for (int f = 1; f <= 3; ++f)
            QVERIFY2(r.out.contains(QByteArray("fold ") + QByteArray::number(f) + "/3: val_loss"), r.out.constData());
        QVERIFY2(r.out.contains("cross-validation (3 folds): val_loss "), r.out.constData());
        const QByteArray summary = r.out.mid(r.out.indexOf("val_accuracy", r.out.indexOf("cross-validation")));
        QVERIFY2(summary.contains("+-"), r.out.constData());
        // 455 samples after the 20% test split: folds of 152, 152, 151.
        QVERIFY2(r.err.contains("fold 1/3: 303 train, 152 validation") && r.err.contains("fold 3/3: 304 train, 151 validation"),
                 r.err.constData());
        // every fold is recorded, under an experiment of one trial holding the mean
        QVERIFY2(r.err.contains("recording the folds as experiment"), r.err.constData());
        const Result bad = runCli({"train", example("breast_cancer.neurite.json"), "--folds", "1"});
        QCOMPARE(bad.code, 2);
    }
};

QTEST_APPLESS_MAIN(TestCliData)
#include "test_cli_data.moc"
