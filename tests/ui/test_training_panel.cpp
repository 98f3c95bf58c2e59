// The training workspace drives real runs of the spiral example: plots fill while it trains,
// updates arrive batched (far fewer drains than steps), Stop keeps what was trained, and a
// broken data source ends as a message in the panel, not a crash.
#include <QComboBox>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>
#include <qcustomplot.h>

#include "confusion_plot.h"
#include "curve_plot.h"
#include "training/data_view.h"
#include "training/reconstruction_view.h"
#include <QTabWidget>
#include <QTableWidget>
#include "decision_plot.h"
#include "io/project.h"
#include "roc_plot.h"
#include "run_store.h"
#include "support/test_env.h"
#include "runs/runs_table_model.h"
#include "training/forecast_view.h"
#include "training/activation_view.h"
#include "training/neuron_view.h"
#include "training/rewind_dialog.h"
#include <QPushButton>
#include "training/training_panel.h"

using neurite::ProjectDocument;
using neurite::TrainingPanel;

namespace {

ProjectDocument spiral(int epochs) {
    ProjectDocument doc = neurite::loadProject(
        neurite::test::sourceDir() + "/resources/examples/spiral.neurite.json", nullptr);
    doc.training.epochs = epochs;
    doc.training.threads = 1;
    return doc;
}

void useProject(TrainingPanel& panel, const ProjectDocument& doc) {
    panel.setProjectSource([doc](QString*) { return std::optional<ProjectDocument>(doc); });
}

}  // namespace

class TestTrainingPanel : public QObject {
    Q_OBJECT
private slots:
    void wholeRunFillsThePlots() {
        TrainingPanel panel;
        panel.resize(1200, 700);
        panel.show();
        const ProjectDocument doc = spiral(3);
        useProject(panel, doc);
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QVERIFY(panel.controller().running());
        QVERIFY(!panel.startAction()->isEnabled());
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), neurite::test::kSlowWaitMs);
        QVERIFY(panel.startAction()->isEnabled());

        const auto fin = finished.first().first().value<neurite::FinishedEvent>();
        QCOMPARE(fin.status, std::string("completed"));
        QCOMPARE(fin.epochs, 3);
        // 1500 samples, 20% validation, 10% test: 1050 training samples in batches of 32.
        const int stepsPerEpoch = (1050 + 31) / 32;
        QCOMPARE(panel.lossPlot()->pointCount(0), 3 * stepsPerEpoch);
        QCOMPARE(panel.lossPlot()->pointCount(1), 3);         // validation loss per epoch
        QCOMPARE(panel.accuracyPlot()->pointCount(1), 3);     // validation accuracy per epoch
        QCOMPARE(panel.lrPlot()->pointCount(0), 3 * stepsPerEpoch);
        QCOMPARE(panel.rocPlot()->curveCount(), 3);           // one-vs-rest per class
        QVERIFY(panel.rocPlot()->legendText(0).contains("AUC"));
        QCOMPARE(panel.confusionPlot()->matrix().classes.size(), 3);
        int64_t total = 0;
        for (int64_t c : panel.confusionPlot()->matrix().counts) total += c;
        QCOMPARE(total, int64_t{150});  // the test split, shown for the final model
        QCOMPARE(panel.decisionPlot()->gridImage().size(), QSize(64, 64));
        QCOMPARE(panel.decisionPlot()->pointCount(), 1050);
        QVERIFY2(panel.statusText().startsWith("Completed 3 epochs in "), qPrintable(panel.statusText()));
        QVERIFY2(panel.speedText().startsWith("elapsed ") && !panel.speedText().contains("ETA"),
                 qPrintable(panel.speedText()));
        // The data tab: source, per-class training counts (1050 in all), no image previews.
        QVERIFY(panel.dataView()->summaryText().contains("synthetic:spiral"));
        QTableWidget* classes = panel.dataView()->classTable();
        QCOMPARE(classes->rowCount(), 3);
        int counted = 0;
        for (int r = 0; r < 3; ++r) counted += classes->item(r, 1)->text().toInt();
        QCOMPARE(counted, 1050);
        QCOMPARE(panel.dataView()->previewCount(), 0);
        // Progress arrives batched, not one queued call per step.
        QVERIFY2(panel.controller().drainCount() < 3 * stepsPerEpoch / 2,
                 qPrintable(QString::number(panel.controller().drainCount())));
    }

    void stopKeepsWhatWasTrained() {
        TrainingPanel panel;
        useProject(panel, spiral(200));
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QTRY_VERIFY_WITH_TIMEOUT(panel.lossPlot()->pointCount(1) >= 1, 60000);  // an epoch arrived
        panel.pauseAction()->trigger();
        QVERIFY(panel.controller().paused());
        QCOMPARE(panel.pauseAction()->text(), QString("Resume"));
        panel.pauseAction()->trigger();
        QVERIFY(!panel.controller().paused());
        panel.stopAction()->trigger();
        QVERIFY(finished.wait(60000));
        const auto fin = finished.first().first().value<neurite::FinishedEvent>();
        QCOMPARE(fin.status, std::string("cancelled"));
        QVERIFY(fin.epochs >= 1 && fin.epochs < 200);
        QVERIFY2(panel.statusText().startsWith("Stopped by you after "), qPrintable(panel.statusText()));
    }

    // Teaching's time controls on the real panel: Step five times from no run, Reset, Step five
    // times again. Each step pauses with one more point on the loss plot and fresh unit maps; the
    // two runs in the store end with bit-identical weights, and their last maps are the same.
    void stepResetStepIsBitIdentical() {
        QTemporaryDir dir;
        TrainingPanel panel;
        panel.controller().setStorePath(dir.filePath("runs.db"));
        useProject(panel, spiral(3));
        std::shared_ptr<const neurite::UnitMaps> lastMaps;
        QObject::connect(&panel, &TrainingPanel::unitMapsChanged, &panel,
                         [&](std::shared_ptr<const neurite::UnitMaps> m) { lastMaps = std::move(m); });
        const auto stepFive = [&] {
            for (int i = 1; i <= 5; ++i) {
                QVERIFY(panel.stepAction()->isEnabled());
                panel.stepAction()->trigger();
                QVERIFY(!panel.stepAction()->isEnabled());  // until the step is done
                QTRY_VERIFY_WITH_TIMEOUT(panel.stepAction()->isEnabled(), 60000);
                QVERIFY(panel.controller().paused());
                QTRY_COMPARE_WITH_TIMEOUT(panel.lossPlot()->pointCount(0), i, 10000);
            }
        };
        stepFive();
        QVERIFY(lastMaps);
        QVERIFY(lastMaps->find("fc1") && lastMaps->find("logits"));
        QCOMPARE(lastMaps->find("fc1")->units, int64_t(64));  // the example's first layer
        const auto first = lastMaps;
        QVERIFY(panel.statusText().contains("Paused after step 5"));

        panel.resetAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel.controller().running() && panel.controller().paused() &&
                                     panel.statusText().contains("Reset: the same initial weights"), 60000);
        QCOMPARE(panel.lossPlot()->pointCount(0), 0);
        stepFive();
        QVERIFY(lastMaps != first);
        QCOMPARE(lastMaps->find("logits")->values, first->find("logits")->values);
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.stopAction()->trigger();
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), neurite::test::kSlowWaitMs);

        neurite::storage::RunStore store(dir.filePath("runs.db").toStdString());
        const auto runs = store.listRuns();
        QCOMPARE(runs.size(), std::size_t(2));
        const auto a = store.checkpoint(runs[0].id, neurite::storage::CheckpointKind::Final);
        const auto b = store.checkpoint(runs[1].id, neurite::storage::CheckpointKind::Final);
        QVERIFY(a && b);
        QVERIFY(!a->data.empty());
        QVERIFY(a->data == b->data);
    }

    // Rewind: a finished run of 3 epochs, rewound to epoch 1 from the panel (the dialog lists
    // the kept epochs), starts paused with the parent's history in the plots and, resumed, ends
    // with the parent's exact weights. The Runs tab's dialog offers the same epochs.
    void rewindBranchesFromAnEpoch() {
        QTemporaryDir dir;
        TrainingPanel panel;
        panel.controller().setStorePath(dir.filePath("runs.db"));
        useProject(panel, spiral(3));
        QVERIFY(!panel.rewindAction()->isEnabled());  // nothing recorded yet
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.startAction()->trigger();
        QVERIFY(finished.wait(neurite::test::kSlowWaitMs));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), neurite::test::kSlowWaitMs);
        QVERIFY(panel.rewindAction()->isEnabled());
        const int stepsPerEpoch = panel.lossPlot()->pointCount(0) / 3;

        neurite::RewindDialog dialog(dir.filePath("runs.db"), 1);
        QCOMPARE(dialog.table()->rowCount(), 3);
        QVERIFY(dialog.message().contains("kept the state of these epochs"));
        QVERIFY(dialog.epoch() > 0);
        dialog.table()->selectRow(0);
        QCOMPARE(dialog.epoch(), 1);
        QCOMPARE(dialog.branchButton()->text(), QString("Branch from epoch 1"));

        panel.rewindTo(1, 1);
        QTRY_VERIFY_WITH_TIMEOUT(panel.controller().running() && panel.controller().paused(), 60000);
        QTRY_VERIFY2_WITH_TIMEOUT(panel.statusText().contains("a new run from run 1's weights after epoch 1"),
                                  qPrintable(panel.statusText()), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(panel.lossPlot()->pointCount(0), stepsPerEpoch, 10000);  // epoch 1's history
        panel.pauseAction()->trigger();  // resume
        QVERIFY(finished.wait(neurite::test::kSlowWaitMs));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), neurite::test::kSlowWaitMs);
        QCOMPARE(panel.lossPlot()->pointCount(0), 3 * stepsPerEpoch);

        neurite::storage::RunStore store(dir.filePath("runs.db").toStdString());
        const auto branch = store.requireRun(2);
        QCOMPARE(branch.parentRun.value_or(0), int64_t{1});
        QCOMPARE(branch.parentEpoch, 1);
        QCOMPARE(branch.status, std::string("completed"));
        const auto a = store.checkpoint(1, neurite::storage::CheckpointKind::Final);
        const auto b = store.checkpoint(2, neurite::storage::CheckpointKind::Final);
        QVERIFY(a && b && !a->data.empty());
        QVERIFY(a->data == b->data);

        // A network the state does not fit is refused with the reason; nothing is recorded.
        ProjectDocument narrow = spiral(3);
        narrow.nodes[1].params["units"] = int64_t{8};
        useProject(panel, narrow);
        panel.rewindTo(1, 2);
        QTRY_VERIFY_WITH_TIMEOUT(panel.statusText().contains("a branch keeps the network"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), neurite::test::kSlowWaitMs);
        QCOMPARE(store.listRuns().size(), std::size_t(2));
    }

    // The neuron view on hand-made maps: a column per layer (the ReLU's maps shown for the Dense
    // before it), an edge per weight with its value on hover, a click edits it only while
    // editable; a network with other layers is described instead.
    void neuronViewDrawsDenseChains() {
        auto maps = std::make_shared<neurite::UnitMaps>();
        maps->side = 2;
        const auto unit = [](const char* node, const char* op, int64_t units, const char* input) {
            neurite::UnitMap m;
            m.node = node;
            m.op = op;
            m.units = units;
            m.input = input;
            m.values.assign(std::size_t(units * 4), 0.25f);
            m.maxAbs = 0.25f;
            return m;
        };
        neurite::UnitMap h = unit("h", "Dense", 3, "input");
        h.weight = {1, -2, 3, -4, 5, -6};
        h.bias = {0.5f, 0, 0};
        neurite::UnitMap o = unit("o", "Dense", 2, "r");
        o.weight = {1, 2, 3, 4, 5, 6};
        o.bias = {0, 0};
        maps->nodes = {unit("input", "Input", 2, ""), h, unit("r", "ReLU", 3, "h"), o};
        neurite::NeuronView view;
        view.resize(600, 400);
        view.setMaps(maps);
        QCOMPARE(view.unsupportedReason(), QString());
        QCOMPARE(view.columns().size(), std::size_t(3));
        QCOMPARE(view.columns()[1].size(), std::size_t(3));
        QCOMPARE(view.columns()[1][0].mapNode, QString("r"));
        QCOMPARE(view.edges().size(), std::size_t(12));
        const auto& e = view.edges()[3];  // h.weight[1, 1] = -4
        QCOMPARE(e.value, -4.f);
        const QPointF mid = e.from + 0.3 * (e.to - e.from);  // where no other edge crosses
        QVERIFY2(view.describeAt(mid).contains("h.weight[1, 1] = -4"), qPrintable(view.describeAt(mid)));
        QVERIFY(view.describeAt(view.columns()[1][0].rect.center()).contains("bias 0.5"));
        QSignalSpy edited(&view, &neurite::NeuronView::weightEdited);
        QSignalSpy message(&view, &neurite::NeuronView::message);
        view.setAsker([](const QString&, double current) { return std::optional<double>(current * 10); });
        view.clickAt(mid);
        QCOMPARE(edited.count(), 0);
        QVERIFY(message.first().first().toString().contains("Pause"));
        view.setEditable(true);
        view.clickAt(mid);
        QCOMPARE(edited.count(), 1);
        QCOMPARE(edited.first()[0].toString(), QString("h"));
        QCOMPARE(edited.first()[1].toString(), QString("weight"));
        QCOMPARE(edited.first()[2].toLongLong(), 3LL);
        QCOMPARE(edited.first()[3].toFloat(), -40.f);
        view.clickAt(view.columns()[1][0].rect.center());  // a unit: its bias
        QCOMPARE(edited.last()[1].toString(), QString("bias"));
        QCOMPARE(edited.last()[3].toFloat(), 5.f);
        view.clickAt(view.columns()[0][0].rect.center());  // an input has nothing to edit
        QCOMPARE(edited.count(), 2);
        maps->nodes.push_back(unit("sum", "Add", 2, ""));
        view.setMaps(maps);
        QVERIFY(view.unsupportedReason().contains("sum (Add)"));
        QVERIFY(view.columns().empty());
    }

    // A weight edited in the neuron view of a paused run reaches the model: the next maps carry it.
    void neuronViewEditReachesThePausedRun() {
        QTemporaryDir dir;
        TrainingPanel panel;
        panel.controller().setStorePath(dir.filePath("runs.db"));
        useProject(panel, spiral(3));
        std::shared_ptr<const neurite::UnitMaps> lastMaps;
        QObject::connect(&panel, &TrainingPanel::unitMapsChanged, &panel,
                         [&](std::shared_ptr<const neurite::UnitMaps> m) { lastMaps = std::move(m); });
        panel.stepAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel.stepAction()->isEnabled() && panel.controller().paused(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!panel.neuronView()->edges().empty(), 10000);
        neurite::NeuronView* view = panel.neuronView();
        QCOMPARE(view->columns().size(), std::size_t(4));  // input, fc1, fc2, logits
        // The first weight into logits: the columns before it show 12 of 64 units.
        const auto edge = view->edges().back();
        const QPointF at = edge.from + 0.3 * (edge.to - edge.from);
        const QRegularExpressionMatch m =
            QRegularExpression(R"((\w+)\.weight\[(\d+), (\d+)\])").match(view->describeAt(at));
        QVERIFY2(m.hasMatch(), qPrintable(view->describeAt(at)));
        const std::string node = m.captured(1).toStdString();
        const std::size_t index = m.captured(2).toULongLong() * 64 + m.captured(3).toULongLong();
        QCOMPARE(node, std::string("logits"));
        view->setAsker([](const QString&, double) { return std::optional<double>(1.5); });
        view->clickAt(at);
        QTRY_VERIFY_WITH_TIMEOUT(lastMaps && lastMaps->find(node)->weight[index] == 1.5f, 10000);
        // The edit is recorded with the run, as a setting changed while paused is.
        const QString name = QString("logits.weight[%1]").arg(index);
        QTRY_VERIFY2_WITH_TIMEOUT(panel.statusText().contains("From step 2: " + name), qPrintable(panel.statusText()), 10000);
        panel.stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), 60000);
        neurite::storage::RunStore store(dir.filePath("runs.db").toStdString());
        const auto changes = store.settingChanges(1);
        QCOMPARE(changes.size(), std::size_t(1));
        QCOMPARE(QString::fromStdString(changes[0].setting), name);
        QCOMPARE(changes[0].step, int64_t(1));
        QCOMPARE(changes[0].after, 1.5);
    }

    // An image network's Activations tab: after one step of a paused run, every layer's output
    // for the chosen sample; a convolution value's arithmetic names its sum, which is the map's
    // value; another sample is drawn at once while paused.
    void activationsOfAPausedImageRun() {
        ProjectDocument doc = neurite::parseProject(R"({"format": "neurite-project", "version": 1, "name": "d",
            "data": {"source": "builtin:digits", "validation_split": 0.2, "test_split": 0.0},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                {"id": "conv", "op": "Conv2D", "params": {"filters": 4, "kernel_size": [3, 3]}, "inputs": ["input"]},
                {"id": "relu", "op": "ReLU", "inputs": ["conv"]}, {"id": "flat", "op": "Flatten", "inputs": ["relu"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["flat"]}]},
            "training": {"epochs": 2, "batch_size": 32, "threads": 1}})", "d.neurite.json", nullptr);
        TrainingPanel panel;
        panel.resize(1200, 800);
        panel.show();
        useProject(panel, doc);
        std::shared_ptr<const neurite::ActivationMaps> canvas;  // what the designer's blocks get
        QObject::connect(&panel, &TrainingPanel::outputMapsChanged, &panel,
                         [&](std::shared_ptr<const neurite::ActivationMaps> m) { canvas = std::move(m); });
        panel.stepAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(panel.controller().running() && panel.controller().paused() &&
                                     panel.stepAction()->isEnabled(), 60000);
        neurite::ActivationView* view = panel.activationView();
        QTabWidget* tabs = nullptr;
        for (QTabWidget* t : panel.findChildren<QTabWidget*>())
            if (t->indexOf(view) >= 0) tabs = t;
        QVERIFY(tabs && tabs->indexOf(view) >= 0);
        tabs->setCurrentWidget(view);
        QTRY_VERIFY_WITH_TIMEOUT(view->maps() != nullptr, 20000);
        QVERIFY(view->maps()->find("conv") && view->maps()->find("conv")->isConv);
        QCOMPARE(view->maps()->find("conv")->height, int64_t(8));
        QCOMPARE(view->selectedNode(), QString("conv"));  // the first convolution, to start
        view->select("conv", 2);
        view->selectValue(3, 4);
        const QString text = view->arithmeticText();
        QVERIFY2(text.contains("row 3, column 4") && text.contains("over 9 terms") && text.contains("the map holds"),
                 qPrintable(text));
        const neurite::ActivationMap* conv = view->maps()->find("conv");
        const float value = conv->values[std::size_t((2 * 8 + 3) * 8 + 4)];
        QVERIFY2(text.contains(QString("the map holds %1").arg(value, 0, 'g', 5)), qPrintable(text));
        const auto first = view->maps();
        view->sampleEditor()->setValue(5);
        QTRY_VERIFY_WITH_TIMEOUT(view->maps() != first, 20000);
        QCOMPARE(view->maps()->sample.size(), std::size_t(64));
        QVERIFY(view->maps()->sample != first->sample);
        QCOMPARE(canvas, view->maps());  // the blocks show the same sample's outputs
        panel.stopAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), 60000);
        // After the run, the model it left answers for another sample at once.
        QVERIFY(panel.controller().hasModelAfterRun());
        const auto ended = view->maps();
        view->sampleEditor()->setValue(9);
        QVERIFY(view->maps() != ended);
        QVERIFY(view->maps()->sample != ended->sample);
        QCOMPARE(view->maps()->find("conv")->height, int64_t(8));
        QCOMPARE(canvas, view->maps());
        // Another project forgets it.
        panel.resetForProject();
        QVERIFY(!panel.controller().hasModelAfterRun());
    }

    void imageDataShowsSamples() {
        TrainingPanel panel;
        ProjectDocument doc = neurite::loadProject(
            neurite::test::sourceDir() + "/resources/examples/fashion_mlp.neurite.json", nullptr);
        doc.data.source = "builtin:digits";  // 1,797 8x8 images, bundled
        doc.training.epochs = 1;
        doc.training.threads = 1;
        useProject(panel, doc);
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QVERIFY2(finished.wait(60000), qPrintable(panel.statusText()));
        QCOMPARE(panel.dataView()->previewCount(), 24);
        QCOMPARE(panel.dataView()->classTable()->rowCount(), 10);
        QVERIFY(panel.dataView()->summaryText().contains("[1,8,8]"));
    }

    // A reconstruction (regression) run: the second plot shows validation RMSE and MAE per
    // epoch, the class tabs go away, and come back for the next classification run.
    void regressionShowsErrorsNotClasses() {
        TrainingPanel panel;
        ProjectDocument doc = neurite::parseProject(R"({"format": "neurite-project", "version": 1,
            "data": {"source": "builtin:digits", "validation_split": 0.2, "scaling": "minmax",
                     "reconstruct": true},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                {"id": "flat", "op": "Flatten", "inputs": ["input"]},
                {"id": "code", "op": "Dense", "params": {"units": 8}, "inputs": ["flat"]},
                {"id": "dec", "op": "Dense", "params": {"units": 64}, "inputs": ["code"]},
                {"id": "out", "op": "Reshape", "params": {"shape": [1, 8, 8]}, "inputs": ["dec"]}]},
            "training": {"epochs": 2, "threads": 1, "loss": {"type": "mse"}}})", "ae", nullptr);
        useProject(panel, doc);
        auto* tabs = panel.findChild<QTabWidget*>();
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QVERIFY2(finished.wait(60000), qPrintable(panel.statusText()));
        QCOMPARE(panel.accuracyPlot()->seriesName(0), QString("validation RMSE"));
        QCOMPARE(panel.accuracyPlot()->pointCount(0), 2);
        QCOMPARE(panel.accuracyPlot()->pointCount(1), 2);
        QCOMPARE(tabs->indexOf(panel.rocPlot()), -1);
        QCOMPARE(tabs->indexOf(panel.confusionPlot()), -1);
        QVERIFY2(panel.statusText().contains("validation RMSE"), qPrintable(panel.statusText()));
        // An image autoencoder shows held-out samples beside their reconstructions.
        QCOMPARE(tabs->indexOf(panel.reconstructionView()), 0);
        QCOMPARE(panel.reconstructionView()->count(), 8);
        QVERIFY2(panel.reconstructionView()->titleText().contains("epoch 2"),
                 qPrintable(panel.reconstructionView()->titleText()));

        useProject(panel, spiral(1));
        QSignalSpy again(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QVERIFY(again.wait(60000));
        QVERIFY(tabs->indexOf(panel.rocPlot()) >= 0);
        QCOMPARE(tabs->indexOf(panel.reconstructionView()), -1);
        QCOMPARE(panel.accuracyPlot()->seriesName(0), QString("train accuracy"));
        QCOMPARE(panel.accuracyPlot()->pointCount(0), 1);
    }

    // A time-series forecast: the Forecast tab comes first and draws the validation windows'
    // actual values and forecasts, one column at a time.
    void forecastsAreDrawn() {
        TrainingPanel panel;
        ProjectDocument doc = neurite::parseProject(R"({"format": "neurite-project", "version": 1,
            "data": {"source": "builtin:sunspots?lookback=11&horizon=2", "validation_split": 0.2},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                {"id": "lstm", "op": "LSTM", "params": {"units": 8}, "inputs": ["input"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["lstm"]}]},
            "training": {"epochs": 2, "threads": 1, "loss": {"type": "mse"}}})", "sun", nullptr);
        useProject(panel, doc);
        auto* tabs = panel.findChild<QTabWidget*>();
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QVERIFY2(finished.wait(60000), qPrintable(panel.statusText()));
        QCOMPARE(tabs->indexOf(panel.forecastView()), 0);
        QCOMPARE(panel.forecastView()->points(), 59);  // 297 windows, the last 20% in time order
        QVERIFY2(panel.forecastView()->titleText().contains("validation span after epoch 2"),
                 qPrintable(panel.forecastView()->titleText()));
        auto* column = panel.forecastView()->findChild<QComboBox*>();
        QVERIFY(column && column->count() == 2);
        QCOMPARE(column->itemText(1), QString("SUNACTIVITY t+2"));
        column->setCurrentIndex(1);
        QCOMPARE(panel.forecastView()->points(), 59);
        // the Data tab: the split in time order, and the series by split
        QVERIFY2(panel.dataView()->summaryText().contains("chronological split: training windows 1..237, validation 239..297"),
                 qPrintable(panel.dataView()->summaryText()));
        QCOMPARE(panel.dataView()->seriesPlot()->seriesCount(), 2);
        QCOMPARE(panel.dataView()->seriesPlot()->pointCount(0), 237);
        QCOMPARE(panel.dataView()->seriesPlot()->pointCount(1), 59);
        useProject(panel, spiral(1));
        QSignalSpy again(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QVERIFY(again.wait(60000));
        QCOMPARE(tabs->indexOf(panel.forecastView()), -1);
    }

    // A broken data source ends as a message, and the failed run starts from clean axes, not
    // the previous run's epochs (issue 16, defect 6).
    void badDataIsAMessage() {
        TrainingPanel panel;
        panel.resize(1200, 700);
        panel.show();
        useProject(panel, spiral(4));
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QVERIFY(finished.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), neurite::test::kSlowWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(panel.accuracyPlot()->customPlot()->xAxis->range().upper >= 4, neurite::test::kSlowWaitMs);
        ProjectDocument doc = spiral(1);
        doc.data.source = "idx:/nonexistent/neurite-data";
        useProject(panel, doc);
        QSignalSpy failed(&panel, &TrainingPanel::runFailed);
        panel.startTraining();
        QVERIFY(failed.wait(30000));
        QVERIFY2(panel.statusText().contains("/nonexistent/neurite-data"), qPrintable(panel.statusText()));
        QTRY_VERIFY_WITH_TIMEOUT(!panel.controller().running(), neurite::test::kSlowWaitMs);
        QVERIFY(panel.startAction()->isEnabled());
        for (neurite::plot::CurvePlot* p : {panel.lossPlot(), panel.accuracyPlot()}) {
            QCOMPARE(p->customPlot()->xAxis->range().lower, 0.0);
            QCOMPARE(p->customPlot()->xAxis->range().upper, 1.0);
        }
        QVERIFY(!panel.speedText().contains("ETA"));
    }

    // The end of a run in words, not internal names (issue 16, defect 12): the status line and
    // the runs list say "stopped early", and no ETA is left behind.
    void earlyStopIsWorded() {
        ProjectDocument doc = spiral(30);
        doc.training.earlyStopping.enabled = true;
        doc.training.earlyStopping.patience = 1;
        doc.training.earlyStopping.minDelta = 100;  // nothing counts as an improvement
        TrainingPanel panel;
        useProject(panel, doc);
        QSignalSpy finished(&panel, &TrainingPanel::runFinished);
        panel.startTraining();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().value<neurite::FinishedEvent>().status, std::string("early_stopped"));
        QVERIFY2(panel.statusText().startsWith("Stopped early after 2 epochs in ") &&
                     panel.statusText().contains("the monitored metric stopped improving"),
                 qPrintable(panel.statusText()));
        QVERIFY(!panel.statusText().contains("early_stopped"));
        QVERIFY(!panel.speedText().contains("ETA"));
        QCOMPARE(neurite::RunsTableModel::statusText("early_stopped"), QString("stopped early"));
        QCOMPARE(neurite::RunsTableModel::statusText("cancelled"), QString("stopped"));
        QCOMPARE(neurite::RunsTableModel::statusText("completed"), QString("completed"));
    }

    // Settings a project file would refuse do not start a run: a learning rate of 0 trains
    // nothing (issue 16, defect 1), and the message names the setting.
    void meaninglessSettingsAreRefused_data() {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("words");
        QTest::newRow("learning rate 0") << "lr" << "learning rate (training.optimizer.lr): must be > 0";
        QTest::newRow("no training data") << "splits" << "validation_split + test_split must be < 1";
        QTest::newRow("no validation to monitor") << "monitor" << "needs validation data";
    }
    void meaninglessSettingsAreRefused() {
        QFETCH(QString, setting);
        QFETCH(QString, words);
        ProjectDocument doc = spiral(2);
        if (setting == "lr") doc.training.optimizer.lr = 0;
        if (setting == "splits") doc.data.validationSplit = doc.data.testSplit = 0.5;
        if (setting == "monitor") {
            doc.data.validationSplit = 0;
            doc.training.earlyStopping.enabled = true;
        }
        TrainingPanel panel;
        useProject(panel, doc);
        QSignalSpy failed(&panel, &TrainingPanel::runFailed);
        panel.startTraining();
        QVERIFY(!panel.controller().running());
        QCOMPARE(failed.size(), 1);
        QVERIFY2(panel.statusText().startsWith("Not started: ") && panel.statusText().contains(words),
                 qPrintable(panel.statusText()));
    }

    void noProjectIsAMessage() {
        TrainingPanel panel;
        panel.setProjectSource([](QString* why) {
            *why = "fc1: expects 2-D input";
            return std::optional<ProjectDocument>();
        });
        panel.startTraining();
        QVERIFY(!panel.controller().running());
        QCOMPARE(panel.statusText(), QString("fc1: expects 2-D input"));
    }
};

QTEST_MAIN(TestTrainingPanel)
#include "test_training_panel.moc"
