// MainWindow: the studio's top-level window. Wiring only: the central tabs (designer canvas,
// summary, JSON; training views join later), the docks (layer palette, inspector, problems),
// menus and the status bar. Each panel is its own class.
#pragma once

#include <QMainWindow>

class QMenu;
class QTabWidget;
class QUndoStack;

namespace neurite {

class DataProbe;
class DesignerWidget;
class GraphModel;
class Inspector;
class LayerPalette;
class ProblemsPanel;
class ProjectFiles;
struct ProjectDocument;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;
    // Loads a project; on failure shows the parser's message and keeps what was open.
    bool openProject(const QString& path);

    GraphModel* model() const { return m_model; }
    QUndoStack* undoStack() const { return m_undo; }
    DesignerWidget* designer() const { return m_designer; }
    ProjectFiles* files() const { return m_files; }
    DataProbe* dataProbe() const { return m_probe; }

signals:
    // The open project's data was probed and "auto" sizes are bound (or could not be).
    void analysisFinished();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void createDocks();
    void createMenus();
    void fillRecentMenu();
    void updateTitle();
    void probeData();

    GraphModel* m_model;
    QUndoStack* m_undo;
    DataProbe* m_probe;
    ProjectFiles* m_files;
    QTabWidget* m_tabs;
    DesignerWidget* m_designer;
    LayerPalette* m_palette = nullptr;
    Inspector* m_inspector = nullptr;
    ProblemsPanel* m_problems = nullptr;
    QMenu* m_recent = nullptr;
    QMenu* m_viewMenu = nullptr;
};

}  // namespace neurite
