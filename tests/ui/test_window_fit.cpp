// The studio on a small screen: at 1280x720, and at 1280x720 scaled by 125% (1024x576 logical
// pixels), a fresh start opens a window that fits the screen, and on every tab no visible widget
// is cut off by its window or by a scroll area that cannot scroll that way; the layer palette
// shows its layer names whole. Each screen runs in a child process of this executable (the
// offscreen platform's screen and QT_SCALE_FACTOR are fixed when the application starts). Saved
// geometry that no longer fits the screen is not restored. Ctrl+Tab and Ctrl+PgUp/PgDown switch
// tabs.
#include <QAbstractScrollArea>
#include <QApplication>
#include <QDockWidget>
#include <QProcess>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include "main_window.h"
#include "window_geometry.h"

using namespace neurite;

namespace {

const char* const kChildVariable = "NEURITE_WINDOW_FIT_CHILD";

QString describe(const QWidget* w) {
    QStringList chain;
    for (const QWidget* p = w; p && chain.size() < 5; p = p->parentWidget())
        chain.prepend(p->objectName().isEmpty() ? QString::fromLatin1(p->metaObject()->className())
                                                : QStringLiteral("%1#%2").arg(p->metaObject()->className(), p->objectName()));
    return chain.join(" > ");
}

QString rectText(const QRect& r) {
    return QStringLiteral("%1x%2+%3+%4").arg(r.width()).arg(r.height()).arg(r.x()).arg(r.y());
}

// A scroll area's content cut off in a direction it cannot scroll.
void checkScrollContent(QAbstractScrollArea* area, QWidget* content, QStringList& out) {
    const QWidget* viewport = area->viewport();
    if (area->horizontalScrollBarPolicy() == Qt::ScrollBarAlwaysOff && content->width() > viewport->width())
        out << QStringLiteral("%1 is %2 px wide in a %3 px view that does not scroll sideways")
                   .arg(describe(content)).arg(content->width()).arg(viewport->width());
    if (area->verticalScrollBarPolicy() == Qt::ScrollBarAlwaysOff && content->height() > viewport->height())
        out << QStringLiteral("%1 is %2 px high in a %3 px view that does not scroll")
                   .arg(describe(content)).arg(content->height()).arg(viewport->height());
}

// A tree's item names cut off at the right edge of its view (the palette's "Den", "Flatt").
void checkTreeItems(QTreeWidget* tree, QStringList& out) {
    const int right = tree->viewport()->width();
    for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        const QRect r = tree->visualItemRect(*it);
        if ((*it)->isHidden() || r.isEmpty()) continue;
        const int textRight = r.left() + tree->fontMetrics().horizontalAdvance((*it)->text(0)) +
                              tree->style()->pixelMetric(QStyle::PM_FocusFrameHMargin) * 2;
        if (textRight > right)
            out << QStringLiteral("%1: item \"%2\" needs %3 px, the view is %4 px wide")
                       .arg(describe(tree), (*it)->text(0)).arg(textRight).arg(right);
    }
}

// Every visible widget inside its parent (a layout squeezed below its minimum places children
// outside), scroll areas' content scrollable where it is larger than the view.
QStringList clippedWidgets(QWidget* window) {
    QStringList out;
    for (QWidget* w : window->findChildren<QWidget*>()) {
        if (!w->isVisible() || w->isWindow() || w->width() <= 0 || w->height() <= 0) continue;
        QWidget* parent = w->parentWidget();
        if (auto* tree = qobject_cast<QTreeWidget*>(w)) checkTreeItems(tree, out);
        auto* area = parent->parentWidget() ? qobject_cast<QAbstractScrollArea*>(parent->parentWidget()) : nullptr;
        if (area && area->viewport() == parent) {
            auto* scroll = qobject_cast<QScrollArea*>(area);
            if (scroll && scroll->widget() == w) checkScrollContent(area, w, out);
            continue;  // item views place their own editors and widgets
        }
        if (!parent->rect().contains(w->geometry()))
            out << QStringLiteral("%1 at %2 lies outside its parent (%3)")
                       .arg(describe(w), rectText(w->geometry()), rectText(parent->rect()));
    }
    return out;
}

// The child: a fresh start on the screen the platform was given, every tab checked.
int checkEveryTab() {
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("NeuriteTest");
    QCoreApplication::setApplicationName("test_window_fit_child");
    QSettings().clear();
    MainWindow window;
    window.show();
    if (!QTest::qWaitForWindowExposed(&window)) return 100;
    QStringList problems;
    const QRect available = window.screen()->availableGeometry();
    QTabWidget* tabs = window.tabs();
    if (!available.contains(window.frameGeometry())) {
        // What asks for the room: each tab's and each dock's minimum size.
        QStringList minimums;
        for (int i = 0; i < tabs->count(); ++i)
            minimums << QStringLiteral("%1 %2x%3").arg(tabs->tabText(i)).arg(tabs->widget(i)->minimumSizeHint().width())
                            .arg(tabs->widget(i)->minimumSizeHint().height());
        for (const QDockWidget* d : window.findChildren<QDockWidget*>())
            minimums << QStringLiteral("%1 dock %2x%3").arg(d->windowTitle()).arg(d->minimumSizeHint().width())
                            .arg(d->minimumSizeHint().height());
        problems << QStringLiteral("the window %1 does not fit the screen's %2 (minimum size %3x%4: %5)")
                        .arg(rectText(window.frameGeometry()), rectText(available))
                        .arg(window.minimumSizeHint().width()).arg(window.minimumSizeHint().height())
                        .arg(minimums.join(", "));
    }
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        QTest::qWait(100);  // posted layout requests and dock changes
        for (const QString& p : clippedWidgets(&window))
            problems << QStringLiteral("%1 tab: %2").arg(tabs->tabText(i), p);
    }
    for (const QString& p : problems) std::printf("%s\n", qPrintable(p));
    std::fflush(stdout);
    return static_cast<int>(std::min<qsizetype>(problems.size(), 99));
}

}  // namespace

class TestWindowFit : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_window_fit");
        QSettings().clear();
    }

    void everyTabFitsTheScreen_data() {
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("height");
        QTest::addColumn<QString>("scale");
        QTest::newRow("1280x720") << 1280 << 720 << "1";
        QTest::newRow("1280x720 at 125%") << 1280 << 720 << "1.25";
    }

    void everyTabFitsTheScreen() {
        QFETCH(int, width);
        QFETCH(int, height);
        QFETCH(QString, scale);
        QTemporaryDir dir;
        QFile config(dir.filePath("screen.json"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral(R"({"screens": [{"name": "small", "x": 0, "y": 0, "width": %1,
                                       "height": %2, "logicalDpi": 96, "dpr": 1}]})")
                         .arg(width).arg(height).toUtf8());
        config.close();
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(kChildVariable, "1");
        env.insert("QT_QPA_PLATFORM", "offscreen:configfile=" + config.fileName());
        env.insert("QT_SCALE_FACTOR", scale);
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(120000));
        QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() < 100,
                 qPrintable(QString::fromUtf8(child.readAllStandardError())));
        QStringList problems = QString::fromUtf8(child.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(static_cast<int>(problems.size()), child.exitCode());
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }

    // Ctrl+Tab / Ctrl+PgDown and Ctrl+Shift+Tab / Ctrl+PgUp switch tabs from inside any tab.
    void keysSwitchTabs_data() {
        QTest::addColumn<int>("key");
        QTest::addColumn<int>("modifiers");
        QTest::addColumn<int>("step");
        QTest::newRow("Ctrl+Tab") << int(Qt::Key_Tab) << int(Qt::ControlModifier) << 1;
        QTest::newRow("Ctrl+PgDown") << int(Qt::Key_PageDown) << int(Qt::ControlModifier) << 1;
        QTest::newRow("Ctrl+Shift+Tab") << int(Qt::Key_Backtab) << int(Qt::ControlModifier | Qt::ShiftModifier) << -1;
        QTest::newRow("Ctrl+PgUp") << int(Qt::Key_PageUp) << int(Qt::ControlModifier) << -1;
    }

    void keysSwitchTabs() {
        QFETCH(int, key);
        QFETCH(int, modifiers);
        QFETCH(int, step);
        MainWindow window;
        window.show();
        QApplication::setActiveWindow(&window);
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTabWidget* tabs = window.tabs();
        const int count = tabs->count();
        for (int i = 0; i < count; ++i) {
            const int from = tabs->currentIndex();
            tabs->currentWidget()->setFocus();
            QWidget* focus = QApplication::focusWidget() ? QApplication::focusWidget() : &window;
            QTest::keyClick(focus, Qt::Key(key), Qt::KeyboardModifiers(modifiers));
            QCOMPARE(tabs->currentIndex(), (from + step + count) % count);
        }
    }

    void fittedGeometryStaysOnTheScreen_data() {
        QTest::addColumn<QRect>("available");
        QTest::addColumn<QRect>("expected");
        QTest::newRow("large screen: the preferred size, centred")
            << QRect(0, 0, 1920, 1080) << QRect(260, 124, 1400, 860);
        QTest::newRow("1280x720: the screen less the frame")
            << QRect(0, 0, 1280, 720) << QRect(4, 32, 1272, 684);
        QTest::newRow("second monitor, panel on top")
            << QRect(1920, 30, 1024, 738) << QRect(1924, 62, 1016, 702);
    }

    void fittedGeometryStaysOnTheScreen() {
        QFETCH(QRect, available);
        QFETCH(QRect, expected);
        QCOMPARE(fittedGeometry(QSize(1400, 860), available, QSize(8, 36)), expected);
    }

    // A geometry saved on a larger screen (or at a smaller scale factor) is not restored as is.
    void savedGeometryIsRestoredOnlyWhenItFits() {
        const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
        QWidget big;
        big.setGeometry(QRect(available.topLeft(), available.size() + QSize(300, 200)));
        const QByteArray tooBig = big.saveGeometry();
        QWidget small;
        const QRect inside(available.topLeft() + QPoint(20, 40), available.size() / 2);
        small.setGeometry(inside);
        const QByteArray fits = small.saveGeometry();

        QWidget restored;
        QVERIFY(!restoreFittingGeometry(&restored, tooBig, QSize(1400, 860)));
        QVERIFY2(available.contains(restored.geometry()), qPrintable(rectText(restored.geometry())));
        QWidget again;
        QVERIFY(restoreFittingGeometry(&again, fits, QSize(1400, 860)));
        QCOMPARE(again.geometry(), inside);
        QWidget fresh;
        QVERIFY(!restoreFittingGeometry(&fresh, QByteArray(), QSize(1400, 860)));
        QVERIFY(available.contains(fresh.geometry()));
    }
};

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (qEnvironmentVariableIsSet(kChildVariable)) return checkEveryTab();
    TestWindowFit test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "test_window_fit.moc"
