// MainWindow wiring: File menu, the project overview, errors shown in a message box.
#include "main_window.h"

#include <QAction>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

#include <QThread>
#include <memory>

#include "core/error.h"
#include "io/project.h"
#include "project_overview.h"

namespace neurite {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), m_overview(new ProjectOverview(this)) {
    setWindowTitle(tr("Neurite"));
    resize(1100, 720);
    setCentralWidget(m_overview);
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Project..."), this, &MainWindow::chooseProject);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    statusBar()->showMessage(tr("Open a project (*.neurite.json) to begin"));
}

MainWindow::~MainWindow() {
    for (QThread* worker : m_workers) worker->wait();
}

void MainWindow::chooseProject() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Project"), QString(),
                                                      tr("Neurite projects (*.neurite.json);;All files (*)"));
    if (!path.isEmpty()) openProject(path);
}

bool MainWindow::openProject(const QString& path) {
    try {
        std::vector<std::string> warnings;
        const ProjectDocument doc = loadProject(path.toStdString(), &warnings);
        m_overview->showProject(doc, path);
        startAnalysis(doc);
        setWindowTitle(tr("%1 - Neurite").arg(QString::fromStdString(doc.name)));
        statusBar()->showMessage(warnings.empty()
                                     ? tr("Loaded %1").arg(path)
                                     : tr("Loaded %1 with %2 warning(s): %3")
                                           .arg(path)
                                           .arg(warnings.size())
                                           .arg(QString::fromStdString(warnings.front())));
        return true;
    } catch (const std::exception& e) {
        // Window-modal but not blocking, so the event loop (and tests) keep running.
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open project"),
                                    QString::fromUtf8(e.what()), QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return false;
    }
}

void MainWindow::startAnalysis(const ProjectDocument& doc) {
    const int generation = ++m_generation;
    auto result = std::make_shared<ModelAnalysis>();
    QThread* worker = QThread::create([doc, result] { *result = analyzeProject(doc); });
    m_workers.append(worker);
    connect(worker, &QThread::finished, this, [this, worker, result, generation] {
        m_workers.removeOne(worker);
        worker->deleteLater();
        if (generation != m_generation) return;
        m_overview->showAnalysis(*result);
        emit analysisFinished();
    });
    worker->start();
}

}  // namespace neurite
