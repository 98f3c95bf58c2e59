// A stored run's models loaded together (storage::loadRunModels), as the GUI's workers load them:
// the final and best weights each in a model of its own, equal to what loadRunModel gives for
// each kind, from one preparation of the run; the stages reported in order; a stop asked for
// between two steps ends the load with Error{Cancelled}; a run without its final model still
// gives its best one; and a stored spiral run's decision map is the engine's map of its final
// model over its training points, while a run on other data has none.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include "core/error.h"
#include "io/project.h"
#include "data/data_description.h"
#include "export/decision_map.h"
#include "run_model.h"
#include "run_store.h"
#include "support/cli_runner.h"

using namespace neurite;
using storage::CheckpointKind;
using storage::RunStore;

namespace {

QByteArray errorOf(const std::function<void()>& f, ErrorKind kind) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind() == kind ? QByteArray(e.what()) : "wrong kind: " + QByteArray(e.what());
    }
    return "no error";
}

}  // namespace

class TestRunModels : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath("runs.db").toStdString();
        for (const char* example : {"spiral.neurite.json", "iris.neurite.json"}) {
            const test::Result r = test::runCli({"train", test::example(example), "--epochs", "2", "--threads", "1",
                                                 "--db", QString::fromStdString(m_db)});
            QVERIFY2(r.code == 0, r.err.constData());
        }
    }

    // A run of a project with starting weights (model.weights, relative to its folder): the run
    // store keeps their absolute path, and the run's models load even once that file is gone
    // (the checkpoint holds every weight).
    void startingWeightsAreNotNeededToLoadARun() {
        QTemporaryDir dir;
        const QString db = dir.filePath("runs.db");
        const QString first = dir.filePath("base.neurite.json");
        QVERIFY(QFile::copy(test::example("iris.neurite.json"), first));
        const QString nmodel = dir.filePath("base.nmodel");
        test::Result r = test::runCli({"export", first, "--format", "native", "-o", nmodel, "--epochs", "1", "--threads", "1"});
        QVERIFY2(r.code == 0, r.err.constData());
        ProjectDocument doc = loadProject(first.toStdString(), nullptr);
        doc.weights = "base.nmodel";
        saveProject(doc, dir.filePath("tuned.neurite.json").toStdString());
        r = test::runCli({"train", dir.filePath("tuned.neurite.json"), "--epochs", "1", "--threads", "1", "--db", db});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("starting weights from"), r.err.constData());
        QVERIFY(QFile::remove(nmodel));
        RunStore store(db.toStdString(), RunStore::Mode::ReadOnly);
        const storage::RunDetails run = store.requireRun(1);
        const ProjectDocument stored = parseProject(run.projectJson, "stored", nullptr);
        QCOMPARE(QString::fromStdString(stored.weights), QDir::cleanPath(nmodel));
        RunSetup loaded = storage::loadRunModel(store, 1, CheckpointKind::Final);
        QVERIFY(loaded.model != nullptr);
    }

    void bothModelsFromOnePreparation() {
        RunStore store(m_db, RunStore::Mode::ReadOnly);
        std::vector<std::string> stages;
        storage::RunModels loaded = storage::loadRunModels(
            store, 1, storage::RunModelChoice::FinalAndBest, nullptr,
            [&](const std::string& s) { stages.push_back(s); });
        QCOMPARE(loaded.run.id, int64_t(1));
        QCOMPARE(loaded.models.size(), std::size_t(2));
        QVERIFY(loaded.missing.empty());
        QCOMPARE(loaded.models[0].kind, CheckpointKind::Final);
        QCOMPARE(loaded.models[1].kind, CheckpointKind::Best);
        QVERIFY(loaded.models[0].model.get() != loaded.models[1].model.get());
        QVERIFY(!loaded.setup.model);  // moved into models
        QCOMPARE(stages, (std::vector<std::string>{"reading run 1", "loading the data and building the model",
                                                   "restoring the final model", "restoring the best model"}));
        for (std::size_t i = 0; i < 2; ++i) {
            RunSetup one = storage::loadRunModel(store, 1, loaded.models[i].kind);
            QCOMPARE(loaded.models[i].model->snapshot(), one.model->snapshot());
            QCOMPARE(loaded.setup.data.train.bytes, one.data.train.bytes);
            const ExportSource source = loaded.exportSource(i);
            QCOMPARE(&source.model, loaded.models[i].model.get());
            QCOMPARE(source.classNames.size(), std::size_t(3));
            QCOMPARE(source.preprocessing.mean, one.data.mean);
        }
        QVERIFY(loaded.models[0].epoch >= 1 && loaded.models[1].epoch >= 1);

        storage::RunModels first = storage::loadRunModels(store, 1, storage::RunModelChoice::FinalElseBest);
        QCOMPARE(first.models.size(), std::size_t(1));
        QCOMPARE(first.models[0].kind, CheckpointKind::Final);
    }

    // Asked before the load or between two of its steps, a stop ends it with Error{Cancelled}.
    void stopsBetweenSteps() {
        RunStore store(m_db, RunStore::Mode::ReadOnly);
        StopToken stopped;
        stopped.requestStop();
        QVERIFY(errorOf([&] { storage::loadRunModels(store, 1, storage::RunModelChoice::FinalAndBest, &stopped); },
                        ErrorKind::Cancelled)
                    .contains("cancelled"));
        StopToken stop;
        std::vector<std::string> stages;
        const QByteArray why = errorOf(
            [&] {
                storage::loadRunModels(store, 1, storage::RunModelChoice::FinalAndBest, &stop,
                                       [&](const std::string& s) {
                                           stages.push_back(s);
                                           if (s.starts_with("loading the data")) stop.requestStop();
                                       });
            },
            ErrorKind::Cancelled);
        QVERIFY2(why.contains("loading run 1 was cancelled"), why.constData());
        QCOMPARE(stages.size(), std::size_t(2));  // no model was restored
    }

    // Without the final model: FinalElseBest gives the best; FinalAndBest says what is missing.
    void aRunWithoutItsFinalModel() {
        QTemporaryDir dir;
        const std::string copy = dir.filePath("copy.db").toStdString();
        {
            RunStore source(m_db, RunStore::Mode::ReadOnly);
            source.db().exec("VACUUM INTO '" + copy + "'");
        }
        {
            RunStore edit(copy);
            edit.db().exec("DELETE FROM checkpoint_chunks WHERE run_id = 1 AND kind = 'final'");
            edit.db().exec("DELETE FROM checkpoints WHERE run_id = 1 AND kind = 'final'");
        }
        RunStore store(copy, RunStore::Mode::ReadOnly);
        storage::RunModels best = storage::loadRunModels(store, 1, storage::RunModelChoice::FinalElseBest);
        QCOMPARE(best.models.size(), std::size_t(1));
        QCOMPARE(best.models[0].kind, CheckpointKind::Best);
        storage::RunModels both = storage::loadRunModels(store, 1, storage::RunModelChoice::FinalAndBest);
        QCOMPARE(both.models.size(), std::size_t(1));
        QVERIFY2(QByteArray::fromStdString(both.missing).contains("has no final model"), both.missing.c_str());
        QVERIFY(errorOf([&] { storage::loadRunModels(store, 99, storage::RunModelChoice::FinalAndBest); },
                        ErrorKind::BadInput)
                    .contains("no run 99"));
    }

    void storedDecisionMap() {
        RunStore store(m_db, RunStore::Mode::ReadOnly);
        const storage::RunDecisionMap stored = storage::runDecisionMap(store, 1);
        QCOMPARE(stored.kind, CheckpointKind::Final);
        QCOMPARE(stored.map.side, kDecisionMapSide);
        // The same as the engine's map of the final model over its training points.
        RunSetup final = storage::loadRunModel(store, 1, CheckpointKind::Final);
        const DataDescription data = describeData(final.data, false);
        QCOMPARE(stored.data.pointX, data.pointX);
        QCOMPARE(stored.data.classNames, data.classNames);
        const DecisionMap expected = decisionMap(*final.model, preprocessingOf(final.data), 3,
                                                 paddedPlane(data.pointX, data.pointY));
        QCOMPARE(stored.map.range.xMin, expected.range.xMin);
        QCOMPARE(stored.map.cls, expected.cls);
        QCOMPARE(stored.map.confidence, expected.confidence);
        // Iris has four features: no map.
        QVERIFY(errorOf([&] { storage::runDecisionMap(store, 2); }, ErrorKind::BadInput).contains("no decision map"));
    }

private:
    QTemporaryDir m_dir;
    std::string m_db;
};

QTEST_MAIN(TestRunModels)
#include "test_run_models.moc"
