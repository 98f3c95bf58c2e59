// neurite: the GUI entry point (wiring only).
//   neurite [PROJECT | MODEL.nmodel] [--train] [--db FILE] [--help] [--version]
// opens PROJECT, or a saved model in the Try it tab (work autosaved by a session that did not
// close cleanly is offered back first; with neither, the Start page with the example gallery
// shows), records runs in FILE (default: the run database set in Preferences, else the run store
// neurite-cli uses), and with --train starts training at once, for demos, teaching and
// screenshot checks.
#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTimer>

#include <memory>
#include <string_view>

#include "backend/cpu/openmp_runtime.h"
#include "main_window.h"
#include "project_files.h"
#include "settings/preferences.h"
#include "settings/theme.h"

namespace {
// --help and --version only print, so they must work without a display (over ssh, in a build that
// writes the man page): a QCoreApplication answers them, a QApplication would abort first.
bool onlyPrints(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        if (a == "-h" || a == "--help" || a == "--help-all" || a == "-v" || a == "--version")
            return true;
    }
    return false;
}
}  // namespace

int main(int argc, char** argv) {
    neurite::cpu::tuneOpenMpRuntime(argv);
    std::unique_ptr<QCoreApplication> app;
    if (onlyPrints(argc, argv)) app = std::make_unique<QCoreApplication>(argc, argv);
    else app = std::make_unique<QApplication>(argc, argv);
    QApplication::setApplicationName("Neurite");
    QApplication::setOrganizationName("Neurite");
    QApplication::setApplicationVersion(NEURITE_VERSION);

    QCommandLineParser parser;
    parser.setApplicationDescription("Neurite, a studio for deep-learning experiments");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("file", "a .neurite.json project to open, or a *.nmodel model to try",
                                 "[file]");
    const QCommandLineOption train("train", "start training the project at once");
    const QCommandLineOption db("db", "record runs in this database", "file");
    parser.addOptions({train, db});
    parser.process(*app);  // --help, or an unknown option: prints and exits before a window opens

    // The menu entry's id (installer/), so Wayland docks match the window to it, and its icon.
    QApplication::setDesktopFileName("io.github.neurite.Neurite");
    QApplication::setWindowIcon(QIcon(":/icons/neurite.svg"));

    neurite::applyTheme(neurite::Preferences::load().theme);
    neurite::MainWindow window;
    window.show();
    QString store = parser.value(db);
    if (store.isEmpty()) store = window.preferences().runDatabaseOrDefault();  // empty: openRunStore says why
    window.openRunStore(store);
    const QStringList args = parser.positionalArguments();
    bool opened = false;
    const bool restored = window.files()->offerRestore();
    if (!args.isEmpty() && args.front().endsWith(".nmodel", Qt::CaseInsensitive))
        window.tryModel(args.front());  // a model: the Try it tab shows it, or why it cannot load
    else if (!restored && !args.isEmpty())
        opened = window.openProject(args.front());
    else if (!restored)
        window.showWelcome();
    if (parser.isSet(train) && opened) QTimer::singleShot(0, &window, &neurite::MainWindow::startTraining);
    return app->exec();
}
