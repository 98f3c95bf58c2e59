// The export dialog and the Try it panel, offscreen: the dialog writes the chosen checkpoint in
// the chosen format and reports what it verified, or the error; the panel predicts from a typed
// row and from an image exactly what the Predictor does, and bad input leaves a message, never a
// crash or a lost model. The file name follows the format, and an existing file is replaced only
// when the user agrees.
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLineEdit>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QtTest>

#include <cstring>

#include "support/test_env.h"
#include "support/try_it_wait.h"
#include "devices/device_registry.h"
#include "deploy/export_dialog.h"
#include "export/native_model.h"
#include "export/predictor.h"
#include "deploy/probability_bars.h"
#include "deploy/try_it_panel.h"
#include "support/export_fixtures.h"
#include "run/run_setup.h"

using namespace neurite;
using test::loadAndWait;
using test::settle;

namespace {

std::vector<test::ModelFixture> fixtures(std::initializer_list<const char*> names) {
    std::vector<test::ModelFixture> out;
    for (auto& f : test::layerFixtures())
        for (const char* n : names)
            if (f.name == n) out.push_back(std::move(f));
    return out;
}

}  // namespace

namespace {

// exportNow(), then the worker's end: true when the file was exported.
bool exportAndWait(ExportDialog& dialog) {
    QSignalSpy finished(&dialog, &ExportDialog::exportFinished), exported(&dialog, &ExportDialog::exported);
    if (!dialog.exportNow()) return false;
    if (finished.isEmpty() && !finished.wait(120000)) return false;
    return exported.count() == 1;
}

}  // namespace

class TestExportWidgets : public QObject {
    Q_OBJECT
private slots:
    void dialogExportsTheChosenCheckpoint() {
        auto f = fixtures({"mlp", "mlp_dropout"});  // same input and classes, other weights
        QCOMPARE(f.size(), std::size_t(2));
        ExportRequest req;
        req.modelName = "spiral";
        req.checkpoints.push_back({"Final (epoch 9)", f[0].source()});
        req.checkpoints.push_back({"Best (epoch 7)", f[1].source()});
        req.samples = f[1].randomInputs(16, 3);
        req.sampleCount = 16;
        ExportDialog dialog(req);
        QVERIFY(dialog.checkpointChoiceVisible());

        QTemporaryDir dir;
        const QString path = dir.filePath("best.nmodel");
        dialog.setFormat(ExportFormat::Native);
        dialog.setCheckpoint(1);
        dialog.setPath(path);
        QSignalSpy spy(&dialog, &ExportDialog::exported);
        QVERIFY(exportAndWait(dialog));
        QCOMPARE(spy.count(), 1);
        QVERIFY2(dialog.resultText().contains("compared on 16 sample inputs: bit-identical outputs"),
                 qPrintable(dialog.resultText()));
        QVERIFY(dialog.resultText().contains(QString::number(QFileInfo(path).size()) + " bytes"));
        // The file holds the best checkpoint's weights (the Dropout model), not the final one's.
        NativeModel loaded = loadNativeModel(path.toStdString(), backendFor("cpu"));
        const auto weights = [](Model& m) {
            std::vector<float> s = m.snapshot();
            s.resize(std::size_t(m.values().numel()));  // trainable values (no buffers here)
            return s;
        };
        QVERIFY(weights(*loaded.model) == weights(*f[1].model));
        QVERIFY(weights(*loaded.model) != weights(*f[0].model));

        dialog.setFormat(ExportFormat::Onnx);
        dialog.setPath(dir.filePath("final.onnx"));
        dialog.setCheckpoint(0);
        QVERIFY(exportAndWait(dialog));
        QVERIFY2(dialog.resultText().contains("ONNX checker and strict shape inference: passed"),
                 qPrintable(dialog.resultText()));
        QVERIFY(QFileInfo::exists(dir.filePath("final.onnx")));
    }

    // The int8 format is offered when the caller hands over the run's data (it calibrates on it),
    // runs on a worker, and shows the accuracy before and after and both sizes.
    void dialogExportsInt8OnAWorker() {
        ProjectDocument doc = parseProject(R"({"name": "spiral int8",
            "data": {"source": "synthetic:spiral?samples=600&classes=3&seed=2",
                     "validation_split": 0.2, "test_split": 0.2},
            "model": {"output": "out", "nodes": [
                {"id": "input", "op": "Input"},
                {"id": "fc1", "op": "Dense", "params": {"units": 16}, "inputs": ["input"]},
                {"id": "act", "op": "ReLU", "inputs": ["fc1"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act"]}]},
            "training": {"device": "cpu", "threads": 2}})", "s.neurite.json", nullptr);
        RunSetup s = prepareRun(doc);
        ExportRequest req;
        req.checkpoints.push_back({"Final", exportSourceOf(s)});
        {
            ExportDialog without(req);  // no data: no int8 item
            QVERIFY(without.offersFormat(ExportFormat::Onnx));
            QVERIFY(!without.offersFormat(ExportFormat::OnnxInt8));
        }
        req.data = &s.data;
        ExportDialog dialog(req);
        QVERIFY(dialog.offersFormat(ExportFormat::OnnxInt8));
        auto* format = dialog.findChild<QComboBox*>();
        QVERIFY(format->itemText(format->findData(int(ExportFormat::OnnxInt8))).startsWith("ONNX int8"));

        QTemporaryDir dir;
        dialog.setFormat(ExportFormat::OnnxInt8);
        dialog.setCalibrationSamples(100);
        dialog.setPath(dir.filePath("spiral_int8.onnx"));
        QSignalSpy done(&dialog, &ExportDialog::exportFinished);
        QSignalSpy exported(&dialog, &ExportDialog::exported);
        QVERIFY(dialog.exportNow());
        QVERIFY(dialog.running());
        QVERIFY(!dialog.exportNow());  // one export at a time
        QVERIFY(done.wait(60000));
        QVERIFY(!dialog.running());
        QCOMPARE(exported.count(), 1);
        const QString text = dialog.resultText();
        QVERIFY2(text.contains("calibrated (minmax) on 100 training samples"), qPrintable(text));
        QVERIFY2(text.contains("accuracy on test split (120 samples): float"), qPrintable(text));
        QVERIFY2(text.contains("int8 ONNX " + QString::number(QFileInfo(dir.filePath("spiral_int8.onnx")).size()) + " bytes"),
                 qPrintable(text));
        QVERIFY2(text.contains("ONNX checker and strict shape inference: passed"), qPrintable(text));
    }

    // With the run's data, the dialog offers the PyTorch package: a folder with model.py, train.py,
    // data.py, the weights and the splits, written on the worker; a path that is a file is refused.
    void dialogExportsAPytorchPackage() {
        ProjectDocument doc = parseProject(R"({"name": "spiral torch",
            "data": {"source": "synthetic:spiral?samples=300&classes=3&seed=2", "validation_split": 0.2},
            "model": {"output": "out", "nodes": [
                {"id": "input", "op": "Input"},
                {"id": "fc1", "op": "Dense", "params": {"units": 8}, "inputs": ["input"]},
                {"id": "act", "op": "ReLU", "inputs": ["fc1"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act"]}]},
            "training": {"device": "cpu", "threads": 1}})", "t.neurite.json", nullptr);
        RunSetup s = prepareRun(doc);
        ExportRequest req;
        req.modelName = "spiral torch";
        req.checkpoints.push_back({"Final", exportSourceOf(s)});
        req.data = &s.data;
        ExportDialog dialog(req);
        QTemporaryDir dir;
        dialog.setPytorchFormat();
        auto* format = dialog.findChild<QComboBox*>();
        QVERIFY(format->currentText().startsWith("PyTorch package"));
        dialog.setPath(dir.filePath("spiral-pytorch"));
        QSignalSpy done(&dialog, &ExportDialog::exportFinished);
        QVERIFY(dialog.exportNow());
        QVERIFY(done.wait(60000));
        const QString text = dialog.resultText();
        QVERIFY2(text.contains("Exported the PyTorch package spiral-pytorch"), qPrintable(text));
        QVERIFY2(text.contains("data/: 240 training, 60 validation, 0 test samples"), qPrintable(text));
        for (const char* f : {"model.py", "train.py", "data.py", "config.json", "weights/fc1.weight.npy", "data/train_x.npy"})
            QVERIFY2(QFileInfo::exists(dir.filePath(QString("spiral-pytorch/") + f)), f);
        QFile file(dir.filePath("a_file"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        dialog.setPath(file.fileName());
        QVERIFY(!dialog.exportNow());
        QVERIFY2(dialog.resultText().contains("is a file; the PyTorch package is a folder"), qPrintable(dialog.resultText()));
    }

    void int8ExportCancels() {
        ProjectDocument doc = parseProject(R"({"name": "big",
            "data": {"source": "synthetic:spiral?samples=60000&classes=3&seed=2", "test_split": 0.5},
            "model": {"output": "out", "nodes": [
                {"id": "input", "op": "Input"},
                {"id": "fc1", "op": "Dense", "params": {"units": 256}, "inputs": ["input"]},
                {"id": "act", "op": "ReLU", "inputs": ["fc1"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act"]}]},
            "training": {"device": "cpu", "threads": 1}})", "b.neurite.json", nullptr);
        RunSetup s = prepareRun(doc);
        ExportRequest req;
        req.checkpoints.push_back({"Final", exportSourceOf(s)});
        req.data = &s.data;
        ExportDialog dialog(req);
        QTemporaryDir dir;
        dialog.setFormat(ExportFormat::OnnxInt8);
        dialog.setCalibrationSamples(20000);
        dialog.setPath(dir.filePath("big.onnx"));
        QSignalSpy done(&dialog, &ExportDialog::exportFinished);
        QVERIFY(dialog.exportNow());
        dialog.cancel();
        QVERIFY(done.wait(60000));
        QVERIFY2(dialog.resultText().contains("cancelled"), qPrintable(dialog.resultText()));
        QVERIFY(!QFileInfo::exists(dir.filePath("big.onnx")));
    }

    void dialogShowsWriteErrors() {
        auto f = fixtures({"mlp"});
        ExportRequest req;
        req.checkpoints.push_back({"Final", f[0].source()});
        ExportDialog dialog(req);
        QVERIFY(!dialog.checkpointChoiceVisible());
        dialog.setPath("/nonexistent-dir/m.onnx");
        QVERIFY(!exportAndWait(dialog));
        QVERIFY2(dialog.resultText().contains("cannot write /nonexistent-dir/m.onnx"),
                 qPrintable(dialog.resultText()));
    }

    // Choosing a format in the list suggests its name: the int8 model does not take the float
    // model's name, and switching back gives the plain name again.
    void formatSwitchSuggestsAMatchingName_data() {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("suggested");
        QTest::newRow("native") << "/tmp/my model.onnx" << int(ExportFormat::Native) << "/tmp/my model.nmodel";
        QTest::newRow("int8") << "/tmp/m.onnx" << int(ExportFormat::OnnxInt8) << "/tmp/m-int8.onnx";
        QTest::newRow("int8 to native") << "/tmp/m-int8.onnx" << int(ExportFormat::Native) << "/tmp/m.nmodel";
        QTest::newRow("int8 back to onnx") << "/tmp/m-int8.onnx" << int(ExportFormat::Onnx) << "/tmp/m.onnx";
        QTest::newRow("native to onnx") << "/tmp/m.nmodel" << int(ExportFormat::Onnx) << "/tmp/m.onnx";
    }

    void formatSwitchSuggestsAMatchingName() {
        QFETCH(QString, typed);
        QFETCH(int, format);
        QFETCH(QString, suggested);
        auto f = fixtures({"mlp"});
        Dataset data;  // offers the int8 format; it is read only when int8 is exported
        ExportRequest req;
        req.checkpoints.push_back({"Final", f[0].source()});
        req.data = &data;
        ExportDialog dialog(req);
        auto* path = dialog.findChild<QLineEdit*>();
        auto* formats = dialog.findChild<QComboBox*>();
        // The typed name's own format first, so the switch below is the user's.
        const int from = typed.endsWith("-int8.onnx") ? int(ExportFormat::OnnxInt8)
                         : typed.endsWith(".nmodel")  ? int(ExportFormat::Native)
                                                      : int(ExportFormat::Onnx);
        formats->setCurrentIndex(formats->findData(from));
        path->selectAll();
        QTest::keyClicks(path, typed);
        QCOMPARE(path->text(), typed);
        const int target = formats->findData(format);
        formats->setFocus();
        const Qt::Key key = target > formats->currentIndex() ? Qt::Key_Down : Qt::Key_Up;
        while (formats->currentIndex() != target) QTest::keyClick(formats, key);
        QCOMPARE(path->text(), suggested);
    }

    // Whatever was typed, the file written has the format's extension.
    void exportWritesTheNameTheFormatNeeds_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("written");
        QTest::newRow("native typed .onnx") << int(ExportFormat::Native) << "m.onnx" << "m.nmodel";
        QTest::newRow("native without suffix") << int(ExportFormat::Native) << "m" << "m.nmodel";
        QTest::newRow("onnx typed .nmodel") << int(ExportFormat::Onnx) << "m.nmodel" << "m.onnx";
        QTest::newRow("onnx without suffix") << int(ExportFormat::Onnx) << "model v2" << "model v2.onnx";
        QTest::newRow("onnx upper case") << int(ExportFormat::Onnx) << "M.ONNX" << "M.ONNX";
    }

    void exportWritesTheNameTheFormatNeeds() {
        QFETCH(int, format);
        QFETCH(QString, typed);
        QFETCH(QString, written);
        auto f = fixtures({"mlp"});
        ExportRequest req;
        req.checkpoints.push_back({"Final", f[0].source()});
        ExportDialog dialog(req);
        QTemporaryDir dir;
        dialog.setFormat(static_cast<ExportFormat>(format));
        auto* path = dialog.findChild<QLineEdit*>();
        path->selectAll();
        QTest::keyClicks(path, dir.filePath(typed));
        QVERIFY2(exportAndWait(dialog), qPrintable(dialog.resultText()));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{written});
        QCOMPARE(path->text(), dir.filePath(written));  // the dialog shows what it wrote
        if (format == int(ExportFormat::Native))
            QVERIFY(loadNativeModel(dir.filePath(written).toStdString(), backendFor("cpu")).model);
    }

    void existingFileIsReplacedOnlyWhenConfirmed() {
        auto f = fixtures({"mlp"});
        ExportRequest req;
        req.checkpoints.push_back({"Final", f[0].source()});
        ExportDialog dialog(req);
        QTemporaryDir dir;
        const QString target = dir.filePath("m.onnx");
        QFile existing(target);
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("keep me");
        existing.close();
        QStringList asked;
        bool replace = false;
        dialog.setOverwriteConfirmation([&](const QString& p) {
            asked << p;
            return replace;
        });
        dialog.setPath(target);
        QVERIFY(!exportAndWait(dialog));
        QCOMPARE(asked, QStringList{target});
        QVERIFY2(dialog.resultText().contains("already exists and was kept"), qPrintable(dialog.resultText()));
        QVERIFY(existing.open(QIODevice::ReadOnly));
        QCOMPARE(existing.readAll(), QByteArray("keep me"));
        existing.close();
        replace = true;
        QVERIFY(exportAndWait(dialog));
        QCOMPARE(asked.size(), 2);
        QVERIFY(QFileInfo(target).size() > 100);
        dialog.setPath(dir.filePath("new.onnx"));
        QVERIFY(exportAndWait(dialog));
        QCOMPARE(asked.size(), 2);  // a new file is written without asking
    }

    void tryItPredictsTypedRowsAndImages() {
        auto f = fixtures({"mlp", "cnn"});
        QTemporaryDir dir;
        const QString tabular = dir.filePath("t.nmodel"), image = dir.filePath("i.nmodel");
        saveNativeModel(f[0].source(), tabular.toStdString());
        saveNativeModel(f[1].source(), image.toStdString());

        TryItPanel panel;
        QVERIFY(!panel.predictRow("1,2,3,4,5,6"));  // no model yet: nothing happens
        QVERIFY(loadAndWait(panel, tabular));
        QVERIFY(panel.predictRow("0.5, -1, 2, 0, 3.25, 1"));
        QVERIFY(settle(panel));
        const std::vector<float> row{0.5f, -1.f, 2.f, 0.f, 3.25f, 1.f};
        Predictor p(*f[0].model, f[0].preprocessing, 1);
        const std::vector<float> expected = probabilitiesOf(p.outputs(row.data(), 1), p.units());
        QCOMPARE(panel.bars().values().size(), expected.size());
        QVERIFY(std::memcmp(panel.bars().values().data(), expected.data(), expected.size() * 4) == 0);
        QCOMPARE(panel.bars().names().front(), QString("class 0"));
        QVERIFY(panel.predictionText().startsWith("Predicted: class "));
        panel.resize(400, 300);
        QVERIFY(!panel.grab().isNull());  // paints the bars

        QVERIFY(!panel.predictRow("1,2,3"));
        QVERIFY2(panel.errorText().contains("expects samples of shape [6]"), qPrintable(panel.errorText()));
        QVERIFY(panel.bars().values().empty());

        // A broken file keeps the loaded model.
        QFile junk(dir.filePath("junk.nmodel"));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":", 13);
        junk.close();
        QVERIFY(!loadAndWait(panel, junk.fileName()));
        QVERIFY(!panel.errorText().isEmpty());
        QVERIFY(panel.hasModel());
        QVERIFY(panel.predictRow("1,2,3,4,5,6"));
        QVERIFY(settle(panel));

        // An RGB image for the [3,7,7] model.
        QVERIFY(loadAndWait(panel, image));
        QImage img(7, 7, QImage::Format_RGB888);
        std::vector<float> chw(3 * 49);
        for (int y = 0; y < 7; ++y)
            for (int x = 0; x < 7; ++x) {
                const int r = 30 * x, g = 20 * y, b = 255 - 10 * (x + y);
                img.setPixel(x, y, qRgb(r, g, b));
                chw[std::size_t(y * 7 + x)] = float(r);
                chw[std::size_t(49 + y * 7 + x)] = float(g);
                chw[std::size_t(98 + y * 7 + x)] = float(b);
            }
        const QString png = dir.filePath("sample.png");
        QVERIFY(img.save(png));
        QVERIFY2(panel.predictImage(png), qPrintable(panel.errorText()));
        QVERIFY(settle(panel));
        Predictor pi(*f[1].model, f[1].preprocessing, 1);
        const std::vector<float> expectedImage = probabilitiesOf(pi.outputs(chw.data(), 1), pi.units());
        QVERIFY(std::memcmp(panel.bars().values().data(), expectedImage.data(), expectedImage.size() * 4) == 0);
    }
};

QTEST_MAIN(TestExportWidgets)
#include "test_export_widgets.moc"
