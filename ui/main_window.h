// MainWindow: the studio's top-level window. Wiring only: the central tabs (start page, designer
// canvas, summary, JSON, training, runs, experiments, try it), the docks (layer palette, inspector, problems), menus
// and the status bar. Each panel is its own class.
#pragma once

#include <optional>
#include <QFont>
#include <QMainWindow>

#include "import_model.h"
#include "settings/preferences.h"

class QDockWidget;
class QMenu;
class QTabBar;
class QToolBar;
class QTabWidget;
class QUndoStack;

namespace neurite {

class ExperimentsPanel;
class LessonMode;
class RunsPanel;
class TrainingPanel;

class DataProbe;
class TryItPanel;
class DesignerWidget;
class GraphModel;
class Inspector;
class LayerPalette;
class ModelStatus;
class UserGuideDialog;
class ProblemsPanel;
class ProjectFiles;
class WelcomePage;
struct ProjectDocument;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;
    // The Start tab (example gallery, recent projects, where runs are stored).
    void showWelcome();
    // File > New Project: a trainable starting point (2-D data, an output layer).
    void newProject();
    // Help > User Guide (F1).
    void showUserGuide();
    UserGuideDialog* userGuide() const { return m_guide; }
    // Makes `prefs` take effect and saves them: the theme at once, the run database at once
    // (when it changed: a database that cannot be opened is refused with *error and the open
    // store kept), device and threads from the next run. False when refused; nothing is saved.
    bool applyPreferences(const Preferences& prefs, QString* error);
    const Preferences& preferences() const { return m_prefs; }
    // The project as the next run trains it: the open document with the preferences' defaults.
    ProjectDocument runDocument() const;
    // Loads a project; on failure shows the parser's message and keeps what was open.
    bool openProject(const QString& path);
    // Opens (creating) the run store every run is recorded in; on failure the runs tab says why
    // and training runs unrecorded.
    bool openRunStore(const QString& path);
    // Switches to the training tab and trains the open project.
    void startTraining();
    // Switches to the Try it tab with the model file loaded (or its error shown there).
    bool tryModel(const QString& path);

    GraphModel* model() const { return m_model; }
    QUndoStack* undoStack() const { return m_undo; }
    DesignerWidget* designer() const { return m_designer; }
    ProjectFiles* files() const { return m_files; }
    WelcomePage* welcomePage() const { return m_welcome; }
    QTabWidget* tabs() const { return m_tabs; }
    DataProbe* dataProbe() const { return m_probe; }
    TrainingPanel* trainingPanel() const { return m_training; }
    RunsPanel* runsPanel() const { return m_runs; }
    ExperimentsPanel* experimentsPanel() const { return m_experiments; }
    TryItPanel* tryItPanel() const { return m_tryIt; }
    LessonMode* lessonMode() const { return m_lesson; }
    // Presentation mode (View menu, F11): large fonts and the whole screen, for a class.
    bool presenting() const { return m_presenting; }
    void setPresenting(bool on);
    // File > Import ONNX Model... asks with these instead of dialogs (tests).
    void setImportPrompts(ImportPrompts prompts) { m_importPrompts = std::move(prompts); }

signals:
    // The open project's data was probed and "auto" sizes are bound (or could not be).
    void analysisFinished();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createDocks();
    void createMenus();
    void createTabStrip();
    void fillRecentMenu();
    void updateTitle();
    void probeData();
    void createTrainingMenu();
    void createHelpMenu();
    void connectWelcome();
    void connectExperiments();
    void createLessonMode();  // main_window_lesson.cpp: lessons, presentation mode, glossary
    void exportLesson();
    void showPreferences();
    void tabChanged();

    GraphModel* m_model;
    std::optional<ImportPrompts> m_importPrompts;
    QUndoStack* m_undo;
    DataProbe* m_probe;
    ProjectFiles* m_files;
    QTabWidget* m_tabs;
    DesignerWidget* m_designer;
    TrainingPanel* m_training;
    RunsPanel* m_runs;
    ExperimentsPanel* m_experiments;
    TryItPanel* m_tryIt;
    LayerPalette* m_palette = nullptr;
    Inspector* m_inspector = nullptr;
    ProblemsPanel* m_problems = nullptr;
    QMenu* m_recent = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_templateMenu = nullptr;
    WelcomePage* m_welcome;
    Preferences m_prefs;
    QTabBar* m_tabStrip = nullptr;       // the tabs, in their own row (createTabStrip)
    QToolBar* m_tabStripBar = nullptr;
    ModelStatus* m_modelStatus = nullptr;
    UserGuideDialog* m_guide = nullptr;  // Help > User Guide, created when first asked for
    QList<QDockWidget*> m_docksHiddenByStart;
    LessonMode* m_lesson = nullptr;
    bool m_presenting = false;
    QFont m_normalFont;  // docks the Start tab hid, shown again when it is left
};

}  // namespace neurite
