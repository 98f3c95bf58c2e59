// MainWindow: the studio's top-level window (actions, central view, status). Wiring only; each
// panel is its own class.
#pragma once

#include <QMainWindow>

namespace neurite {

class ProjectOverview;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    // Loads a project; on failure shows the error and keeps what was open.
    bool openProject(const QString& path);

private slots:
    void chooseProject();

private:
    ProjectOverview* m_overview;
};

}  // namespace neurite
