// neurite: the GUI entry point (wiring only).
//   neurite [PROJECT] [--train] [--db FILE]
// opens PROJECT (work autosaved by a session that did not close cleanly is offered back first;
// without a project the Start page with the example gallery shows), records runs in FILE
// (default: the run database set in Preferences, else the run store neurite-cli uses), and with
// --train starts training at once, for demos, teaching and screenshot checks.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "backend/cpu/openmp_runtime.h"
#include "main_window.h"
#include "project_files.h"
#include "settings/preferences.h"
#include "settings/theme.h"

int main(int argc, char** argv) {
    neurite::cpu::tuneOpenMpRuntime(argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName("Neurite");
    QApplication::setOrganizationName("Neurite");

    QCommandLineParser parser;
    parser.setApplicationDescription("Neurite, a studio for deep-learning experiments");
    parser.addHelpOption();
    parser.addPositionalArgument("project", "a .neurite.json project to open");
    const QCommandLineOption train("train", "start training the project at once");
    const QCommandLineOption db("db", "record runs in this database", "file");
    parser.addOptions({train, db});
    parser.process(app);  // --help, or an unknown option: prints and exits before a window opens

    neurite::applyTheme(neurite::Preferences::load().theme);
    neurite::MainWindow window;
    window.show();
    QString store = parser.value(db);
    if (store.isEmpty()) store = window.preferences().runDatabaseOrDefault();  // empty: openRunStore says why
    window.openRunStore(store);
    const QStringList args = parser.positionalArguments();
    bool opened = false;
    const bool restored = window.files()->offerRestore();
    if (!restored && !args.isEmpty()) opened = window.openProject(args.front());
    if (!restored && args.isEmpty()) window.showWelcome();
    if (parser.isSet(train) && opened) QTimer::singleShot(0, &window, &neurite::MainWindow::startTraining);
    return app.exec();
}
