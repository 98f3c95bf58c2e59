// Opening a file over unsaved work: the chosen file is read first, so a PNG, a CSV, a broken or
// missing project is reported (in words, "this is not a Neurite project", with no raw byte of it)
// without asking about the changes and without touching them, however often it is tried; a good
// project asks once and then opens.
#include <QMessageBox>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QWidget>
#include <QtTest>

#include "designer/graph_commands.h"
#include "designer/graph_edits.h"
#include "designer/graph_model.h"
#include "project_files.h"
#include "support/test_env.h"

using namespace neurite;

namespace {

QString example(const char* name) {
    return QString::fromStdString(test::sourceDir()) + "/resources/examples/" + name;
}

}  // namespace

class TestProjectFiles : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_project_files");
    }

    void openChecksTheFileBeforeAskingToSave_data() {
        QTest::addColumn<QByteArray>("content");  // empty: the file does not exist
        QTest::addColumn<QString>("expected");
        QTest::newRow("png") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10", 20)
                             << "this is not a Neurite project";
        QTest::newRow("csv") << QByteArray("x,y,label\n0.1,0.2,a\n") << "this is not a Neurite project";
        QTest::newRow("broken project")
            << QByteArray("{ \"format\": \"neurite-project\",\n  \"data\": {}\n}") << "$.data.source";
        QTest::newRow("missing file") << QByteArray() << "cannot open";
    }

    void openChecksTheFileBeforeAskingToSave() {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        QWidget window;
        GraphModel model;
        QUndoStack undo;
        ProjectFiles files(&model, &undo, &window);
        QTemporaryDir autosave;
        files.setAutosaveDirectory(autosave.path());
        QVERIFY(files.open(example("spiral.neurite.json")));
        undo.push(new EditGraphCommand(&model, "edit", stateOf(model),
                                       edits::withNodeInserted(stateOf(model), makeNode("", "ReLU"), "")));
        const std::string edited = projectToJson(model.document());
        QTemporaryDir dir;
        const QString path = dir.filePath("picked.png");
        if (!content.isEmpty()) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        files.setPathChooser([&](bool) { return path; });
        int asked = 0;
        files.setPrompt([&](const QString&) {
            ++asked;
            return ProjectFiles::Answer::Discard;
        });
        for (int attempt = 0; attempt < 2; ++attempt) {
            QVERIFY(!files.open(QString()));  // File > Open: the chooser, then the file
            auto* box = window.findChild<QMessageBox*>();
            QVERIFY(box);
            const QString text = box->text();
            delete box;
            QVERIFY2(text.contains(expected), qPrintable(text));
            for (QChar c : text)
                QVERIFY2(c == '\n' || (c.isPrint() && c != QChar::ReplacementCharacter), qPrintable(text));
        }
        QCOMPARE(asked, 0);
        QCOMPARE(projectToJson(model.document()), edited);  // the work is untouched
        QVERIFY(files.isModified());

        files.setPathChooser([](bool) { return example("fashion_mlp.neurite.json"); });
        QVERIFY(files.open(QString()));
        QCOMPARE(asked, 1);
        QCOMPARE(files.path(), example("fashion_mlp.neurite.json"));
    }
};

QTEST_MAIN(TestProjectFiles)
#include "test_project_files.moc"
