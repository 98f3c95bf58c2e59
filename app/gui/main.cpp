// neurite: the GUI entry point (wiring only).
//   neurite [PROJECT | MODEL.nmodel] [--train] [--db FILE]
// opens PROJECT (or a saved model in the Try it tab) (work autosaved by a session that did not close cleanly is offered back first),
// records runs in FILE (default: the run store neurite-cli uses), and with --train starts
// training at once, for demos, teaching and screenshot checks.
#include <QApplication>
#include <QCommandLineParser>
#include <QTimer>

#include "backend/cpu/openmp_runtime.h"
#include "main_window.h"
#include "project_files.h"
#include "run_store.h"

int main(int argc, char** argv) {
    neurite::cpu::tuneOpenMpRuntime(argv);
    QApplication app(argc, argv);
    QApplication::setApplicationName("Neurite");
    QApplication::setOrganizationName("Neurite");

    QCommandLineParser parser;
    parser.setApplicationDescription("Neurite, a studio for deep-learning experiments");
    parser.addHelpOption();
    parser.addPositionalArgument("file", "a .neurite.json project to open, or a *.nmodel model to try");
    const QCommandLineOption train("train", "start training the project at once");
    const QCommandLineOption db("db", "record runs in this database", "file");
    parser.addOptions({train, db});
    parser.process(app);  // --help, or an unknown option: prints and exits before a window opens

    neurite::MainWindow window;
    window.show();
    QString store = parser.value(db);
    if (store.isEmpty()) {
        try {
            store = QString::fromStdString(neurite::storage::RunStore::defaultPath(true));
        } catch (const std::exception&) {
            store.clear();  // openRunStore below reports the reason
        }
    }
    window.openRunStore(store);
    const QStringList args = parser.positionalArguments();
    bool opened = false;
    const bool restored = window.files()->offerRestore();
    if (!args.isEmpty() && args.front().endsWith(".nmodel", Qt::CaseInsensitive))
        window.tryModel(args.front());  // a model: the Try it tab shows it, or why it cannot load
    else if (!restored && !args.isEmpty())
        opened = window.openProject(args.front());
    if (parser.isSet(train) && opened) QTimer::singleShot(0, &window, &neurite::MainWindow::startTraining);
    return app.exec();
}
