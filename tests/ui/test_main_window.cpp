// The studio window end to end: opening an example binds "auto" sizes from the data (summary
// table), a broken file shows the parser's message and keeps the open project, save then load
// gives the same document, unsaved changes are asked about, and autosaved work comes back after
// a crash.
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTextBrowser>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "data_probe.h"
#include "designer/designer_widget.h"
#include "deploy/try_it_panel.h"
#include "designer/graph_commands.h"
#include "designer/graph_edits.h"
#include "designer/graph_model.h"
#include "designer/inspector.h"
#include "designer/model_views.h"
#include "designer/problems_panel.h"
#include "designer/summary_model.h"
#include "main_window.h"
#include "welcome/user_guide.h"
#include "project_files.h"
#include "runs/runs_panel.h"
#include "runs/runs_table_model.h"
#include "training/data_view.h"
#include "training/training_panel.h"
#include "decision_plot.h"
#include "training/training_settings.h"
#include "support/test_env.h"

using namespace neurite;

namespace {

QString example(const char* name) {
    return QString::fromStdString(test::sourceDir()) + "/resources/examples/" + name;
}

void editSomething(MainWindow& w) {
    GraphModel* m = w.model();
    w.undoStack()->push(new EditGraphCommand(m, "edit", stateOf(*m),
                                             edits::withNodeInserted(stateOf(*m), makeNode("", "ReLU"), "")));
}

}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_main_window");
        QSettings().clear();
    }

    // Before any run, the Training tab shows the project's data: the spiral's training points on
    // the map (no decision yet) and its classes; after a run starts the run's own data replaces
    // it, and a new project's data replaces the old preview.
    void trainingTabPreviewsTheDataBeforeARun() {
        MainWindow w;
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        QVERIFY(w.openProject(example("spiral.neurite.json")));
        QTRY_VERIFY_WITH_TIMEOUT(w.trainingPanel()->decisionPlot()->pointCount() > 0, 60000);
        QCOMPARE(w.trainingPanel()->decisionPlot()->pointCount(), 1050);  // the training split
        QVERIFY(w.trainingPanel()->decisionPlot()->gridImage().isNull());   // nothing trained yet
        QCOMPARE(w.trainingPanel()->dataView()->classTable()->rowCount(), 3);
        QVERIFY(w.openProject(example("iris.neurite.json")));
        QTRY_VERIFY_WITH_TIMEOUT(w.trainingPanel()->dataView()->summaryText().contains("builtin:iris"), 60000);
        QCOMPARE(w.trainingPanel()->decisionPlot()->pointCount(), 0);  // four features: no map
        QVERIFY(!w.trainingPanel()->decisionPlot()->isVisible());
    }

    // New Project is a project that trains as it is: 2-D data and an output layer, no problems.
    // The Start page's title names no project; the tabs keep their place when the docks go.
    void newProjectTrainsAndStartPageIsNeutral() {
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.newProject();
        QCOMPARE(w.model()->nodes().size(), std::size_t(2));
        // Once the data is loaded (the probe runs off the GUI thread), "auto" binds: no errors.
        QTRY_VERIFY_WITH_TIMEOUT(w.model()->resolved().ok(), 30000);
        QVERIFY(w.windowTitle().contains("Untitled"));
        auto* strip = w.findChild<QTabBar*>("WorkspaceTabs");
        QVERIFY(strip);
        const QPoint designerTab = strip->mapTo(&w, strip->tabRect(strip->currentIndex()).center());
        w.showWelcome();
        QCOMPARE(w.windowTitle(), QString("Neurite"));
        QCOMPARE(strip->currentIndex(), 0);
        // Back to the Designer by the strip: it is where it was although the docks came back.
        QTest::mouseClick(strip, Qt::LeftButton, {}, strip->mapFrom(&w, designerTab));
        QVERIFY(w.windowTitle().contains("Untitled"));
        QCOMPARE(strip->mapTo(&w, strip->tabRect(strip->currentIndex()).center()), designerTab);
    }

    // Help > User Guide (F1) shows docs/user-guide.md offline, and the guide's table of tabs
    // names exactly the studio's tabs, in order.
    void userGuideOpensAndNamesTheTabs() {
        MainWindow w;
        QAction* action = nullptr;
        for (QAction* a : w.findChildren<QAction*>())
            if (a->shortcut() == QKeySequence(QKeySequence::HelpContents)) action = a;
        QVERIFY(action);
        action->trigger();
        QVERIFY(w.userGuide() && w.userGuide()->isVisible());
        const QString shown = w.userGuide()->browser()->toPlainText();
        QVERIFY2(shown.contains("A first model in two minutes"), qPrintable(shown.left(200)));
        QStringList guideTabs;
        const QString text = UserGuideDialog::text();
        const qsizetype start = text.indexOf("| Tab | What it is for |");
        QVERIFY(start >= 0);
        for (const QString& line : text.mid(start).split('\n').mid(2)) {
            if (!line.startsWith("| ")) break;
            guideTabs << line.section('|', 1, 1).trimmed();
        }
        auto* strip = w.findChild<QTabBar*>("WorkspaceTabs");
        QStringList tabs;
        for (int i = 0; i < strip->count(); ++i) tabs << strip->tabText(i);
        QCOMPARE(guideTabs, tabs);
    }

    void opensExampleAndSurvivesBrokenFile() {
        MainWindow w;
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        QVERIFY(w.openProject(example("fashion_cnn.neurite.json")));
        QCOMPARE(w.model()->nodes().size(), std::size_t(11));
        QVERIFY(analysed.wait(60000));
        auto* summary = w.findChild<SummaryView*>();
        QVERIFY(summary);
        SummaryModel* table = summary->summary();
        QCOMPARE(table->rowCount(), 12);  // 11 layers and the total
        QCOMPARE(table->index(1, SummaryModel::Type).data().toString(), QString("Conv2D"));
        QCOMPARE(table->index(1, SummaryModel::Shape).data().toString(), QString("[N,32,28,28]"));
        QCOMPARE(table->index(1, SummaryModel::Params).data().toString(), QLocale().toString(320));
        QCOMPARE(w.model()->shapeOf("input"), QString("[N,1,28,28]"));  // "auto" from the data
        QVERIFY(w.model()->resolved().ok());
        QCOMPARE(w.files()->recentFiles().front(), example("fashion_cnn.neurite.json"));

        const std::string before = projectToJson(w.model()->document());
        QTemporaryDir dir;
        QFile bad(dir.filePath("bad.neurite.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{ \"format\": \"neurite-project\",\n  \"data\": {}\n}");
        bad.close();
        QVERIFY(!w.openProject(bad.fileName()));
        auto* box = w.findChild<QMessageBox*>();
        QVERIFY(box);
        QVERIFY2(box->text().contains("bad.neurite.json") && box->text().contains("$.data.source"),
                 qPrintable(box->text()));
        QCOMPARE(projectToJson(w.model()->document()), before);
        QCOMPARE(w.files()->path(), example("fashion_cnn.neurite.json"));
    }

    void invalidGraphShowsProblemInPanel() {
        MainWindow w;
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        QVERIFY(w.openProject(example("fashion_cnn.neurite.json")));
        QVERIFY(analysed.wait(60000));
        GraphModel* m = w.model();
        w.undoStack()->push(new EditGraphCommand(m, "delete", stateOf(*m),
                                                 edits::withoutNodes(stateOf(*m), {"flatten"})));
        auto* problems = w.findChild<ProblemsPanel*>();
        QCOMPARE(problems->list()->count(), 1);
        QVERIFY(problems->list()->item(0)->text().startsWith("fc1: expects 2-D input"));
        problems->list()->setCurrentRow(0);
        QVERIFY(problems->fixButton()->isEnabled());
        problems->fixButton()->click();
        QVERIFY(m->resolved().ok());
        QCOMPARE(m->node("fc1")->inputs, std::vector<std::string>{"flatten"});
    }

    void inspectorEditIsOneUndoStep() {
        MainWindow w;
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        QVERIFY(w.openProject(example("fashion_cnn.neurite.json")));
        QVERIFY(analysed.wait(60000));
        w.designer()->selectNode("conv2");
        auto* inspector = w.findChild<Inspector*>();
        QCOMPARE(inspector->nodeId(), QString("conv2"));
        auto* filters = qobject_cast<QSpinBox*>(inspector->editor("filters"));
        QVERIFY(filters);
        QCOMPARE(filters->value(), 64);
        QCOMPARE(filters->minimum(), 1);
        filters->setValue(8);
        QCOMPARE(w.undoStack()->count(), 1);
        QCOMPARE(w.model()->shapeOf("pool2"), QString("[N,8,7,7]"));
        QVERIFY(w.isWindowModified());
        w.undoStack()->undo();
        QCOMPARE(filters->value(), 64);
        QCOMPARE(w.model()->shapeOf("pool2"), QString("[N,64,7,7]"));
    }

    // LSTM's merge applies only to a bidirectional layer: greyed out until bidirectional is on.
    void parameterThatDependsOnAnotherIsGreyedOut() {
        MainWindow w;
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        QVERIFY(w.openProject(example("fashion_rows_lstm.neurite.json")));
        QVERIFY(analysed.wait(60000));
        w.designer()->selectNode("lstm");
        auto* inspector = w.findChild<Inspector*>();
        QWidget* merge = inspector->editor("merge");
        auto* bidirectional = qobject_cast<QCheckBox*>(inspector->editor("bidirectional"));
        QVERIFY(merge && bidirectional);
        QVERIFY(!merge->isEnabled());
        bidirectional->click();
        QVERIFY(std::get<bool>(w.model()->node("lstm")->params.at("bidirectional")));
        QVERIFY(inspector->editor("merge")->isEnabled());
        QCOMPARE(w.model()->shapeOf("lstm"), QString("[N,128]"));  // concat: two directions of 64
        w.undoStack()->undo();
        QVERIFY(!inspector->editor("merge")->isEnabled());
    }

    void renameInInspectorFollowsReferences() {
        MainWindow w;
        QVERIFY(w.openProject(example("spiral.neurite.json")));
        w.designer()->selectNode("fc1");
        auto* inspector = w.findChild<Inspector*>();
        auto* name = inspector->findChild<QLineEdit*>("layerName");
        QVERIFY(name);
        QCOMPARE(name->text(), QString("fc1"));
        name->setText("hidden");
        emit name->editingFinished();
        QVERIFY(!w.model()->node("fc1"));
        QCOMPARE(w.model()->node("relu1")->inputs, std::vector<std::string>{"hidden"});
        QCOMPARE(w.designer()->selectedIds(), QStringList({"hidden"}));
        QCOMPARE(inspector->nodeId(), QString("hidden"));
        name = inspector->findChild<QLineEdit*>("layerName");
        name->setText("relu1");  // taken: refused, nothing changes
        emit name->editingFinished();
        QCOMPARE(w.undoStack()->count(), 1);
        QCOMPARE(name->text(), QString("hidden"));
        w.undoStack()->undo();
        QCOMPARE(w.model()->node("relu1")->inputs, std::vector<std::string>{"fc1"});
    }

    // File > Open Project asks for a path, starting in the bundled examples, and opens it.
    void openProjectActionAsksForAPath() {
        MainWindow w;
        QString askedFor;
        w.files()->setPathChooser([&](bool forSave) {
            askedFor = forSave ? "save" : "open";
            return example("spiral.neurite.json");
        });
        QAction* open = nullptr;
        for (QAction* a : w.findChildren<QAction*>())
            if (a->shortcut() == QKeySequence(QKeySequence::Open)) open = a;
        QVERIFY(open);
        open->trigger();
        QCOMPARE(askedFor, QString("open"));
        QCOMPARE(w.files()->path(), example("spiral.neurite.json"));
    }

    void saveThenLoadGivesSameDocument() {
        MainWindow w;
        QVERIFY(w.openProject(example("fashion_cnn.neurite.json")));
        editSomething(w);
        QVERIFY(w.files()->isModified());
        QTemporaryDir dir;
        const QString path = dir.filePath("copy.neurite.json");
        QVERIFY(w.files()->saveTo(path));
        QVERIFY(!w.files()->isModified());
        const ProjectDocument back = loadProject(path.toStdString(), nullptr);
        QCOMPARE(projectToJson(back), projectToJson(w.model()->document()));
        QVERIFY(w.model()->node("relu"));
        QCOMPARE(w.files()->path(), path);
    }

    void unsavedChangesAreAskedAbout() {
        MainWindow w;
        QVERIFY(w.openProject(example("spiral.neurite.json")));
        editSomething(w);
        int asked = 0;
        w.files()->setPrompt([&](const QString&) {
            ++asked;
            return ProjectFiles::Answer::Cancel;
        });
        QVERIFY(!w.openProject(example("fashion_mlp.neurite.json")));
        QCOMPARE(asked, 1);
        QVERIFY(w.model()->node("relu"));  // the edit is still there
        w.files()->setPrompt([&](const QString&) {
            ++asked;
            return ProjectFiles::Answer::Discard;
        });
        QVERIFY(w.openProject(example("fashion_mlp.neurite.json")));
        QCOMPARE(asked, 2);
        QVERIFY(!w.files()->isModified());
    }

    void autosaveRestoresWorkAfterCrash() {
        QTemporaryDir dir;
        std::string edited;
        {
            MainWindow w;
            w.files()->setAutosaveDirectory(dir.path());
            QVERIFY(w.openProject(example("spiral.neurite.json")));
            editSomething(w);
            w.files()->autosaveNow();
            edited = projectToJson(w.model()->document());
            // The window is destroyed without closeEvent: as if the process had died.
        }
        MainWindow w;
        w.files()->setAutosaveDirectory(dir.path());
        QString question;
        w.files()->setRestorePrompt([&](const QString& q) {
            question = q;
            return true;
        });
        QVERIFY(w.files()->offerRestore());
        QVERIFY(question.contains("spiral.neurite.json"));
        QCOMPARE(projectToJson(w.model()->document()), edited);
        QVERIFY(w.files()->isModified());
        QCOMPARE(w.files()->path(), example("spiral.neurite.json"));
    }

    // The whole loop from the window: train the open project, the run is recorded, and the runs
    // tab lists it as completed; an invalid graph is refused with its problem.
    void trainsFromTheWindowAndRecordsTheRun() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openRunStore(dir.filePath("runs.db")));
        QVERIFY(w.openProject(example("spiral.neurite.json")));
        ProjectDocument doc = w.model()->document();
        QSignalSpy finished(w.trainingPanel(), &TrainingPanel::runFinished);
        // Fewer epochs than the example's 40 keep the test short.
        doc.training.epochs = 2;
        w.files()->newProject(doc);
        w.startTraining();
        QVERIFY2(finished.wait(60000), qPrintable(w.trainingPanel()->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(!w.trainingPanel()->controller().running(), test::kSlowWaitMs);
        QCOMPARE(w.runsPanel()->model()->rowCount(), 1);
        const storage::RunSummary* run = w.runsPanel()->model()->runAt(0);
        QCOMPARE(run->status, std::string("completed"));
        QCOMPARE(run->epochsDone, 2);
        QVERIFY(run->testAccuracy.has_value());
        QVERIFY(w.trainingPanel()->exportAction()->isEnabled());  // the recorded run can be exported
        // ... and tried at once: Try it opens on the run's model, no export needed.
        QVERIFY(w.trainingPanel()->tryItAction()->isEnabled());
        QSignalSpy loaded(w.tryItPanel(), &TryItPanel::modelLoaded);
        w.trainingPanel()->tryItAction()->trigger();
        QCOMPARE(w.findChild<QTabWidget*>()->currentWidget(), static_cast<QWidget*>(w.tryItPanel()));
        QVERIFY(loaded.wait(60000));
        QVERIFY2(w.tryItPanel()->modelText().startsWith("Run #1 "), qPrintable(w.tryItPanel()->modelText()));

        // A Dense layer with no input: the graph has an error now.
        w.model()->setNodes({makeNode("input", "Input"), makeNode("fc", "Dense")}, "");
        QSignalSpy failed(w.trainingPanel(), &TrainingPanel::runFailed);
        w.startTraining();
        QVERIFY(failed.wait(60000));
        QVERIFY2(w.trainingPanel()->statusText().contains("fc"), qPrintable(w.trainingPanel()->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(!w.trainingPanel()->controller().running(), test::kSlowWaitMs);
        QCOMPARE(w.runsPanel()->model()->rowCount(), 1);  // a run that never started is not recorded
    }

    void settingsEditsAreUndoableAndSaved() {
        MainWindow w;
        QVERIFY(w.openProject(example("spiral.neurite.json")));
        auto* settings = w.findChild<TrainingSettings*>();
        QVERIFY(settings);
        QCOMPARE(settings->epochsEditor()->value(), 40);
        const int before = w.undoStack()->count();
        settings->epochsEditor()->setValue(39);
        settings->epochsEditor()->setValue(5);  // stepping one field is one undo step
        QCOMPARE(w.model()->document().training.epochs, 5);
        QCOMPARE(w.undoStack()->count(), before + 1);
        QVERIFY(w.files()->isModified());
        settings->lrEditor()->setValue(0.005);
        QCOMPARE(w.model()->document().training.optimizer.lr, 0.005f);
        QCOMPARE(w.undoStack()->count(), before + 2);
        w.undoStack()->undo();
        w.undoStack()->undo();
        QCOMPARE(w.model()->document().training.epochs, 40);
        QCOMPARE(settings->epochsEditor()->value(), 40);  // the editor follows the document
        QCOMPARE(settings->deviceEditor()->itemData(0).toString(), QString("auto"));
        QVERIFY(settings->deviceEditor()->findData("cpu") > 0);
        settings->sourceEditor()->setText("synthetic:moons?samples=400");
        emit settings->sourceEditor()->editingFinished();
        QCOMPARE(w.model()->document().data.source, std::string("synthetic:moons?samples=400"));
        settings->balanceEditor()->setCurrentIndex(settings->balanceEditor()->findData("smote"));
        emit settings->balanceEditor()->activated(settings->balanceEditor()->currentIndex());
        QCOMPARE(w.model()->document().data.balance, std::string("smote"));
        settings->rotationEditor()->setValue(15);
        QCOMPARE(w.model()->document().data.augment.rotation, 15.f);
        w.undoStack()->undo();
        QCOMPARE(settings->rotationEditor()->value(), 0.0);
    }

    void unusableRunStoreStillTrains() {
        QTemporaryDir dir;
        QFile bad(dir.filePath("bad.db"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(QByteArray(4096, 'x'));
        bad.close();
        MainWindow w;
        QVERIFY(!w.openRunStore(bad.fileName()));
        QVERIFY(w.trainingPanel()->controller().storePath().isEmpty());
        QVERIFY(!w.openRunStore(QString()));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
