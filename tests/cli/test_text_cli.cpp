// Text models from the command line: train an Embedding model on a text: CSV, export the native
// model, predict raw text with --text and --input (one text per line, its line numbers in the
// output), bad text answered with exit code 2 and an `error:` line naming the file and line;
// `data split` writes the exact split, and scikit-learn's CountVectorizer (the word rule of
// docs/data.md) finds the same training vocabulary as the training run reports.
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cli_runner.h"
#include "support/skip_missing.h"
#include "support/test_env.h"

using neurite::test::Result;
using neurite::test::runCli;
using neurite::test::writeFile;

namespace {

// Two topics told apart by their words; punctuation, apostrophes, digits, underscores, a curly
// quote and accented letters exercise the word rule.
QByteArray corpus() {
    QByteArray csv = "text,topic\n";
    const char* sea[] = {"The ship's sail", "waves & the harbour", "a boat (12 m) at sea",
                         "fish_market by the quay", "Caf\xc3\xa9 on the pier \xe2\x80\x94 gulls"};
    const char* sky[] = {"Clouds, rain; sun!", "the plane's wing", "a kite at 300m",
                         "birds -- flying high", "\xc3\x89toile du ciel: stars"};
    for (int i = 0; i < 30; ++i) {
        csv += "\"" + QByteArray(sea[i % 5]) + " " + QByteArray::number(i) + "\",sea\n";
        csv += "\"" + QByteArray(sky[i % 5]) + " " + QByteArray::number(i) + "\",sky\n";
    }
    return csv;
}

QString project(QTemporaryDir& dir, const QString& csv) {
    const QByteArray doc = R"({"format": "neurite-project", "version": 1, "name": "topics",
      "data": {"source": "text:)" + csv.toUtf8() + R"(?label=topic", "validation_split": 0.2},
      "model": {"output": "logits", "nodes": [
        {"id": "input", "op": "Input", "params": {"shape": "auto"}},
        {"id": "e", "op": "Embedding", "params": {"dimension": 8}, "inputs": ["input"]},
        {"id": "avg", "op": "GlobalAvgPool1D", "inputs": ["e"]},
        {"id": "logits", "op": "Dense", "params": {"units": "auto"}, "inputs": ["avg"]}]},
      "training": {"epochs": 30, "batch_size": 8, "seed": 3, "optimizer": {"type": "adam", "lr": 0.05}}})";
    return writeFile(dir, "topics.neurite.json", doc);
}

}  // namespace

class TestTextCli : public QObject {
    Q_OBJECT
private slots:
    void trainExportPredict() {
        QTemporaryDir dir;
        const QString csv = writeFile(dir, "topics.csv", corpus());
        const QString p = project(dir, csv);
        const QString model = dir.filePath("topics.nmodel");
        Result r = runCli({"export", p, "--format", "native", "-o", model, "--threads", "1"});
        QVERIFY2(r.code == 0, r.err.constData());

        r = runCli({"predict", model, "--text", "A BOAT at sea, by the harbour"});
        QVERIFY2(r.code == 0, r.err.constData());
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["predicted"].toString(), QString("sea"));
        r = runCli({"predict", model, "--text", "stars and clouds in the sky"});
        QCOMPARE(QJsonDocument::fromJson(r.out).object()["predicted"].toString(), QString("sky"));

        const QString lines = writeFile(dir, "in.txt", "birds flying\n\n  \nthe quay and the ship\n");
        r = runCli({"predict", model, "--input", lines});
        QVERIFY2(r.code == 0, r.err.constData());
        const QList<QByteArray> rows = r.out.trimmed().split('\n');
        QCOMPARE(rows.size(), 2);
        QCOMPARE(QJsonDocument::fromJson(rows[0]).object()["line"].toInt(), 1);
        QCOMPARE(QJsonDocument::fromJson(rows[0]).object()["predicted"].toString(), QString("sky"));
        QCOMPARE(QJsonDocument::fromJson(rows[1]).object()["line"].toInt(), 4);
        QCOMPARE(QJsonDocument::fromJson(rows[1]).object()["predicted"].toString(), QString("sea"));

        const QString bad = writeFile(dir, "bad.txt", "fine\nna\xefve\n");
        r = runCli({"predict", model, "--input", bad});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith("error: ") && r.err.contains("bad.txt: line 2") && r.err.contains("UTF-8"),
                 r.err.constData());
        r = runCli({"predict", model, "--input", writeFile(dir, "empty.txt", "\n \n")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("no text"), r.err.constData());
        r = runCli({"predict", model, "--text", "x", "--input", lines});
        QCOMPARE(r.code, 2);
    }

    void textOnlyForTextModels() {
        QTemporaryDir dir;
        const QString model = dir.filePath("spiral.nmodel");
        Result r = runCli({"export", QString::fromStdString(neurite::test::sourceDir()) +
                                         "/resources/examples/spiral.neurite.json",
                           "--format", "native", "-o", model, "--epochs", "1"});
        QVERIFY2(r.code == 0, r.err.constData());
        r = runCli({"predict", model, "--text", "hello"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--text needs a text model"), r.err.constData());
    }

    void splitMatchesScikitLearnsTokens() {
        QProcess probe;
        probe.start("/usr/bin/python3", {"-c", "import sklearn"});
        if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
            NEURITE_SKIP_MISSING("/usr/bin/python3 cannot import sklearn (install python3-sklearn)");
        QTemporaryDir dir;
        const QString csv = writeFile(dir, "topics.csv", corpus());
        const QString p = project(dir, csv);
        Result r = runCli({"data", "split", p, "-o", dir.filePath("split")});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY(r.out.contains("train.csv: 48 samples") && r.out.contains("validation.csv: 12 samples"));
        r = runCli({"train", p, "--no-db", "--epochs", "1"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QByteArray note = r.err.mid(r.err.indexOf("vocabulary of "));
        const int ids = note.mid(14, note.indexOf(' ', 14) - 14).toInt();
        QProcess py;
        py.start("/usr/bin/python3",
                 {"-c",
                  "import csv,sys; from sklearn.feature_extraction.text import CountVectorizer as C;"
                  "rows=list(csv.DictReader(open(sys.argv[1], encoding='utf-8')));"
                  "v=C(token_pattern=r\"[^\\W_]+(?:['\\u2019][^\\W_]+)*\").fit([r['text'] for r in rows]);"
                  "print(len(v.vocabulary_))",
                  dir.filePath("split/train.csv")});
        QVERIFY(py.waitForFinished(120000));
        QCOMPARE(py.exitCode(), 0);
        QCOMPARE(py.readAllStandardOutput().trimmed().toInt() + 2, ids);  // + padding and unknown
    }
};

QTEST_APPLESS_MAIN(TestTextCli)
#include "test_text_cli.moc"
