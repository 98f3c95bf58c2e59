// The training worker's live views are the engine's functions: the decision map the controller
// hands over after the last epoch is exactly decisionMap() of the run's final model (read back
// from the run store) over the plane padded around the same training points, and an
// autoencoder's reconstructions are exactly reconstructSamples() of its final model, and a time
// series' forecasts exactly forecastSplit() of its final model.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "data/data_description.h"
#include "export/decision_map.h"
#include "io/project.h"
#include "run_model.h"
#include "run_store.h"
#include "support/test_env.h"
#include "train/forecast.h"
#include "train/reconstruction.h"
#include "training/training_controller.h"

using namespace neurite;

namespace {

struct Watched {
    qint64 runId = 0;
    std::optional<DecisionMap> map;
    std::optional<TrainingUpdate::Reconstructed> reconstructions;
    std::optional<TrainingUpdate::Forecasted> forecast;
    QString viewError;
    FinishedEvent finished;
};

// Trains `doc` to the end, recorded in `db`, keeping the newest live views.
Watched train(const ProjectDocument& doc, const QString& db) {
    TrainingController c;
    c.setStorePath(db);
    Watched w;
    QObject::connect(&c, &TrainingController::prepared, [&](const RunPrepared& p) { w.runId = p.runId; });
    QObject::connect(&c, &TrainingController::progressed, [&](const TrainingUpdate& u) {
        if (u.map) w.map = u.map;
        if (u.reconstructions) w.reconstructions = u.reconstructions;
        if (u.forecast) w.forecast = u.forecast;
        if (!u.viewError.isEmpty()) w.viewError = u.viewError;
    });
    QObject::connect(&c, &TrainingController::finished, [&](const FinishedEvent& e) { w.finished = e; });
    QSignalSpy finished(&c, &TrainingController::finished);
    if (!c.start(doc)) qFatal("the controller refused to start");
    if (!finished.wait(120000)) qFatal("the run did not finish");
    QTest::qWait(0);
    for (int i = 0; i < 600 && c.running(); ++i) QTest::qWait(100);  // the recorder closes the run
    return w;
}

}  // namespace

class TestTrainingController : public QObject {
    Q_OBJECT
private slots:
    void liveDecisionMapIsTheEngines() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        ProjectDocument doc = loadProject(test::sourceDir() + "/resources/examples/spiral.neurite.json", nullptr);
        doc.training.epochs = 2;
        doc.training.threads = 1;
        const Watched w = train(doc, db);
        QVERIFY2(w.viewError.isEmpty(), qPrintable(w.viewError));
        QVERIFY(w.runId > 0);
        QVERIFY(w.map.has_value());

        storage::RunStore store(db.toStdString(), storage::RunStore::Mode::ReadOnly);
        RunSetup final = storage::loadRunModel(store, w.runId, storage::CheckpointKind::Final);
        const DataDescription data = describeData(final.data, false);
        const DecisionMap expected = decisionMap(*final.model, preprocessingOf(final.data), 3,
                                                 paddedPlane(data.pointX, data.pointY));
        QCOMPARE(w.map->side, kDecisionMapSide);
        QCOMPARE(w.map->range.xMin, expected.range.xMin);
        QCOMPARE(w.map->range.yMax, expected.range.yMax);
        QCOMPARE(w.map->cls, expected.cls);
        QCOMPARE(w.map->confidence, expected.confidence);
        // A model that learned something: not one class everywhere.
        QVERIFY(std::count(expected.cls.begin(), expected.cls.end(), expected.cls.front()) < int(expected.cls.size()));
    }

    void liveReconstructionsAreTheEngines() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        const ProjectDocument doc = parseProject(R"({"format": "neurite-project", "version": 1,
            "data": {"source": "builtin:digits", "validation_split": 0.2, "scaling": "minmax",
                     "reconstruct": true},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                {"id": "flat", "op": "Flatten", "inputs": ["input"]},
                {"id": "code", "op": "Dense", "params": {"units": 8}, "inputs": ["flat"]},
                {"id": "dec", "op": "Dense", "params": {"units": 64}, "inputs": ["code"]},
                {"id": "out", "op": "Reshape", "params": {"shape": [1, 8, 8]}, "inputs": ["dec"]}]},
            "training": {"epochs": 2, "threads": 1, "loss": {"type": "mse"}}})", "ae", nullptr);
        const Watched w = train(doc, db);
        QVERIFY2(w.viewError.isEmpty(), qPrintable(w.viewError));
        QVERIFY(w.reconstructions.has_value());
        QCOMPARE(w.reconstructions->epoch, 2);
        QVERIFY(!w.map);  // not 2-D data

        storage::RunStore store(db.toStdString(), storage::RunStore::Mode::ReadOnly);
        RunSetup final = storage::loadRunModel(store, w.runId, storage::CheckpointKind::Final);
        const Reconstructions expected = reconstructSamples(*final.model, final.data);
        const Reconstructions& live = w.reconstructions->samples;
        QCOMPARE(live.count, kReconstructedSamples);
        QCOMPARE(live.inputs, expected.inputs);
        QCOMPARE(live.outputs, expected.outputs);
        QCOMPARE(live.outputImages.back().pixels, expected.outputImages.back().pixels);
    }

    void liveForecastsAreTheEngines() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        const ProjectDocument doc = parseProject(R"({"format": "neurite-project", "version": 1,
            "data": {"source": "builtin:sunspots?lookback=11&horizon=2", "validation_split": 0.2},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                {"id": "lstm", "op": "LSTM", "params": {"units": 8}, "inputs": ["input"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["lstm"]}]},
            "training": {"epochs": 12, "threads": 1, "loss": {"type": "mse"}, "optimizer": {"type": "adam", "lr": 0.05},
                         "early_stopping": {"enabled": true, "patience": 2, "restore_best": true}}})", "sun", nullptr);
        const Watched w = train(doc, db);
        QVERIFY2(w.viewError.isEmpty(), qPrintable(w.viewError));
        QVERIFY(w.forecast.has_value());
        // The last forecast is the final model's: the best epoch's restored weights when the run
        // restored them, else the last epoch's.
        const bool restored = w.finished.bestEpoch != w.finished.epochs;
        QCOMPARE(w.forecast->restored, restored);
        QCOMPARE(w.forecast->epoch, restored ? w.finished.bestEpoch : w.finished.epochs);
        QVERIFY(!w.reconstructions && !w.map);

        storage::RunStore store(db.toStdString(), storage::RunStore::Mode::ReadOnly);
        RunSetup final = storage::loadRunModel(store, w.runId, storage::CheckpointKind::Final);
        const Forecast expected = forecastSplit(*final.model, final.data);
        const Forecast& live = w.forecast->forecast;
        QCOMPARE(live.split, std::string("validation"));
        QCOMPARE(live.count, final.data.validation.count);
        QCOMPARE(live.columns, int64_t(2));
        QCOMPARE(live.actual, expected.actual);
        QCOMPARE(live.predicted, expected.predicted);
        // in the target's units: the sunspot numbers, not standardized values
        QCOMPARE(live.actual.front(), final.data.validation.targets.front());
    }
};

QTEST_MAIN(TestTrainingController)
#include "test_training_controller.moc"
