// The studio's transfer-learning flow, driven as a user would: File > Import ONNX Model... (the
// prompts answered), the imported project opened with its weights named; Edit > Freeze Layers
// and the inspector's Trainable box (undoable, saved in the file, tagged on the canvas); Edit >
// Replace Head from Here... (a new Dense head, the layers kept frozen); Start from (the
// training settings) sets and clears model.weights; a file that cannot be imported is refused
// with its error and leaves the open project alone.
#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <optional>

#include "designer/designer_widget.h"
#include "designer/graph_edits.h"
#include "designer/graph_model.h"
#include "designer/inspector.h"
#include "export/onnx_compare.h"
#include "export/onnx_import.h"
#include "io/project.h"
#include "main_window.h"
#include "project_files.h"
#include "support/skip_missing.h"
#include "support/test_env.h"
#include "training/training_settings.h"

using namespace neurite;

namespace {

QAction* menuAction(MainWindow& w, const QString& objectName) {
    for (QAction* a : w.findChildren<QAction*>())
        if (a->objectName() == objectName) return a;
    return nullptr;
}

}  // namespace

class TestTransferUi : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_transfer_ui");
        QSettings().clear();
        if (!QFileInfo::exists("/usr/bin/python3")) NEURITE_SKIP_MISSING("no /usr/bin/python3 (install python3-torch)");
        QProcess run;
        run.setProcessChannelMode(QProcess::MergedChannels);
        run.start("/usr/bin/python3", {QString::fromStdString(test::sourceDir()) + "/tests/support/onnx_import_models.py", m_models.path()});
        QVERIFY2(run.waitForFinished(600000), "onnx_import_models.py timed out");
        if (run.exitCode() != 0) NEURITE_SKIP_MISSING(qPrintable("onnx_import_models.py failed (python3-torch, python3-onnx):\n" + run.readAll()));
    }

    void importFreezeReplaceHead() {
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QTemporaryDir out;
        const QString project = out.filePath("cnn.neurite.json");
        QString asked, reported;
        ImportPrompts prompts;
        prompts.chooseModel = [&] { return m_models.filePath("cnn_bn_kept.onnx"); };
        prompts.askData = [&](const QString& question, const QString&) {
            asked = question;
            return QStringLiteral("images:%1?size=16").arg(out.path());
        };
        QString suggested;
        prompts.chooseProject = [&](const QString& suggestion) {
            suggested = suggestion;
            return project;
        };
        prompts.report = [&](const ImportedModel& m, const QString&) { reported = QString::fromStdString(m.report.summary()); };
        w.setImportPrompts(prompts);
        QAction* import = menuAction(w, "importOnnx");
        QVERIFY(import);
        import->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!reported.isEmpty(), 60000);
        QVERIFY2(asked.contains("[3,16,16]") && asked.contains("fits none of the bundled"), qPrintable(asked));
        QVERIFY2(reported.contains("mapped to layers"), qPrintable(reported));
        QVERIFY2(suggested.endsWith("cnn_bn_kept.neurite.json"), qPrintable(suggested));  // beside the model
        QCOMPARE(w.files()->path(), QFileInfo(project).absoluteFilePath());
        auto* description = w.findChild<QLabel*>("projectDescription");  // the Summary tab says what the import did
        QVERIFY(description && description->text().contains("mapped to layers") && description->text().contains("dropped"));
        QCOMPARE(QString::fromStdString(w.model()->document().weights), QString("cnn.weights.safetensors"));
        QVERIFY(QFileInfo::exists(out.filePath("cnn.weights.safetensors")));
        auto* settings = w.findChild<TrainingSettings*>();
        QVERIFY(settings);
        QCOMPARE(settings->findChild<QLabel*>("startingWeights")->text(), QString("cnn.weights.safetensors"));

        // Freeze conv1 by the inspector's box; undo and redo it
        DesignerWidget* designer = w.designer();
        const QString conv1 = "conv1";
        QVERIFY(w.model()->node(conv1));
        designer->selectNode(conv1);
        auto* inspector = w.findChild<Inspector*>();
        QVERIFY(inspector);
        auto* trainable = inspector->findChild<QCheckBox*>("trainable");
        QVERIFY(trainable && trainable->isChecked());
        QTest::mouseClick(trainable, Qt::LeftButton);
        QVERIFY(!w.model()->node(conv1)->trainable);
        w.undoStack()->undo();
        QVERIFY(w.model()->node(conv1)->trainable);
        QVERIFY(trainable->isChecked());
        w.undoStack()->redo();
        QVERIFY(!trainable->isChecked());
        // a layer without weights has no box
        for (const Node& n : w.model()->nodes())
            if (n.op == "ReLU") designer->selectNode(QString::fromStdString(n.id));
        QVERIFY(!inspector->findChild<QCheckBox*>("trainable"));

        // Replace the head from the last Dense: a new head of 4 outputs, the rest frozen
        std::string last;
        for (const Node& n : w.model()->nodes())
            if (n.op == "Dense") last = n.id;
        designer->selectNode(QString::fromStdString(last));
        designer->setHeadPrompt([](const QString&) { return DesignerWidget::HeadChoice{4, true}; });
        QVERIFY(designer->actions().replaceHead->isEnabled());
        designer->actions().replaceHead->trigger();
        const std::string output = w.model()->document().output;
        QCOMPARE(QString::fromStdString(output), QString("head"));
        const Node* head = w.model()->node("head");
        QVERIFY(head && head->trainable);
        QCOMPARE(std::get<int64_t>(head->params.at("units")), int64_t(4));
        QVERIFY(!w.model()->node(QString::fromStdString(last)));
        int withWeights = 0;
        for (const Node& n : w.model()->nodes()) {
            if (n.id == "head") continue;
            QVERIFY2(n.trainable != edits::hasParameters(n), n.id.c_str());  // frozen: the layers with weights only
            withWeights += edits::hasParameters(n) ? 1 : 0;
        }
        QCOMPARE(withWeights, 4);  // conv1, bn1, conv2, bn2
        QVERIFY2(w.model()->resolved().ok(), w.model()->resolved().firstError().c_str());
        // Edit > Unfreeze on a selection of frozen layers, then Freeze again
        designer->selectNode("conv1");
        QCOMPARE(designer->actions().freeze->text(), QString("Un&freeze Layers"));
        designer->actions().freeze->trigger();
        QVERIFY(w.model()->node("conv1")->trainable);
        QCOMPARE(designer->actions().freeze->text(), QString("&Freeze Layers"));
        // saved: the flags and the head are in the file
        QVERIFY(w.files()->save());
        std::vector<std::string> warnings;
        const ProjectDocument saved = loadProject(project.toStdString(), &warnings);
        int frozen = 0;
        for (const Node& n : saved.nodes) frozen += n.trainable ? 0 : 1;
        QCOMPARE(frozen, 3);  // bn1, conv2, bn2
        QCOMPARE(QString::fromStdString(saved.weights), QString("cnn.weights.safetensors"));

        // Start from: cleared, then chosen again (kept relative to the project's folder)
        settings->findChild<QPushButton*>("clearWeights")->click();
        QVERIFY(w.model()->document().weights.empty());
        QCOMPARE(settings->findChild<QLabel*>("startingWeights")->text(), QString("the layers' initializers"));
        settings->setWeightsChooser([&] { return out.filePath("cnn.weights.safetensors"); });
        settings->findChild<QPushButton*>("chooseWeights")->click();
        QCOMPARE(QString::fromStdString(w.model()->document().weights), QString("cnn.weights.safetensors"));
        w.undoStack()->undo();
        QVERIFY(w.model()->document().weights.empty());
    }

    // A model whose input dimensions the file leaves open: the shape is asked, then the import goes on.
    void asksTheInputShape() {
        MainWindow w;
        QTemporaryDir out;
        QString question, reported;
        ImportPrompts prompts;
        prompts.chooseModel = [&] { return m_models.filePath("symbolic_input.onnx"); };
        prompts.askInputShape = [&](const QString& q) {
            question = q;
            return QStringLiteral("4");
        };
        prompts.askData = [](const QString&, const QString&) { return QStringLiteral("builtin:iris"); };
        prompts.chooseProject = [&](const QString&) { return out.filePath("sym.neurite.json"); };
        prompts.report = [&](const ImportedModel& m, const QString&) { reported = QString::fromStdString(m.report.summary()); };
        w.setImportPrompts(prompts);
        menuAction(w, "importOnnx")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!reported.isEmpty(), 60000);
        QVERIFY2(question.contains("\"x\" leaves its dimensions open"), qPrintable(question));
        const Node* input = w.model()->node("x");
        QVERIFY(input);
        QCOMPARE(std::get<std::vector<int64_t>>(input->params.at("shape")), std::vector<int64_t>{4});
        // File > Compare with Original ONNX...: the open project against the file, on iris's test split
        QString folder;
        std::optional<OnnxComparison> result;
        prompts.chooseOriginal = [&](const QString& f) {
            folder = f;
            return m_models.filePath("symbolic_input.onnx");
        };
        prompts.compared = [&](const OnnxComparison& c) { result = c; };
        w.setImportPrompts(prompts);
        menuAction(w, "compareOnnx")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(result.has_value(), 60000);
        QCOMPARE(QDir(folder).canonicalPath(), QDir(out.path()).canonicalPath());  // starts in the project's folder
        QVERIFY2(result->agrees() && result->samples > 0 && result->sameClass == result->samples,
                 result->summary().c_str());
        QCOMPARE(result->split, std::string("validation"));  // iris holds out a validation split only
    }

    // A file that is not a model: the error is shown, the open project stays.
    void refusedImportKeepsTheProject() {
        MainWindow w;
        QVERIFY(w.openProject(QString::fromStdString(test::sourceDir()) + "/resources/examples/iris.neurite.json"));
        const std::string before = projectToJson(w.model()->document());
        ImportPrompts prompts;
        prompts.chooseModel = [&] { return m_models.filePath("unsupported.onnx"); };
        bool asked = false;
        prompts.askData = [&](const QString&, const QString&) {
            asked = true;
            return QString();
        };
        prompts.chooseProject = [](const QString&) { return QString(); };
        prompts.report = [](const ImportedModel&, const QString&) {};
        w.setImportPrompts(prompts);
        QString shown;
        QTimer timer;
        connect(&timer, &QTimer::timeout, [&] {
            for (QWidget* top : QApplication::topLevelWidgets())
                if (auto* box = qobject_cast<QMessageBox*>(top); box && box->isVisible()) {
                    shown = box->text() + "\n" + box->informativeText() + "\n" + box->detailedText();
                    box->accept();
                }
        });
        timer.start(50);
        menuAction(w, "importOnnx")->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 60000);
        QVERIFY2(shown.contains("Hardmax node 'hard1'"), qPrintable(shown));
        QVERIFY(!asked);
        QCOMPARE(projectToJson(w.model()->document()), before);
    }

private:
    QTemporaryDir m_models;
};

QTEST_MAIN(TestTransferUi)
#include "test_transfer_ui.moc"
