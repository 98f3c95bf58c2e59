// The pytorch export as a user runs it (docs/scale-out.md): the generated train.py, from the
// exported initial weights and Neurite's sample order, takes the same first 20 steps as
// neurite-cli train (MLP and CNN on Fashion-MNIST); torchrun with 2 processes (gloo, CPU) takes the
// same steps as one process; its events come back into the run store with `runs import`, and a
// truncated, foreign or inconsistent events file is refused with exit 2 naming the line, leaving
// the store untouched. Runs /usr/bin/python3 (Debian's python3-torch).
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "support/cli_runner.h"
#include "support/skip_missing.h"
#include "support/test_env.h"

using neurite::test::example;
using neurite::test::jsonLines;
using neurite::test::Result;
using neurite::test::runCli;

namespace {

constexpr const char* kPython = "/usr/bin/python3";

struct Py {
    int code = -1;
    QByteArray out, err;
};

// A command of the exported package, in its folder.
Py runIn(const QString& dir, const QString& program, const QStringList& args, int timeoutMs = 900000) {
    QProcess p;
    p.setWorkingDirectory(dir);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("OMP_NUM_THREADS", "1");
    p.setProcessEnvironment(env);
    p.start(program, args);
    p.waitForFinished(timeoutMs);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

QList<QJsonObject> events(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return jsonLines(f.readAll());
}

double rel(double a, double b) { return std::fabs(a - b) / std::max(std::fabs(b), 1e-12); }

bool haveTorch() {
    QProcess p;
    p.start(kPython, {"-c", "import torch, numpy"});
    return p.waitForFinished(60000) && p.exitCode() == 0;
}

int runCount(const QString& db) {
    const Result r = runCli({"runs", "list", "--json", "--db", db});
    return QJsonDocument::fromJson(r.out).array().size();
}

}  // namespace

class TestPytorchCli : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_mlp;  // the MLP's package, exported once

private slots:
    void initTestCase() {
        if (!haveTorch()) NEURITE_SKIP_MISSING("/usr/bin/python3 has no torch (apt-get install python3-torch)");
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist"))
            NEURITE_SKIP_MISSING("Fashion-MNIST is missing (install dataset-fashion-mnist)");
    }

    // Neurite's 20 steps and train.py's from the same weights and batches: the mean training loss
    // of those steps within 1e-4 relative, the same training accuracy, the validation loss after
    // them within 1e-3 (Adam's float rounding differs in the last bits and grows a little).
    void firstStepsMatchNeurite_data() {
        QTest::addColumn<QString>("project");
        QTest::newRow("mlp") << "fashion_mlp.neurite.json";
        QTest::newRow("cnn") << "fashion_cnn.neurite.json";
    }
    void firstStepsMatchNeurite() {
        QFETCH(QString, project);
        const QString dir = m_dir.filePath(project.section('.', 0, 0));
        const Result ex = runCli({"export", example(qPrintable(project)), "--format", "pytorch", "-o", dir, "--json"});
        QVERIFY2(ex.code == 0, ex.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(ex.out).object();
        QCOMPARE(report["train"].toInt(), 54000);
        QCOMPARE(report["test"].toInt(), 10000);
        for (const char* f : {"model.py", "train.py", "data.py", "config.json", "README.md", "data/train_x.npy"})
            QVERIFY2(QFileInfo::exists(dir + "/" + f), f);
        if (project.startsWith("fashion_mlp")) m_mlp = dir;
        const Result neurite = runCli({"train", example(qPrintable(project)), "--json", "--no-db", "--epochs", "1",
                                       "--max-steps", "20", "--device", "cpu"}, 600000);
        QVERIFY2(neurite.code == 0, neurite.err.constData());
        const QJsonObject n = jsonLines(neurite.out).front();
        const Py torch = runIn(dir, kPython, {"train.py", "--device", "cpu", "--epochs", "1", "--max-steps", "20",
                                              "--out", dir + "/runs/one", "--json"});
        QVERIFY2(torch.code == 0, torch.err.constData());
        const QJsonObject t = jsonLines(torch.out).front();
        qInfo("train_loss %.9g / %.9g, val_loss %.9g / %.9g", n["train_loss"].toDouble(), t["train_loss"].toDouble(),
              n["val_loss"].toDouble(), t["val_loss"].toDouble());
        QVERIFY2(rel(t["train_loss"].toDouble(), n["train_loss"].toDouble()) < 1e-4, torch.out.constData());
        QCOMPARE(t["train_accuracy"].toDouble(), n["train_accuracy"].toDouble());
        QVERIFY2(rel(t["val_loss"].toDouble(), n["val_loss"].toDouble()) < 1e-3, torch.out.constData());
        QCOMPARE(t["epoch"].toInt(), 1);
    }

    // torchrun, 2 processes on the CPU (gloo): each takes half of every batch, DDP averages the
    // gradients; the same steps as one process. Debian's torch 1.13 under Python 3.11 needs
    // --redirects/--tee set to 1 or 2 (its parser drops 0); docs/scale-out.md. --standalone picks
    // a free port, so another torchrun on this machine (a parallel test) cannot collide.
    void torchrunTwoProcessesMatchOne() {
        QVERIFY2(!m_mlp.isEmpty(), "firstStepsMatchNeurite exports the MLP first");
        const Py ddp = runIn(m_mlp, "/usr/bin/torchrun",
                             {"--standalone", "--redirects", "2", "--tee", "2", "--nproc_per_node=2", "train.py", "--device", "cpu",
                              "--epochs", "1", "--max-steps", "20", "--out", m_mlp + "/runs/two"});
        QVERIFY2(ddp.code == 0, ddp.err.right(3000).constData());
        const QList<QJsonObject> two = events(m_mlp + "/runs/two/events.jsonl");
        const QList<QJsonObject> one = events(m_mlp + "/runs/one/events.jsonl");
        QCOMPARE(two.size(), 2);
        QCOMPARE(one.size(), 2);
        QVERIFY(rel(two[0]["train_loss"].toDouble(), one[0]["train_loss"].toDouble()) < 1e-4);
        QCOMPARE(two[0]["train_accuracy"].toDouble(), one[0]["train_accuracy"].toDouble());
        QVERIFY(rel(two[0]["val_loss"].toDouble(), one[0]["val_loss"].toDouble()) < 1e-3);
        const QJsonObject ranOn = two[1]["ran_on"].toObject();
        QCOMPARE(ranOn["processes"].toInt(), 2);
        QCOMPARE(ranOn["backend"].toString(), QString("gloo"));
        QVERIFY(QFileInfo::exists(m_mlp + "/runs/two/weights/logits.weight.npy"));
        QVERIFY(QFileInfo::exists(m_mlp + "/runs/two/checkpoint.pt"));
    }

    // The run comes back beside local ones: its epochs, final evaluation, where it ran.
    void runsImportRecordsTheRun() {
        QVERIFY2(!m_mlp.isEmpty(), "firstStepsMatchNeurite exports the MLP first");
        const QString db = m_dir.filePath("runs.db");
        const Result r = runCli({"runs", "import", m_mlp + "/runs/two/events.jsonl", "--project",
                                 example("fashion_mlp.neurite.json"), "--db", db, "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("2 processes (gloo, cpu)"), r.err.constData());
        const int id = QJsonDocument::fromJson(r.out).object()["run"].toInt();
        const Result show = runCli({"runs", "show", QString::number(id), "--json", "--db", db});
        QVERIFY2(show.code == 0, show.err.constData());
        const QJsonObject run = QJsonDocument::fromJson(show.out).object();
        QCOMPARE(run["status"].toString(), QString("completed"));
        QCOMPARE(run["epochs"].toArray().size(), 1);
        QVERIFY(run["tags"].toArray().contains(QString("pytorch")));
        QVERIFY(run["device"].toString().startsWith("PyTorch"));
        QVERIFY(run["test_accuracy"].toDouble() > 0.5);
        QCOMPARE(runCount(db), 1);
        // with its final weights: the stored model exports like a local run's, and predicts what
        // train.py measured (the same test accuracy, from Neurite's own evaluation)
        const Result withWeights = runCli({"runs", "import", m_mlp + "/runs/two/events.jsonl", "--project",
                                           example("fashion_mlp.neurite.json"), "--weights", m_mlp + "/runs/two/weights",
                                           "--db", db, "--json"}, 600000);
        QVERIFY2(withWeights.code == 0, withWeights.err.constData());
        const int second = QJsonDocument::fromJson(withWeights.out).object()["run"].toInt();
        const Result onnx = runCli({"export", "--run", QString::number(second), "--db", db, "--format", "native-int8",
                                    "-o", m_dir.filePath("imported-int8.nmodel"), "--json"}, 600000);
        QVERIFY2(onnx.code == 0, onnx.err.constData());
        const QJsonObject report = QJsonDocument::fromJson(onnx.out).object();
        QVERIFY2(std::fabs(report["float"].toDouble() - run["test_accuracy"].toDouble()) < 1e-3, onnx.out.constData());
        // a weights folder that misses a tensor is refused, naming it, and nothing is stored
        QDir(m_mlp + "/runs/two/weights").rename("fc1.bias.npy", "fc1.bias.npy.away");
        const Result missing = runCli({"runs", "import", m_mlp + "/runs/two/events.jsonl", "--project",
                                       example("fashion_mlp.neurite.json"), "--weights", m_mlp + "/runs/two/weights",
                                       "--db", db}, 600000);
        QDir(m_mlp + "/runs/two/weights").rename("fc1.bias.npy.away", "fc1.bias.npy");
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.contains("fc1.bias.npy does not exist"), missing.err.constData());
        QCOMPARE(runCount(db), 2);
        QCOMPARE(runCli({"runs", "import", m_mlp + "/runs/two/events.jsonl", "--weights", m_mlp, "--db", db}).code, 2);
    }

    void runsImportRefusesBadFiles_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        const QByteArray epoch1 = R"({"event":"epoch","epoch":1,"epochs":2,"train_loss":0.5,"lr":0.001})";
        const QByteArray epoch2 = R"({"event":"epoch","epoch":2,"epochs":2,"train_loss":0.4,"lr":0.001})";
        const QByteArray done = R"({"event":"finished","epochs":2,"status":"completed"})";
        QTest::newRow("truncated") << epoch1 + "\n" + epoch2.left(30) << "line 2: not valid JSON: the file looks cut off";
        QTest::newRow("no finished") << epoch1 + "\n" + epoch2 + "\n" << "line 2: the file ends without a \"finished\" event";
        QTest::newRow("another tool") << QByteArray(R"({"step": 1, "loss": 0.5})") + "\n" << "line 1: not an event";
        QTest::newRow("skipped epoch")
            << epoch1 + "\n" + QByteArray(epoch2).replace("\"epoch\":2", "\"epoch\":3") + "\n" + done
            << "line 2: epoch 3 where epoch 2 comes next";
        QTest::newRow("other run's epochs")
            << epoch1 + "\n" + QByteArray(epoch2).replace("\"epochs\":2", "\"epochs\":5") + "\n" + done
            << "line 2: \"epochs\" is 5 here and 2 before";
        QTest::newRow("finished miscounts") << epoch1 + "\n" + done << "line 2: \"finished\" counts 2 epochs, the file holds 1";
        QTest::newRow("after finished") << epoch1 + "\n" + epoch2 + "\n" + done + "\n" + epoch1
                                        << "line 4: an event after \"finished\"";
        QTest::newRow("not a number") << QByteArray(epoch1).replace("0.5", "\"low\"") << "line 1: \"train_loss\" is not a number";
        QTest::newRow("empty") << QByteArray("\n\n") << "no events; the file is empty";
        QTest::newRow("binary") << QByteArray("\x89PNG\r\n\x1a\n\0\0", 10) << "line 1: not valid JSON";
    }
    void runsImportRefusesBadFiles() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString db = m_dir.filePath("refusals.db");
        const QString good = neurite::test::writeFile(m_dir, "good.jsonl",
            R"({"event":"epoch","epoch":1,"epochs":1,"train_loss":0.5,"lr":0.001})" "\n"
            R"({"event":"finished","epochs":1,"status":"completed"})" "\n");
        if (!QFileInfo::exists(db)) QCOMPARE(runCli({"runs", "import", good, "--db", db}).code, 0);
        const int before = runCount(db);
        const QString bad = neurite::test::writeFile(m_dir, "bad.jsonl", content);
        const Result r = runCli({"runs", "import", bad, "--db", db});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.startsWith("error: ") && r.err.count('\n') == 1, r.err.constData());
        QVERIFY2(r.err.contains(expected.toUtf8()), r.err.constData());
        QCOMPARE(runCount(db), before);
        const Result dir = runCli({"runs", "import", m_dir.path(), "--db", db});
        QCOMPARE(dir.code, 2);
    }

    // Interrupted after 2 epochs and resumed to 4: the same epochs as 4 in one go (the sample
    // order and the per-epoch seeds depend on the epoch alone), and the resumed events import.
    void resumeEqualsAnUninterruptedRun() {
        const QString dir = m_dir.filePath("spiral");
        QCOMPARE(runCli({"export", example("spiral.neurite.json"), "--format", "pytorch", "-o", dir}).code, 0);
        QCOMPARE(runIn(dir, kPython, {"train.py", "--device", "cpu", "--epochs", "4", "--out", "runs/full"}).code, 0);
        QCOMPARE(runIn(dir, kPython, {"train.py", "--device", "cpu", "--epochs", "2", "--out", "runs/part"}).code, 0);
        const Py resumed = runIn(dir, kPython, {"train.py", "--device", "cpu", "--epochs", "4", "--resume", "runs/part"});
        QVERIFY2(resumed.code == 0, resumed.err.constData());
        const QList<QJsonObject> full = events(dir + "/runs/full/events.jsonl");
        const QList<QJsonObject> part = events(dir + "/runs/part/events.jsonl");
        QCOMPARE(part.size(), 5);
        for (int k = 0; k < 4; ++k) {
            QCOMPARE(part[k]["epoch"].toInt(), k + 1);
            QCOMPARE(part[k]["epochs"].toInt(), 4);
            QCOMPARE(part[k]["train_loss"].toDouble(), full[k]["train_loss"].toDouble());
        }
        QCOMPARE(part[4]["test_accuracy"].toDouble(), full[4]["test_accuracy"].toDouble());
        const Result imported = runCli({"runs", "import", dir + "/runs/part/events.jsonl", "--db", m_dir.filePath("resumed.db")});
        QVERIFY2(imported.code == 0, imported.err.constData());
    }

    void exportRefusesWhatItCannotDo() {
        const QString file = neurite::test::writeFile(m_dir, "a_file", "x");
        Result r = runCli({"export", example("spiral.neurite.json"), "--format", "pytorch", "-o", file});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("is a file; --format pytorch writes a folder"), r.err.constData());
        r = runCli({"export", example("spiral.neurite.json"), "--format", "pytorch", "-o", m_dir.filePath("p"),
                    "--calibration", "minmax"});
        QCOMPARE(r.code, 2);
        QFile in(example("spiral.neurite.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QJsonObject project = QJsonDocument::fromJson(in.readAll()).object();
        QJsonObject training = project["training"].toObject();
        training["pruning"] = QJsonObject{{"enabled", true}, {"final_sparsity", 0.5}};
        project["training"] = training;
        const QString pruned = neurite::test::writeFile(m_dir, "pruned.neurite.json", QJsonDocument(project).toJson());
        r = runCli({"export", pruned, "--format", "pytorch", "-o", m_dir.filePath("pruned")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("training.pruning is not part of the PyTorch export"), r.err.constData());
        QVERIFY(!QFileInfo::exists(m_dir.filePath("pruned")));
        // without data/, train.py says what is missing
        const QString nodata = m_dir.filePath("nodata");
        QCOMPARE(runCli({"export", example("spiral.neurite.json"), "--format", "pytorch", "-o", nodata, "--no-data"}).code, 0);
        QVERIFY(!QFileInfo::exists(nodata + "/data/train_x.npy"));
        const Py py = runIn(nodata, kPython, {"train.py", "--device", "cpu", "--epochs", "1"});
        QVERIFY(py.code != 0);
        QVERIFY2(py.err.contains("no train_x.npy"), py.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestPytorchCli)
#include "test_pytorch_cli.moc"
