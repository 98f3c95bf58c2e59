// MainWindow: the studio's top-level window (actions, central view, status). Wiring only; each
// panel is its own class.
#pragma once

#include <QList>
#include <QMainWindow>

class QThread;

namespace neurite {

class ProjectOverview;
struct ProjectDocument;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;  // waits for a running analysis (it uses the engine's singletons)
    // Loads a project; on failure shows the error and keeps what was open.
    bool openProject(const QString& path);

private slots:
    void chooseProject();

signals:
    // The background analysis of the open project finished (shapes, parameters or an error).
    void analysisFinished();

private:
    void startAnalysis(const ProjectDocument& doc);

    ProjectOverview* m_overview;
    int m_generation = 0;  // analyses of projects closed since are dropped
    QList<QThread*> m_workers;
};

}  // namespace neurite
