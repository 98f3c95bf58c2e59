// The Start page: it lists every example in examplesDir() (and a broken one with its error),
// "Open" loads the example as a new project and "Open and train" starts training it, each card
// counts its model's parameters, recent projects appear (a missing file greyed, with the reason,
// and not opened), the runs line names the run database, and the designer's docks step aside on
// the tabs that are not about the graph. examplesDir() honours $NEURITE_EXAMPLES_DIR.
#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "core/paths.h"
#include "designer/designer_widget.h"
#include "designer/graph_model.h"
#include "deploy/try_it_panel.h"
#include "main_window.h"
#include "project_files.h"
#include "runs/runs_panel.h"
#include "support/test_env.h"
#include "training/training_controller.h"
#include "training/training_panel.h"
#include "settings/theme.h"
#include "welcome/example_catalog.h"
#include "welcome/welcome_page.h"

using namespace neurite;

namespace {

QString examplesFolder() { return QString::fromStdString(examplesDir().string()); }

QPushButton* button(QWidget* root, const QString& accessibleName) {
    for (QPushButton* b : root->findChildren<QPushButton*>())
        if (b->accessibleName() == accessibleName) return b;
    return nullptr;
}

int countColour(const QImage& image, QColor colour) {
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) n += image.pixelColor(x, y) == colour;
    return n;
}

}  // namespace

class TestWelcomePage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_welcome_page");
        QSettings().clear();
        qunsetenv("NEURITE_EXAMPLES_DIR");
    }
    void cleanupTestCase() { QSettings().clear(); }

    void examplesDirFindsTheSourceTree() {
        // Not installed: the source tree's folder, which holds the bundled examples.
        QCOMPARE(QDir(examplesFolder()).canonicalPath(),
                 QDir(QString::fromStdString(test::sourceDir()) + "/resources/examples").canonicalPath());
        QTemporaryDir dir;
        qputenv("NEURITE_EXAMPLES_DIR", dir.path().toUtf8());
        QCOMPARE(QString::fromStdString(examplesDir().string()), dir.path());
        qputenv("NEURITE_EXAMPLES_DIR", "/nonexistent/examples");  // not there: the next place
        QCOMPARE(QDir(examplesFolder()).canonicalPath(),
                 QDir(QString::fromStdString(test::sourceDir()) + "/resources/examples").canonicalPath());
        qunsetenv("NEURITE_EXAMPLES_DIR");
    }

    void listsEveryExample() {
        MainWindow w;
        const QStringList files = QDir(examplesFolder()).entryList({"*.neurite.json"}, QDir::Files, QDir::Name);
        for (const char* name : {"spiral", "fashion_mlp", "fashion_cnn", "breast_cancer", "iris", "wine", "digits"})
            QVERIFY2(files.contains(QString(name) + ".neurite.json"), name);
        const QList<ExampleInfo>& shown = w.welcomePage()->examples();
        QCOMPARE(shown.size(), files.size());
        QCOMPARE(w.welcomePage()->findChildren<QWidget*>("ExampleCard").size(), files.size());
        for (int i = 0; i < files.size(); ++i) {
            QCOMPARE(QFileInfo(shown[i].path).fileName(), files[i]);
            QVERIFY2(shown[i].error.isEmpty(), qPrintable(shown[i].error));
            QVERIFY2(!shown[i].description.isEmpty(), qPrintable(files[i]));  // the card's text
            QVERIFY(button(w.welcomePage(), "Open " + shown[i].title));
            QVERIFY(button(w.welcomePage(), "Open and train " + shown[i].title));
        }
    }

    void brokenExampleIsListedWithItsError() {
        QTemporaryDir dir;
        QVERIFY(QFile::copy(QString::fromStdString(test::sourceDir()) + "/resources/examples/iris.neurite.json",
                            dir.filePath("iris.neurite.json")));
        QFile bad(dir.filePath("broken.neurite.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{ \"format\": \"neurite-project\", ");
        bad.close();
        WelcomePage page;
        page.loadExamples(dir.path());
        QCOMPARE(page.examples().size(), 2);
        QVERIFY(!page.examples()[0].error.isEmpty());  // broken sorts first
        QVERIFY(!button(&page, "Open broken")->isEnabled());
        QVERIFY(button(&page, "Open Iris")->isEnabled());
        page.loadExamples(QString());
        QVERIFY(page.examples().isEmpty());
    }

    void openLoadsTheExample() {
        MainWindow w;
        w.showWelcome();
        QCOMPARE(w.tabs()->currentWidget(), w.welcomePage());
        QPushButton* open = button(w.welcomePage(), "Open Spiral");
        QVERIFY(open);
        QTest::mouseClick(open, Qt::LeftButton);
        QCOMPARE(w.model()->document().name, std::string("Spiral"));
        QCOMPARE(w.model()->nodes().size(), std::size_t(6));
        QCOMPARE(w.model()->document().data.source.rfind("synthetic:spiral", 0), std::size_t(0));
        QCOMPARE(w.tabs()->currentWidget(), w.designer());
        QVERIFY(w.files()->path().isEmpty());  // a copy: the bundled file is never overwritten
    }

    void openAndTrainStartsTraining() {
        MainWindow w;
        QSignalSpy prepared(&w.trainingPanel()->controller(), &TrainingController::prepared);
        QTest::mouseClick(button(w.welcomePage(), "Open and train Iris"), Qt::LeftButton);
        QCOMPARE(w.model()->document().name, std::string("Iris"));
        QVERIFY(w.trainingPanel()->controller().running());
        QVERIFY(w.tabs()->currentWidget()->isAncestorOf(w.trainingPanel()));
        QVERIFY(prepared.wait(30000));
        w.trainingPanel()->controller().stop();
        QTRY_VERIFY_WITH_TIMEOUT(!w.trainingPanel()->controller().running(), 30000);
    }

    void countsParameters() {
        WelcomePage page;
        page.loadExamples(examplesFolder());
        QSignalSpy counted(&page, &WelcomePage::sizesCounted);
        page.countSizes();
        QVERIFY(counted.wait(120000));
        int spiral = -1;
        for (int i = 0; i < page.examples().size(); ++i)
            if (page.examples()[i].title == "Spiral") spiral = i;
        QVERIFY(spiral >= 0);
        // 2 -> 64 -> 64 -> 3 classes: (2*64+64) + (64*64+64) + (64*3+3)
        QCOMPARE(page.sizeText(spiral), QString("6 layers, %1 parameters").arg(QLocale().toString(4547)));
    }

    void thumbnailDrawsTheGraph() {
        const QList<ExampleInfo> all = scanExamples(examplesFolder());
        const auto cnn = std::find_if(all.begin(), all.end(), [](const ExampleInfo& e) { return e.title == "Digits CNN"; });
        QVERIFY(cnn != all.end());
        QPalette pal;
        pal.setColor(QPalette::Base, Qt::white);
        const QImage img = graphThumbnail(cnn->document, QSize(150, 64), pal).toImage();
        QVERIFY(countColour(img, QColor(0x3b, 0x82, 0xf6)) > 20);  // the convolution block
        QVERIFY(countColour(img, QColor(0x22, 0xc5, 0x5e)) > 40);  // two ReLU blocks
        QVERIFY(countColour(img, QColor(0x06, 0xb6, 0xd4)) > 20);  // the pooling block
        QVERIFY(countColour(img, Qt::white) > img.width() * img.height() / 2);
    }

    void thumbnailsFollowTheTheme() {
        WelcomePage page;
        page.loadExamples(examplesFolder());
        const auto corner = [&page] {
            auto* thumb = page.findChild<QLabel*>("ExampleThumbnail");
            return thumb->pixmap().toImage().pixelColor(1, 1);
        };
        applyTheme(Preferences::Theme::Light);
        QVERIFY(corner().lightness() > 200);
        applyTheme(Preferences::Theme::Dark);
        QCoreApplication::processEvents();  // the palette change arrives as an event
        QVERIFY2(corner().lightness() < 70, qPrintable(corner().name()));  // redrawn on the palette change, not left white
        applyTheme(Preferences::Theme::System);
    }

    void recentProjects() {
        QTemporaryDir dir;
        MainWindow w;
        const QString path = dir.filePath("mine.neurite.json");
        QVERIFY(w.files()->saveTo(path));
        QListWidget* list = w.welcomePage()->recentList();
        QCOMPARE(list->count(), 1);
        QCOMPARE(list->item(0)->text(), "mine.neurite.json\n" + QFileInfo(path).absolutePath());
        QCOMPARE(list->item(0)->data(Qt::UserRole).toString(), QFileInfo(path).absoluteFilePath());

        // Activating it opens it.
        w.files()->newProject(ProjectDocument{});
        emit list->itemActivated(list->item(0));
        QCOMPARE(w.files()->path(), QFileInfo(path).absoluteFilePath());

        // Gone from disk: greyed with the reason when the page shows again, and not opened.
        w.files()->newProject(ProjectDocument{});
        QVERIFY(QFile::remove(path));
        w.showWelcome();
        QVERIFY2(list->item(0)->text().contains("no longer exists"), qPrintable(list->item(0)->text()));
        QVERIFY(list->item(0)->toolTip().contains(path));
        emit list->itemActivated(list->item(0));
        QVERIFY(w.files()->path().isEmpty());
    }

    void runStoreLineAndDocks() {
        QTemporaryDir dir;
        MainWindow w;
        w.show();
        QVERIFY(w.openRunStore(dir.filePath("runs.db")));
        QVERIFY(w.welcomePage()->runStoreText().contains(dir.filePath("runs.db")));
        QVERIFY(!w.openRunStore("/nonexistent/dir/runs.db"));
        QVERIFY(w.welcomePage()->runStoreText().startsWith("Runs are not recorded"));

        auto* palette = w.findChild<QDockWidget*>("LayersDock");
        QVERIFY(palette->isVisible());
        w.showWelcome();
        QVERIFY(!palette->isVisible());  // the page takes the whole window
        QPushButton* runs = nullptr;
        for (QPushButton* b : w.welcomePage()->findChildren<QPushButton*>())
            if (b->text().remove('&') == "Show runs") runs = b;
        QVERIFY(runs);
        QTest::mouseClick(runs, Qt::LeftButton);
        QCOMPARE(w.tabs()->currentWidget(), w.runsPanel());
        QVERIFY(!palette->isVisible());  // the runs are not about the graph either
        w.tabs()->setCurrentWidget(w.tryItPanel());
        QVERIFY(!palette->isVisible());
        w.tabs()->setCurrentWidget(w.designer());
        QVERIFY(palette->isVisible());  // back as the user had them
        // A dock the user closed stays closed after a trip through the other tabs.
        auto* inspector = w.findChild<QDockWidget*>("InspectorDock");
        inspector->hide();
        w.showWelcome();
        w.tabs()->setCurrentWidget(w.designer());
        QVERIFY(palette->isVisible());
        QVERIFY(!inspector->isVisible());
    }
};

QTEST_MAIN(TestWelcomePage)
#include "test_welcome_page.moc"
