// Magnitude pruning (train/pruning.h) and compaction (export/compaction.h): the polynomial
// schedule at hand-computed steps; unstructured pruning zeroes exactly the smallest weights per
// layer or across layers; structured pruning zeroes whole units with their bias and the
// BatchNorm after them, and knows which layers' units cannot be removed; a pruned run reaches
// its final sparsity with the pruned weights still zero at the end, and resumes bit-identical;
// compaction removes the zero units and computes what the whole model does; bad settings are
// refused with the setting named.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "export/compaction.h"
#include "export/predictor.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "train/checkpoint.h"
#include "train/pruning.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

const char* kMlp = R"(
    {"id": "input", "op": "Input"},
    {"id": "fc1", "op": "Dense", "params": {"units": 24}, "inputs": ["input"]},
    {"id": "bn", "op": "BatchNorm", "inputs": ["fc1"]},
    {"id": "act1", "op": "ReLU", "inputs": ["bn"]},
    {"id": "drop", "op": "Dropout", "params": {"rate": 0.2}, "inputs": ["act1"]},
    {"id": "fc2", "op": "Dense", "params": {"units": 16}, "inputs": ["drop"]},
    {"id": "act2", "op": "Tanh", "inputs": ["fc2"]},
    {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act2"]})";

const char* kCnn = R"(
    {"id": "input", "op": "Input"},
    {"id": "conv1", "op": "Conv2D", "params": {"filters": 8, "kernel_size": [3, 3], "padding": "same"}, "inputs": ["input"]},
    {"id": "relu1", "op": "ReLU", "inputs": ["conv1"]},
    {"id": "pool1", "op": "MaxPool2D", "params": {"pool_size": [2, 2]}, "inputs": ["relu1"]},
    {"id": "conv2", "op": "Conv2D", "params": {"filters": 12, "kernel_size": [3, 3], "padding": "same"}, "inputs": ["pool1"]},
    {"id": "bn2", "op": "BatchNorm", "inputs": ["conv2"]},
    {"id": "relu2", "op": "ReLU", "inputs": ["bn2"]},
    {"id": "flat", "op": "Flatten", "inputs": ["relu2"]},
    {"id": "fc", "op": "Dense", "params": {"units": 20}, "inputs": ["flat"]},
    {"id": "sig", "op": "Sigmoid", "inputs": ["fc"]},
    {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["sig"]})";

ProjectDocument project(const char* nodes, const std::string& source, const std::string& training) {
    const std::string json = R"({"format": "neurite-project", "version": 1, "name": "t",
        "data": {"source": ")" + source + R"(", "validation_split": 0.2, "test_split": 0.1},
        "model": {"nodes": [)" + nodes + R"(]},
        "training": {"epochs": 6, "batch_size": 16, "seed": 11, "threads": 2)" +
                             (training.empty() ? "" : ", " + training) + "}}";
    return parseProject(json, "test.neurite.json", nullptr);
}

const std::string kSpiral = "synthetic:spiral?samples=400&classes=3&noise=0.1&seed=3";
const std::string kImages = "builtin:digits";

std::string pruning(const std::string& fields) { return R"("pruning": {)" + fields + "}"; }

struct Capture : TrainObserver {
    int stopAfter = 0;
    StopToken* stop = nullptr;
    std::optional<TrainerState> state;
    bool wantsCheckpoints() const override { return true; }
    void onCheckpoint(const TrainerState& s) override {
        if (s.epoch == stopAfter) {
            state = s;
            if (stop) stop->requestStop();
        }
    }
};

struct Trained {
    FinishedEvent fin;
    std::vector<float> weights;
    std::optional<TrainerState> state;
};

Trained train(const ProjectDocument& doc, int stopAfter = 0, const TrainerState* resume = nullptr) {
    RunSetup s = prepareRun(doc);
    Trainer trainer(*s.model, s.data, doc.training);
    if (resume) trainer.resumeFrom(*resume);
    StopToken stop;
    Capture cap;
    cap.stopAfter = stopAfter;
    cap.stop = stopAfter > 0 ? &stop : nullptr;
    Trained t;
    t.fin = trainer.run(cap, stop);
    t.weights = s.model->snapshot();
    t.state = cap.state;
    return t;
}

const PruneTarget& targetOf(const std::vector<PruneTarget>& all, const std::string& id) {
    for (const PruneTarget& t : all)
        if (t.id == id) return t;
    qFatal("no target %s", id.c_str());
}

std::string badInput(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::BadInput) return e.what();
        return std::string("wrong kind: ") + e.what();
    }
    return "no error";
}

}  // namespace

class TestPruning : public QObject {
    Q_OBJECT

private slots:
    void scheduleIsPolynomialInStepsOfTheFrequency() {
        PruningConfig c;
        c.initialSparsity = 0.f;
        c.finalSparsity = 0.5f;
        c.beginStep = 2000;
        c.endStep = 10000;
        c.frequency = 100;
        QCOMPARE(scheduledSparsity(c, 1999), -1.0);
        QCOMPARE(scheduledSparsity(c, 2000), 0.0);
        QCOMPARE(scheduledSparsity(c, 2099), 0.0);
        // Halfway: 0.5 - 0.5 * 0.5^3.
        QVERIFY(std::fabs(scheduledSparsity(c, 6000) - 0.4375) < 1e-6);
        QVERIFY(std::fabs(scheduledSparsity(c, 6099) - 0.4375) < 1e-6);
        // A quarter: 0.5 - 0.5 * 0.75^3 = 0.2890625.
        QVERIFY(std::fabs(scheduledSparsity(c, 4000) - 0.2890625) < 1e-6);
        QVERIFY(std::fabs(scheduledSparsity(c, 4001) - 0.2890625) < 1e-6);
        QCOMPARE(scheduledSparsity(c, 10000), 0.5);
        QCOMPARE(scheduledSparsity(c, 50000), 0.5);
        c.endStep = c.beginStep;  // one shot
        QCOMPARE(scheduledSparsity(c, 1999), -1.0);
        QCOMPARE(scheduledSparsity(c, 2000), 0.5);
    }

    void unstructuredPerLayerZeroesTheSmallestWeights() {
        ProjectDocument doc = project(kMlp, kSpiral, pruning(R"("final_sparsity": 0.6)"));
        RunSetup s = prepareRun(doc);
        const std::vector<float> before = s.model->snapshot();
        Pruner pruner(*s.model, doc.training.pruning);
        pruner.beforeStep(0);
        const std::vector<float> w = s.model->snapshot();
        for (const PruneTarget& t : pruneTargets(*s.model)) {
            // round(0.6 n) zeros, and every cut weight no larger than every kept one.
            const int64_t n = t.rows * t.rowSize;
            int64_t zeros = 0;
            float largestCut = 0, smallestKept = 1e30f;
            for (int64_t i = 0; i < n; ++i) {
                const auto k = static_cast<std::size_t>(t.weightOffset + i);
                if (w[k] == 0.f) {
                    ++zeros;
                    largestCut = std::max(largestCut, std::fabs(before[k]));
                } else {
                    smallestKept = std::min(smallestKept, std::fabs(before[k]));
                }
            }
            QCOMPARE(zeros, static_cast<int64_t>(std::llround(0.6 * static_cast<double>(n))));
            QVERIFY2(largestCut <= smallestKept, t.id.c_str());
        }
        // An optimizer step moves pruned weights; afterStep puts them back to zero.
        std::vector<float> moved = w;
        for (float& v : moved) v += 0.25f;
        s.model->restore(moved);
        pruner.afterStep();
        const std::vector<float> again = s.model->snapshot();
        for (const PruneTarget& t : pruneTargets(*s.model))
            for (int64_t i = 0; i < t.rows * t.rowSize; ++i) {
                const auto k = static_cast<std::size_t>(t.weightOffset + i);
                QCOMPARE(again[k], w[k] == 0.f ? 0.f : w[k] + 0.25f);
            }
    }

    void globalUnstructuredRanksAllLayersTogether() {
        ProjectDocument doc = project(kMlp, kSpiral, pruning(R"("final_sparsity": 0.5, "scope": "global")"));
        RunSetup s = prepareRun(doc);
        const std::vector<float> before = s.model->snapshot();
        Pruner pruner(*s.model, doc.training.pruning);
        pruner.beforeStep(0);
        const std::vector<float> w = s.model->snapshot();
        int64_t zeros = 0, total = 0;
        float largestCut = 0, smallestKept = 1e30f;
        std::vector<int64_t> perLayer;
        for (const PruneTarget& t : pruneTargets(*s.model)) {
            int64_t z = 0;
            for (int64_t i = 0; i < t.rows * t.rowSize; ++i) {
                const auto k = static_cast<std::size_t>(t.weightOffset + i);
                if (w[k] == 0.f) {
                    ++z;
                    largestCut = std::max(largestCut, std::fabs(before[k]));
                } else {
                    smallestKept = std::min(smallestKept, std::fabs(before[k]));
                }
            }
            zeros += z;
            total += t.rows * t.rowSize;
            perLayer.push_back(z * 1000 / (t.rows * t.rowSize));
        }
        QCOMPARE(zeros, static_cast<int64_t>(std::llround(0.5 * static_cast<double>(total))));
        QVERIFY(largestCut <= smallestKept);
        // Not every layer at the target on its own (per layer, each would be).
        QVERIFY(std::any_of(perLayer.begin(), perLayer.end(), [](int64_t permille) { return permille != 500; }));
    }

    void structuredKnowsWhichUnitsCanBeRemoved() {
        ProjectDocument doc = project(kCnn, kImages, "");
        RunSetup s = prepareRun(doc);
        const std::vector<PruneTarget> all = pruneTargets(*s.model);
        QCOMPARE(all.size(), std::size_t{4});
        const PruneTarget& conv1 = targetOf(all, "conv1");
        QVERIFY(conv1.removable);
        QCOMPARE(conv1.readers.size(), std::size_t{1});
        QCOMPARE(s.model->nodeId(conv1.readers[0].node), std::string("conv2"));
        const PruneTarget& conv2 = targetOf(all, "conv2");
        QVERIFY(conv2.removable);
        QCOMPARE(conv2.companions.size(), std::size_t{2});  // bn2 gamma and beta
        QCOMPARE(conv2.readers[0].outer, int64_t{1});
        QCOMPARE(conv2.readers[0].inner, int64_t{16});  // 4x4 positions per channel after Flatten
        const PruneTarget& fc = targetOf(all, "fc");
        QVERIFY(!fc.removable);  // sigmoid(0) = 0.5: a removed unit would still be read
        QVERIFY2(fc.whyNot.find("sig (Sigmoid)") != std::string::npos, fc.whyNot.c_str());
        QVERIFY(!targetOf(all, "out").removable);
        QVERIFY(targetOf(all, "out").whyNot.find("model's output") != std::string::npos);
    }

    void structuredPruningThenCompactionKeepsTheOutputs() {
        ProjectDocument doc = project(kCnn, kImages,
                                      R"("epochs": 3, )" + pruning(R"("structure": "structured", "final_sparsity": 0.5,
                                                                     "begin_step": 5, "end_step": 25, "frequency": 5)"));
        RunSetup s = prepareRun(doc);
        Trainer trainer(*s.model, s.data, doc.training);
        TrainObserver quiet;
        StopToken stop;
        const FinishedEvent fin = trainer.run(quiet, stop);
        QCOMPARE(fin.sparsity.size(), std::size_t{4});
        for (const LayerSparsity& l : fin.sparsity) {
            if (l.node == "conv1") QCOMPARE(l.unitsPruned, int64_t{4});
            if (l.node == "conv2") QCOMPARE(l.unitsPruned, int64_t{6});
            if (l.node == "fc" || l.node == "out") QCOMPARE(l.unitsPruned, int64_t{0});
        }
        ExportSource src = exportSourceOf(s);
        std::optional<CompactedModel> compact = compactModel(src);
        QVERIFY(compact.has_value());
        QCOMPARE(compact->removed.size(), std::size_t{2});
        QCOMPARE(compact->removed[0].after, int64_t{4});
        QCOMPARE(compact->removed[1].after, int64_t{6});
        QVERIFY(compact->model->parameterCount() < s.model->parameterCount());
        QVERIFY(compact->model->forwardFlopsPerSample() < 0.5 * s.model->forwardFlopsPerSample());
        int64_t count = 0;
        std::vector<float> raw(static_cast<std::size_t>(40 * 64));
        for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = s.data.test.value(i % (static_cast<std::size_t>(s.data.test.count) * 64));
        count = 40;
        Predictor whole(*s.model, src.preprocessing);
        Predictor small(*compact->model, src.preprocessing);
        const std::vector<float> a = whole.outputs(raw.data(), count), b = small.outputs(raw.data(), count);
        QCOMPARE(a.size(), b.size());
        double diff = 0;
        for (std::size_t i = 0; i < a.size(); ++i) diff = std::max(diff, static_cast<double>(std::fabs(a[i] - b[i])));
        QVERIFY2(diff < 1e-5, QByteArray::number(diff));
        // The MLP: fc1 (with its BatchNorm) and fc2 (before tanh) lose units, the output none.
        ProjectDocument mlp = project(kMlp, kSpiral, pruning(R"("structure": "structured", "final_sparsity": 0.25)"));
        RunSetup m = prepareRun(mlp);
        Trainer mt(*m.model, m.data, mlp.training);
        mt.run(quiet, stop);
        ExportSource msrc = exportSourceOf(m);
        std::optional<CompactedModel> mc = compactModel(msrc);
        QVERIFY(mc.has_value());
        QCOMPARE(mc->removed.size(), std::size_t{2});
        QCOMPARE(mc->removed[0].after, int64_t{18});
        QCOMPARE(mc->removed[1].after, int64_t{12});
        std::vector<float> pts;
        for (int i = 0; i < 50; ++i) pts.insert(pts.end(), {0.02f * i - 0.5f, 0.3f - 0.01f * i});
        Predictor mw(*m.model, msrc.preprocessing), ms(*mc->model, msrc.preprocessing);
        const std::vector<float> c = mw.outputs(pts.data(), 50), d = ms.outputs(pts.data(), 50);
        for (std::size_t i = 0; i < c.size(); ++i) QVERIFY(std::fabs(c[i] - d[i]) < 1e-5);
        // An unpruned model has nothing to remove.
        RunSetup plain = prepareRun(project(kCnn, kImages, ""));
        QVERIFY(!compactModel(exportSourceOf(plain)).has_value());
    }

    void aPrunedRunReachesItsSparsityAndResumesBitIdentical() {
        const ProjectDocument doc = project(kMlp, kSpiral, R"("optimizer": {"type": "adam", "lr": 0.02}, )" +
                                            pruning(R"("final_sparsity": 0.7, "begin_step": 20,
                                                       "end_step": 80, "frequency": 10)"));
        const Trained whole = train(doc);
        QCOMPARE(whole.fin.status, std::string("completed"));
        QCOMPARE(whole.fin.sparsity.size(), std::size_t{3});
        for (const LayerSparsity& l : whole.fin.sparsity)
            QCOMPARE(l.zeros, static_cast<int64_t>(std::llround(0.7 * static_cast<double>(l.weights))));
        QVERIFY(*whole.fin.testAccuracy > 0.6);
        // Stopped after epoch 2 (step 40, inside the schedule), resumed from the checkpoint.
        const Trained first = train(doc, 2);
        QVERIFY(first.state.has_value());
        const TrainerState state = deserializeCheckpoint(serializeCheckpoint(*first.state), "test");
        const Trained rest = train(doc, 0, &state);
        QCOMPARE(rest.weights.size(), whole.weights.size());
        QVERIFY(std::memcmp(rest.weights.data(), whole.weights.data(), whole.weights.size() * sizeof(float)) == 0);
        // Branching an unpruned run into a pruned one prunes at once, to the schedule's value.
        const Trained unpruned = train(project(kMlp, kSpiral, ""), 3);
        TrainerState branch = *unpruned.state;
        branch.branch = true;
        const Trained pruned = train(doc, 0, &branch);
        for (const LayerSparsity& l : pruned.fin.sparsity)
            QCOMPARE(l.zeros, static_cast<int64_t>(std::llround(0.7 * static_cast<double>(l.weights))));
    }

    void badSettingsAreRefusedWithTheSettingNamed() {
        const auto parse = [](const std::string& fields) {
            return badInput([&] { project(kMlp, kSpiral, pruning(fields)); });
        };
        QVERIFY(parse(R"("final_sparsity": 1)").find("final_sparsity") != std::string::npos);
        QVERIFY(parse(R"("final_sparsity": -0.1)").find("[0, 1)") != std::string::npos);
        const std::string order = parse(R"("begin_step": 100, "end_step": 50)");
        QVERIFY2(order.find("end_step") != std::string::npos && order.find("before it begins") != std::string::npos,
                 order.c_str());
        QVERIFY(parse(R"("initial_sparsity": 0.6, "final_sparsity": 0.5)").find("initial_sparsity") != std::string::npos);
        QVERIFY(parse(R"("frequency": 0)").find("frequency") != std::string::npos);
        QVERIFY(parse(R"("structure": "channels")").find("structure") != std::string::npos);
        const auto setUp = [](const std::string& fields, const char* nodes = kMlp) {
            return badInput([&] {
                const ProjectDocument doc = project(nodes, kSpiral, pruning(fields));
                RunSetup s = prepareRun(doc);
                Trainer t(*s.model, s.data, doc.training);
            });
        };
        QVERIFY(setUp(R"("layers": ["nope"])").find("no layer \"nope\"") != std::string::npos);
        QVERIFY(setUp(R"("layers": ["bn"])").find("bn is a BatchNorm") != std::string::npos);
        const std::string out = setUp(R"("structure": "structured", "layers": ["out"])");
        QVERIFY2(out.find("units of out cannot be removed") != std::string::npos, out.c_str());
        const char* tiny = R"({"id": "input", "op": "Input"},
                              {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["input"]})";
        const std::string none = setUp(R"("structure": "structured")", tiny);
        QVERIFY2(none.find("no layer whose units can be removed") != std::string::npos, none.c_str());
        // Written and read back unchanged.
        const ProjectDocument doc = project(kMlp, kSpiral, pruning(R"("structure": "structured", "scope": "global",
            "initial_sparsity": 0.1, "final_sparsity": 0.4, "begin_step": 3, "end_step": 9, "frequency": 2,
            "power": 2, "layers": ["fc1"])"));
        const ProjectDocument back = parseProject(projectToJson(doc), "t.neurite.json", nullptr);
        QVERIFY(back.training.pruning == doc.training.pruning);
        QVERIFY(back.training.pruning.enabled);
        QCOMPARE(back.training.pruning.layers, std::vector<std::string>{"fc1"});
    }
};

QTEST_GUILESS_MAIN(TestPruning)
#include "test_pruning.moc"
