// The runs panel on a real store written by neurite-cli: listing, showing one run's curves and
// evaluation, comparing two runs (settings that differ, the same network), editing, a run that
// appears and grows while another process trains it, and a file that is not a database. The
// single-run view tells validation from training by colour and smooths from the start; the
// details follow the selection and the names follow renames; a selection of more runs than the
// view shows is capped with a note.
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSlider>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include "curve_plot.h"
#include "decision_plot.h"
#include <qcustomplot.h>
#include "runs/runs_panel.h"
#include "runs/runs_table_model.h"
#include "evaluation_plots.h"
#include "runs/runs_view.h"
#include "run_store.h"
#include "support/test_env.h"

using neurite::RunsPanel;

namespace {

QString cli() { return qEnvironmentVariable("NEURITE_CLI"); }
QString spiral() {
    return QString::fromStdString(neurite::test::sourceDir()) + "/resources/examples/spiral.neurite.json";
}

bool train(const QString& db, const QStringList& extra) {
    QProcess p;
    p.start(cli(), QStringList{"train", spiral(), "--db", db, "--threads", "1"} + extra);
    return p.waitForFinished(120000) && p.exitCode() == 0;
}

}  // namespace

class TestRunsPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY2(!cli().isEmpty(), "NEURITE_CLI is not set");
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath("runs.db");
        QVERIFY(train(m_db, {"--epochs", "2", "--lr", "0.01"}));
        QVERIFY(train(m_db, {"--epochs", "3", "--lr", "0.003"}));
    }

    void listsAndShowsOneRun() {
        RunsPanel panel;
        QString error;
        QVERIFY2(panel.openStore(m_db, &error), qPrintable(error));
        QCOMPARE(panel.model()->rowCount(), 2);
        // The key settings tell the two runs apart in the list.
        const auto settingsOf = [&](int64_t id) {
            return panel.model()->data(panel.model()->index(panel.model()->rowOf(id), neurite::RunsTableModel::Settings),
                                       Qt::DisplayRole).toString();
        };
        QCOMPARE(settingsOf(1), QString("adam, lr 0.01, batch 32"));
        QCOMPARE(settingsOf(2), QString("adam, lr 0.003, batch 32"));
        // And what they trained on: the source's kind and name, all of it in the tooltip.
        const QModelIndex data = panel.model()->index(panel.model()->rowOf(1), neurite::RunsTableModel::Data);
        QCOMPARE(data.data(Qt::DisplayRole).toString(), QString("synthetic:spiral"));
        QVERIFY2(data.data(Qt::ToolTipRole).toString().startsWith("synthetic:spiral?samples="),
                 qPrintable(data.data(Qt::ToolTipRole).toString()));
        QVERIFY2(panel.hintText().startsWith("Select a run"), qPrintable(panel.hintText()));
        panel.selectRuns({1});
        QCOMPARE(panel.view()->shownRuns(), std::vector<int64_t>{1});
        QVERIFY(panel.hintText().isEmpty());  // the run, not the hint
        auto* loss = panel.view()->lossPlot();
        QVERIFY(loss->pointCount(0) > 10);   // per-step loss
        QCOMPARE(loss->pointCount(1), 2);     // validation loss per epoch
        QCOMPARE(panel.view()->evaluationCount(), 1);
        // Train and validation loss and accuracy, each with best/last/min/max.
        QCOMPARE(panel.view()->metricsTable()->rowCount(), 4);
        QCOMPARE(panel.view()->metricsTable()->item(1, 1)->text(), QString("validation loss"));
    }

    // A stored spiral run keeps its final decision map: the Evaluation tab draws it from the
    // stored final model over the training points, as the Training tab showed it at the end.
    // The model loads on a worker: the tab says so until the map arrives in its place.
    void storedTwoFeatureRunShowsItsDecisionMap() {
        RunsPanel panel;
        QVERIFY(panel.openStore(m_db, nullptr));
        panel.selectRuns({1});
        neurite::RunsView* view = panel.view();
        QCOMPARE(view->evaluationPlotCount(), 0);  // built when its tab shows
        view->findChild<QTabWidget*>()->setCurrentIndex(1);
        QVERIFY(view->mapsPending());
        const int plots = static_cast<int>(neurite::evaluationPlots().size());
        QCOMPARE(view->evaluationPlotCount(), plots);  // ROC, precision-recall, confusion matrix at once
        QTRY_VERIFY_WITH_TIMEOUT(!view->mapsPending(), 60000);
        const auto maps = view->findChildren<neurite::plot::DecisionPlot*>();
        QCOMPARE(maps.size(), 1);
        QCOMPARE(maps.front()->gridImage().size(), QSize(64, 64));
        QVERIFY(maps.front()->pointCount() > 100);
        QCOMPARE(maps.front()->legendNames().size(), 3);
        QCOMPARE(view->evaluationPlotCount(), plots + 1);  // and the decision map
    }

    void comparesTwoRuns() {
        RunsPanel panel;
        QVERIFY(panel.openStore(m_db, nullptr));
        panel.selectRuns({1, 2});
        neurite::RunsView* view = panel.view();
        QCOMPARE(view->shownRuns(), (std::vector<int64_t>{1, 2}));
        QCOMPARE(view->evaluationCount(), 2);
        QCOMPARE(view->lossPlot()->pointCount(3), 3);  // run 2's validation loss, 3 epochs
        QCOMPARE(view->lossPlot()->baseline(), 0);     // run 1's training loss is the baseline
        // Only the settings that differ: epochs and the learning rate.
        QStringList keys;
        for (int r = 0; r < view->settingsTable()->rowCount(); ++r) keys << view->settingsTable()->item(r, 0)->text();
        QVERIFY2(keys.contains("training.optimizer.lr") && keys.contains("training.epochs"), qPrintable(keys.join(",")));
        QVERIFY2(!keys.contains("training.batch_size"), qPrintable(keys.join(",")));
        QVERIFY2(view->networkText().contains("the same network"), qPrintable(view->networkText()));
        // Legends and the baseline box name what sets the runs apart, not only their numbers.
        QCOMPARE(view->baselineBox()->itemText(0), QString("#1 Spiral (lr 0.01, epochs 2)"));
        QCOMPARE(view->baselineBox()->itemText(1), QString("#2 Spiral (lr 0.003, epochs 3)"));
        QCOMPARE(view->lossPlot()->seriesName(1), QString("#1 Spiral (lr 0.01, epochs 2) validation loss"));
        const QString csv = view->curvesCsv();
        QVERIFY(csv.startsWith("run,metric,epoch,value\n"));
        QVERIFY(csv.contains("#1 Spiral,val_loss,2,") && csv.contains("#2 Spiral,val_accuracy,3,"));
        view->findChild<QTabWidget*>()->setCurrentIndex(1);  // the decision maps are drawn
        QTRY_VERIFY_WITH_TIMEOUT(!view->mapsPending(), 60000);
        QTemporaryDir out;
        QString error;
        const QStringList images = view->exportImages(out.path(), &error);
        // 2 curves + 2 runs x (the evaluation plots + a decision map), named by run and plot.
        const qsizetype perRun = static_cast<qsizetype>(neurite::evaluationPlots().size()) + 1;
        QVERIFY2(images.size() == 2 + 2 * perRun, qPrintable(error + images.join(",")));
        for (const QString name : {"run-1-roc.png", "run-2-pr.png", "run-1-confusion.png", "run-2-decision-map.png"})
            QVERIFY2(images.contains(out.filePath(name)), qPrintable(name + QString(" not in ") + images.join(",")));
    }

    void editsAndFilters() {
        QTemporaryDir dir;
        const QString db = dir.filePath("edit.db");
        QVERIFY(QFile::copy(m_db, db));
        RunsPanel panel;
        QVERIFY(panel.openStore(db, nullptr));
        QString error;
        QVERIFY(panel.renameRun(1, "baseline lr", &error));
        QVERIFY(panel.tagRun(2, "slow-lr", &error));
        QVERIFY(panel.noteRun(2, "lower learning rate", &error));
        const int row1 = panel.model()->rowOf(1);
        QCOMPARE(panel.model()->data(panel.model()->index(row1, neurite::RunsTableModel::Name), Qt::DisplayRole).toString(),
                 QString("baseline lr"));
        panel.setFilter("slow-lr");
        QCOMPARE(panel.table()->model()->rowCount(), 1);
        panel.setFilter("");
        QVERIFY(!panel.renameRun(1, "   ", &error));  // an empty name is refused
        QVERIFY(error.contains("empty"));
        QVERIFY(!panel.renameRun(99, "x", &error));
        QVERIFY(error.contains("99"));
        QVERIFY(panel.deleteRun(1, &error));
        QCOMPARE(panel.model()->rowCount(), 1);
    }

    // "Import run...": a run trained elsewhere (here the CLI's own --json events, marked as a
    // PyTorch run) appears in the list, selected, with its epochs and final evaluation; a cut-off
    // file is refused with the line, and the list stays as it was.
    void importsARunTrainedElsewhere() {
        QTemporaryDir dir;
        const QString db = dir.filePath("import.db");
        QVERIFY(QFile::copy(m_db, db));
        QProcess p;
        p.start(cli(), {"train", spiral(), "--no-db", "--json", "--threads", "1", "--epochs", "2"});
        QVERIFY(p.waitForFinished(120000) && p.exitCode() == 0);
        QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QJsonObject finished = QJsonDocument::fromJson(lines[2]).object();
        finished["ran_on"] = QJsonObject{{"framework", "pytorch"}, {"torch", "2.11.0"}, {"processes", 4},
                                         {"backend", "nccl"}, {"device", "NVIDIA H100"}, {"host", "node7"}};
        lines[2] = QJsonDocument(finished).toJson(QJsonDocument::Compact);
        QFile events(dir.filePath("events.jsonl"));
        QVERIFY(events.open(QIODevice::WriteOnly));
        events.write(lines.join('\n') + '\n');
        events.close();
        RunsPanel panel;
        QVERIFY(panel.openStore(db, nullptr));
        const int before = panel.model()->rowCount();
        QString error;
        const auto id = panel.importRunFile(events.fileName(), &error);
        QVERIFY2(id, qPrintable(error));
        QCOMPARE(panel.model()->rowCount(), before + 1);
        QCOMPARE(panel.selectedRuns(), std::vector<int64_t>{*id});
        const neurite::storage::RunDetails run = panel.store()->requireRun(*id);
        QCOMPARE(run.epochsDone, 2);
        QVERIFY2(run.device.find("PyTorch 2.11.0 on 4 processes (nccl, NVIDIA H100) at node7") != std::string::npos,
                 run.device.c_str());
        QVERIFY(std::find(run.tags.begin(), run.tags.end(), "pytorch") != run.tags.end());
        QCOMPARE(panel.view()->evaluationCount(), 1);
        QFile cut(dir.filePath("cut.jsonl"));
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(lines[0] + '\n' + lines[1].left(40));
        cut.close();
        QVERIFY(!panel.importRunFile(cut.fileName(), &error));
        QVERIFY2(error.contains("cut.jsonl: line 2: not valid JSON: the file looks cut off"), qPrintable(error));
        QCOMPARE(panel.model()->rowCount(), before + 1);
    }

    // With the project and train.py's weights/ folder beside the events, the run comes with its
    // final weights (here the package's own, which have train.py's layout); weights that do not
    // fit the project are refused and nothing is written.
    void importsARunWithItsWeights() {
        QTemporaryDir dir;
        const QString db = dir.filePath("weights.db");
        QProcess p;
        p.start(cli(), {"export", spiral(), "--format", "pytorch", "-o", dir.filePath("pkg"), "--no-data"});
        QVERIFY(p.waitForFinished(120000) && p.exitCode() == 0);
        p.start(cli(), {"train", spiral(), "--no-db", "--json", "--threads", "1", "--epochs", "1"});
        QVERIFY(p.waitForFinished(120000) && p.exitCode() == 0);
        QFile events(dir.filePath("pkg/events.jsonl"));
        QVERIFY(events.open(QIODevice::WriteOnly));
        events.write(p.readAllStandardOutput());
        events.close();
        RunsPanel panel;
        QVERIFY(panel.openStore(db, nullptr));
        QString error;
        const QString iris = QString::fromStdString(neurite::test::sourceDir()) + "/resources/examples/iris.neurite.json";
        QVERIFY(!panel.importRunFile(events.fileName(), &error, iris, dir.filePath("pkg/weights")));
        QVERIFY2(error.contains(".npy"), qPrintable(error));
        QCOMPARE(panel.model()->rowCount(), 0);
        const auto id = panel.importRunFile(events.fileName(), &error, spiral(), dir.filePath("pkg/weights"));
        QVERIFY2(id, qPrintable(error));
        QCOMPARE(panel.model()->rowCount(), 1);
        const auto final = panel.store()->checkpoint(*id, neurite::storage::CheckpointKind::Final);
        QVERIFY(final.has_value());
        QCOMPARE(QString::fromStdString(final->format), QString("weights-f32"));
        QVERIFY(final->data.size() > 4 * 100);
    }

    void liveRunAppearsAndGrows() {
        QTemporaryDir dir;
        const QString db = dir.filePath("live.db");
        QVERIFY(train(db, {"--epochs", "1"}));  // the store exists before the panel opens it
        RunsPanel panel;
        QVERIFY(panel.openStore(db, nullptr));
        QCOMPARE(panel.model()->rowCount(), 1);
        QProcess p;
        p.start(cli(), {"train", spiral(), "--db", db, "--threads", "1", "--epochs", "5000"});  // still running when checked, killed below
        QVERIFY(p.waitForStarted());
        QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 2, 30000);
        panel.selectRuns({2});
        QTRY_VERIFY_WITH_TIMEOUT(panel.view()->lossPlot()->pointCount(1) >= 1, 30000);
        const int before = panel.view()->lossPlot()->pointCount(0);
        QTRY_VERIFY_WITH_TIMEOUT(panel.view()->lossPlot()->pointCount(0) > before, 30000);
        p.kill();
        p.waitForFinished();
    }

    void notADatabaseIsAMessage() {
        QTemporaryDir dir;
        const QString bad = dir.filePath("notes.db");
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        RunsPanel panel;
        QString error;
        QVERIFY(!panel.openStore(bad, &error));
        QVERIFY2(error.contains("notes.db"), qPrintable(error));
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(QFileInfo(bad).size(), qint64(4096));  // the file is left as it was
        QVERIFY2(panel.hintText().contains("No run store"), qPrintable(panel.hintText()));
        QVERIFY(panel.openStore(dir.filePath("new.db"), nullptr));
        QVERIFY2(panel.hintText().startsWith("No runs yet"), qPrintable(panel.hintText()));
    }

    // One run: validation loss and accuracy have a colour of their own (not the training
    // curve's, under which they hid), and the loss is smoothed as the slider says from the start.
    void singleRunCurvesAreDistinctAndSmoothed() {
        RunsPanel panel;
        QVERIFY(panel.openStore(m_db, nullptr));
        panel.selectRuns({1});
        neurite::plot::CurvePlot* loss = panel.view()->lossPlot();
        auto* slider = panel.view()->findChild<QSlider*>();
        QVERIFY(slider && slider->value() > 0);
        QCOMPARE(loss->smoothing(), slider->value() / 100.0);
        QCOMPARE(loss->smoothedValues(0).size(), std::size_t(loss->pointCount(0)));
        for (neurite::plot::CurvePlot* plot : {loss, panel.view()->accuracyPlot()}) {
            QMap<QString, QRgb> colours;  // by series name; rgb only (the raw line is faint)
            for (int g = 0; g < plot->customPlot()->graphCount(); ++g) {
                const QCPGraph* graph = plot->customPlot()->graph(g);
                colours.insert(graph->name(), graph->pen().color().rgb());
            }
            const QString metric = plot == loss ? "loss" : "accuracy";
            QVERIFY2(colours.contains("train " + metric) && colours.contains("validation " + metric),
                     qPrintable(colours.keys().join(",")));
            QVERIFY(colours["train " + metric] != colours["validation " + metric]);
        }
    }

    // The list may reset (a run appears or goes): what the user selected stays selected and
    // shown; nothing selected shows the hint, not the last run.
    void detailsFollowTheSelection() {
        QTemporaryDir dir;
        const QString db = dir.filePath("select.db");
        QVERIFY(QFile::copy(m_db, db));
        RunsPanel panel;
        QVERIFY(panel.openStore(db, nullptr));
        panel.resize(1000, 600);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.selectRuns({2});
        QVERIFY(train(db, {"--epochs", "1"}));  // a run appears while run 2 is shown
        panel.reload();
        QCOMPARE(panel.model()->rowCount(), 3);
        QCOMPARE(panel.selectedRuns(), std::vector<int64_t>{2});
        QCOMPARE(panel.view()->shownRuns(), std::vector<int64_t>{2});

        auto* proxy = qobject_cast<QSortFilterProxyModel*>(panel.table()->model());
        const QModelIndex shown = proxy->mapFromSource(panel.model()->index(panel.model()->rowOf(2), 1));
        const QRect cell = panel.table()->visualRect(shown);
        QTest::mouseClick(panel.table()->viewport(), Qt::LeftButton, Qt::ControlModifier, cell.center());
        QVERIFY(panel.selectedRuns().empty());
        QVERIFY(panel.view()->shownRuns().empty());
        QVERIFY2(panel.hintText().startsWith("Select a run"), qPrintable(panel.hintText()));

        panel.selectRuns({3});
        QCOMPARE(panel.view()->shownRuns(), std::vector<int64_t>{3});
        QString error;
        QVERIFY(panel.deleteRun(3, &error));
        QVERIFY(panel.view()->shownRuns().empty());
        QVERIFY2(panel.hintText().startsWith("Select a run"), qPrintable(panel.hintText()));
    }

    void namesFollowRenames() {
        QTemporaryDir dir;
        const QString db = dir.filePath("rename.db");
        QVERIFY(QFile::copy(m_db, db));
        RunsPanel panel;
        QVERIFY(panel.openStore(db, nullptr));
        panel.selectRuns({1, 2});
        neurite::RunsView* view = panel.view();
        QCOMPARE(view->baselineBox()->itemText(0), QString("#1 Spiral (lr 0.01, epochs 2)"));
        QString error;
        QVERIFY(panel.renameRun(1, "first try", &error));
        QCOMPARE(view->baselineBox()->itemText(0), QString("#1 first try (lr 0.01, epochs 2)"));
        QCOMPARE(view->baselineBox()->itemText(1), QString("#2 Spiral (lr 0.003, epochs 3)"));
        QVERIFY2(view->lossPlot()->seriesName(0).startsWith("#1 first try"), qPrintable(view->lossPlot()->seriesName(0)));
        QCOMPARE(view->settingsTable()->horizontalHeaderItem(1)->text(), QString("#1 first try"));
        QCOMPARE(view->shownRuns(), (std::vector<int64_t>{1, 2}));
    }

    // Selecting all of 1,000 runs froze the studio for 5.7 s and took 330 MB: every run was
    // overlaid, tabulated and given two evaluation plots. The view now shows the first
    // kMaxShownRuns in the list's order, says so, and builds evaluation plots on their tab only.
    void largeSelectionIsCappedAndSaysSo() {
        QTemporaryDir dir;
        const QString db = dir.filePath("many.db");
        const int runs = neurite::kMaxShownRuns + 10;
        {
            neurite::storage::RunStore store(db.toStdString());
            for (int r = 1; r <= runs; ++r) {
                neurite::storage::NewRun n;
                n.name = "run " + std::to_string(r);
                n.projectJson = "{}";
                n.settingsJson = R"({"training.batch_size":10})";
                n.dataJson = R"({"train":100})";
                n.device = "CPU";
                n.epochsPlanned = 2;
                const int64_t id = store.beginRun(n);
                store.putEpoch(id, {1, 1.0, 0.5, 1.1, 0.4, 0.01, 1, 100, true, ""});
                store.putEvaluation(id, {"test", 0.5, 0.8, 0.9,
                                         R"({"accuracy":1,"roc":[{"class":"a","fpr":[0,1],"tpr":[0,1],"thresholds":[null,0.5],"auc":0.5}],)"
                                         R"("pr":[{"class":"a","recall":[0,1],"precision":[1,0.5],"thresholds":[null,0.5],"average_precision":0.5}],)"
                                         R"("per_class":[{"class":"a"},{"class":"b"}],)"
                                         R"("confusion_matrix":{"classes":["a","b"],"counts":[[1,0],[0,1]]}})"});
                neurite::storage::RunOutcome o;
                o.status = "completed";
                o.epochsDone = 1;
                store.finishRun(id, o);
            }
        }
        RunsPanel panel;
        QVERIFY(panel.openStore(db, nullptr));
        panel.table()->selectAll();
        QCOMPARE(panel.selectedRuns().size(), std::size_t(runs));
        neurite::RunsView* view = panel.view();
        // The list is sorted newest first: the newest 20 are shown, the oldest of them the baseline.
        std::vector<int64_t> newest;
        for (int64_t id = runs - neurite::kMaxShownRuns + 1; id <= runs; ++id) newest.push_back(id);
        QCOMPARE(view->shownRuns(), newest);
        QCOMPARE(view->lossPlot()->seriesCount(), 2 * neurite::kMaxShownRuns);  // train, validation
        QCOMPARE(view->metricsTable()->rowCount(), 4 * neurite::kMaxShownRuns);
        QCOMPARE(view->settingsTable()->columnCount(), neurite::kMaxShownRuns + 1);
        QVERIFY2(view->note().startsWith(QString("Showing 20 of %1 selected runs").arg(runs)) &&
                     view->note().contains("sorted by Run, descending"),
                 qPrintable(view->note()));
        // Evaluations are read with the runs; their plots wait for their tab.
        QCOMPARE(view->evaluationCount(), neurite::kMaxShownRuns);
        QCOMPARE(view->evaluationPlotCount(), 0);
        auto* tabs = view->findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);
        QCOMPARE(view->evaluationPlotCount(), static_cast<int>(neurite::evaluationPlots().size()) * neurite::kMaxShownRuns);

        // Sorting the list chooses the others: oldest first shows runs 1..20.
        panel.table()->sortByColumn(neurite::RunsTableModel::Id, Qt::AscendingOrder);
        QCOMPARE(view->shownRuns().front(), int64_t{1});
        QCOMPARE(view->shownRuns().back(), int64_t{neurite::kMaxShownRuns});
        QVERIFY2(view->note().contains("ascending"), qPrintable(view->note()));
        QCOMPARE(view->evaluationPlotCount(), static_cast<int>(neurite::evaluationPlots().size()) * neurite::kMaxShownRuns);  // its tab is shown

        // A selection within the cap shows every run and no note.
        panel.selectRuns({3, 5});
        QCOMPARE(view->shownRuns(), (std::vector<int64_t>{3, 5}));
        QVERIFY(view->note().isEmpty());
    }

private:
    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_MAIN(TestRunsPanel)
#include "test_runs_panel.moc"
