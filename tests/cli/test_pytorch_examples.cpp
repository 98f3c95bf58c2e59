// Every bundled example and lesson exported as a PyTorch package (docs/scale-out.md) either trains
// there (train.py on the CPU: one epoch of at most 5 steps, then the validation and test
// evaluation, ending with a "finished" event) or the export says why it cannot be made, with
// exit 2 and one error line. Runs /usr/bin/python3 (Debian's python3-torch).
#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "support/cli_runner.h"
#include "support/skip_missing.h"
#include "support/test_env.h"

using neurite::test::jsonLines;
using neurite::test::Result;
using neurite::test::runCli;

class TestPytorchExamples : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QProcess p;
        p.start("/usr/bin/python3", {"-c", "import torch, numpy"});
        if (!p.waitForFinished(60000) || p.exitCode() != 0)
            NEURITE_SKIP_MISSING("/usr/bin/python3 has no torch (apt-get install python3-torch)");
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist"))
            NEURITE_SKIP_MISSING("Fashion-MNIST is missing (install dataset-fashion-mnist)");
    }

    void everyExampleTrainsOrSaysWhy_data() {
        QTest::addColumn<QString>("project");
        const QString root = QString::fromStdString(neurite::test::sourceDir()) + "/resources/examples";
        QDirIterator it(root, {"*.neurite.json"}, QDir::Files, QDirIterator::Subdirectories);
        QStringList all;
        while (it.hasNext()) all << it.next();
        all.sort();
        QVERIFY(all.size() >= 20);
        for (const QString& p : all) QTest::newRow(qPrintable(QFileInfo(p).fileName())) << p;
    }
    void everyExampleTrainsOrSaysWhy() {
        QFETCH(QString, project);
        QTemporaryDir dir;
        const QString out = dir.filePath("package");
        const Result ex = runCli({"export", project, "--format", "pytorch", "-o", out}, 300000);
        if (ex.code != 0) {
            // the one example that cannot: it starts from another example's trained weights
            QCOMPARE(ex.code, 2);
            QVERIFY2(ex.err.startsWith("error: ") && ex.err.count('\n') == 1, ex.err.constData());
            QVERIFY2(project.endsWith("fashion_transfer_finetune.neurite.json"), ex.err.constData());
            QVERIFY2(ex.err.contains("model.weights"), ex.err.constData());
            return;
        }
        QProcess py;
        py.setWorkingDirectory(out);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("OMP_NUM_THREADS", "2");
        py.setProcessEnvironment(env);
        py.start("/usr/bin/python3", {"train.py", "--device", "cpu", "--epochs", "1", "--max-steps", "5", "--json",
                                      "--out", out + "/runs/check"});
        QVERIFY(py.waitForFinished(600000));
        const QByteArray err = py.readAllStandardError();
        QVERIFY2(py.exitStatus() == QProcess::NormalExit && py.exitCode() == 0, err.right(2000).constData());
        const QList<QJsonObject> events = jsonLines(py.readAllStandardOutput());
        QCOMPARE(events.size(), 2);
        QCOMPARE(events[0]["event"].toString(), QString("epoch"));
        QVERIFY(std::isfinite(events[0]["train_loss"].toDouble()));
        QCOMPARE(events[1]["event"].toString(), QString("finished"));
        QCOMPARE(events[1]["status"].toString(), QString("completed"));
    }
};

int main(int argc, char** argv) {
    // The data-driven function trains 22 packages in PyTorch: past QtTest's 5-minute watchdog on
    // a loaded machine. Read when the first test function starts, so it is set before qExec.
    qputenv("QTEST_FUNCTION_TIMEOUT", "2700000");
    QCoreApplication app(argc, argv);
    TestPytorchExamples test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_pytorch_examples.moc"
