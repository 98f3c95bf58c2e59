// neurite-cli on hostile input: JSON nested 100,000 deep, numbers beyond double, a model too
// large for memory, project paths that are devices, FIFOs or directories (exit 2, one error
// line, at once), and Latin-1 class labels (the run is recorded and every JSON output stays
// valid, with U+FFFD for the bytes that are not UTF-8).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <chrono>

#include "support/cli_runner.h"
#include "support/test_env.h"

using neurite::test::example;
using neurite::test::Result;
using neurite::test::runCli;
using neurite::test::writeFile;

namespace {

QByteArray spiral() {
    QFile f(example("spiral.neurite.json"));
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

QByteArray nested(int depth) { return QByteArray(depth, '[') + QByteArray(depth, ']'); }

}  // namespace

class TestCliHostile : public QObject {
    Q_OBJECT
private slots:
    void badProjectsExitWithTwo_data() {
        QTest::addColumn<QByteArray>("project");
        QTest::addColumn<QString>("expected");
        QTest::newRow("100000-deep parameter")
            << QByteArray(spiral()).replace("\"units\": 64", "\"units\": " + nested(100000))
            << "line 16, column 153: JSON nested deeper than 100 levels";
        QTest::newRow("epochs 1e400") << QByteArray(spiral()).replace("\"epochs\": 40", "\"epochs\": 1e400")
                                      << "number overflow parsing '1e400'";
        QTest::newRow("Dense units 1e11") << QByteArray(spiral()).replace("\"units\": 64", "\"units\": 100000000000")
                                          << "the parameters with their gradients and optimizer state alone need";
    }
    void badProjectsExitWithTwo() {
        QFETCH(QByteArray, project);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = writeFile(dir, "p.neurite.json", project);
        const auto start = std::chrono::steady_clock::now();
        const Result r = runCli({"train", path, "--no-db"}, 60000);
        QVERIFY2(r.code == 2, r.err.right(2000).constData());
        QVERIFY2(r.err.trimmed().split('\n').last().startsWith("error: ") &&
                     QString::fromUtf8(r.err).contains(expected),
                 r.err.right(2000).constData());
        QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(30));
    }

    // /dev/zero was read without end, a FIFO blocked forever, a directory said "invalid JSON".
    void projectPathsThatAreNotFiles_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("/dev/zero") << "/dev/zero" << "it is not a regular file";
        QTest::newRow("/dev/urandom") << "/dev/urandom" << "it is not a regular file";
        QTest::newRow("fifo") << "fifo" << "it is not a regular file";
        QTest::newRow("directory") << "dir" << "it is a directory";
    }
    void projectPathsThatAreNotFiles() {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = QString::fromStdString(
            neurite::test::notAFile(kind.toStdString(), dir.path().toStdString(), "p.neurite.json"));
        QVERIFY(!path.isEmpty());
        for (const QStringList& args : {QStringList{"train", path, "--no-db"},
                                        QStringList{"export", path, "--format", "native", "-o",
                                                    dir.filePath("m.nmodel")}}) {
            const Result r = runCli(args, 20000);
            QVERIFY2(r.code == 2 && r.err.contains("error: cannot open " + path.toUtf8()) &&
                         QString::fromUtf8(r.err).contains(expected),
                     r.err.constData());
        }
        const Result p = runCli({"predict", path, "--input", example("spiral.neurite.json")}, 20000);
        QVERIFY2(p.code == 2 && QString::fromUtf8(p.err).contains(expected), p.err.constData());
    }

    // Latin-1 class labels: `train` exited 1 with type_error.316 and recorded no run, --json
    // lost the finished event, `data inspect --json` exited 1. Now the file is refused with
    // advice (exit 2) unless it says encoding=latin1, and then every JSON output stays valid.
    void latin1LabelsKeepJsonValid() {
        QTemporaryDir dir;
        QByteArray csv = "x,y,label\n";
        for (int i = 0; i < 90; ++i) {
            const int c = i % 3;
            csv += QByteArray::number(c + 0.01 * (i % 7)) + "," + QByteArray::number(-c + 0.02 * (i % 5)) + "," +
                   (c == 0 ? QByteArray("caf\xe9") : c == 1 ? QByteArray("th\xe9") : QByteArray("plain")) + "\n";
        }
        const QString file = writeFile(dir, "latin1.csv", csv);
        for (const QStringList& args : {QStringList{"data", "inspect", "csv:" + file, "--json"},
                                        QStringList{"data", "inspect", "csv:" + file}}) {
            const Result refused = runCli(args);
            QVERIFY2(refused.code == 2 && refused.err.startsWith("error: ") &&
                         refused.err.contains("encoding=latin1"),
                     refused.err.constData());
        }
        const QString data = file + "?encoding=latin1";
        const QString project = writeFile(
            dir, "p.neurite.json",
            QByteArray(spiral()).replace("synthetic:spiral?samples=1500&classes=3&noise=0.1&seed=7",
                                         "csv:" + data.toUtf8()));
        const QString db = dir.filePath("runs.db");
        const Result r = runCli({"train", project, "--epochs", "2", "--json", "--db", db});
        QVERIFY2(r.code == 0, r.err.constData());
        QJsonObject finished;
        for (const QByteArray& line : r.out.trimmed().split('\n')) {
            QJsonParseError e{};
            const QJsonDocument doc = QJsonDocument::fromJson(line, &e);
            QVERIFY2(e.error == QJsonParseError::NoError, line.constData());
            if (doc.object()["event"] == "finished") finished = doc.object();
        }
        QCOMPARE(finished["status"].toString(), QString("completed"));
        const int runId = finished["run_id"].toInt();
        QVERIFY(runId > 0);
        const Result show = runCli({"runs", "show", QString::number(runId), "--json", "--db", db});
        QCOMPARE(show.code, 0);
        const QJsonArray classes = QJsonDocument::fromJson(show.out).object()["data"].toObject()["classes"].toArray();
        QVERIFY2(classes.contains(QString::fromUtf8("caf\xc3\xa9")), show.out.left(400).constData());
        QCOMPARE(QJsonDocument::fromJson(show.out).object()["status"].toString(), QString("completed"));
        const Result inspect = runCli({"data", "inspect", "csv:" + data, "--json"});
        QVERIFY2(inspect.code == 0, inspect.err.constData());
        QVERIFY(QJsonDocument::fromJson(inspect.out).isObject());
    }
};

QTEST_GUILESS_MAIN(TestCliHostile)
#include "test_cli_hostile.moc"
