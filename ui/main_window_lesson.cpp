// MainWindow's teaching side: lesson mode (which tab, dock and action each lesson panel id stands
// for), File > Export Lesson, Help > Lessons (the gallery) and Glossary, View > Presentation Mode.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QScreen>
#include <QStatusBar>
#include <QTabWidget>

#include "core/paths.h"
#include "designer/designer_widget.h"
#include "designer/graph_model.h"
#include "designer/inspector.h"
#include "designer/problems_panel.h"
#include "experiments/experiments_panel.h"
#include "io/project.h"
#include "lesson/export_lesson.h"
#include "lesson/glossary.h"
#include "lesson/lesson_mode.h"
#include "main_window.h"
#include "project_files.h"
#include "runs/runs_panel.h"
#include "training/training_panel.h"
#include "training/training_settings.h"
#include "training/training_workspace.h"
#include "deploy/try_it_panel.h"

namespace neurite {

void MainWindow::createLessonMode() {
    m_lesson = new LessonMode(this, m_tabs, m_tabStrip);
    const auto dock = [this](const char* name) { return findChild<QDockWidget*>(name); };
    const auto action = [this](const char* name) { return findChild<QAction*>(name); };
    auto* workspace = qobject_cast<TrainingWorkspace*>(m_training->parentWidget());
    m_lesson->addPanel({"palette", {}, {dock("LayersDock")}, {}, {}});
    m_lesson->addPanel({"inspector", {}, {dock("InspectorDock")}, {}, {}});
    m_lesson->addPanel({"problems", {}, {dock("ProblemsDock")}, {}, {}});
    m_lesson->addPanel({"settings", {}, {}, {}, {workspace ? workspace->settingsColumn() : nullptr}});
    m_lesson->addPanel({"summary", {findChild<QWidget*>("summaryTab")}, {}, {}, {}});
    m_lesson->addPanel({"json", {findChild<QWidget*>("jsonTab")}, {}, {}, {}});
    m_lesson->addPanel({"runs", {m_runs}, {}, {action("showRuns")}, {}});
    m_lesson->addPanel({"experiments", {m_experiments}, {}, {}, {}});
    m_lesson->addPanel({"try_it", {m_tryIt}, {}, {action("trySavedModel"), m_training->tryItAction()}, {}});
    m_lesson->addPanel({"export", {}, {}, {action("importOnnx"), action("compareOnnx"), m_training->exportAction()}, {}});
    m_lesson->addPanel({"neurons", {}, {}, {}, {}, [this](bool hidden) { m_training->setNeuronsHidden(hidden); }});
    m_lesson->setNetworkLock([this](bool on) {
        m_designer->setReadOnly(on);
        m_inspector->setEnabled(!on);
        m_problems->fixButton()->setVisible(!on);
    });
    m_lesson->setSettingsLock([workspace](const QStringList& keys) {
        if (workspace) workspace->settings()->setLockedKeys(keys);
    });
    connect(m_model, &GraphModel::documentReset, this, [this] {
        m_lesson->apply(m_model->document().lesson);
        if (m_lesson->active())
            statusBar()->showMessage(tr("Lesson: %1").arg(QString::fromStdString(m_model->document().lesson->title)), 8000);
    });

    // File > Export Lesson..., after Save As.
    QMenu* file = menuBar()->actions().front()->menu();
    QAction* quit = file->actions().last();
    QAction* exportLessonAction = new QAction(tr("Export &Lesson..."), this);
    exportLessonAction->setObjectName("exportLesson");
    exportLessonAction->setStatusTip(tr("Write this project as a lesson a teacher hands out: hidden panels, locked "
                                        "settings, a fixed seed and steps to follow"));
    connect(exportLessonAction, &QAction::triggered, this, &MainWindow::exportLesson);
    file->insertAction(quit, exportLessonAction);
    file->insertSeparator(quit);

    // View > Lesson (shown in lesson mode only) and Presentation Mode.
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_lesson->stepsDock()->toggleViewAction());
    QAction* present = m_viewMenu->addAction(tr("&Presentation Mode"), this, [this](bool on) { setPresenting(on); });
    present->setObjectName("presentationMode");
    present->setCheckable(true);
    present->setShortcut(Qt::Key_F11);
    present->setStatusTip(tr("Large fonts and the whole screen, for showing the studio to a class (F11)"));

    // Help > Lessons (the gallery) and Glossary, before About.
    QMenu* help = menuBar()->actions().back()->menu();
    QAction* before = help->actions().value(2);  // the separator before About
    QMenu* lessons = new QMenu(tr("&Lessons"), help);
    lessons->setObjectName("lessonsMenu");
    const QDir dir(QString::fromStdString((examplesDir() / "lessons").string()));
    for (const QString& name : dir.entryList({QStringLiteral("*.neurite.json")}, QDir::Files, QDir::Name)) {
        const QString path = dir.filePath(name);
        QString title = name;
        try {
            const ProjectDocument doc = loadProject(path.toStdString(), nullptr);
            if (doc.lesson && !doc.lesson->title.empty()) title = QString::fromStdString(doc.lesson->title);
        } catch (...) {
            continue;  // a broken gallery file is left out (the lesson tests keep them whole)
        }
        lessons->addAction(title, this, [this, path] {
            if (m_files->open(path)) m_tabs->setCurrentWidget(m_designer);
        });
    }
    lessons->setEnabled(!lessons->actions().isEmpty());
    help->insertMenu(before, lessons);
    QAction* glossary = new QAction(tr("&Glossary"), this);
    glossary->setObjectName("glossary");
    glossary->setStatusTip(tr("What the words on the screen mean: epoch, loss, overfitting, ROC, ..."));
    connect(glossary, &QAction::triggered, this, [this] { showGlossary(this); });
    help->insertAction(before, glossary);
}

void MainWindow::setPresenting(bool on) {
    if (on == m_presenting) return;
    m_presenting = on;
    if (on) {
        m_normalFont = QApplication::font();
        QFont big = m_normalFont;
        big.setPointSizeF(m_normalFont.pointSizeF() * 1.5);
        QApplication::setFont(big);
        showFullScreen();
    } else {
        QApplication::setFont(m_normalFont);
        showNormal();
    }
    if (QAction* a = findChild<QAction*>("presentationMode")) a->setChecked(on);
}

void MainWindow::exportLesson() {
    exportLessonDialog(this, m_model->document(), m_files->path());
}

}  // namespace neurite
