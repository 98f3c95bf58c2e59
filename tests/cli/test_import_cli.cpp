// neurite-cli import as a user runs it: a PyTorch export becomes a project and its weights
// (exit 0, the report on stdout), the bundled data is picked when the input fits one, and train
// fine-tunes the result from the imported weights; bad input gets exit code 2, one "error:"
// line naming the file (and every unsupported node), and nothing written.
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "support/cli_runner.h"
#include "support/skip_missing.h"

using neurite::test::runCli;

class TestImportCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_models.isValid());
        QProcess run;
        run.setProcessChannelMode(QProcess::MergedChannels);
        run.start("/usr/bin/python3",
                  {QString::fromStdString(neurite::test::sourceDir()) + "/tests/support/onnx_import_models.py", m_models.path()});
        if (!run.waitForFinished(600000) || run.exitCode() != 0)
            NEURITE_SKIP_MISSING(qPrintable("onnx_import_models.py failed (python3-torch, python3-onnx):\n" + run.readAll()));
    }

    void importsAndFineTunes() {
        QTemporaryDir out;
        const QString project = out.filePath("fashion.neurite.json");
        const auto r = runCli({"import", m_models.filePath("fashion_net.onnx"), "-o", project, "--report"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("data: builtin:fashion-mnist"), r.err.constData());  // picked: the input fits it
        QVERIFY2(r.out.contains("mapped to layers"), r.out.constData());
        QVERIFY2(r.out.contains("-> ReLU6") && r.out.contains("-> Conv2D dw"), r.out.constData());
        QVERIFY(QFileInfo::exists(out.filePath("fashion.weights.safetensors")));
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist"))
            NEURITE_SKIP_MISSING("Fashion-MNIST is missing (install dataset-fashion-mnist)");
        // fine-tunes from the imported weights (run from another folder: the path is the project's)
        QProcess train;
        train.setWorkingDirectory(QDir::tempPath());
        train.start(qEnvironmentVariable("NEURITE_CLI"), {"train", project, "--epochs", "1", "--max-steps", "20"});
        QVERIFY(train.waitForFinished(300000));
        const QByteArray err = train.readAllStandardError();
        QVERIFY2(train.exitCode() == 0, err.constData());
        QVERIFY2(err.contains("starting weights from") && err.contains("12 of 12 tensors"), err.constData());
    }

    // --compare runs the file's own graph and the written project on the same samples.
    void importsAndCompares() {
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist"))
            NEURITE_SKIP_MISSING("Fashion-MNIST is missing (install dataset-fashion-mnist)");
        QTemporaryDir out;
        const QString project = out.filePath("fashion.neurite.json");
        const auto r = runCli({"import", m_models.filePath("fashion_net.onnx"), "-o", project, "--compare"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.out.contains("compared with") && r.out.contains("64 samples of the test split") &&
                     r.out.contains("the same class for 64 of 64"),
                 r.out.constData());
        // a file the project was not imported from differs, with exit code 1 (or cannot be compared: 2)
        const auto other = runCli({"import", m_models.filePath("mlp.onnx"), "-o", out.filePath("mlp.neurite.json"),
                                   "--data", "builtin:iris", "--compare"});
        QCOMPARE(other.code, 2);  // iris's 4 features do not fit the MLP's 20: said at the comparison
        QVERIFY2(other.err.contains("the project was written, but the comparison failed") &&
                     other.err.contains("takes samples of shape [20], but its data (builtin:iris) has samples of shape [4]"),
                 other.err.constData());
        // training it says the same before it starts (it was an internal error in the model)
        const auto train = runCli({"train", out.filePath("mlp.neurite.json"), "--epochs", "1"});
        QCOMPARE(train.code, 2);
        QVERIFY2(train.err.contains("error: the model's input takes samples of shape [20] but the data source "
                                    "'builtin:iris' gives [4]"),
                 train.err.constData());
    }

    void refusesWithExitCode2_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("words");
        const QString d = m_models.path();
        QTest::newRow("unsupported nodes, every one listed")
            << QStringList{"import", d + "/unsupported.onnx", "-o", "OUT"}
            << QStringList{"unsupported.onnx", "cannot import 2 of its 4 nodes", "Hardmax node 'hard1' (opset 13)", "Foo node 'custom1'"};
        QTest::newRow("not a model") << QStringList{"import", d + "/garbage.onnx", "-o", "OUT"}
                                     << QStringList{"garbage.onnx", "not an ONNX model"};
        QTest::newRow("a cycle") << QStringList{"import", d + "/cycle.onnx", "-o", "OUT"} << QStringList{"cycle", "first"};
        QTest::newRow("no bundled data fits") << QStringList{"import", d + "/mlp.onnx", "-o", "OUT"}
                                              << QStringList{"fits none of the bundled data sets", "--data"};
        QTest::newRow("no -o") << QStringList{"import", d + "/mlp.onnx"} << QStringList{"-o PROJECT.neurite.json"};
        QTest::newRow("bad --input-shape") << QStringList{"import", d + "/mlp.onnx", "-o", "OUT", "--input-shape", "3,x"}
                                           << QStringList{"--input-shape", "3,x"};
        QTest::newRow("missing file") << QStringList{"import", d + "/nothere.onnx", "-o", "OUT"} << QStringList{"nothere.onnx"};
    }
    void refusesWithExitCode2() {
        QFETCH(QStringList, args);
        QFETCH(QStringList, words);
        QTemporaryDir out;
        args.replaceInStrings("OUT", out.filePath("p.neurite.json"));
        const auto r = runCli(args);
        QCOMPARE(r.code, 2);
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.startsWith("error: "), qPrintable(err));
        for (const QString& w : words) QVERIFY2(err.contains(w), qPrintable(w + " not in: " + err));
        QVERIFY2(QDir(out.path()).entryList(QDir::Files).isEmpty(), "nothing is written");
    }

private:
    QTemporaryDir m_models;
};

QTEST_GUILESS_MAIN(TestImportCli)
#include "test_import_cli.moc"
