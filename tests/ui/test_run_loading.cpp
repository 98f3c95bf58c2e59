// Loading a stored run's models never blocks the GUI's event loop. The run trained here has two
// million samples, so preparing it again (its data loaded and split) takes a noticeable time:
// while the export's load runs, a 10 ms timer keeps ticking with no gap near the load's length
// (a load on the GUI thread would make one gap as long as the load), the progress dialog names
// the step, and the export dialog arrives with both models. Cancel closes the progress at once
// and nothing follows; a missing run is a message box. Try it's run loading ticks the same way.
// BackgroundTask itself: the work runs on another thread, errors and cancels arrive as such.
#include <QElapsedTimer>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <QLabel>
#include <QtTest>

#include <atomic>

#include "support/test_env.h"
#include "background_task.h"
#include "failure.h"
#include "core/error.h"
#include "deploy/export_dialog.h"
#include "deploy/run_export.h"
#include "deploy/try_it_panel.h"
#include "support/cli_runner.h"

using namespace neurite;

namespace {

// Ticks of a 10 ms timer: how many, and the longest time between two (or since the start).
class Ticker {
public:
    Ticker() {
        m_timer.setInterval(10);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            m_longest = std::max(m_longest, m_last.restart());
            ++m_ticks;
            if (m_onTick) m_onTick();
        });
        m_last.start();
        m_timer.start();
    }
    int ticks() const { return m_ticks; }
    qint64 longestGapMs() const { return m_longest; }
    void onTick(std::function<void()> f) { m_onTick = std::move(f); }

private:
    QTimer m_timer;
    QElapsedTimer m_last;
    qint64 m_longest = 0;
    int m_ticks = 0;
    std::function<void()> m_onTick;
};

}  // namespace

class TestRunLoading : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath("runs.db");
        const QString project = test::writeFile(m_dir, "big.neurite.json", R"({"format": "neurite-project", "version": 1,
            "name": "Big spiral",
            "data": {"source": "synthetic:spiral?samples=2000000&classes=3&noise=0.1&seed=7",
                     "validation_split": 0.01, "test_split": 0.01},
            "model": {"output": "out", "nodes": [{"id": "input", "op": "Input"},
                {"id": "fc", "op": "Dense", "params": {"units": 8}, "inputs": ["input"]},
                {"id": "act", "op": "ReLU", "inputs": ["fc"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act"]}]},
            "training": {"epochs": 1, "max_steps": 3, "threads": 1}})");
        const test::Result r = test::runCli({"train", project, "--db", m_db});
        QVERIFY2(r.code == 0, r.err.constData());
    }

    void exportLoadsWithoutBlocking() {
        QWidget parent;
        Ticker ticker;
        QStringList labels;
        QPointer<QProgressDialog> progress;  // deleted when it closes
        ticker.onTick([&] {
            if (progress && !labels.contains(progress->labelText())) labels << progress->labelText();
        });
        QElapsedTimer load;
        load.start();
        progress = exportRunModel(&parent, m_db, 1);
        // Back at once: the progress shows, the dialog comes later.
        QVERIFY(progress->isVisible());
        QVERIFY(!parent.findChild<ExportDialog*>());
        const int ticksBefore = ticker.ticks();
        QTRY_VERIFY_WITH_TIMEOUT(parent.findChild<ExportDialog*>(), 60000);
        const qint64 loadMs = load.elapsed();
        ExportDialog* dialog = parent.findChild<ExportDialog*>();
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->checkpointChoiceVisible());  // final and best
        QVERIFY(!parent.findChild<QMessageBox*>());
        QTRY_VERIFY_WITH_TIMEOUT(!parent.findChild<QProgressDialog*>(), neurite::test::kSlowWaitMs);  // closed and deleted
        QVERIFY2(ticker.ticks() - ticksBefore >= 5, qPrintable(QString("%1 ticks in %2 ms").arg(ticker.ticks() - ticksBefore).arg(loadMs)));
        QVERIFY2(ticker.longestGapMs() * 2 < loadMs,
                 qPrintable(QString("a gap of %1 ms in a load of %2 ms").arg(ticker.longestGapMs()).arg(loadMs)));
        QVERIFY2(labels.join('\n').contains("Run 1: loading the data and building the model..."), qPrintable(labels.join('\n')));
        dialog->close();
    }

    void cancelClosesAtOnceAndNothingFollows() {
        QWidget parent;
        QProgressDialog* progress = exportRunModel(&parent, m_db, 1);
        QPointer<QProgressDialog> watched(progress);
        auto* cancel = progress->findChild<QPushButton*>();
        QVERIFY(cancel);
        cancel->click();
        QTRY_VERIFY_WITH_TIMEOUT(!watched, neurite::test::kSlowWaitMs);  // closed and deleted without waiting for the load
        QTRY_VERIFY_WITH_TIMEOUT(parent.findChildren<BackgroundTask*>().isEmpty(), 60000);  // its worker ended
        QTest::qWait(50);
        QVERIFY(!parent.findChild<ExportDialog*>());
        QVERIFY(!parent.findChild<QMessageBox*>());
    }

    void aMissingRunIsAMessage() {
        QWidget parent;
        exportRunModel(&parent, m_db, 99);
        QTRY_VERIFY_WITH_TIMEOUT(parent.findChild<QMessageBox*>(), 20000);
        QVERIFY2(parent.findChild<QMessageBox*>()->text().contains("no run 99"),
                 qPrintable(parent.findChild<QMessageBox*>()->text()));
        QVERIFY(!parent.findChild<ExportDialog*>());
    }

    void tryItLoadsARunWithoutBlocking() {
        TryItPanel panel;
        Ticker ticker;
        QSignalSpy loaded(&panel, &TryItPanel::modelLoaded);
        QElapsedTimer load;
        load.start();
        panel.loadRun(m_db, 1);
        QVERIFY(panel.modelLoading());
        QVERIFY(!panel.hasModel());
        QVERIFY(loaded.wait(60000));
        const qint64 loadMs = load.elapsed();
        QVERIFY(panel.hasModel());
        QVERIFY2(panel.modelText().startsWith("Run #1 Big spiral (final model)"), qPrintable(panel.modelText()));
        QVERIFY2(ticker.longestGapMs() * 2 < loadMs,
                 qPrintable(QString("a gap of %1 ms in a load of %2 ms").arg(ticker.longestGapMs()).arg(loadMs)));
    }

    void backgroundTaskRunsOffTheGuiThread() {
        BackgroundTask task;
        std::atomic<bool> elsewhere{false};
        bool called = false;
        std::optional<Failure> failure;
        auto record = [&](const std::optional<Failure>& f) {
            called = true;
            failure = f;
        };
        QSignalSpy stages(&task, &BackgroundTask::stageChanged);
        QVERIFY(task.start(
            [&](const StopToken&, const BackgroundTask::Stage& stage) {
                elsewhere = QThread::currentThread() != qApp->thread();
                stage("working");
            },
            record));
        QVERIFY(task.busy());
        QVERIFY(!task.start([](const StopToken&, const BackgroundTask::Stage&) {}, [](const std::optional<Failure>&) {}));
        QTRY_VERIFY_WITH_TIMEOUT(!task.busy(), neurite::test::kSlowWaitMs);
        QVERIFY(elsewhere);
        QVERIFY(called && !failure);
        QCOMPARE(stages.count(), 1);  // posted before the end, so it arrives before it
        QCOMPARE(stages.first().first().toString(), QString("working"));
        QVERIFY(task.stage().isEmpty());

        // Failures keep their kind: bad input, and a bug (any other exception) as Internal.
        QVERIFY(task.start([](const StopToken&, const BackgroundTask::Stage&) { throwBadInput("no such data"); }, record));
        QTRY_VERIFY_WITH_TIMEOUT(!task.busy(), neurite::test::kSlowWaitMs);
        QVERIFY(failure && failure->kind == ErrorKind::BadInput);
        QCOMPARE(failure->message, QString("no such data"));
        QCOMPARE(viewOf(failure->kind), FailureView::Inline);
        QVERIFY(task.start([](const StopToken&, const BackgroundTask::Stage&) { throw std::logic_error("broken"); }, record));
        QTRY_VERIFY_WITH_TIMEOUT(!task.busy(), neurite::test::kSlowWaitMs);
        QVERIFY(failure && failure->kind == ErrorKind::Internal);
        QCOMPARE(viewOf(failure->kind), FailureView::Dialog);

        // Cancel answers at once with a Cancelled failure (a notice, not an error); the worker
        // sees its stop token and its late end is dropped.
        std::atomic<bool> sawStop{false};
        int calls = 0;
        QVERIFY(task.start(
            [&](const StopToken& stop, const BackgroundTask::Stage&) {
                while (!stop.stopRequested()) QThread::msleep(1);
                sawStop = true;
            },
            [&](const std::optional<Failure>& f) {
                ++calls;
                failure = f;
            }));
        task.cancel();
        QCOMPARE(calls, 1);
        QVERIFY(failure && failure->cancelled());
        QCOMPARE(viewOf(failure->kind), FailureView::Notice);
        QVERIFY(!task.busy());
        QTRY_VERIFY_WITH_TIMEOUT(!task.running(), neurite::test::kSlowWaitMs);
        QVERIFY(sawStop);
        QCOMPARE(calls, 1);
    }

    // How each kind is shown: a notice in the label's normal colour, inline in red, a bug also as
    // a dialog; without a label, inline failures become a dialog.
    void failuresAreShownByKind() {
        QWidget parent;
        QLabel label(&parent);
        showFailure({ErrorKind::Cancelled, "stopped"}, &label, &parent, "Export");
        QCOMPARE(label.text(), QString("Export: cancelled."));
        QVERIFY(label.styleSheet().isEmpty());
        QVERIFY(parent.findChildren<QMessageBox*>().isEmpty());
        showFailure({ErrorKind::Io, "disk full"}, &label, &parent, "Cannot save");
        QCOMPARE(label.text(), QString("Cannot save: disk full"));
        QVERIFY(label.styleSheet().contains("color"));
        QVERIFY(parent.findChildren<QMessageBox*>().isEmpty());
        showFailure({ErrorKind::Internal, "index out of range"}, &label, &parent);
        QTRY_COMPARE_WITH_TIMEOUT(parent.findChildren<QMessageBox*>().size(), 1, neurite::test::kSlowWaitMs);
        QVERIFY(parent.findChildren<QMessageBox*>().front()->text().contains("bug in Neurite"));
        showFailure({ErrorKind::BadInput, "no such file"}, nullptr, &parent);
        QTRY_COMPARE_WITH_TIMEOUT(parent.findChildren<QMessageBox*>().size(), 2, neurite::test::kSlowWaitMs);
        clearFailure(&label);
        QVERIFY(label.text().isEmpty() && label.styleSheet().isEmpty());
    }

private:
    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_MAIN(TestRunLoading)
#include "test_run_loading.moc"
