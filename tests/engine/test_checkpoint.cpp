// Checkpoints: a run stopped after epoch k and resumed from its serialized TrainerState ends
// bit-identical (weights, every later epoch's metrics, the final evaluation) to one never
// interrupted, for each optimizer and for the stateful schedule and early-stopping paths; and a
// damaged checkpoint blob is refused with the byte offset.
#include <QtTest>

#include <cstring>
#include <limits>

#include "core/error.h"
#include "graph/model.h"
#include "io/project.h"
#include "train/checkpoint.h"
#include "run/run_setup.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

ProjectDocument project(const std::string& training) {
    const std::string json = R"({"format": "neurite-project", "version": 1, "name": "t",
        "data": {"source": "synthetic:spiral?samples=400&classes=3&noise=0.1&seed=3",
                 "validation_split": 0.2, "test_split": 0.1},
        "model": {"nodes": [
            {"id": "input", "op": "Input"},
            {"id": "fc1", "op": "Dense", "params": {"units": 24}, "inputs": ["input"]},
            {"id": "bn", "op": "BatchNorm", "inputs": ["fc1"]},
            {"id": "act1", "op": "ReLU", "inputs": ["bn"]},
            {"id": "drop", "op": "Dropout", "params": {"rate": 0.2}, "inputs": ["act1"]},
            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["drop"]}]},
        "training": {"epochs": 7, "batch_size": 16, "seed": 11, "threads": 2, )" + training + "}}";
    return parseProject(json, "test.neurite.json", nullptr);
}

// Keeps every epoch event and the checkpoint after `stopAfter` epochs, then stops the run.
struct Capture : TrainObserver {
    int stopAfter = 0;
    StopToken* stop = nullptr;
    std::vector<EpochEvent> epochs;
    std::optional<TrainerState> state;
    void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
    bool wantsCheckpoints() const override { return true; }
    void onCheckpoint(const TrainerState& s) override {
        if (s.epoch == stopAfter) {
            state = s;
            if (stop) stop->requestStop();
        }
    }
};

struct Result {
    FinishedEvent fin;
    std::vector<EpochEvent> epochs;
    std::vector<float> weights;
    std::optional<TrainerState> state;
};

Result train(const ProjectDocument& doc, int stopAfter, const std::vector<uint8_t>* resumeBlob) {
    RunSetup s = prepareRun(doc);
    Trainer trainer(*s.model, s.data, doc.training);
    if (resumeBlob) trainer.resumeFrom(deserializeCheckpoint(*resumeBlob, "test"));
    StopToken stop;
    Capture cap;
    cap.stopAfter = stopAfter;
    cap.stop = stopAfter > 0 ? &stop : nullptr;
    Result r;
    r.fin = trainer.run(cap, stop);
    r.epochs = cap.epochs;
    r.weights = s.model->snapshot();
    r.state = cap.state;
    return r;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

class TestCheckpoint : public QObject {
    Q_OBJECT
private slots:
    void resumeIsExact_data() {
        QTest::addColumn<QString>("training");
        QTest::addColumn<int>("stopAfter");
        QTest::newRow("adam") << R"("optimizer": {"type": "adam", "lr": 0.01})" << 3;
        QTest::newRow("sgd-momentum-step") << R"("optimizer": {"type": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": true},
            "schedule": {"type": "step", "step_size": 2, "gamma": 0.5})" << 2;
        QTest::newRow("rmsprop-cosine") << R"("optimizer": {"type": "rmsprop", "lr": 0.003, "momentum": 0.5},
            "schedule": {"type": "cosine", "warmup_epochs": 2})" << 4;
        QTest::newRow("adamw-plateau") << R"("optimizer": {"type": "adamw", "lr": 0.02, "weight_decay": 0.01},
            "schedule": {"type": "plateau", "patience": 0, "factor": 0.5})" << 3;
        QTest::newRow("early-stopping-restore") << R"("optimizer": {"type": "adam", "lr": 0.05},
            "early_stopping": {"enabled": true, "monitor": "val_accuracy", "patience": 2, "restore_best": true})" << 2;
        QTest::newRow("after-last-epoch") << R"("optimizer": {"type": "adam", "lr": 0.01})" << 7;
    }
    void resumeIsExact() {
        QFETCH(QString, training);
        QFETCH(int, stopAfter);
        const ProjectDocument doc = project(training.toStdString());
        const Result whole = train(doc, 0, nullptr);
        const Result first = train(doc, stopAfter, nullptr);
        QVERIFY(first.state.has_value());
        QCOMPARE(first.fin.status, std::string(stopAfter == 7 ? "completed" : "cancelled"));
        const std::vector<uint8_t> blob = serializeCheckpoint(*first.state);
        const Result rest = train(doc, 0, &blob);

        QVERIFY2(sameBits(whole.weights, rest.weights), "resumed weights differ");
        QCOMPARE(rest.fin.status, whole.fin.status);
        QCOMPARE(rest.fin.epochs, whole.fin.epochs);
        QCOMPARE(rest.fin.bestEpoch, whole.fin.bestEpoch);
        QCOMPARE(rest.fin.trainLoss, whole.fin.trainLoss);
        QCOMPARE(rest.fin.testLoss, whole.fin.testLoss);
        QCOMPARE(rest.fin.testAccuracy, whole.fin.testAccuracy);
        QCOMPARE(rest.fin.valLoss, whole.fin.valLoss);
        // Every epoch after the checkpoint matches the uninterrupted run's, in order.
        QCOMPARE(static_cast<int>(rest.epochs.size()), whole.fin.epochs - stopAfter);
        for (std::size_t i = 0; i < rest.epochs.size(); ++i) {
            const EpochEvent& a = whole.epochs[static_cast<std::size_t>(stopAfter) + i];
            const EpochEvent& b = rest.epochs[i];
            QCOMPARE(b.epoch, a.epoch);
            QCOMPARE(b.trainLoss, a.trainLoss);
            QCOMPARE(b.valLoss, a.valLoss);
            QCOMPARE(b.lr, a.lr);
            QCOMPARE(b.best, a.best);
        }
    }

    void roundTripKeepsEveryField() {
        TrainerState s;
        s.epoch = 4;
        s.globalStep = 123;
        s.model = {1.f, -2.5f, 3e-20f};
        s.optState1 = {0.5f, 0.25f, 0.f};
        s.optSteps = 123;
        s.plateauLr = 0.003f;
        s.plateauBest = 0.7;
        s.plateauHasBest = true;
        s.plateauBad = 2;
        s.monitorHasBest = true;
        s.monitorBest = 0.9;
        s.monitorBad = 1;
        s.bestEpoch = 3;
        s.earlyStopped = true;
        s.bestWeights = {4.f, 5.f, 6.f};
        s.trainSeconds = 1.5;
        s.trainSamples = 999;
        s.trainLoss = 0.25;
        s.valAccuracy = 0.875;
        const TrainerState t = deserializeCheckpoint(serializeCheckpoint(s), "x");
        QCOMPARE(serializeCheckpoint(t), serializeCheckpoint(s));
        QCOMPARE(t.model, s.model);
        QVERIFY(t.optState2.empty());
        QVERIFY(!t.valLoss.has_value());
        QCOMPARE(*t.valAccuracy, 0.875);
        QCOMPARE(t.earlyStopped, true);
        QCOMPARE(t.plateauLr, 0.003f);
    }

    void damagedBlobIsRefused_data() {
        QTest::addColumn<int>("damage");  // 0 truncate, 1 flip a payload bit, 2 bad magic
        QTest::addColumn<QString>("expected");
        QTest::newRow("truncated") << 0 << "does not match the blob";
        QTest::newRow("bit flip") << 1 << "checksum mismatch";
        QTest::newRow("magic") << 2 << "bad magic";
    }
    void damagedBlobIsRefused() {
        QFETCH(int, damage);
        QFETCH(QString, expected);
        TrainerState s;
        s.model = std::vector<float>(100, 1.f);
        std::vector<uint8_t> blob = serializeCheckpoint(s);
        if (damage == 0) blob.resize(blob.size() - 10);
        if (damage == 1) blob[40] ^= 0x10;
        if (damage == 2) blob[0] = 'X';
        try {
            deserializeCheckpoint(blob, "runs.db: run 3 checkpoint");
            QFAIL("a damaged blob was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY2(QString(e.what()).contains(expected), e.what());
            QVERIFY2(QString(e.what()).contains("runs.db: run 3 checkpoint: at byte "), e.what());
        }
    }

    void mismatchedModelIsRefused() {
        const ProjectDocument doc = project(R"("optimizer": {"type": "adam", "lr": 0.01})");
        TrainerState s;
        s.epoch = 1;
        s.model = std::vector<float>(5, 0.f);
        RunSetup setup = prepareRun(doc);
        Trainer trainer(*setup.model, setup.data, doc.training);
        trainer.resumeFrom(s);
        TrainObserver none;
        StopToken stop;
        try {
            trainer.run(none, stop);
            QFAIL("a checkpoint of another model was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY2(QString(e.what()).contains("project changed"), e.what());
        }
    }

    // Weights of the right count but garbage content (a random blob with a valid CRC) are
    // refused on resume and export, naming the tensor and element; the model's own pass.
    void corruptWeightsAreRefused_data() {
        QTest::addColumn<QString>("tensor");  // ParamInfo node.name to damage
        QTest::addColumn<float>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nan") << "fc1.weight" << std::numeric_limits<float>::quiet_NaN() << "fc1.weight [24,2] element 1 is nan";
        QTest::newRow("inf") << "out.bias" << -std::numeric_limits<float>::infinity() << "out.bias [3] element 1 is -inf";
        QTest::newRow("huge") << "bn.gamma" << 3e37f << "bn.gamma [24] element 1 is 3e+37, not a trained weight";
        QTest::newRow("negative-variance") << "bn.running_var" << -0.5f << "bn.running_var [24] element 1 is -0.5, not a variance";
        QTest::newRow("fine") << "" << 0.f << "";
    }
    void corruptWeightsAreRefused() {
        QFETCH(QString, tensor);
        QFETCH(float, value);
        QFETCH(QString, expected);
        const ProjectDocument doc = project(R"("optimizer": {"type": "adam", "lr": 0.01})");
        RunSetup setup = prepareRun(doc);
        std::vector<float> weights = setup.model->snapshot();
        const int64_t values = setup.model->values().numel();
        for (const ParamInfo& p : setup.model->params())
            if (QString::fromStdString(p.node + "." + p.name) == tensor)
                weights[static_cast<std::size_t>(p.offset + (p.trainable ? 0 : values) + 1)] = value;
        QString error = "no error";
        try {
            checkWeights(*setup.model, weights, "runs.db: run 3: the stored final model");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            error = e.what();
        }
        if (expected.isEmpty()) QCOMPARE(error, QString("no error"));
        else QVERIFY2(error.startsWith("runs.db: run 3: the stored final model: ") && error.contains(expected), qPrintable(error));
        weights.pop_back();
        QVERIFY_THROWS_EXCEPTION(Error, checkWeights(*setup.model, weights, "x"));
    }

    // A model without buffers snapshots a 1-element placeholder for them: its own weights pass.
    void weightsOfAModelWithoutBuffers() {
        const ProjectDocument doc = parseProject(R"({"format": "neurite-project", "version": 1, "name": "t",
            "data": {"source": "synthetic:xor?samples=40"},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["input"]}]},
            "training": {"epochs": 1}})", "t.neurite.json", nullptr);
        RunSetup setup = prepareRun(doc);
        const std::vector<float> weights = setup.model->snapshot();
        QCOMPARE(weights.size(), std::size_t{2 * 2 + 2 + 1});
        checkWeights(*setup.model, weights, "x");
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "test_checkpoint.moc"
