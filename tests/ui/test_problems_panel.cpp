// The Problems panel before Start: once the project's data is loaded it lists what the trainer
// would refuse (the last Dense's units against the classes, a model that is only an Input, a
// loss that does not fit the data), in the trainer's own words: each row's text is compared with
// the message the Trainer throws for the same project. Where the repair is obvious, Fix applies it.
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QUndoStack>
#include <QtTest>

#include "core/error.h"
#include "data_probe.h"
#include "designer/graph_commands.h"
#include "designer/graph_model.h"
#include "designer/problems_panel.h"
#include "main_window.h"
#include "project_files.h"
#include "support/test_env.h"
#include "run/run_setup.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

QString example(const char* name) {
    return QString::fromStdString(test::sourceDir()) + "/resources/examples/" + name;
}

// What the Trainer says when it is built for `doc`; empty when it accepts it.
QString trainerRefusal(const ProjectDocument& doc) {
    try {
        RunSetup s = prepareRun(doc);
        Trainer trainer(*s.model, s.data, doc.training);
    } catch (const Error& e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

QStringList rows(const ProblemsPanel* panel) {
    QStringList out;
    for (int i = 0; i < panel->list()->count(); ++i) out << panel->list()->item(i)->text();
    return out;
}

}  // namespace

class TestProblemsPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_problems_panel");
        QSettings().clear();
    }

    void listsWhatTheTrainerRefuses_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("node");  // the layer the problem points at
        QTest::addColumn<QString>("fix");   // the Fix button's text, empty: none
        QTest::newRow("last Dense has 32 units for 3 classes") << "units" << "logits"
                                                                << "Set the units of logits to auto (the number of classes)";
        QTest::newRow("only an Input") << "input only" << "input" << "";
        QTest::newRow("binary cross-entropy on 3 classes") << "loss" << "logits" << "";
    }

    void listsWhatTheTrainerRefuses() {
        QFETCH(QString, change);
        QFETCH(QString, node);
        QFETCH(QString, fix);
        MainWindow w;
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        QVERIFY(w.openProject(example("spiral.neurite.json")));
        QVERIFY(analysed.wait(60000));
        auto* panel = w.findChild<ProblemsPanel*>();
        QVERIFY2(rows(panel).join("").startsWith("No problems"), qPrintable(rows(panel).join("\n")));
        QVERIFY(trainerRefusal(w.model()->document()).isEmpty());

        GraphModel* m = w.model();
        GraphState after = stateOf(*m);
        ProjectDocument doc = m->document();
        if (change == "units") {
            after.nodes.back().params["units"] = int64_t{32};
        } else if (change == "input only") {
            after.nodes.resize(1);
            after.output.clear();
        } else {
            doc.training.loss.kind = LossKind::BinaryCrossEntropy;
            m->setSettings(doc.data, doc.training);
        }
        if (change != "loss") w.undoStack()->push(new EditGraphCommand(m, "edit", stateOf(*m), after));
        QTRY_VERIFY_WITH_TIMEOUT(!w.dataProbe()->busy(), test::kSlowWaitMs);

        const QString refusal = trainerRefusal(m->document());
        QVERIFY(!refusal.isEmpty());
        const QStringList shown = rows(panel);
        QVERIFY2(shown.contains(node + ": " + refusal),
                 qPrintable(QString("trainer: %1\npanel:\n%2").arg(refusal, shown.join("\n"))));
        QCOMPARE(m->problemsOf(node).size(), std::size_t(1));  // the canvas marks the layer
        panel->list()->setCurrentRow(static_cast<int>(shown.indexOf(node + ": " + refusal)));
        QCOMPARE(panel->fixButton()->isEnabled(), !fix.isEmpty());
        if (fix.isEmpty()) return;
        QCOMPARE(panel->fixButton()->text(), fix);
        QTest::mouseClick(panel->fixButton(), Qt::LeftButton);
        QVERIFY(trainerRefusal(m->document()).isEmpty());
        QVERIFY2(rows(panel).join("").startsWith("No problems"), qPrintable(rows(panel).join("\n")));
    }

    // Another data source: its classes are not known until it is loaded, so no stale verdict.
    void anotherDataSourceForgetsTheOldClasses() {
        MainWindow w;
        QSignalSpy analysed(&w, &MainWindow::analysisFinished);
        QVERIFY(w.openProject(example("spiral.neurite.json")));
        QVERIFY(analysed.wait(60000));
        GraphState after = stateOf(*w.model());
        after.nodes.back().params["units"] = int64_t{2};
        w.undoStack()->push(new EditGraphCommand(w.model(), "edit", stateOf(*w.model()), after));
        QCOMPARE(w.model()->problems().size(), std::size_t(1));  // 2 units, 3 spiral classes
        ProjectDocument doc = w.model()->document();
        doc.data.source = "synthetic:moons?samples=200";  // two classes: 2 units fit
        analysed.clear();
        w.model()->setSettings(doc.data, doc.training);
        QVERIFY(w.model()->problems().empty());
        QVERIFY(analysed.wait(60000));
        const std::vector<Problem> left = w.model()->problems();
        QVERIFY2(left.empty(), left.empty() ? "" : left.front().message.c_str());
    }
};

QTEST_MAIN(TestProblemsPanel)
#include "test_problems_panel.moc"
