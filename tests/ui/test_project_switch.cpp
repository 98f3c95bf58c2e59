// Opening or creating a project leaves nothing of the previous one in the Training tab: no
// curves, confusion matrix, ROC curves, decision map or its legend, status text, ETA, zoomed
// axes, or Export target (issue 16, defects 4, 5, 6). A run still going when the project
// changes is stopped and its last updates never reach the new project's plots. The second
// project's legend names its own classes only, and its accuracy axis spans 0..1.
#include <QAction>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include "confusion_plot.h"
#include "curve_plot.h"
#include "decision_plot.h"
#include "designer/graph_model.h"
#include "main_window.h"
#include "project_files.h"
#include "roc_plot.h"
#include "support/test_env.h"
#include "training/data_view.h"
#include "training/training_panel.h"

using namespace neurite;

namespace {

ProjectDocument spiral(int epochs, const std::string& source = "synthetic:spiral?samples=600") {
    ProjectDocument doc =
        loadProject(test::sourceDir() + "/resources/examples/spiral.neurite.json", nullptr);
    doc.data.source = source;
    doc.training.epochs = epochs;
    doc.training.threads = 1;
    return doc;
}

// Runs the open project to its end from the window.
void train(MainWindow& w) {
    QSignalSpy finished(w.trainingPanel(), &TrainingPanel::runFinished);
    w.startTraining();
    QVERIFY2(finished.wait(60000), qPrintable(w.trainingPanel()->statusText()));
    QTRY_VERIFY_WITH_TIMEOUT(!w.trainingPanel()->controller().running(), test::kSlowWaitMs);
}

int points(const plot::CurvePlot* p) {
    int n = 0;
    for (int i = 0; i < p->seriesCount(); ++i) n += p->pointCount(i);
    return n;
}

// Nothing in the Training tab belongs to the previous project: no curves or evaluation, and the
// data shown (the preview before a run) is the new project's `source` with its `classes`.
void verifyNoTrace(MainWindow& w, const QString& source, int classes) {
    TrainingPanel* panel = w.trainingPanel();
    QTRY_VERIFY_WITH_TIMEOUT(panel->dataView()->summaryText().contains(source), 30000);
    QCOMPARE(points(panel->lossPlot()), 0);
    QCOMPARE(points(panel->accuracyPlot()), 0);
    QCOMPARE(points(panel->lrPlot()), 0);
    QCOMPARE(panel->rocPlot()->curveCount(), 0);
    QCOMPARE(panel->confusionPlot()->matrix().classes.size(), 0);
    QCOMPARE(panel->decisionPlot()->legendNames().size(), classes);
    QCOMPARE(panel->dataView()->classTable()->rowCount(), classes);
    QVERIFY(panel->decisionPlot()->gridImage().isNull());  // the data's points, no decision yet
    QVERIFY(!panel->exportAction()->isEnabled());
    QCOMPARE(panel->statusText(), QString("Press Start (F5) to train the project."));
    QCOMPARE(panel->speedText(), QString());
    // Empty plots: epoch 0..1, not the previous run's epochs; accuracy 0..1.
    for (const plot::CurvePlot* p : {panel->lossPlot(), panel->accuracyPlot(), panel->lrPlot()}) {
        const QCPRange x = p->customPlot()->xAxis->range();
        QVERIFY2(x.lower == 0 && x.upper == 1, qPrintable(QString("%1..%2").arg(x.lower).arg(x.upper)));
        QVERIFY(!p->viewPinned());
    }
    const QCPRange acc = panel->accuracyPlot()->customPlot()->yAxis->range();
    QVERIFY2(acc.lower > -0.05 && acc.lower <= 0 && acc.upper >= 1 && acc.upper < 1.05,
             qPrintable(QString("%1..%2").arg(acc.lower).arg(acc.upper)));
}

QAction* menuAction(MainWindow& w, const QString& text) {
    for (QAction* menu : w.menuBar()->actions())
        for (QAction* a : menu->menu()->actions())
            if (a->text() == text) return a;
    return nullptr;
}

}  // namespace

class TestProjectSwitch : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_project_switch");
        QSettings().clear();
    }

    void openAndNewLeaveNoTrace() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openRunStore(dir.filePath("runs.db")));
        QVERIFY(w.files()->newProject(spiral(3)));
        train(w);
        TrainingPanel* panel = w.trainingPanel();
        QVERIFY(points(panel->lossPlot()) > 0);
        QCOMPARE(panel->decisionPlot()->legendNames().size(), 3);
        QVERIFY(panel->exportAction()->isEnabled());
        // The user zooms the loss plot: the view stops following the data.
        QCustomPlot* loss = panel->lossPlot()->customPlot();
        const QPointF at(loss->width() / 2.0, loss->height() / 2.0);
        QWheelEvent zoom(at, loss->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                         Qt::NoScrollPhase, false);
        QApplication::sendEvent(loss, &zoom);
        QVERIFY(panel->lossPlot()->viewPinned());
        QVERIFY(panel->statusText().startsWith("Completed 3 epochs"));

        // Open another project from a file: two-class moons.
        const QString moons = dir.filePath("moons.neurite.json");
        saveProject(spiral(1, "synthetic:moons?samples=300"), moons.toStdString());
        QVERIFY(w.openProject(moons));
        verifyNoTrace(w, "synthetic:moons", 2);

        // Its own run: the legend has its two classes and no leftover third; after one epoch
        // the accuracy axis is 0..1 with the point inside, the epoch axis short.
        train(w);
        QCOMPARE(panel->decisionPlot()->legendNames().size(), 2);
        QCOMPARE(panel->confusionPlot()->matrix().classes.size(), 2);
        const QCPRange acc = panel->accuracyPlot()->customPlot()->yAxis->range();
        QVERIFY2(acc.lower > -0.05 && acc.upper < 1.05 && acc.upper >= 1, qPrintable(QString("%1..%2").arg(acc.lower).arg(acc.upper)));
        const QCPRange epochs = panel->accuracyPlot()->customPlot()->xAxis->range();
        QVERIFY2(epochs.lower <= 1 && epochs.upper >= 1 && epochs.upper <= 2.5,
                 qPrintable(QString("%1..%2").arg(epochs.lower).arg(epochs.upper)));
        QVERIFY(!panel->speedText().contains("ETA"));  // a finished run has no estimate left

        // File > New Project, as a user picks it.
        QAction* newProject = menuAction(w, "&New Project");
        QVERIFY(newProject);
        newProject->trigger();
        verifyNoTrace(w, "synthetic:spiral?samples=1500", 3);
    }

    // Switching while a run is going: the run is stopped and none of its later updates land in
    // the new project's plots; the status says what happened.
    void switchingStopsTheRunningRun() {
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openRunStore(dir.filePath("runs.db")));
        QVERIFY(w.files()->newProject(spiral(500)));
        TrainingPanel* panel = w.trainingPanel();
        w.startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(points(panel->accuracyPlot()) > 0, 60000);
        QVERIFY(w.files()->newProject(spiral(1, "synthetic:moons?samples=300")));
        QVERIFY2(panel->statusText().contains("previous project's run was stopped"), qPrintable(panel->statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(!panel->controller().running(), 60000);
        QCoreApplication::processEvents();
        QCOMPARE(points(panel->lossPlot()), 0);
        QCOMPARE(points(panel->accuracyPlot()), 0);
        // The map shows the new project's data (two moons), never the stopped run's three classes.
        QTRY_COMPARE_WITH_TIMEOUT(panel->decisionPlot()->legendNames().size(), 2, 30000);
        QVERIFY(panel->decisionPlot()->gridImage().isNull());
        QVERIFY(!panel->exportAction()->isEnabled());
        QVERIFY(panel->startAction()->isEnabled());
    }
};

QTEST_MAIN(TestProjectSwitch)
#include "test_project_switch.moc"
