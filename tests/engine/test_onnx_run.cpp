// The reference ONNX interpreter (export/onnx_run.h), which Compare with original trusts: ONNX's
// own operator test cases for every operator it evaluates (tests/support/onnx_conformance.py)
// each give ONNX's expected output or are refused with a reason, never something else; the
// PyTorch-exported models of the import tests (tests/support/onnx_import_models.py) give
// PyTorch's outputs; a graph asking for absurd tensors is refused before anything is allocated.
#include <QtTest>

#include <QFile>
#include <QTemporaryDir>

#include <cmath>

#include "core/error.h"
#include "export/onnx_read.h"
#include "export/onnx_run.h"
#include "support/onnx_test_data.h"
#include "support/skip_missing.h"

using namespace neurite;
using test::dims;
using test::readFloats;
using test::runScript;

namespace {

// ONNX 1.12's node test cases the interpreter evaluates and matches (docs/import.md).
constexpr int kCasesPassing = 221;

std::vector<int64_t> dimsOf(const Shape& s) { return {s.begin(), s.end()}; }

}  // namespace

class TestOnnxRun : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!QFileInfo::exists(test::kPython)) NEURITE_SKIP_MISSING("no /usr/bin/python3 (install python3-torch and python3-onnx)");
        QProcess probe;
        probe.start(test::kPython, {"-c", "import torch, onnx"});
        if (!probe.waitForFinished(120000) || probe.exitCode() != 0)
            NEURITE_SKIP_MISSING("/usr/bin/python3 cannot import torch and onnx (install python3-torch python3-onnx)");
    }

    void conformance() {
        QTemporaryDir dir;
        QStringList args{dir.path()};
        for (const std::string& op : runnableOperators()) args << QString::fromStdString(op);
        const QString failed = runScript("onnx_conformance.py", args);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QFile list(dir.filePath("cases.txt"));
        QVERIFY(list.open(QIODevice::ReadOnly));
        int passed = 0;
        QStringList refused, wrong;
        for (const QByteArray& line : list.readAll().split('\n')) {
            const QStringList f = QString::fromUtf8(line).split('|');
            if (f.size() != 5) continue;
            const QString name = f[0];
            try {
                const onnximport::OnnxGraph g = onnximport::readOnnxFile(dir.filePath(name + ".onnx").toStdString());
                const std::vector<float> x = readFloats(dir.filePath(name + ".input.f32").toStdString());
                const std::vector<float> want = readFloats(dir.filePath(name + ".output.f32").toStdString());
                const OnnxRunResult r = runOnnx(g, dimsOf(dims(f[1])), x);
                if (test::allClose(r.values, want, f[3].toDouble(), f[4].toDouble())) ++passed;
                else wrong << name;
            } catch (const Error& e) {
                (e.kind() == ErrorKind::BadInput ? refused : wrong) << name + ": " + QString::fromUtf8(e.what()).section('\n', 0, 0);
            }
        }
        qInfo("reference interpreter: %d cases of %d operators match ONNX's expected outputs, %lld refused",
              passed, int(runnableOperators().size()), static_cast<long long>(refused.size()));
        if (qEnvironmentVariableIsSet("NEURITE_CONFORMANCE_LIST")) qInfo("refused:\n%s", qPrintable(refused.join('\n')));
        QVERIFY2(wrong.isEmpty(), qPrintable("ran but computed something else:\n" + wrong.join('\n')));
        QVERIFY2(passed >= kCasesPassing, qPrintable(QString("%1 cases match, fewer than %2").arg(passed).arg(kCasesPassing)));
    }

    void matchesPyTorch() {
        QTemporaryDir dir;
        const QString failed = runScript("onnx_import_models.py", {dir.path()});
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QFile manifest(dir.filePath("manifest.txt"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        int models = 0;
        double worstOverall = 0;
        for (const QByteArray& line : manifest.readAll().split('\n')) {
            const QStringList f = QString::fromUtf8(line).split(' ', Qt::SkipEmptyParts);
            if (f.size() != 4) continue;
            const onnximport::OnnxGraph g = onnximport::readOnnxFile(dir.filePath(f[0] + ".onnx").toStdString());
            const std::vector<float> x = readFloats(dir.filePath(f[0] + ".input.f32").toStdString());
            const std::vector<float> want = readFloats(dir.filePath(f[0] + ".output.f32").toStdString());
            const OnnxRunResult r = runOnnx(g, dimsOf(dims(f[2])), x);
            QCOMPARE(r.dims, dimsOf(dims(f[3])));
            QCOMPARE(r.values.size(), want.size());
            double worst = 0;
            for (std::size_t k = 0; k < want.size(); ++k)
                worst = std::max(worst, std::fabs(double(r.values[k]) - want[k]) / (1 + std::fabs(double(want[k]))));
            QVERIFY2(worst <= 1e-5, qPrintable(QString("%1: relative difference %2").arg(f[0]).arg(worst)));
            worstOverall = std::max(worstOverall, worst);
            ++models;
        }
        qInfo("reference interpreter: %d PyTorch models, largest relative difference %.2g", models, worstOverall);
        QVERIFY(models >= 20);
    }

    // Absurd sizes are refused by the node that asks for them, before the allocation.
    void refusesAbsurdTensors_data() {
        QTest::addColumn<QString>("op");
        QTest::addColumn<QList<qint64>>("shape");
        QTest::newRow("ConstantOfShape 2^40") << "ConstantOfShape" << QList<qint64>{qint64{1} << 20, qint64{1} << 20};
        QTest::newRow("Expand 2^40") << "Expand" << QList<qint64>{qint64{1} << 20, qint64{1} << 20};
        QTest::newRow("Reshape to 2^80") << "Reshape" << QList<qint64>{qint64{1} << 40, qint64{1} << 40};
    }
    void refusesAbsurdTensors() {
        QFETCH(QString, op);
        QFETCH(QList<qint64>, shape);
        onnximport::OnnxGraph g;
        g.what = "absurd.onnx";
        g.opset = 13;
        g.inputs = {{"x", {-1, 1}, true}};
        onnximport::Constant s;
        s.integer = true;
        s.dims = {int64_t(shape.size())};
        s.i.assign(shape.begin(), shape.end());
        g.initializers["shape"] = s;
        onnximport::OnnxNode n;
        n.op = op.toStdString();
        n.name = "absurd";
        n.inputs = op == "ConstantOfShape" ? std::vector<std::string>{"shape"} : std::vector<std::string>{"x", "shape"};
        n.outputs = {"y"};
        g.nodes = {n};
        g.outputs = {"y"};
        try {
            runOnnx(g, {1, 1}, {0.5f});
            QFAIL("ran");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY2(QString(e.what()).contains("absurd"), e.what());  // the node is named
        }
    }
};

QTEST_GUILESS_MAIN(TestOnnxRun)
#include "test_onnx_run.moc"
