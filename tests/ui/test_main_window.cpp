// The main window opens a bundled example, and a broken file leaves the open project untouched
// with the error shown in a message box.
#include <QMessageBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "main_window.h"
#include "support/test_env.h"

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void opensExampleAndSurvivesBrokenFile() {
        neurite::MainWindow w;
        const QString example = QString::fromStdString(neurite::test::sourceDir()) +
                                "/resources/examples/fashion_cnn.neurite.json";
        QVERIFY(w.openProject(example));
        auto* table = w.findChild<QTableWidget*>();
        QVERIFY(table);
        const int rows = table->rowCount();
        QVERIFY(rows >= 10);
        QCOMPARE(table->item(1, 1)->text(), QString("Conv2D"));
        QVERIFY2(table->item(1, 2)->text().contains("3x3"), qPrintable(table->item(1, 2)->text()));
        QSignalSpy analysed(&w, &neurite::MainWindow::analysisFinished);
        QVERIFY(analysed.wait(30000));
        QCOMPARE(table->item(1, 4)->text(), QString("[N,32,28,28]"));
        QCOMPARE(table->item(1, 5)->text(), QLocale().toString(320));  // 32*1*3*3 + 32
        const QString title = w.windowTitle();

        QTemporaryDir dir;
        QFile bad(dir.filePath("bad.neurite.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{ not json");
        bad.close();
        QVERIFY(!w.openProject(bad.fileName()));
        auto* box = w.findChild<QMessageBox*>();
        QVERIFY(box);
        QVERIFY2(box->text().contains("bad.neurite.json"), qPrintable(box->text()));
        QCOMPARE(table->rowCount(), rows);
        QCOMPARE(w.windowTitle(), title);
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
