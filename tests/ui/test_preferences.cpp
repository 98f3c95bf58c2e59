// Preferences and About: the settings round-trip through QSettings (bad stored values fall back),
// the defaults fill in only what a project leaves open, a new run database takes effect at once
// while one that cannot be opened is refused with an error and the open store kept (also through
// the dialog, which stays open; it names the database in use when --db chose another), the dark
// theme sets a dark Fusion palette and System restores the original, and the About text names
// the version, Git revision, Qt and oneDNN versions.
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include "info/build_info.h"
#include "backend/cpu/cpu_backend.h"
#include "designer/graph_model.h"
#include "main_window.h"
#include "runs/runs_panel.h"
#include "settings/preferences.h"
#include "settings/preferences_dialog.h"
#include "settings/theme.h"
#include "training/training_controller.h"
#include "training/training_panel.h"
#include "welcome/about_dialog.h"

using namespace neurite;

class TestPreferences : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_preferences");
        QSettings().clear();
    }
    void cleanupTestCase() { QSettings().clear(); }

    void roundTrip() {
        QSettings().clear();
        QCOMPARE(Preferences::load(), Preferences{});  // nothing stored: the defaults
        Preferences p;
        p.theme = Preferences::Theme::Dark;
        p.device = "cpu";
        p.threads = 3;
        p.runDatabase = "/tmp/somewhere/runs.db";
        p.save();
        QCOMPARE(QSettings().value("preferences/theme").toString(), QString("dark"));
        QCOMPARE(Preferences::load(), p);

        QSettings().setValue("preferences/theme", "purple");
        QSettings().setValue("preferences/device", "tpu");
        QSettings().setValue("preferences/threads", -4);
        const Preferences fallback = Preferences::load();
        QCOMPARE(fallback.theme, Preferences::Theme::System);
        QCOMPARE(fallback.device, QString("auto"));
        QCOMPARE(fallback.threads, 0);
        QSettings().clear();
    }

    void defaultsFillOnlyWhatTheProjectLeavesOpen() {
        Preferences p;
        p.device = "cpu";
        p.threads = 3;
        ProjectDocument open;  // device "auto", threads 0
        p.applyTo(open);
        QCOMPARE(open.training.device, std::string("cpu"));
        QCOMPARE(open.training.threads, 3);
        ProjectDocument named;
        named.training.device = "cuda:0";
        named.training.threads = 2;
        p.applyTo(named);
        QCOMPARE(named.training.device, std::string("cuda:0"));
        QCOMPARE(named.training.threads, 2);

        MainWindow w;
        QString error;
        QVERIFY(w.applyPreferences(p, &error));
        QCOMPARE(w.runDocument().training.threads, 3);  // what Start trains
        QCOMPARE(w.runDocument().training.device, std::string("cpu"));
        QCOMPARE(w.model()->document().training.threads, 0);  // the project itself is unchanged
        QCOMPARE(Preferences::load().threads, 3);
        QSettings().clear();
    }

    void runDatabaseChangesAtOnceOrNotAtAll() {
        QSettings().clear();
        QTemporaryDir dir;
        MainWindow w;
        QVERIFY(w.openRunStore(dir.filePath("a.db")));
        Preferences p = w.preferences();
        p.runDatabase = dir.filePath("b.db");
        QString error;
        QVERIFY2(w.applyPreferences(p, &error), qPrintable(error));
        QCOMPARE(w.runsPanel()->storePath(), dir.filePath("b.db"));
        QCOMPARE(w.trainingPanel()->controller().storePath(), dir.filePath("b.db"));
        QVERIFY(QFile::exists(dir.filePath("b.db")));
        QCOMPARE(Preferences::load().runDatabase, dir.filePath("b.db"));

        Preferences bad = p;
        bad.runDatabase = "/nonexistent/dir/c.db";
        bad.theme = Preferences::Theme::Dark;  // refused as a whole: the theme does not change either
        QVERIFY(!w.applyPreferences(bad, &error));
        QVERIFY2(error.contains("/nonexistent/dir/c.db"), qPrintable(error));
        QCOMPARE(w.runsPanel()->storePath(), dir.filePath("b.db"));
        QCOMPARE(w.trainingPanel()->controller().storePath(), dir.filePath("b.db"));
        QCOMPARE(Preferences::load().runDatabase, dir.filePath("b.db"));
        QCOMPARE(w.preferences().theme, Preferences::Theme::System);

        // The dialog: OK with a bad path shows why and stays open.
        PreferencesDialog dialog(w.preferences(), listDevices(), dir.filePath("default.db"),
                                 [&w](const Preferences& q, QString* e) { return w.applyPreferences(q, e); });
        QCOMPARE(dialog.databaseEdit()->text(), dir.filePath("b.db"));
        dialog.databaseEdit()->setText("/nonexistent/dir/d.db");
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY2(dialog.error().contains("/nonexistent/dir/d.db"), qPrintable(dialog.error()));
        QCOMPARE(w.runsPanel()->storePath(), dir.filePath("b.db"));
        dialog.databaseEdit()->setText(dir.filePath("e.db"));
        dialog.threadsBox()->setValue(5);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.error().isEmpty());
        QCOMPARE(w.runsPanel()->storePath(), dir.filePath("e.db"));
        QCOMPARE(Preferences::load().threads, 5);
        QSettings().clear();
    }

    // Started with --db FILE, the studio records there: Edit > Preferences says so, and stops
    // saying it once the setting names that database.
    void dialogShowsTheDatabaseInUse() {
        QSettings().clear();
        QTemporaryDir dir;
        const QString given = dir.filePath("given.db");
        MainWindow w;
        QVERIFY(w.openRunStore(given));  // what main() does with --db
        QAction* prefs = nullptr;
        for (QAction* a : w.findChildren<QAction*>())
            if (a->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_Comma)) prefs = a;
        QVERIFY(prefs);
        const auto inUseLine = [&] {
            QString text = "(no dialog)";
            QTimer poll;
            QObject::connect(&poll, &QTimer::timeout, [&] {
                if (auto* d = qobject_cast<PreferencesDialog*>(QApplication::activeModalWidget())) {
                    text = d->findChild<QLabel*>("DatabaseInUse")->isVisible() ? d->databaseInUseText() : QString();
                    d->reject();
                }
            });
            poll.start(20);
            prefs->trigger();  // Preferences is modal: the timer reads and closes it
            return text;
        };
        const QString line = inUseLine();
        QVERIFY2(line.contains(given) && line.contains("--db"), qPrintable(line));
        Preferences p = w.preferences();
        p.runDatabase = given;
        QString error;
        QVERIFY2(w.applyPreferences(p, &error), qPrintable(error));
        QCOMPARE(inUseLine(), QString());
        QSettings().clear();
    }

    void dialogListsDevices() {
        DeviceList devices;
        devices.devices.push_back({"cpu", "Test CPU", "2 cores", true, ""});
        devices.devices.push_back({"cuda:0", "Test GPU", "8 GiB", false, "no driver"});
        devices.gpuNote = "no driver";
        Preferences p;
        p.device = "cuda:3";  // saved on another machine
        PreferencesDialog dialog(p, devices, "/x/runs.db", {});
        QComboBox* box = dialog.deviceBox();
        QCOMPARE(box->count(), 4);  // auto, cpu, cuda:0, and the saved cuda:3
        QCOMPARE(box->itemData(1).toString(), QString("cpu"));
        QCOMPARE(box->itemData(2, Qt::ToolTipRole).toString(), QString("no driver"));
        QCOMPARE(dialog.preferences().device, QString("cuda:3"));  // OK does not change it silently
        box->setCurrentIndex(1);
        QCOMPARE(dialog.preferences().device, QString("cpu"));
    }

    void darkTheme() {
        const QPalette before = QApplication::palette();
        applyTheme(Preferences::Theme::Dark);
        const QPalette dark = QApplication::palette();
        QCOMPARE(QApplication::style()->name().toLower(), QString("fusion"));
        QVERIFY(dark.color(QPalette::Window).lightness() < 70);
        QVERIFY(dark.color(QPalette::Base).lightness() < 70);
        QVERIFY(dark.color(QPalette::WindowText).lightness() > 200);
        QVERIFY(dark.color(QPalette::Text).lightness() > 200);
        QWidget widget;  // widgets pick it up without a restart
        QVERIFY(widget.palette().color(QPalette::Window).lightness() < 70);
        applyTheme(Preferences::Theme::Light);
        QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 180);
        applyTheme(Preferences::Theme::System);
        QCOMPARE(QApplication::palette().color(QPalette::Window), before.color(QPalette::Window));
    }

    void aboutNamesTheVersions() {
        const BuildInfo info = buildInfo();
        QVERIFY(!info.gitRevision.empty());
        const QString text = aboutText(info);
        QVERIFY2(text.contains(QString("Version: %1").arg(NEURITE_VERSION)), qPrintable(text));
        QVERIFY2(text.contains(QString("Git revision: %1").arg(QString::fromStdString(info.gitRevision))),
                 qPrintable(text));
        QVERIFY2(text.contains(QString("Qt: %1 (compiled with %2)").arg(qVersion(), QT_VERSION_STR)), qPrintable(text));
        QVERIFY2(text.contains(QString("oneDNN: %1").arg(QString::fromStdString(cpu::onednnVersion()))),
                 qPrintable(text));
        QVERIFY(text.contains("cuDNN: "));
        QVERIFY2(text.contains("Device cpu: "), qPrintable(text));

        AboutDialog dialog(info);
        QPushButton* copy = nullptr;
        for (QPushButton* b : dialog.findChildren<QPushButton*>())
            if (b->text().remove('&') == "Copy to clipboard") copy = b;
        QVERIFY(copy);
        QApplication::clipboard()->clear();
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), text);
    }
};

QTEST_MAIN(TestPreferences)
#include "test_preferences.moc"
