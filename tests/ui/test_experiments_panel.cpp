// The Experiments tab on the Wine example, driven through its own widgets: the builder offers the
// project's fields, builds the lr x batch-size grid with 3-fold cross-validation, Run trains it to
// the end on the worker (9 trials, 27 recorded runs), the table's best row is the engine's
// bestTrial of what the store holds, the plots show every trial; a bad range is refused with the
// entry named and nothing starts; Stop, then Resume, completes the grid without running a
// finished trial again; a saved definition opens as it was built; in the studio a double-clicked
// trial opens its first run in the Runs tab.
#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

#include "experiment_store.h"
#include "experiments/definition_builder.h"
#include "experiments/experiment_fields.h"
#include "experiments/experiment_results.h"
#include "experiments/experiments_panel.h"
#include "experiments/parameter_table.h"
#include "trial_records.h"
#include "experiments/trials_table_model.h"
#include "experiments/trial_confusions.h"
#include "confusion_plot.h"
#include "run_records.h"
#include "band_plot.h"
#include "importance_plot.h"
#include "parallel_coordinates_plot.h"
#include "pareto_plot.h"
#include "io/json_text.h"
#include "main_window.h"
#include "runs/runs_panel.h"
#include "run_store.h"
#include "support/test_env.h"
#include "trial_scatter_plot.h"

using namespace neurite;

namespace {

nlohmann::json wineProject(int epochs) {
    QFile f(QString::fromStdString(test::sourceDir()) + "/resources/examples/wine.neurite.json");
    if (!f.open(QIODevice::ReadOnly)) return {};
    nlohmann::json j = io::parseJson(f.readAll().toStdString(), "wine");
    j["training"]["epochs"] = epochs;
    j["training"]["threads"] = 1;
    return j;
}

// The classic grid through the builder's widgets: Add Parameter twice (the first unused fields,
// learning rate and batch size), their values typed, 3 folds.
void buildGrid(ExperimentsPanel& panel, int epochs) {
    DefinitionBuilder* b = panel.builder();
    b->setProjectSource([epochs]() -> std::optional<ProjectSnapshot> {
        return ProjectSnapshot{wineProject(epochs), QStringLiteral("wine.neurite.json")};
    });
    ParameterTable* table = b->parameters();
    auto* add = b->findChild<QPushButton*>();
    for (QPushButton* button : b->findChildren<QPushButton*>())
        if (button->text() == "Add Parameter") add = button;
    while (table->rowCount() > 0) table->removeParameter(0);
    QTest::mouseClick(add, Qt::LeftButton);
    QTest::mouseClick(add, Qt::LeftButton);
    QCOMPARE(table->pathAt(0), QString("training.optimizer.lr"));
    QCOMPARE(table->pathAt(1), QString("training.batch_size"));
    table->valuesEdit(0)->setText("0.0001, 0.001, 0.01");
    table->valuesEdit(1)->setText("16, 32, 64");
    b->foldsBox()->setValue(3);
    b->nameEdit()->setText("wine grid");
}

std::vector<TrialResult> storedTrials(const QString& db, qint64 id, std::vector<storage::TrialRecord>* records = nullptr) {
    storage::RunStore store(db.toStdString());
    storage::ExperimentStore experiments(store);
    const ExperimentDefinition def = parseExperiment(experiments.require(id).definitionJson, "stored", "");
    const std::vector<storage::TrialRecord> stored = experiments.trials(id);
    if (records) *records = stored;
    return storedResults(def, stored);
}

}  // namespace

class TestExperimentsPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath("runs.db");
    }

    // The fields come from the project: training settings and the layer parameters the user may
    // set (not the Input node's, not the "auto" output units).
    void offersTheProjectsFields() {
        const std::vector<FieldChoice> fields = experimentFields(wineProject(20));
        QStringList paths;
        for (const FieldChoice& f : fields) paths << f.path;
        QVERIFY(paths.contains("training.optimizer.lr"));
        QVERIFY(paths.contains("training.optimizer.type"));
        QVERIFY(paths.contains("training.regularization.l2"));
        QVERIFY2(paths.contains("model.nodes[fc1].params.units"), qPrintable(paths.join(", ")));
        QVERIFY(!paths.contains("model.nodes[logits].params.units"));
        QVERIFY(std::none_of(paths.begin(), paths.end(), [](const QString& p) { return p.contains("[input]"); }));
        // The learning rate's suggestion spans the project's 0.005 by a factor of ten each way.
        QCOMPARE(fields.front().text, QString("0.0005, 0.005, 0.05"));
        QVERIFY(objectiveMetrics().contains("val_accuracy"));
        QVERIFY(objectiveMetrics().contains("test_f1_macro"));
        QVERIFY(!objectiveMetrics().join(",").contains('*'));
    }

    void runsTheWineGridToTheEnd() {
        ExperimentsPanel panel;
        panel.resize(1280, 720);
        panel.show();
        QVERIFY(panel.setStorePath(m_db));
        buildGrid(panel, 20);
        QVERIFY(panel.runButton()->isEnabled());
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QVERIFY2(panel.controller().running(), qPrintable(panel.builder()->message()->text()));
        QVERIFY(!panel.runButton()->isEnabled());
        QVERIFY(panel.stopButton()->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), test::kSlowWaitMs);

        ExperimentResults* results = panel.results();
        const qint64 id = panel.controller().experimentId();
        QVERIFY(id > 0);
        QCOMPARE(results->shownExperiment(), id);
        QCOMPARE(results->shownStatus(), QString("completed"));
        TrialsTableModel* model = results->model();
        QCOMPARE(model->rowCount(), 9);
        QCOMPARE(model->columnCount(), TrialsTableModel::FirstParameter + 3);  // lr, batch size, status
        QCOMPARE(model->headerData(TrialsTableModel::FirstParameter, Qt::Horizontal, Qt::DisplayRole).toString(),
                 QString("lr"));
        for (int row = 0; row < 9; ++row) QCOMPARE(model->rowAt(row)->result.status, std::string("completed"));
        QCOMPARE(panel.progressBar()->value(), 9);
        QCOMPARE(panel.progressBar()->maximum(), 9);
        QCOMPARE(panel.finishedTrials().size(), std::size_t(9));

        // The best row is the engine's choice over what the store holds.
        std::vector<storage::TrialRecord> records;
        const std::vector<TrialResult> stored = storedTrials(m_db, id, &records);
        const ExperimentDefinition def = *model->definition();
        const std::optional<std::size_t> best = bestTrial(def, stored);
        QVERIFY(best);
        QCOMPARE(model->bestNumber(), stored[*best].number);
        const QModelIndex bestCell = model->index(model->rowOf(model->bestNumber()), model->statusColumn());
        QVERIFY(bestCell.data(Qt::FontRole).value<QFont>().bold());
        QVERIFY(bestCell.data().toString().endsWith("(best)"));
        QVERIFY2(results->summary()->text().contains(QString("Best: trial %1").arg(model->bestNumber())),
                 qPrintable(results->summary()->text()));
        // The objective column shows the stored values; every trial has its three folds.
        for (const storage::TrialRecord& r : records) {
            QCOMPARE(r.runIds.size(), std::size_t(3));
            QCOMPARE(model->rowAt(model->rowOf(r.number))->result.objective, r.objective);
        }

        // Sorting by the objective puts the best first (val_loss is minimized).
        results->table()->sortByColumn(TrialsTableModel::Objective, Qt::AscendingOrder);
        QCOMPARE(results->proxy()->index(0, TrialsTableModel::Trial).data().toInt(), model->bestNumber());

        // The history: nine points and the best so far after each; the scatter against the
        // learning rate on a log axis (1e-4 .. 1e-2), against the batch size on a linear one.
        QCOMPARE(results->historyPlot()->pointCount(), 9);
        QCOMPARE(results->historyPlot()->bestLineCount(), 9);
        QCOMPARE(results->parameterBox()->count(), 2);
        results->parameterBox()->setCurrentIndex(0);
        QCOMPARE(results->parameterPlot()->pointCount(), 9);
        QCOMPARE(results->parameterPlot()->xScale(), plot::TrialScatterPlot::XScale::Log);
        results->parameterBox()->setCurrentIndex(1);
        QCOMPARE(results->parameterPlot()->xScale(), plot::TrialScatterPlot::XScale::Linear);
        QVERIFY(results->parameterPlot()->csv().startsWith("trial,training.batch_size,val_loss,completed\n"));

        // The other views: nine lines over two parameters and the objective; importance names the
        // learning rate first (it moves val_loss far more than the batch size here); the Pareto
        // front of val_loss against the parameter count holds the best trial (all trials share
        // one model, so one cost); the curves show the five best trials with their folds' band.
        QCOMPARE(results->parallelPlot()->trialCount(), 9);
        QCOMPARE(results->parallelPlot()->axisCount(), 3);
        QCOMPARE(results->importancePlot()->sortedNames().value(0), QString("lr"));
        QVERIFY(results->paretoPlot()->frontTrials().contains(model->bestNumber()));
        QCOMPARE(results->bandPlot()->seriesCount(), 5);
        // A click on a front point selects its trial in the table.
        emit results->paretoPlot()->trialClicked(model->bestNumber());
        const QModelIndexList picked = results->table()->selectionModel()->selectedRows(TrialsTableModel::Trial);
        QCOMPARE(picked.size(), 1);
        QCOMPARE(picked.front().data().toInt(), model->bestNumber());

        // Double-clicking a trial asks for its first run.
        QSignalSpy requested(&panel, &ExperimentsPanel::runRequested);
        QTableView* view = results->table();
        const QRect cell = view->visualRect(results->proxy()->index(0, TrialsTableModel::Trial));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(requested.count(), 1);
        QCOMPARE(requested.first().first().toLongLong(), records[static_cast<std::size_t>(model->bestNumber() - 1)].runIds.front());

        // Every fold of every trial is a run in the store, under the experiment.
        storage::RunStore store(m_db.toStdString());
        QCOMPARE(storage::ExperimentStore(store).runIds(id).size(), std::size_t(27));

        // The Confusion view: the chosen trial's matrix pooled over its three folds' validation
        // evaluations, which together cover every sample the folds were cut from once.
        results->views()->setCurrentWidget(results->confusions());
        TrialConfusions* confusions = results->confusions();
        QCOMPARE(confusions->shownCount(), 1);
        const plot::ConfusionData pooled = confusions->plotAt(0)->matrix();
        QCOMPARE(pooled.classes.size(), 3);
        int64_t pooledTotal = 0, validationTotal = 0;
        for (const int64_t c : pooled.counts) pooledTotal += c;
        for (const int64_t run : records[static_cast<std::size_t>(model->bestNumber() - 1)].runIds) {
            const storage::RunDetails details = store.requireRun(run);
            validationTotal += storage::parseDataSummary(details.dataJson, "run").validation;
        }
        QCOMPARE(pooledTotal, validationTotal);
        QVERIFY2(confusions->captionAt(0)->text().contains("3 runs pooled"), qPrintable(confusions->captionAt(0)->text()));
        // With no trial chosen, the best three; with five chosen, the first four side by side.
        results->table()->clearSelection();
        QCOMPARE(confusions->shownCount(), 3);
        QVERIFY(confusions->plotAt(0)->objectName().endsWith(QString::number(model->bestNumber())));
        results->table()->selectAll();
        QCOMPARE(confusions->shownCount(), TrialConfusions::kMaxTrials);
        QVERIFY2(confusions->note()->text().contains("first 4 of the 9"), qPrintable(confusions->note()->text()));
        confusions->sharesBox()->setChecked(true);
        QVERIFY(confusions->plotAt(3)->showShares());
        QVERIFY(confusions->plotAt(3)->cellText(0, 0).contains('%'));
    }

    // A range the reader refuses names its entry, in the builder's message, and nothing starts.
    void badRangeIsRefusedAndStartsNothing() {
        ExperimentsPanel panel;
        QVERIFY(panel.setStorePath(m_db));
        buildGrid(panel, 20);
        const int before = panel.results()->experimentBox()->count();
        ParameterTable* table = panel.builder()->parameters();
        table->kindBox(0)->setCurrentIndex(static_cast<int>(SearchParam::Kind::LogUniform));
        table->valuesEdit(0)->setText("0.01, 0.0001");  // low > high
        panel.builder()->strategyBox()->setCurrentIndex(DefinitionBuilder::Random);
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QVERIFY(!panel.controller().running());
        const QString message = panel.builder()->message()->text();
        QVERIFY2(message.contains("$.parameters") && message.contains("\"training.optimizer.lr\"") &&
                     message.contains("range is empty"), qPrintable(message));
        // Not a range at all: the builder says so before the reader.
        table->valuesEdit(0)->setText("small, large");
        QTest::mouseClick(panel.runButton(), Qt::LeftButton);
        QVERIFY(!panel.controller().running());
        QVERIFY2(panel.builder()->message()->text().startsWith("Not a valid experiment: parameters[0] (training.optimizer.lr)"),
                 qPrintable(panel.builder()->message()->text()));
        // A value the field refuses (a batch of 0), named by its place in the values.
        table->kindBox(0)->setCurrentIndex(static_cast<int>(SearchParam::Kind::Choice));
        table->valuesEdit(0)->setText("0.001");
        table->valuesEdit(1)->setText("16, 0");
        QVERIFY(!panel.run());
        QVERIFY2(panel.builder()->message()->text().contains("$.parameters[1].values[1]"),
                 qPrintable(panel.builder()->message()->text()));
        panel.results()->reloadList();
        QCOMPARE(panel.results()->experimentBox()->count(), before);
        // Check says what a valid definition runs.
        panel.builder()->strategyBox()->setCurrentIndex(DefinitionBuilder::Grid);
        table->valuesEdit(1)->setText("16, 32");
        QTest::mouseClick(panel.checkButton(), Qt::LeftButton);
        QVERIFY2(panel.builder()->message()->text().startsWith("Valid: 2 trial(s) of 3 training(s)"),
                 qPrintable(panel.builder()->message()->text()));
    }

    // Stop after two trials, then Resume: the grid completes, the finished trials keep their
    // runs and none of them trains again.
    void stopThenResumeRunsNoFinishedTrialAgain() {
        ExperimentsPanel panel;
        panel.show();
        QVERIFY(panel.setStorePath(m_db));
        buildGrid(panel, 1500);  // most of a second a trial: the stop comes long before the last one
        QSignalSpy batches(&panel.controller(), &ExperimentController::progressed);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(panel.run());
        QTRY_VERIFY_WITH_TIMEOUT(panel.finishedTrials().size() >= 2, test::kSlowWaitMs);
        QTest::mouseClick(panel.stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), test::kSlowWaitMs);
        const qint64 id = panel.controller().experimentId();
        QCOMPARE(panel.results()->shownStatus(), QString("stopped"));
        std::vector<storage::TrialRecord> before;
        storedTrials(m_db, id, &before);
        std::set<int> finished;
        std::map<int, std::vector<int64_t>> runsBefore;
        for (const storage::TrialRecord& t : before)
            if (t.status == "completed") {
                finished.insert(t.number);
                runsBefore[t.number] = t.runIds;
            }
        QVERIFY(finished.size() >= 2);
        QVERIFY2(finished.size() < 9, "the stop came after every trial had finished");
        QVERIFY(panel.resumeButton()->isEnabled());

        QTest::mouseClick(panel.resumeButton(), Qt::LeftButton);
        QVERIFY(panel.controller().running());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), test::kSlowWaitMs * 2);
        QCOMPARE(panel.results()->shownStatus(), QString("completed"));
        // 27 trainings of 1500 epochs reach the GUI in batches, never one per epoch.
        const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
        QVERIFY2(batches.count() <= seconds * ExperimentController::kDrainHz + 10,
                 qPrintable(QString("%1 batches in %2 s").arg(batches.count()).arg(seconds)));
        QCOMPARE(panel.results()->model()->rowCount(), 9);
        for (int n : panel.finishedTrials()) QVERIFY2(!finished.count(n), qPrintable(QString("trial %1 ran again").arg(n)));
        QCOMPARE(panel.finishedTrials().size() + finished.size(), std::size_t(9));
        std::vector<storage::TrialRecord> after;
        storedTrials(m_db, id, &after);
        for (const storage::TrialRecord& t : after) {
            QCOMPARE(t.status, std::string("completed"));
            QCOMPARE(t.runIds.size(), std::size_t(3));
            if (finished.count(t.number)) QCOMPARE(t.runIds, runsBefore[t.number]);
        }
        QVERIFY(!panel.resumeButton()->isEnabled());  // a completed experiment has nothing to resume
    }

    void savedDefinitionOpensAsBuilt() {
        ExperimentsPanel panel;
        QVERIFY(panel.setStorePath(m_db));
        buildGrid(panel, 20);
        panel.builder()->strategyBox()->setCurrentIndex(DefinitionBuilder::GridShuffled);
        panel.builder()->seedBox()->setValue(7);
        panel.builder()->objectiveBox()->setCurrentText("val_accuracy");
        QCOMPARE(panel.builder()->directionBox()->currentText(), QString("maximize"));  // its natural direction
        const QString path = m_dir.filePath("grid.experiment.json");
        QVERIFY(panel.builder()->saveFile(path));
        const std::optional<ExperimentDefinition> built = panel.builder()->definition();
        QVERIFY(built);

        DefinitionBuilder other;
        QVERIFY2(other.openFile(path), qPrintable(other.message()->text()));
        QVERIFY(!other.followsOpenProject());
        QCOMPARE(other.parameters()->rowCount(), 2);
        QCOMPARE(other.parameters()->valuesEdit(0)->text(), QString("0.0001, 0.001, 0.01"));
        QCOMPARE(other.strategyBox()->currentIndex(), int(DefinitionBuilder::GridShuffled));
        const std::optional<ExperimentDefinition> reopened = other.definition();
        QVERIFY2(reopened, qPrintable(other.message()->text()));
        nlohmann::json a = experimentToJson(*built), b = experimentToJson(*reopened);
        a.erase("project_path");
        b.erase("project_path");
        QCOMPARE(io::dumpJson(b), io::dumpJson(a));
        // Constraints, a pruner's settings and the startup trials show in their fields and
        // survive Open and Save.
        nlohmann::json extra = a;
        extra["constraints"] = {{{"metric", "parameters"}, {"max", 5000}}, {{"metric", "seconds"}, {"min", 0.5}, {"max", 90}}};
        extra["pruner"] = {{"type", "median"}, {"warmup_epochs", 2}, {"min_trials", 3}};
        const QString extraPath = m_dir.filePath("extra.experiment.json");
        QFile extraFile(extraPath);
        QVERIFY(extraFile.open(QIODevice::WriteOnly));
        extraFile.write(QByteArray::fromStdString(io::dumpJson(extra)));
        extraFile.close();
        QVERIFY2(other.openFile(extraPath), qPrintable(other.message()->text()));
        QCOMPARE(other.constraintsEdit()->text(), QString("parameters <= 5000; seconds >= 0.5; seconds <= 90"));
        QCOMPARE(other.prunerBox()->currentIndex(), 1);
        QCOMPARE(other.prunerFirstBox()->value(), 2);
        QCOMPARE(other.prunerSecondBox()->value(), 3);
        QVERIFY(other.saveFile(extraPath));
        const ExperimentDefinition kept = loadExperiment(extraPath.toStdString());
        QCOMPARE(kept.constraints.size(), std::size_t(2));
        QCOMPARE(kept.constraints[0].max, std::optional<double>(5000));
        QCOMPARE(kept.constraints[1].min, std::optional<double>(0.5));
        QCOMPARE(kept.constraints[1].max, std::optional<double>(90));
        QVERIFY(kept.pruner.kind == PrunerConfig::Kind::Median);
        QCOMPARE(kept.pruner.warmupEpochs, 2);
        QCOMPARE(kept.pruner.minTrials, 3);
        // Edited in the fields: halving with its own settings, a Bayesian search with 4 startup
        // trials, a constraint typed wrong (refused, naming the entry), then right.
        other.prunerBox()->setCurrentIndex(2);
        QCOMPARE(other.prunerSecondBox()->value(), 3);  // halving's default factor
        other.prunerFirstBox()->setValue(2);
        other.prunerSecondBox()->setValue(4);
        other.strategyBox()->setCurrentIndex(DefinitionBuilder::Bayesian);
        QVERIFY(other.startupBox()->isEnabled());
        other.startupBox()->setValue(4);
        other.objectiveBox()->setCurrentText("val_loss");
        other.constraintsEdit()->setText("parameters < 5000");
        QVERIFY(!other.definition());
        QVERIFY2(other.message()->text().contains("constraint 1 \"parameters < 5000\""), qPrintable(other.message()->text()));
        other.constraintsEdit()->setText("latency <= 3");
        QVERIFY(!other.definition());
        QVERIFY2(other.message()->text().contains("$.constraints[0].metric"), qPrintable(other.message()->text()));
        other.constraintsEdit()->setText(" parameters <= 4000 ;");
        const std::optional<ExperimentDefinition> edited = other.definition();
        QVERIFY2(edited, qPrintable(other.message()->text()));
        QVERIFY(edited->pruner.kind == PrunerConfig::Kind::Halving);
        QCOMPARE(edited->pruner.minEpochs, 2);
        QCOMPARE(edited->pruner.reductionFactor, 4);
        QCOMPARE(edited->startupTrials, 4);
        QCOMPARE(edited->constraints.size(), std::size_t(1));
        QCOMPARE(edited->constraints[0].max, std::optional<double>(4000));
        // A file that is not an experiment is refused with the reader's words.
        QFile bad(m_dir.filePath("bad.experiment.json"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("{\"format\": \"neurite-experiment\", \"version\": 1, \"project\": \"missing.neurite.json\"}");
        bad.close();
        QVERIFY(!other.openFile(bad.fileName()));
        QVERIFY2(other.message()->text().contains("$.project"), qPrintable(other.message()->text()));
        QCOMPARE(other.parameters()->rowCount(), 2);  // what was there stays
    }

    // In the studio the tab records in the Runs tab's store, and a double-clicked trial's first
    // run is selected in the Runs tab.
    void aTrialOpensInTheRunsTab() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName("NeuriteTest");
        QCoreApplication::setApplicationName("test_experiments_panel");
        QSettings().clear();
        MainWindow w;
        w.resize(1280, 720);
        w.show();
        QVERIFY(w.openRunStore(m_db));
        ExperimentsPanel* panel = w.experimentsPanel();
        QCOMPARE(panel->controller().storePath(), w.runsPanel()->storePath());
        w.tabs()->setCurrentWidget(panel);
        ExperimentResults* results = panel->results();
        QVERIFY(results->shownExperiment() > 0);  // the newest stored experiment
        std::vector<storage::TrialRecord> records;
        storedTrials(m_db, results->shownExperiment(), &records);
        QTableView* view = results->table();
        results->table()->sortByColumn(TrialsTableModel::Trial, Qt::AscendingOrder);
        const QRect cell = view->visualRect(results->proxy()->index(1, TrialsTableModel::Trial));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(w.runsPanel()));
        QCOMPARE(w.runsPanel()->selectedRuns(), std::vector<int64_t>{records[1].runIds.front()});
    }

    // Delete: with "Keep Runs" the runs stay as ordinary runs, with "Delete With Runs" they go;
    // the panel tells the Runs tab either way.
    // (Last: it deletes what the tests before it stored.)
    void deletingAnExperimentKeepsOrRemovesItsRuns() {
        ExperimentsPanel panel;
        QVERIFY(panel.setStorePath(m_db));
        ExperimentResults* results = panel.results();
        std::vector<storage::ExperimentRecord> all;
        std::size_t runsBefore = 0;
        {
            storage::RunStore store(m_db.toStdString());
            all = storage::ExperimentStore(store).list();
            runsBefore = store.listRuns().size();
        }
        QVERIFY(all.size() >= 2);
        results->showExperiment(all[0].id);
        QVERIFY(results->deleteButton()->isEnabled());
        QSignalSpy runsChanged(&panel, &ExperimentsPanel::runsChanged);
        QVERIFY(results->deleteExperiment(all[0].id, false));
        QCOMPARE(runsChanged.count(), 1);
        QCOMPARE(results->experimentBox()->findData(QVariant::fromValue<qint64>(all[0].id)), -1);
        std::size_t secondRuns = 0;
        {
            storage::RunStore store(m_db.toStdString());
            QCOMPARE(store.listRuns().size(), runsBefore);
            QVERIFY(!storage::ExperimentStore(store).experiment(all[0].id));
            secondRuns = storage::ExperimentStore(store).runIds(all[1].id).size();
        }
        QVERIFY(secondRuns > 0);
        results->showExperiment(all[1].id);
        QVERIFY(results->deleteExperiment(all[1].id, true));
        QCOMPARE(runsChanged.count(), 2);
        storage::RunStore store(m_db.toStdString());
        QCOMPARE(store.listRuns().size(), runsBefore - secondRuns);
        storage::Statement check(store.db(), "PRAGMA integrity_check");
        QVERIFY(check.step());
        QCOMPARE(check.text(0), std::string("ok"));
    }

private:
    QTemporaryDir m_dir;
    QString m_db;
};

QTEST_MAIN(TestExperimentsPanel)
#include "test_experiments_panel.moc"
