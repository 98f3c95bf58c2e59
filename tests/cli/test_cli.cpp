// neurite-cli as users script it: exit codes, one `error:` line for bad input, JSON Lines events.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <vector>

#include "support/cli_runner.h"
#include "support/test_env.h"

using neurite::test::example;
using neurite::test::Result;
using neurite::test::runCli;
using neurite::test::writeFile;

namespace {

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void version() {
        Result r = runCli({"version"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith("neurite-cli "));
        // The same facts as the studio's About dialog (engine/info/build_info.h).
        const QString text = QString::fromUtf8(r.out);
        for (const char* line : {"\nVersion:", "\nGit revision:", "\nBuild:", "\noneDNN:", "\nCUDA runtime:",
                                 "\ncuDNN:", "\nDevice cpu:"})
            QVERIFY2(text.contains(line), qPrintable(text));
        Result j = runCli({"version", "--json"});
        QCOMPARE(j.code, 0);
        const QJsonObject o = QJsonDocument::fromJson(j.out).object();
        QCOMPARE(o["version"].toString(), QString(NEURITE_VERSION));
        QVERIFY(!o["git_revision"].toString().isEmpty());
        QVERIFY(text.contains(QRegularExpression("\nGit revision: +" + QRegularExpression::escape(o["git_revision"].toString()) + "\n")));
        QVERIFY(text.contains(QRegularExpression("\noneDNN: +" + QRegularExpression::escape(o["onednn"].toString()) + "\n")));
        QCOMPARE(o["devices"].toArray().first().toObject()["id"].toString(), QString("cpu"));
        QCOMPARE(runCli({"version", "extra"}).code, 2);
    }

    // Every command answers --help with its usage on stdout and exit 0; the man page
    // (installer/man/cli_commands.cmake) is built from these, and the top-level help lists them all.
    void everyCommandHasHelp_data() {
        QTest::addColumn<QString>("command");
        for (const char* c : {"train", "export", "predict", "bench", "data", "devices", "layers", "runs",
                              "version"})
            QTest::newRow(c) << QString(c);
    }
    void everyCommandHasHelp() {
        QFETCH(QString, command);
        Result r = runCli({command, "--help"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.startsWith("usage: neurite-cli " + command.toUtf8()), r.out.constData());
        Result top = runCli({"--help"});
        QCOMPARE(top.code, 0);
        QVERIFY2(top.out.contains("\n  " + command.toUtf8() + " "), qPrintable(command));
    }

    void badInputExitsWithTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command") << QStringList{} << "no command";
        QTest::newRow("unknown command") << QStringList{"fly"} << "unknown command 'fly'";
        QTest::newRow("missing file") << QStringList{"train", "/nonexistent.neurite.json"} << "cannot open";
        QTest::newRow("unknown option") << QStringList{"train", example("spiral.neurite.json"), "--epoch", "3"}
                                        << "unknown option --epoch";
        QTest::newRow("bad number") << QStringList{"train", example("spiral.neurite.json"), "--epochs", "x"}
                                    << "--epochs expects an integer";
        QTest::newRow("bad device") << QStringList{"train", example("spiral.neurite.json"), "--device", "tpu"}
                                    << "unknown device 'tpu'";
        QTest::newRow("unwritable scores") << QStringList{"train", example("spiral.neurite.json"), "--scores",
                                                          "/nonexistent-dir/scores.csv"}
                                       << "cannot write --scores file '/nonexistent-dir/scores.csv'";
        QTest::newRow("bench model") << QStringList{"bench", "--model", "rnn"} << "--model must be";
        QTest::newRow("perturb zero") << QStringList{"train", example("spiral.neurite.json"), "--perturb", "0"}
                                      << "--perturb must be between 1 and 1024";
        QTest::newRow("perturb folds") << QStringList{"train", example("spiral.neurite.json"), "--perturb", "1",
                                                      "--folds", "3", "--no-db"}
                                       << "--perturb and --folds do not go together";
    }
    void badInputExitsWithTwo() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        Result r = runCli(args);
        QCOMPARE(r.code, 2);
        const QList<QByteArray> errors = [&] {
            QList<QByteArray> e;
            for (const auto& line : r.err.split('\n'))
                if (line.startsWith("error: ")) e << line;
            return e;
        }();
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors[0].contains(message.toUtf8()), errors[0].constData());
    }

    void brokenProjectNamesThePath() {
        QTemporaryDir dir;
        const QString path = writeFile(dir, "bad.neurite.json", R"({"format": "neurite-project", "version": 1,
            "data": {"source": "synthetic:spiral"},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                                {"id": "fc", "op": "Dense", "params": {"units": "many"}, "inputs": ["input"]}]}})");
        Result r = runCli({"train", path});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("$.model.nodes[1].params.units: fc: units: expected an integer, got \"many\""),
                 r.err.constData());
    }

    void garbageFileDoesNotCrash() {
        QTemporaryDir dir;
        QByteArray junk(4096, '\0');
        for (int i = 0; i < junk.size(); ++i) junk[i] = static_cast<char>((i * 7919) % 251);
        Result r = runCli({"train", writeFile(dir, "junk.neurite.json", junk)});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("error: "));
    }

    void trainJsonEvents() {
        Result r = runCli({"train", example("spiral.neurite.json"), "--epochs", "2", "--json", "--threads", "2"});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (int i = 0; i < 2; ++i) {
            QJsonObject e = QJsonDocument::fromJson(lines[i]).object();
            QCOMPARE(e["event"].toString(), QString("epoch"));
            QCOMPARE(e["epoch"].toInt(), i + 1);
            for (const char* key : {"train_loss", "val_loss", "val_accuracy", "samples_per_sec", "seconds"})
                QVERIFY2(e.contains(key), key);
        }
        QJsonObject fin = QJsonDocument::fromJson(lines[2]).object();
        QCOMPARE(fin["event"].toString(), QString("finished"));
        QCOMPARE(fin["status"].toString(), QString("completed"));
        QCOMPARE(fin["epochs"].toInt(), 2);
        for (const char* key : {"train_loss", "val_loss", "val_accuracy", "test_accuracy", "samples_per_sec"})
            QVERIFY2(fin.contains(key), key);
    }

    // --perturb 1: the same training from weights one ulp away, recorded as such. The spiral's
    // MLP barely notices (its losses agree to 1e-3); the LSTM's do not (docs/gpu.md).
    void perturbedRunIsTaggedAndClose() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        const QStringList common{"train", example("spiral.neurite.json"), "--epochs", "2", "--json", "--threads", "2",
                                 "--db", db};
        const Result plain = runCli(common);
        const Result nudged = runCli(common + QStringList{"--perturb", "1"});
        QVERIFY2(plain.code == 0 && nudged.code == 0, nudged.err.constData());
        QVERIFY2(nudged.err.contains("perturbed: ") && nudged.err.contains("initial weights moved by 1 ulp"),
                 nudged.err.constData());
        const auto finished = [](const Result& r) {
            return QJsonDocument::fromJson(r.out.trimmed().split('\n').last()).object();
        };
        const double a = finished(plain)["train_loss"].toDouble(), b = finished(nudged)["train_loss"].toDouble();
        QVERIFY2(a != b && std::abs(a - b) < 1e-3 * a, qPrintable(QString("%1 %2").arg(a).arg(b)));
        const Result show = runCli({"runs", "show", "2", "--json", "--db", db});
        QVERIFY2(show.code == 0, show.err.constData());
        const QJsonObject run = QJsonDocument::fromJson(show.out).object();
        QVERIFY(run["tags"].toArray().contains(QString("perturbed")));
        QVERIFY2(run["note"].toString().contains("1 ulp"), qPrintable(run["note"].toString()));
        const QJsonObject first = QJsonDocument::fromJson(runCli({"runs", "show", "1", "--json", "--db", db}).out).object();
        QVERIFY(!first["tags"].toArray().contains(QString("perturbed")));
    }

    void unwritableScoresFailsBeforeTraining() {
        Result r = runCli({"train", example("spiral.neurite.json"), "--json", "--scores", "/nonexistent-dir/s.csv"});
        QCOMPARE(r.code, 2);
        QVERIFY2(!r.err.contains("epoch "), r.err.constData());
        QVERIFY(r.out.isEmpty());
    }

    void failedRunLeavesNoScoresFile() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("scores.csv");
        Result r = runCli({"train", example("spiral.neurite.json"), "--epochs", "3", "--lr", "1e30",
                           "--scores", csv});
        QCOMPARE(r.code, 3);
        QVERIFY(!QFile::exists(csv));
        // An existing file is only replaced by a completed run.
        const QString kept = writeFile(dir, "kept.csv", "old\n");
        r = runCli({"train", example("spiral.neurite.json"), "--epochs", "3", "--lr", "1e30",
                    "--scores", kept});
        QCOMPARE(r.code, 3);
        QFile f(kept);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("old\n"));
    }

    void trainMetricsAndScores() {
        QTemporaryDir dir;
        const QString csv = dir.filePath("scores.csv");
        Result r = runCli({"train", example("spiral.neurite.json"), "--epochs", "2", "--json", "--threads", "2",
                           "--scores", csv});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        for (int i = 0; i < 2; ++i) {
            const QJsonObject e = QJsonDocument::fromJson(lines[i]).object();
            const QJsonObject m = e["val_metrics"].toObject();
            QCOMPARE(m["accuracy"].toDouble(), e["val_accuracy"].toDouble());
            for (const char* key : {"balanced_accuracy", "precision_macro", "recall_weighted", "f1_micro", "log_loss",
                                    "kappa", "mcc", "auc_macro", "auc_micro", "average_precision_macro"})
                QVERIFY2(m[key].isDouble(), key);
            QVERIFY2(!m.contains("roc") && !m.contains("confusion_matrix"), "curves only with --curves");
        }
        const QJsonObject fin = QJsonDocument::fromJson(lines[2]).object();
        const QJsonObject test = fin["test_metrics"].toObject();
        QCOMPARE(test["split"].toString(), QString("test"));
        QCOMPARE(test["accuracy"].toDouble(), fin["test_accuracy"].toDouble());
        QCOMPARE(test["roc"].toArray().size(), 3);
        QCOMPARE(test["pr"].toArray().size(), 3);
        const QJsonObject roc0 = test["roc"].toArray()[0].toObject();
        QCOMPARE(roc0["fpr"].toArray().first().toDouble(), 0.0);
        QCOMPARE(roc0["tpr"].toArray().last().toDouble(), 1.0);
        QVERIFY(roc0["thresholds"].toArray().first().isNull());  // +inf
        const QJsonArray counts = test["confusion_matrix"].toObject()["counts"].toArray();
        QCOMPARE(counts.size(), 3);

        // Recompute accuracy and log loss from the scores file.
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = f.readAll().trimmed().split('\n');
        QCOMPARE(rows[0], QByteArray("label,predicted,p_0,p_1,p_2"));
        QCOMPARE(rows.size() - 1, test["count"].toInt());
        int correct = 0;
        double logLoss = 0;
        std::vector<std::vector<int>> cm(3, std::vector<int>(3, 0));
        for (int i = 1; i < rows.size(); ++i) {
            const QList<QByteArray> c = rows[i].split(',');
            QCOMPARE(c.size(), 5);
            const int label = c[0].toInt(), predicted = c[1].toInt();
            double p[3];
            for (int k = 0; k < 3; ++k) p[k] = c[2 + k].toDouble();
            QCOMPARE(int(std::max_element(p, p + 3) - p), predicted);
            QVERIFY(std::abs(p[0] + p[1] + p[2] - 1) < 1e-6);
            correct += label == predicted;
            logLoss -= std::log(std::max(p[label], 1e-15));
            ++cm[label][predicted];
        }
        const int n = rows.size() - 1;
        QCOMPARE(double(correct) / n, fin["test_accuracy"].toDouble());
        QVERIFY(std::abs(logLoss / n - test["log_loss"].toDouble()) < 1e-6);
        for (int t = 0; t < 3; ++t)
            for (int p = 0; p < 3; ++p) QCOMPARE(counts[t].toArray()[p].toInt(), cm[t][p]);
    }

    void curvesFlagAndUndefinedAsNull() {
        // 2 test samples cannot hold all 3 classes: per-class recall and the macro AUC are undefined.
        QTemporaryDir dir;
        const QString path = writeFile(dir, "tiny.neurite.json", R"({"format": "neurite-project", "version": 1,
            "data": {"source": "synthetic:spiral?samples=30&classes=3&seed=2", "validation_split": 0.2,
                     "test_split": 0.07},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["input"]}]},
            "training": {"epochs": 1, "batch_size": 8, "seed": 1}})");
        Result r = runCli({"train", path, "--json", "--curves", "--threads", "1"});
        QCOMPARE(r.code, 0);
        const QList<QByteArray> lines = r.out.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        const QJsonObject epoch = QJsonDocument::fromJson(lines[0]).object()["val_metrics"].toObject();
        QVERIFY(epoch.contains("roc") && epoch.contains("per_class"));
        const QJsonObject test = QJsonDocument::fromJson(lines[1]).object()["test_metrics"].toObject();
        QCOMPARE(test["count"].toInt(), 2);
        QVERIFY(test["auc_macro"].isNull());
        const QString aucWhy = test["auc_macro_undefined"].toString();
        QVERIFY2(aucWhy.startsWith("macro AUC undefined: the split holds no sample of class"),
                 qPrintable(aucWhy));
        int undefinedRecalls = 0;
        for (const auto& c : test["per_class"].toArray()) {
            const QJsonObject o = c.toObject();
            if (o["support"].toInt() == 0) {
                QVERIFY(o["recall"].isNull());
                QVERIFY(o["recall_undefined"].toString().contains("no sample"));
                ++undefinedRecalls;
            }
        }
        QVERIFY(undefinedRecalls >= 1);
        QVERIFY(!r.out.contains("NaN") && !r.out.contains("nan"));
    }

    void divergenceExitsWithThree() {
        Result r = runCli({"train", example("spiral.neurite.json"), "--epochs", "3", "--lr", "1e30"});
        QCOMPARE(r.code, 3);
        QVERIFY2(r.err.contains("error: training diverged"), r.err.constData());
    }

    void interruptExitsWith130() {
        QProcess p;
        p.start(qEnvironmentVariable("NEURITE_CLI"),
                {"train", example("spiral.neurite.json"), "--epochs", "100000", "--json"});
        QVERIFY(p.waitForStarted());
        // Wait for the first epoch so the handler is installed and training runs.
        QVERIFY(p.waitForReadyRead(60000));
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 130);
        const QByteArray out = p.readAllStandardOutput();
        QVERIFY2(out.contains("\"status\":\"cancelled\""), out.constData());
    }

    // The programs bound libgomp's spin (docs/performance.md) unless the user set it.
    void openMpSpinIsBounded_data() {
        QTest::addColumn<QString>("userValue");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("default") << QString() << QByteArray("GOMP_SPINCOUNT=10000");
        QTest::newRow("user's choice") << QString("123") << QByteArray("GOMP_SPINCOUNT=123");
    }
    void openMpSpinIsBounded() {
        QFETCH(QString, userValue);
        QFETCH(QByteArray, expected);
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("GOMP_SPINCOUNT");
        env.remove("OMP_WAIT_POLICY");
        if (!userValue.isEmpty()) env.insert("GOMP_SPINCOUNT", userValue);
        p.setProcessEnvironment(env);
        p.start(qEnvironmentVariable("NEURITE_CLI"),
                {"train", example("spiral.neurite.json"), "--epochs", "100000", "--json"});
        QVERIFY(p.waitForStarted());
        QVERIFY(p.waitForReadyRead(60000));  // training: the process has its final image
        QFile environ(QString("/proc/%1/environ").arg(p.processId()));
        QVERIFY(environ.open(QIODevice::ReadOnly));
        const QList<QByteArray> vars = environ.readAll().split('\0');
        p.kill();
        p.waitForFinished();
        QVERIFY2(vars.contains(expected), expected.constData());
    }

    void layersDocIsCurrent() {
        Result r = runCli({"layers", "--markdown"});
        QCOMPARE(r.code, 0);
        QFile doc(QString::fromStdString(neurite::test::sourceDir()) + "/docs/layers.md");
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QVERIFY2(doc.readAll() == r.out,
                 "docs/layers.md is out of date: regenerate it with "
                 "build/bin/neurite-cli layers --markdown > docs/layers.md");
    }

    void devicesListsCpu() {
        Result r = runCli({"devices", "--json"});
        QCOMPARE(r.code, 0);
        QJsonObject j = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(j["devices"].toArray().first().toObject()["id"].toString(), QString("cpu"));
        QVERIFY(!j["gpu_note"].toString().isEmpty() || j["devices"].toArray().size() > 1);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
