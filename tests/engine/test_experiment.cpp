// Experiments (experiment/definition.h, runner.h): the reader refuses every kind of bad
// definition with the file and the entry named, sets values at project paths (layer parameters
// by node id); the runner's trials equal trainings run one by one with the same seeds (folds
// included), N trials at once give the same results as one at a time, budgets, stop, resume and
// constraints behave as documented.
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <mutex>

#include "core/error.h"
#include "data/data_source.h"
#include "experiment/definition.h"
#include "experiment/objective.h"
#include "experiment/runner.h"
#include "support/test_env.h"
#include "train/trainer.h"

using namespace neurite;
using nlohmann::json;

namespace {

std::string examples() { return test::sourceDir() + "/resources/examples/"; }

// The Wine example, shortened: 4 epochs.
json wineProject() {
    std::ifstream in(examples() + "wine.neurite.json");
    json p = json::parse(in);
    p["training"]["epochs"] = 4;
    return p;
}

json baseDefinition() {
    return {{"format", "neurite-experiment"},
            {"version", 1},
            {"name", "test"},
            {"project", wineProject()},
            {"parameters", json::array({{{"path", "training.optimizer.lr"}, {"values", {0.001, 0.01}}},
                                        {{"path", "model.nodes[fc1].params.units"}, {"values", {4, 8}}}})},
            {"objective", {{"metric", "val_loss"}}}};
}

ExperimentDefinition parse(const json& j) { return parseExperiment(j.dump(), "x.experiment.json", ""); }

template <class F> QString badInput(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind() == ErrorKind::BadInput ? QString::fromUtf8(e.what()) : QString("wrong kind: ") + e.what();
    }
    return "no error";
}

// Records what the runner reports, and trains without storing.
class MemoryHost : public ExperimentHost {
public:
    class Sink : public TrainingSink {
    public:
        TrainObserver& observer() override { return m_observer; }
        void finished(RunSetup&, const FinishedEvent&) override {}
        void failed(const Error&) override {}

    private:
        TrainObserver m_observer;
    };
    void trialStarted(int number, const Assignment&) override { started.push_back(number); }
    std::unique_ptr<TrainingSink> beginTraining(const TrainingSpec& spec, const Assignment&,
                                                RunSetup&) override {
        specs.push_back(spec);
        return std::make_unique<Sink>();
    }
    void trialFinished(const TrialResult& r) override { finished.push_back(r); }

    std::vector<int> started;
    std::vector<TrainingSpec> specs;
    std::vector<TrialResult> finished;
};

}  // namespace

class TestExperiment : public QObject {
    Q_OBJECT
private slots:
    void readsADefinition() {
        const ExperimentDefinition def = parse(baseDefinition());
        QCOMPARE(def.space.size(), std::size_t{2});
        QCOMPARE(def.strategy, SearchStrategy::Grid);
        QCOMPARE(def.objective, std::string("val_loss"));
        QVERIFY(!def.maximize);  // a loss is minimized unless told otherwise
        QCOMPARE(plannedTrials(def).size(), std::size_t{4});
        const ProjectDocument doc = projectWithValues(def, {json(0.01), json(8)});
        QCOMPARE(doc.training.optimizer.lr, 0.01f);
        bool found = false;
        for (const Node& n : doc.nodes)
            if (n.id == "fc1") {
                found = true;
                QCOMPARE(std::get<int64_t>(n.params.at("units")), int64_t{8});
            }
        QVERIFY(found);
        // What the store keeps reads back to the same definition, project inline.
        const ExperimentDefinition again = parse(experimentToJson(def));
        QCOMPARE(experimentToJson(again).dump(), experimentToJson(def).dump());
        QCOMPARE(describeValues(def, {json(0.01), json(8)}), std::string("lr=0.01, units=8"));
    }

    // Without parameters, folds (or repeats) alone make one trial: a recorded cross-validation.
    void foldsAloneMakeOneTrial() {
        json j = baseDefinition();
        j.erase("parameters");
        j["folds"] = 3;
        const ExperimentDefinition def = parse(j);
        QCOMPARE(plannedTrials(def).size(), std::size_t{1});
        QVERIFY(plannedTrials(def)[0].empty());
        QCOMPARE(trainingsOf(def, 1, 42).size(), std::size_t{3});
        QCOMPARE(experimentToJson(parse(experimentToJson(def))).dump(), experimentToJson(def).dump());
    }

    void theBundledExamplesRead() {
        const ExperimentDefinition def = loadExperiment(examples() + "wine_lr_batch.experiment.json");
        QCOMPARE(plannedTrials(def).size(), std::size_t{9});
        QCOMPARE(def.folds, 3);
    }

    // Every metric the studio offers is one the reader accepts, with its natural direction, and
    // the message listing them names each one (test ones folded as "test_* (as val_*)").
    void metricNamesAreTheAcceptedOnes() {
        const std::vector<std::string> names = metricNames();
        QVERIFY(names.size() > 40);
        QCOMPARE(names.front(), std::string("val_loss"));
        const std::string listed = knownMetrics();
        for (const std::string& m : names) {
            QVERIFY2(isKnownMetric(m), m.c_str());
            const std::string shown = m.rfind("test_", 0) == 0 ? "val_" + m.substr(5) : m;
            QVERIFY2(listed.find(shown) != std::string::npos, m.c_str());
        }
        QVERIFY(largerIsBetter("test_f1_macro") && largerIsBetter("val_auc") && largerIsBetter("samples_per_sec"));
        QVERIFY(!largerIsBetter("val_log_loss") && !largerIsBetter("test_rmse") && !largerIsBetter("parameters"));
        QVERIFY(!isKnownMetric("val_latency") && !isKnownMetric("test_") && !isKnownMetric(""));
    }

    void badDefinitionsNameTheFileAndTheEntry_data() {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("needle");
        QTest::newRow("unknown path") << R"({"parameters":[{"path":"training.optimizer.lrr","values":[1]}]})"
                                      << "$.parameters[0].values[0]" << "no such setting";
        QTest::newRow("unknown node key")
            << R"({"parameters":[{"path":"model.nodes[fc1].paramz.units","values":[4]}]})"
            << "$.parameters[0].values[0]" << "no such setting";
        QTest::newRow("unknown node") << R"({"parameters":[{"path":"model.nodes[fc9].params.units","values":[4]}]})"
                                      << "$.parameters[0]" << "no node with id \"fc9\"";
        QTest::newRow("unknown layer parameter")
            << R"({"parameters":[{"path":"model.nodes[fc1].params.unitz","values":[4]}]})"
            << "$.parameters[0]" << "unknown parameter \"unitz\"";
        QTest::newRow("value the field rejects")
            << R"({"parameters":[{"path":"training.batch_size","values":[16, 0]}]})"
            << "$.parameters[0].values[1]" << "batch_size";
        QTest::newRow("layer value rejected")
            << R"({"parameters":[{"path":"model.nodes[fc1].params.units","integer":[0, 8]}]})"
            << "$.parameters[0].integer[0]" << "units";
        QTest::newRow("empty range") << R"({"parameters":[{"path":"training.batch_size","values":[]}]})"
                                     << "$.parameters" << "training.batch_size";
        QTest::newRow("low above high")
            << R"({"parameters":[{"path":"training.optimizer.lr","log_uniform":[0.1, 0.001]}], "strategy":{"type":"random","trials":3}})"
            << "$.parameters" << "training.optimizer.lr";
        QTest::newRow("constraint on an unknown metric")
            << R"({"constraints":[{"metric":"latency_ms","max":5}]})" << "$.constraints[0].metric"
            << "unknown metric";
        QTest::newRow("unknown objective") << R"({"objective":{"metric":"val_acc"}})"
                                           << "$.objective.metric" << "unknown metric";
        QTest::newRow("continuous grid")
            << R"({"parameters":[{"path":"training.optimizer.lr","uniform":[0.001, 0.01]}]})"
            << "$.parameters[0]" << "a grid needs";
        QTest::newRow("random without a count") << R"({"strategy":{"type":"random"}})" << "$.strategy"
                                                << "trials";
        QTest::newRow("one fold") << R"({"folds":1})" << "$.folds" << "at least 2";
        QTest::newRow("nothing to vary") << R"({"parameters":[]})" << "$" << "nothing to vary";
        QTest::newRow("unknown key") << R"({"repeat":3})" << "$.repeat" << "did you mean";
        QTest::newRow("same path twice")
            << R"({"parameters":[{"path":"training.batch_size","values":[8]},{"path":"training.batch_size","values":[16]}]})"
            << "$.parameters[1].path" << "already varied";
        QTest::newRow("two ranges") << R"({"parameters":[{"path":"training.batch_size","values":[8],"integer":[1,2]}]})"
                                    << "$.parameters[0]" << "exactly one";
        QTest::newRow("bad direction") << R"({"objective":{"metric":"val_loss","direction":"up"}})"
                                       << "$.objective.direction" << "maximize";
    }
    void badDefinitionsNameTheFileAndTheEntry() {
        QFETCH(QString, change);
        QFETCH(QString, entry);
        QFETCH(QString, needle);
        json def = baseDefinition();
        def.update(json::parse(change.toStdString()));
        const QString message = badInput([&] { parse(def); });
        QVERIFY2(message.startsWith("x.experiment.json: " + entry), qPrintable(message));
        QVERIFY2(message.contains(needle), qPrintable(message));
    }

    void badFilesAreBadInput() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("e.experiment.json").toStdString();
        std::ofstream(path) << "{\"format\": \"neurite-experiment\", ";
        QVERIFY(badInput([&] { loadExperiment(path); }).contains("invalid JSON"));
        json def = baseDefinition();
        def["project"] = "missing.neurite.json";
        std::ofstream(path, std::ios::trunc) << def.dump();
        const QString m = badInput([&] { loadExperiment(path); });
        QVERIFY2(m.contains("$.project") && m.contains("missing.neurite.json"), qPrintable(m));
        QVERIFY(badInput([&] { loadExperiment(dir.path().toStdString()); }) != "no error");
    }

    // The grid with 2-fold cross-validation equals trainings run one by one with the same seeds.
    void trialsEqualTrainingsRunOneByOne() {
        json j = baseDefinition();
        j["folds"] = 2;
        j["repeats"] = 2;
        const ExperimentDefinition def = parse(j);
        MemoryHost host;
        StopToken stop;
        ExperimentOptions options;
        options.threads = 1;
        const ExperimentOutcome out = runExperiment(def, host, stop, options);
        QCOMPARE(out.status, std::string("completed"));
        QCOMPARE(out.trials.size(), std::size_t{4});
        QCOMPARE(host.specs.size(), std::size_t{4 * 2 * 2});
        const TrialResult& t = out.trials[3];  // lr 0.01, units 8
        QCOMPARE(t.status, std::string("completed"));
        QCOMPARE(t.trainingObjectives.size(), std::size_t{4});
        std::vector<double> losses;
        for (int rep = 0; rep < 2; ++rep) {
            ProjectDocument doc = projectWithValues(def, t.values);
            doc.training.threads = 1;
            doc.training.seed += static_cast<uint64_t>(rep);
            std::vector<Dataset> folds = loadFolds(doc.data, doc.training.seed, 2);
            for (Dataset& fold : folds) {
                RunSetup setup = prepareRun(doc, std::move(fold));
                Trainer trainer(*setup.model, setup.data, doc.training);
                TrainObserver quiet;
                StopToken s;
                losses.push_back(*trainer.run(quiet, s).valLoss);
            }
        }
        double mean = 0;
        for (std::size_t i = 0; i < losses.size(); ++i) {
            QCOMPARE(*t.trainingObjectives[i], losses[i]);  // identical, not close
            mean += losses[i];
        }
        QCOMPARE(*t.objective, mean / 4);
        const auto best = bestTrial(def, out.trials);
        QVERIFY(best.has_value());
        for (const TrialResult& other : out.trials) QVERIFY(*out.trials[*best].objective <= *other.objective);
    }

    void trialsAtOnceGiveTheSameResults() {
        const ExperimentDefinition def = parse(baseDefinition());
        std::vector<ExperimentOutcome> outs;
        for (int parallel : {1, 2}) {
            MemoryHost host;
            StopToken stop;
            ExperimentOptions options;
            options.parallel = parallel;
            options.threads = parallel;  // one thread per trial either way
            outs.push_back(runExperiment(def, host, stop, options));
            QCOMPARE(host.finished.size(), std::size_t{4});
        }
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(outs[1].trials[i].number, outs[0].trials[i].number);
            QCOMPARE(*outs[1].trials[i].objective, *outs[0].trials[i].objective);
        }
    }

    void budgetsStopAndResume() {
        json j = baseDefinition();
        j["budget"] = {{"trials", 3}};
        const ExperimentDefinition def = parse(j);
        {
            MemoryHost host;
            StopToken stop;
            const ExperimentOutcome out = runExperiment(def, host, stop, {});
            QCOMPARE(out.status, std::string("budget"));
            QCOMPARE(out.trials.size(), std::size_t{3});
        }
        {
            MemoryHost host;
            StopToken stop;
            stop.requestStop();
            const ExperimentOutcome out = runExperiment(def, host, stop, {});
            QCOMPARE(out.status, std::string("stopped"));
            QVERIFY(host.started.empty());
        }
        {  // trials 1 and 3 done before: only 2 runs now, and the outcome lists all three
            MemoryHost host;
            StopToken stop;
            std::vector<TrialResult> done(2);
            done[0].number = 1;
            done[1].number = 3;
            for (TrialResult& d : done) {
                d.status = "completed";
                d.objective = 1.0;
            }
            const ExperimentOutcome out = runExperiment(def, host, stop, {}, done);
            QCOMPARE(host.started, std::vector<int>{2});
            QCOMPARE(out.trials.size(), std::size_t{3});
            QCOMPARE(out.trials[1].number, 2);
        }
    }

    void constraintsMakeTrialsInfeasible() {
        json j = baseDefinition();
        j["constraints"] = json::array({{{"metric", "parameters"}, {"max", 50}}});
        const ExperimentDefinition def = parse(j);
        MemoryHost host;
        StopToken stop;
        const ExperimentOutcome out = runExperiment(def, host, stop, {});
        for (const TrialResult& t : out.trials) {
            QCOMPARE(t.status, std::string("infeasible"));  // 13 features x 4 units and a bias alone are 56
            QVERIFY2(QString::fromStdString(t.message).contains("parameters"), t.message.c_str());
            QVERIFY(t.objective.has_value());
        }
        QVERIFY(!bestTrial(def, out.trials).has_value());
    }

    void slotsShareTheThreadsAndOneTakesTheGpu() {
        auto text = [](const std::vector<TrialSlot>& plan) {
            QStringList parts;
            for (const TrialSlot& s : plan) parts << QString("%1/%2").arg(s.device.c_str()).arg(s.threads);
            return parts.join(" ");
        };
        QCOMPARE(text(planSlots(1, 2, "auto", true)), QString("auto/2"));  // one at a time: as the project says
        QCOMPARE(text(planSlots(2, 2, "auto", false)), QString("auto/1 auto/1"));
        QCOMPARE(text(planSlots(3, 16, "auto", true)), QString("cuda/1 cpu/8 cpu/8"));
        QCOMPARE(text(planSlots(2, 16, "cpu", true)), QString("cpu/8 cpu/8"));  // an explicit device wins
        QCOMPARE(text(planSlots(4, 2, "cpu", false)), QString("cpu/1 cpu/1 cpu/1 cpu/1"));
    }

    // A host that cannot record (a full disk under the store) ends the experiment with its error,
    // from the calling thread, whichever worker met it.
    void aHostErrorEndsTheExperiment() {
        class FailingHost : public MemoryHost {
        public:
            void trialFinished(const TrialResult&) override { throw Error(ErrorKind::Io, "disk full"); }
        };
        const ExperimentDefinition def = parse(baseDefinition());
        FailingHost host;
        StopToken stop;
        ExperimentOptions options;
        options.parallel = 2;
        options.threads = 2;
        try {
            runExperiment(def, host, stop, options);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Io);
            QCOMPARE(QString(e.what()), QString("disk full"));
        }
        QVERIFY(host.started.size() <= 3);  // each worker stops after the trial it was on
    }

    void aFailingTrainingFailsItsTrialOnly() {
        json j = baseDefinition();
        j["project"]["data"]["source"] = "csv:/nonexistent/data.csv";
        const ExperimentDefinition def = parse(j);  // the data is not read before a trial
        MemoryHost host;
        StopToken stop;
        const ExperimentOutcome out = runExperiment(def, host, stop, {});
        QCOMPARE(out.trials.size(), std::size_t{4});
        for (const TrialResult& t : out.trials) {
            QCOMPARE(t.status, std::string("failed"));
            QVERIFY2(QString::fromStdString(t.message).contains("/nonexistent/data.csv"), t.message.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestExperiment)
#include "test_experiment.moc"
