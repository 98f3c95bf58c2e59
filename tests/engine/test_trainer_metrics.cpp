// The trainer's events carry the metrics of the validation split after every epoch and of the
// test split at the end, consistent with the accuracies they already report.
#include <QtTest>

#include <limits>
#include <numeric>

#include "core/error.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "train/split_metrics.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

ProjectDocument spiral(int classes, const std::string& loss, const std::string& units) {
    const std::string json = R"({"format": "neurite-project", "version": 1, "name": "t",
        "data": {"source": "synthetic:spiral?samples=300&classes=)" +
                             std::to_string(classes) + R"(&noise=0.1&seed=3",
                 "validation_split": 0.2, "test_split": 0.1},
        "model": {"nodes": [
            {"id": "input", "op": "Input"},
            {"id": "fc1", "op": "Dense", "params": {"units": 32}, "inputs": ["input"]},
            {"id": "act1", "op": "ReLU", "inputs": ["fc1"]},
            {"id": "out", "op": "Dense", "params": {"units": )" +
                             units + R"(}, "inputs": ["act1"]}]},
        "training": {"epochs": 2, "batch_size": 16, "seed": 5, "threads": 2,
                     "loss": {"type": ")" +
                             loss + R"("},
                     "optimizer": {"type": "adam", "lr": 0.01}}})";
    return parseProject(json, "test.neurite.json", nullptr);
}

struct Recorder : TrainObserver {
    std::vector<EpochEvent> epochs;
    void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
};

}  // namespace

class TestTrainerMetrics : public QObject {
    Q_OBJECT
private slots:
    void epochAndFinishedCarryMetrics() {
        const ProjectDocument doc = spiral(3, "cross_entropy", "\"auto\"");
        RunSetup s = prepareRun(doc);
        Trainer trainer(*s.model, s.data, doc.training);
        Recorder rec;
        StopToken stop;
        const FinishedEvent fin = trainer.run(rec, stop);
        QCOMPARE(rec.epochs.size(), std::size_t(2));
        for (const EpochEvent& e : rec.epochs) {
            QVERIFY(e.valMetrics && e.valMetrics->classification && e.valMetrics->curves);
            const ClassificationMetrics& m = *e.valMetrics->classification;
            QCOMPARE(e.valMetrics->split, std::string("validation"));
            QCOMPARE(m.count, s.data.validation.count);
            QCOMPARE(m.accuracy.v, *e.valAccuracy);
            QCOMPARE(
                std::accumulate(m.confusion.counts.begin(), m.confusion.counts.end(), int64_t(0)),
                s.data.validation.count);
            QCOMPARE(e.valMetrics->curves->perClass.size(), std::size_t(3));
            QVERIFY(e.valMetrics->curves->aucMacro.defined());
            QVERIFY(e.valMetrics->curves->aucMacro.v > 0.5);
            QVERIFY(e.valMetrics->seconds >= 0);
        }
        QVERIFY(fin.testMetrics && fin.testMetrics->classification);
        QCOMPARE(fin.testMetrics->split, std::string("test"));
        QCOMPARE(fin.testMetrics->count, s.data.test.count);
        QCOMPARE(fin.testMetrics->classification->accuracy.v, *fin.testAccuracy);
        QVERIFY(fin.valMetrics);
        QCOMPARE(fin.valMetrics->classification->accuracy.v, *fin.valAccuracy);

        // Trainer::evaluate hands out the per-sample probabilities behind the same numbers.
        const EvalResult t = trainer.evaluate(s.data.test);
        QCOMPARE(t.scores.count(), s.data.test.count);
        QCOMPARE(t.scores.probs.size(), std::size_t(s.data.test.count * 3));
        QCOMPARE(classificationMetrics(t.scores).logLoss.v,
                 fin.testMetrics->classification->logLoss.v);
    }

    void binaryOutputUsesSigmoid() {
        const ProjectDocument doc = spiral(2, "binary_cross_entropy", "1");
        RunSetup s = prepareRun(doc);
        Trainer trainer(*s.model, s.data, doc.training);
        Recorder rec;
        StopToken stop;
        const FinishedEvent fin = trainer.run(rec, stop);
        QVERIFY(fin.testMetrics && fin.testMetrics->curves);
        QCOMPARE(fin.testMetrics->curves->perClass.size(), std::size_t(1));
        QVERIFY(fin.testMetrics->curves->auc().defined());
        const EvalResult t = trainer.evaluate(s.data.test);
        for (int64_t i = 0; i < t.scores.count(); ++i)
            QVERIFY(std::abs(t.scores.row(i)[0] + t.scores.row(i)[1] - 1.f) < 1e-6f);
        QCOMPARE(fin.testMetrics->classification->accuracy.v, *fin.testAccuracy);
    }

    void nonFiniteValidationLossIsDivergence() {
        // The metrics never see NaN probabilities: a NaN validation loss stops the run instead.
        // A linear model: ReLU would turn the NaN into 0.
        const ProjectDocument doc = parseProject(R"({"format": "neurite-project", "version": 1,
            "data": {"source": "synthetic:spiral?samples=90&classes=3", "validation_split": 0.2},
            "model": {"nodes": [{"id": "input", "op": "Input"},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["input"]}]},
            "training": {"epochs": 1, "threads": 1}})",
                                                 "linear.neurite.json", nullptr);
        RunSetup s = prepareRun(doc);
        QCOMPARE(s.data.validation.dtype, DType::F32);
        float* x = reinterpret_cast<float*>(s.data.validation.bytes.data());
        x[0] = std::numeric_limits<float>::quiet_NaN();
        Trainer trainer(*s.model, s.data, doc.training);
        Recorder rec;
        StopToken stop;
        try {
            trainer.run(rec, stop);
            QFAIL("expected Error{Diverged}");
        } catch (const Error& e) {
            // QVERIFY, not QCOMPARE: QTest would delete[] the static string of toString(ErrorKind).
            QVERIFY2(e.kind() == ErrorKind::Diverged, e.what());
            QVERIFY2(std::string(e.what()).find("validation loss") != std::string::npos, e.what());
        }
        QVERIFY(rec.epochs.empty());
    }

    void regressionSplitReport() {
        // No regression data source exists yet: drive the plumbing with a hand-made split.
        Dataset data;
        data.targetDim = 1;
        DataSplit split;
        split.count = 3;
        split.targets = {1, 3, 7};
        EvalResult r;
        beginCollecting(r, data, split, 1);
        const float first[] = {2, 3}, last[] = {5};
        collectBatch(r, first, 2, 1);
        collectBatch(r, last, 1, 1);
        QCOMPARE(collectedAccuracy(r), 0.0);
        const EvaluationReport rep = splitReport(r, data, split, "validation");
        QVERIFY(rep.regression && !rep.classification);
        QCOMPARE(rep.count, int64_t(3));
        QVERIFY(std::abs(rep.regression->mse.v - 5.0 / 3) < 1e-12);  // errors 1, 0, -2
    }

    void classNamesFallBackToIndices() {
        Dataset data;
        data.numClasses = 2;
        DataSplit split;
        split.count = 2;
        split.labels = {1, 0};
        EvalResult r;
        beginCollecting(r, data, split, 1);
        const float logits[] = {3.f, -1.f};  // sigmoid: p(1) > .5, then < .5
        collectBatch(r, logits, 2, 1);
        QCOMPARE(r.scores.classNames, (std::vector<std::string>{"0", "1"}));
        QCOMPARE(collectedAccuracy(r), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestTrainerMetrics)
#include "test_trainer_metrics.moc"
