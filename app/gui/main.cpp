// neurite: the GUI entry point (wiring only). An optional argument names a project to open;
// work autosaved by a session that did not close cleanly is offered back first.
#include <QApplication>

#include "backend/cpu/openmp_runtime.h"
#include "main_window.h"
#include "project_files.h"

int main(int argc, char** argv) {
    neurite::cpu::tuneOpenMpRuntime(argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName("Neurite");
    QApplication::setOrganizationName("Neurite");
    neurite::MainWindow window;
    window.show();
    const QStringList args = QApplication::arguments();
    if (!window.files()->offerRestore() && args.size() > 1) window.openProject(args.at(1));
    return app.exec();
}
