// Lesson mode in the real studio window: a lesson file's hidden panels are gone (no tab, dock,
// menu entry or shortcut reaches them, not even Ctrl+Tab or a programmatic switch), its locked
// settings and network cannot be edited, the seed is fixed, its steps show in the Lesson dock,
// and opening an ordinary project brings everything back. A broken lesson file is refused with
// the field named and the open project kept. Export Lesson writes a file that opens as a lesson,
// and refuses a project whose data is a file on this machine. The glossary and presentation mode
// are reachable from the menus.
#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include "designer/designer_widget.h"
#include "designer/graph_model.h"
#include "designer/graph_view.h"
#include "designer/inspector.h"
#include "lesson/export_lesson.h"
#include "lesson/glossary.h"
#include "lesson/lesson_mode.h"
#include "main_window.h"
#include "project_files.h"
#include "runs/runs_panel.h"
#include "support/test_env.h"
#include "training/activation_view.h"
#include "training/data_view.h"
#include "training/neuron_view.h"
#include "training/training_panel.h"
#include "curve_plot.h"
#include "decision_plot.h"
#include "roc_plot.h"
#include "confusion_plot.h"
#include <qcustomplot.h>
#include "training/training_settings.h"

using namespace neurite;

namespace {

QString example(const QString& name) { return QString::fromStdString(test::sourceDir()) + "/resources/examples/" + name; }

QString writeLesson(const QTemporaryDir& dir, const QString& name, const std::string& lesson) {
    ProjectDocument doc = loadProject(example("spiral.neurite.json").toStdString(), nullptr);
    const std::string json = projectToJson(doc);
    const std::string withLesson = json.substr(0, json.rfind('}')) + ",\n  \"lesson\": " + lesson + "\n}\n";
    QFile f(dir.filePath(name));
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write the lesson");
    f.write(withLesson.data(), qint64(withLesson.size()));
    return f.fileName();
}

QAction* actionNamed(const MainWindow& w, const char* name) { return w.findChild<QAction*>(name); }

bool tabShown(const MainWindow& w, QWidget* page) {
    const int i = w.tabs()->indexOf(page);
    auto* strip = w.findChild<QTabBar*>("WorkspaceTabs");
    return i >= 0 && w.tabs()->isTabVisible(i) && strip->isTabVisible(i);
}

}  // namespace

class TestLessonMode : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_lesson_mode");
        QSettings().clear();
    }

    void hiddenPanelsAreUnreachable() {
        QTemporaryDir dir;
        const QString path = writeLesson(dir, "l.neurite.json", R"({"title": "Spiral lesson",
            "hide": ["runs", "palette", "json", "export"], "lock": ["network", "training.optimizer.lr"],
            "steps": [{"title": "Look", "text": "Press **Step**."}, {"text": "Now press Reset."}]})");
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(w.openProject(path));
        LessonMode* lesson = w.lessonMode();
        QVERIFY(lesson->active());

        // The Runs tab: no tab, no menu entry, no shortcut, no programmatic way in.
        QVERIFY(!tabShown(w, w.runsPanel()));
        QVERIFY(!actionNamed(w, "showRuns")->isVisible());
        w.tabs()->setCurrentWidget(w.designer());
        for (int i = 0; i < 2 * w.tabs()->count(); ++i) {
            QTest::keyClick(&w, Qt::Key_Tab, Qt::ControlModifier);
            QVERIFY(w.tabs()->currentWidget() != w.runsPanel());
            QVERIFY(w.tabs()->currentWidget() != w.findChild<QWidget*>("jsonTab"));
        }
        w.tabs()->setCurrentWidget(w.runsPanel());
        QVERIFY(w.tabs()->currentWidget() != w.runsPanel());
        QVERIFY(!tabShown(w, w.findChild<QWidget*>("jsonTab")));
        QVERIFY(tabShown(w, w.findChild<QWidget*>("summaryTab")));
        // The palette dock, and its View menu entry, even after leaving the designer and coming back.
        auto* palette = w.findChild<QDockWidget*>("LayersDock");
        QVERIFY(!palette->isVisible());
        QVERIFY(!palette->toggleViewAction()->isVisible());
        w.tabs()->setCurrentWidget(w.trainingPanel()->parentWidget());
        w.tabs()->setCurrentWidget(w.designer());
        QVERIFY(!palette->isVisible());
        QVERIFY(w.findChild<QDockWidget*>("InspectorDock")->isVisible());
        // Export: the menu entries are gone with their shortcuts.
        QVERIFY(!actionNamed(w, "importOnnx")->isVisible());
        QVERIFY(!w.trainingPanel()->exportAction()->isVisible());

        // The network is locked: Delete does nothing, the inspector is read-only.
        QVERIFY(w.designer()->readOnly());
        QVERIFY(!w.designer()->actions().remove->isVisible());
        const std::size_t nodes = w.model()->nodes().size();
        w.designer()->selectNode("fc1");
        QTest::keyClick(w.designer()->view()->viewport(), Qt::Key_Delete);
        QCOMPARE(w.model()->nodes().size(), nodes);
        QVERIFY(!w.findChild<Inspector*>()->isEnabled());
        // The learning rate and the seed are locked; the epochs are not.
        auto* settings = w.findChild<TrainingSettings*>();
        QVERIFY(!settings->lrEditor()->isEnabled());
        QVERIFY(!settings->findChild<QWidget*>("training.seed")->isEnabled());
        QVERIFY(settings->epochsEditor()->isEnabled());
        QVERIFY(settings->lrEditor()->toolTip().contains("Locked by the lesson"));

        // The steps, one at a time, beside every tab.
        QDockWidget* steps = lesson->stepsDock();
        QVERIFY(steps->isVisible());
        QVERIFY(lesson->steps()->text()->toPlainText().contains("Press Step"));
        QTest::mouseClick(lesson->steps()->nextButton(), Qt::LeftButton);
        QVERIFY(lesson->steps()->text()->toPlainText().contains("Now press Reset"));
        QVERIFY(!lesson->steps()->nextButton()->isEnabled());
        w.tabs()->setCurrentWidget(w.trainingPanel()->parentWidget());
        QVERIFY(steps->isVisible());

        // An ordinary project: everything is back.
        QVERIFY(w.openProject(example("spiral.neurite.json")));
        QVERIFY(!lesson->active());
        QVERIFY(tabShown(w, w.runsPanel()));
        QVERIFY(actionNamed(w, "showRuns")->isVisible());
        QVERIFY(palette->toggleViewAction()->isVisible());
        QVERIFY(!w.designer()->readOnly());
        QVERIFY(settings->lrEditor()->isEnabled());
        QVERIFY(!steps->isVisible());
        w.tabs()->setCurrentWidget(w.designer());
        QVERIFY(palette->isVisible());
    }

    void brokenLessonIsRefusedNamingTheField() {
        QTemporaryDir dir;
        const QString path = writeLesson(dir, "broken.neurite.json", R"({"hide": ["runs", "scoreboard"]})");
        MainWindow w;
        QVERIFY(w.openProject(example("iris.neurite.json")));
        const std::string before = projectToJson(w.model()->document());
        QVERIFY(!w.openProject(path));
        auto* box = w.findChild<QMessageBox*>();
        QVERIFY(box);
        QVERIFY2(box->text().contains("$.lesson.hide[1]") && box->text().contains("unknown panel \"scoreboard\""),
                 qPrintable(box->text()));
        QCOMPARE(projectToJson(w.model()->document()), before);
        QVERIFY(!w.lessonMode()->active());
    }

    void exportLessonWritesALessonFile() {
        QCOMPARE(lessonStepsFromText("## One\nFirst *step*.\n---\nSecond.\n---\n").size(), std::size_t(2));
        const auto steps = lessonStepsFromText("## One\nFirst *step*.\n---\nSecond.");
        QCOMPARE(steps[0].title, std::string("One"));
        QCOMPARE(steps[0].text, std::string("First *step*."));
        QCOMPARE(steps[1].title, std::string());
        QCOMPARE(lessonStepsFromText(lessonTextFromSteps(steps)).size(), steps.size());

        ProjectDocument doc = loadProject(example("spiral.neurite.json").toStdString(), nullptr);
        ExportLessonDialog dialog(doc);
        dialog.titleEditor()->setText("Spirals");
        for (int i = 0; i < dialog.hideList()->count(); ++i)
            if (dialog.hideList()->item(i)->data(Qt::UserRole) == "runs") dialog.hideList()->item(i)->setCheckState(Qt::Checked);
        dialog.stepsEditor()->setPlainText("## Start\nPress F5.\n---\nWatch the map.");
        const LessonConfig lesson = dialog.lesson();
        QCOMPARE(lesson.hide, std::vector<std::string>{"runs"});
        QTemporaryDir dir;
        const QString path = dir.filePath("spirals.lesson.neurite.json");
        QCOMPARE(writeLessonFile(doc, lesson, path), QString());
        const ProjectDocument back = loadProject(path.toStdString(), nullptr);
        QVERIFY(back.lesson);
        QCOMPARE(back.lesson->title, std::string("Spirals"));
        QCOMPARE(back.lesson->steps.size(), std::size_t(2));
        QCOMPARE(back.nodes.size(), doc.nodes.size());

        doc.data.source = "csv:/home/teacher/grades.csv?target=passed";
        QVERIFY(lessonFileProblem(doc).contains("a file on this computer"));
        doc.data.source = "builtin:iris";
        QCOMPARE(lessonFileProblem(doc), QString());
        doc.weights = "base.safetensors";
        QVERIFY(lessonFileProblem(doc).contains("weights file"));
    }

    // Every plot and view of the Training tab explains itself on hover and names a glossary entry
    // that exists.
    void everyPlotExplainsItself() {
        MainWindow w;
        TrainingPanel* p = w.trainingPanel();
        const QList<QWidget*> pages{p->lossPlot(),    p->accuracyPlot(), p->lrPlot(),     p->decisionPlot(),
                                    p->rocPlot(),     p->prPlot(),       p->confusionPlot(), p->neuronView(),
                                    p->activationView(), p->dataView()};
        for (QWidget* page : pages) {
            const QString text = page->property("neuriteExplanation").toString();
            const QRegularExpressionMatch m = QRegularExpression(R"(\(Help > Glossary: (.+)\)$)").match(text);
            QVERIFY2(m.hasMatch(), qPrintable(page->metaObject()->className() + QString(": ") + text));
            bool found = false;
            for (const GlossaryEntry& e : glossary()) found |= e.term == m.captured(1);
            QVERIFY2(found, qPrintable("no glossary entry " + m.captured(1)));
            if (auto* plot = qobject_cast<plot::PlotFrame*>(page)) QCOMPARE(plot->customPlot()->toolTip(), text);
        }
    }

    void galleryGlossaryAndPresentation() {
        MainWindow w;
        auto* lessons = w.findChild<QMenu*>("lessonsMenu");
        QVERIFY(lessons && lessons->actions().size() >= 7);
        lessons->actions().front()->trigger();
        QVERIFY(w.lessonMode()->active());
        QVERIFY(w.files()->path().contains("lessons/01_first_steps"));
        actionNamed(w, "glossary")->trigger();
        auto* glossaryDialog = w.findChild<QDialog*>("glossaryDialog");
        QVERIFY(glossaryDialog && glossaryDialog->isVisible());
        auto* filter = glossaryDialog->findChild<QLineEdit*>();
        filter->setText("overfit");
        auto* text = glossaryDialog->findChild<QTextBrowser*>();
        QVERIFY2(text->toPlainText().contains("overfit", Qt::CaseInsensitive), qPrintable(text->toPlainText()));
        auto* list = glossaryDialog->findChild<QListWidget*>();
        QVERIFY(!list->findItems("Overfitting", Qt::MatchExactly).front()->isHidden());
        QVERIFY(list->findItems("Epoch", Qt::MatchExactly).front()->isHidden());
        for (const char* term : {"Epoch", "Loss", "Overfitting", "ROC curve", "Confusion matrix", "Validation split",
                                 "Test split", "Training split"}) {
            bool found = false;
            for (const GlossaryEntry& e : glossary()) found |= e.term == term;
            QVERIFY2(found, term);
        }
        const qreal before = QApplication::font().pointSizeF();
        w.setPresenting(true);
        QVERIFY(QApplication::font().pointSizeF() > before * 1.4);
        QVERIFY(actionNamed(w, "presentationMode")->isChecked());
        w.setPresenting(false);
        QCOMPARE(QApplication::font().pointSizeF(), before);
    }
};

QTEST_MAIN(TestLessonMode)
#include "test_lesson_mode.moc"
