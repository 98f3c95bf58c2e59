// End-to-end training on the CPU backend: accuracy on the spiral, bit-identical determinism,
// cancellation and pause within a step, NaN detection, early stopping, loss/model mismatches.
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <numeric>
#include <thread>
#include <utility>

#include "core/error.h"
#include "io/project.h"
#include "support/skip_missing.h"
#include "support/test_env.h"
#include "run/run_setup.h"
#include "train/perturb.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

// A small spiral project; `extra` is spliced into "training".
ProjectDocument spiral(const std::string& extra = "", const std::string& model = "") {
    const std::string nodes = model.empty() ? R"([
        {"id": "input", "op": "Input"},
        {"id": "fc1", "op": "Dense", "params": {"units": 32}, "inputs": ["input"]},
        {"id": "act1", "op": "ReLU", "inputs": ["fc1"]},
        {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act1"]}])"
                                            : model;
    const std::string json = R"({"format": "neurite-project", "version": 1, "name": "t",
        "data": {"source": "synthetic:spiral?samples=300&classes=3&noise=0.1&seed=3",
                 "validation_split": 0.2, "test_split": 0.1},
        "model": {"nodes": )" + nodes + R"(},
        "training": {"epochs": 3, "batch_size": 16, "seed": 5, "threads": 2,
                     "optimizer": {"type": "adam", "lr": 0.01})" + extra + "}}";
    return parseProject(json, "test.neurite.json", nullptr);
}

struct Recorder : TrainObserver {
    std::vector<float> losses;
    std::vector<EpochEvent> epochs;
    int failed = 0;
    std::function<void(const StepEvent&)> hook;
    void onStep(const StepEvent& e) override {
        losses.push_back(e.loss);
        if (hook) hook(e);
    }
    void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
    void onFailed(const Error&) override { ++failed; }
};

FinishedEvent train(const ProjectDocument& doc, Recorder& rec, StopToken& stop,
                    std::vector<float>* weights = nullptr) {
    RunSetup s = prepareRun(doc);
    Trainer trainer(*s.model, s.data, doc.training);
    FinishedEvent fin = trainer.run(rec, stop);
    if (weights) *weights = s.model->snapshot();
    return fin;
}

}  // namespace

class TestTrainer : public QObject {
    Q_OBJECT
private slots:
    void spiralExampleReachesAccuracy() {
        auto doc = loadProject(test::sourceDir() + "/resources/examples/spiral.neurite.json", nullptr);
        Recorder rec;
        StopToken stop;
        FinishedEvent fin = train(doc, rec, stop);
        QCOMPARE(QString::fromStdString(fin.status), QString("completed"));
        QVERIFY2(fin.trainAccuracy >= 0.95, qPrintable(QString::number(fin.trainAccuracy)));
        QVERIFY(rec.losses.front() > rec.losses.back());
    }

    void sameSeedIsBitIdentical() {
        Recorder a, b;
        StopToken stop;
        std::vector<float> wa, wb;
        train(spiral(), a, stop, &wa);
        train(spiral(), b, stop, &wb);
        QCOMPARE(a.losses.size(), b.losses.size());
        QVERIFY(std::memcmp(a.losses.data(), b.losses.data(), a.losses.size() * sizeof(float)) == 0);
        QVERIFY(wa == wb);
        Recorder c;
        ProjectDocument other = spiral();
        other.training.seed = 6;
        train(other, c, stop);
        QVERIFY(a.losses != c.losses);
    }

    // --perturb: every nonzero weight moves by exactly N ulps (outward at even positions, inward
    // at odd ones), zeros stay, and the training changes a little but not much.
    void perturbationMovesEachWeightByItsUlps() {
        RunSetup s = prepareRun(spiral());
        const std::vector<float> before = s.model->snapshot();
        const int64_t nv = s.model->parameterCount();
        QCOMPARE(perturbWeights(*s.model, 3), nv - std::count(before.begin(), before.begin() + nv, 0.f));
        const std::vector<float> after = s.model->snapshot();
        QCOMPARE(after.size(), before.size());
        int zeros = 0;
        for (int64_t i = 0; i < nv; ++i) {
            const float b = before[static_cast<std::size_t>(i)], a = after[static_cast<std::size_t>(i)];
            if (b == 0.f) {
                QCOMPARE(a, 0.f);
                ++zeros;
                continue;
            }
            int32_t ib, ia;
            std::memcpy(&ib, &b, 4);
            std::memcpy(&ia, &a, 4);
            // Same sign; the magnitude's bit pattern moves by 3, up at even positions.
            QCOMPARE(std::signbit(a), std::signbit(b));
            QCOMPARE((ia & 0x7fffffff) - (ib & 0x7fffffff), i % 2 == 0 ? 3 : -3);
        }
        QVERIFY(zeros > 0);  // the biases start at zero: the zero branch ran
        QVERIFY(std::equal(after.begin() + nv, after.end(), before.begin() + nv));  // buffers untouched
        QVERIFY_THROWS_EXCEPTION(Error, perturbWeights(*s.model, 0));
        QVERIFY_THROWS_EXCEPTION(Error, perturbWeights(*s.model, 1025));

        Recorder plain, nudged;
        StopToken stop;
        train(spiral(), plain, stop);
        RunSetup t = prepareRun(spiral());
        perturbWeights(*t.model, 1);
        Trainer trainer(*t.model, t.data, t.project.training);
        trainer.run(nudged, stop);
        QCOMPARE(nudged.losses.size(), plain.losses.size());
        QVERIFY(nudged.losses != plain.losses);
        QVERIFY(std::abs(nudged.losses[0] - plain.losses[0]) < 1e-5f * plain.losses[0]);
    }

    // A GPU reads the steps' losses and counts back several at a time (train/step_scalars.h).
    // The CPU does so too when asked: every loss and count, every epoch's figures and the final
    // weights must be what reading every step gives, for device-kept losses and counts (cross-
    // entropy, binary) and for the host-computed ones (mixup) alike.
    void stepReadbackChangesNothingButTiming_data() {
        QTest::addColumn<QString>("variant");
        for (const char* v : {"cross_entropy", "binary", "mixup"}) QTest::newRow(v) << QString(v);
    }
    void stepReadbackChangesNothingButTiming() {
        QFETCH(QString, variant);
        ProjectDocument doc = spiral();
        if (variant == "binary") {
            doc = spiral("", R"([{"id": "input", "op": "Input"},
                {"id": "fc1", "op": "Dense", "params": {"units": 16}, "inputs": ["input"]},
                {"id": "act1", "op": "ReLU", "inputs": ["fc1"]},
                {"id": "out", "op": "Dense", "params": {"units": 1}, "inputs": ["act1"]}])");
            doc.data.source = "synthetic:spiral?samples=300&classes=2&noise=0.1&seed=3";
            doc.training.loss.kind = LossKind::BinaryCrossEntropy;
        }
        if (variant == "mixup") doc.data.augment.mixup = 0.4f;
        const auto run = [&](int readback, Recorder& rec, std::vector<float>& weights) {
            RunSetup s = prepareRun(doc);
            Trainer trainer(*s.model, s.data, doc.training);
            if (readback) trainer.setStepReadback(readback, 0);
            StopToken stop;
            const FinishedEvent fin = trainer.run(rec, stop);
            weights = s.model->snapshot();
            return fin;
        };
        Recorder each, grouped;
        std::vector<float> we, wg;
        const FinishedEvent fe = run(0, each, we), fg = run(64, grouped, wg);
        QVERIFY(each.losses.size() > 20);
        QVERIFY(each.losses == grouped.losses);
        QVERIFY(we == wg);
        QCOMPARE(grouped.epochs.size(), each.epochs.size());
        for (std::size_t i = 0; i < each.epochs.size(); ++i) {
            QCOMPARE(grouped.epochs[i].trainLoss, each.epochs[i].trainLoss);
            QCOMPARE(grouped.epochs[i].trainAccuracy, each.epochs[i].trainAccuracy);
            QCOMPARE(grouped.epochs[i].valLoss, each.epochs[i].valLoss);
        }
        // the count is real, not zero (mixup's is against the unmixed labels of mixed inputs)
        QVERIFY2(each.epochs.back().trainAccuracy > (variant == "mixup" ? 0.2 : 0.5),
                 qPrintable(QString::number(each.epochs.back().trainAccuracy)));
        QCOMPARE(fg.testAccuracy, fe.testAccuracy);
    }

    // Read back 4 steps at a time, a stop asked for at step 5 ends the run after that group:
    // every step taken is reported, in order, and no epoch is.
    void groupedReadbackStopsAfterItsGroup() {
        Recorder rec;
        StopToken stop;
        std::vector<int64_t> steps;
        rec.hook = [&](const StepEvent& e) {
            steps.push_back(e.step);
            if (e.step == 5) stop.requestStop();
        };
        RunSetup s = prepareRun(spiral());
        Trainer trainer(*s.model, s.data, s.project.training);
        trainer.setStepReadback(4, 0);
        const FinishedEvent fin = trainer.run(rec, stop);
        QCOMPARE(QString::fromStdString(fin.status), QString("cancelled"));
        QCOMPARE(steps, (std::vector<int64_t>{1, 2, 3, 4, 5, 6, 7, 8}));
        QVERIFY(rec.epochs.empty());
    }

    void cancelStopsWithinOneStep() {
        Recorder rec;
        StopToken stop;
        rec.hook = [&](const StepEvent& e) {
            if (e.step == 5) stop.requestStop();
        };
        FinishedEvent fin = train(spiral(), rec, stop);
        QCOMPARE(QString::fromStdString(fin.status), QString("cancelled"));
        QCOMPARE(rec.losses.size(), std::size_t(5));
        QVERIFY(!fin.testAccuracy.has_value());
        QVERIFY(rec.epochs.empty());  // the interrupted epoch is not reported as complete
        QCOMPARE(fin.epochs, 0);
    }

    void pauseHoldsAndResumes() {
        Recorder rec;
        StopToken stop;
        std::atomic<int64_t> steps{0};
        rec.hook = [&](const StepEvent& e) {
            steps = e.step;
            if (e.step == 3) stop.pause();
        };
        std::thread worker([&] { train(spiral(), rec, stop); });
        while (steps < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
        QCOMPARE(steps.load(), int64_t(3));
        stop.resume();
        worker.join();
        QVERIFY(steps > 3);
    }

    // Teaching's time controls: 7 steps, 10 more (across the epoch boundary at 14), then to the
    // end of the epoch. Each pauses exactly there; a second run from the same seed driven the same
    // way (Reset) ends bit-identical, and so does a run paused at step 28 without stepping.
    void steppingIsExactAndResetIsBitIdentical() {
        const auto stepped = [](std::vector<int64_t>& pausedAt, int& epochs) {
            RunSetup s = prepareRun(spiral());
            Trainer trainer(*s.model, s.data, s.project.training);
            struct Counts : TrainObserver {
                std::atomic<int64_t> steps{0};
                std::atomic<int> epochs{0};
                void onStep(const StepEvent& e) override { steps = e.step; }
                void onEpoch(const EpochEvent&) override { ++epochs; }
            } counts;
            std::atomic<int64_t>& steps = counts.steps;
            std::atomic<int>& epochCount = counts.epochs;
            StopToken stop;
            stop.pause();
            std::thread worker([&] { trainer.run(counts, stop); });
            const auto settle = [&] {
                while (!stop.paused()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
                std::this_thread::sleep_for(std::chrono::milliseconds(50));  // nothing more runs
                pausedAt.push_back(steps.load());
            };
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            pausedAt.push_back(steps.load());  // started paused: no step yet
            stop.stepBatches(7);
            settle();
            stop.stepBatches(10);
            settle();
            stop.stepEpoch();
            settle();
            std::vector<float> weights = s.model->snapshot();
            epochs = epochCount.load();
            stop.requestStop();
            worker.join();
            return weights;
        };
        std::vector<int64_t> first, second;
        int epochsFirst = 0, epochsSecond = 0;
        const std::vector<float> a = stepped(first, epochsFirst);
        QCOMPARE(first, (std::vector<int64_t>{0, 7, 17, 28}));
        QCOMPARE(epochsFirst, 2);
        const std::vector<float> b = stepped(second, epochsSecond);
        QCOMPARE(second, first);
        QCOMPARE(epochsSecond, 2);
        QVERIFY(a == b);

        // The same 28 steps without stepping: paused from the observer after step 28.
        RunSetup s = prepareRun(spiral());
        Trainer trainer(*s.model, s.data, s.project.training);
        Recorder rec;
        StopToken stop;
        std::atomic<bool> reached{false};
        rec.hook = [&](const StepEvent& e) {
            if (e.step == 28) {
                stop.pause();
                reached = true;
            }
        };
        std::thread worker([&] { trainer.run(rec, stop); });
        while (!reached) std::this_thread::sleep_for(std::chrono::milliseconds(2));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        const std::vector<float> free = s.model->snapshot();
        stop.requestStop();
        worker.join();
        QVERIFY(free == a);
    }

    // Settings changed while paused apply from the next step, exactly: a run changed to lr 0.03,
    // batch 7 and L2 0.001 before its first step ends bit-identical to one configured so; each
    // change is reported, and impossible ones are refused with the reason, the run unchanged.
    void settingsChangedWhilePausedApplyFromTheNextStep() {
        struct Live : TrainObserver {
            std::optional<SettingsChange> change;
            std::vector<SettingsChangedEvent> changes;
            std::vector<StepEvent> steps;
            std::optional<SettingsChange> whilePaused() override { return std::exchange(change, std::nullopt); }
            void onSettingsChanged(const SettingsChangedEvent& e) override { changes.push_back(e); }
            void onStep(const StepEvent& e) override { steps.push_back(e); }
        };
        RunSetup s = prepareRun(spiral());
        Trainer trainer(*s.model, s.data, s.project.training);
        Live live;
        SettingsChange c;
        c.lr = 0.03;
        c.batchSize = 7;
        c.l2 = 0.001;
        c.l1 = -1;  // refused
        live.change = c;
        StopToken stop;
        stop.pause();
        std::thread worker([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // whilePaused has run
            stop.resume();
        });
        trainer.run(live, stop);
        worker.join();
        QCOMPARE(live.changes.size(), std::size_t(4));
        QCOMPARE(live.changes[0].setting, std::string("lr"));
        QCOMPARE(live.changes[0].before, double(0.01f));
        QCOMPARE(live.changes[0].after, double(0.03f));
        QCOMPARE(live.changes[1].setting, std::string("batch_size"));
        QCOMPARE(live.changes[1].after, 7.0);
        QCOMPARE(live.changes[2].setting, std::string("l1"));
        QVERIFY(live.changes[2].refusal.find("l1 must be") != std::string::npos);
        QCOMPARE(live.changes[3].setting, std::string("l2"));
        QCOMPARE(live.changes[0].step, int64_t(0));
        QCOMPARE(live.changes[0].epoch, 1);
        QCOMPARE(live.steps.front().stepsPerEpoch, int64_t(30));  // 210 training samples in 7s
        QCOMPARE(live.steps.front().lr, 0.03f);
        QCOMPARE(live.steps.size(), std::size_t(90));

        ProjectDocument configured = spiral(R"(, "regularization": {"l2": 0.001})");
        configured.training.batchSize = 7;
        configured.training.optimizer.lr = 0.03f;
        Recorder rec;
        StopToken plain;
        std::vector<float> expected;
        train(configured, rec, plain, &expected);
        QVERIFY(s.model->snapshot() == expected);

        // Refused: the run goes on as it was.
        RunSetup r = prepareRun(spiral());
        Trainer again(*r.model, r.data, r.project.training);
        Live refused;
        SettingsChange bad;
        bad.lr = 0;
        bad.batchSize = 100000;
        refused.change = bad;
        StopToken stop2;
        stop2.pause();
        std::thread resumer([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            stop2.resume();
        });
        again.run(refused, stop2);
        resumer.join();
        QCOMPARE(refused.changes.size(), std::size_t(2));
        for (const SettingsChangedEvent& e : refused.changes) QVERIFY(!e.refusal.empty());
        QCOMPARE(refused.steps.front().lr, 0.01f);
        QCOMPARE(refused.steps.front().stepsPerEpoch, int64_t(14));
    }

    // Resume and Pause end stepping: Resume runs on, Pause keeps it paused.
    void resumeEndsStepping() {
        StopToken t;
        t.pause();
        t.stepBatches(2);
        QVERIFY(!t.paused());
        t.stepTaken();
        QVERIFY(!t.paused());
        t.stepTaken();
        QVERIFY(t.paused());
        t.stepBatches(5);
        t.resume();
        for (int i = 0; i < 10; ++i) t.stepTaken();
        t.epochEnded();
        QVERIFY(!t.paused());
        t.pause();
        t.stepEpoch();
        t.stepTaken();
        QVERIFY(!t.paused());
        t.epochEnded();
        QVERIFY(t.paused());
        t.epochEnded();  // once only
        t.resume();
        t.epochEnded();
        QVERIFY(!t.paused());
        t.requestStop();
        t.stepBatches(1);
        QVERIFY(t.stopRequested());
    }

    // Read back every step or 64 at a time (as on a GPU), the same step is named, and the
    // observer hears of the same finite steps before it.
    void divergenceIsDetected() {
        ProjectDocument doc = spiral();
        doc.training.epochs = 5;
        doc.training.optimizer.kind = OptimizerKind::Sgd;
        doc.training.optimizer.lr = 1e30f;
        QString messages[2];
        std::size_t reported[2] = {0, 0};
        for (int grouped = 0; grouped < 2; ++grouped) {
            Recorder rec;
            StopToken stop;
            RunSetup s = prepareRun(doc);
            Trainer trainer(*s.model, s.data, doc.training);
            if (grouped) trainer.setStepReadback(64, 0);
            try {
                trainer.run(rec, stop);
                QFAIL("no divergence reported");
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::Diverged);
                QVERIFY2(QString(e.what()).contains("lower the learning rate"), e.what());
                messages[grouped] = e.what();
            }
            QCOMPARE(rec.failed, 1);
            reported[grouped] = rec.losses.size();
        }
        QCOMPARE(messages[1], messages[0]);
        QCOMPARE(reported[1], reported[0]);
        QVERIFY2(messages[0].contains(", step "), qPrintable(messages[0]));
    }

    // Adam at a learning rate of 1e6 keeps the loss finite (huge) and used to complete without a
    // word: the first epoch whose loss is 1000 times the first step's carries a warning, once; a
    // sane learning rate gets none.
    void explodingLossIsWarnedAbout() {
        Recorder wild;
        StopToken stop;
        ProjectDocument doc = spiral();
        doc.training.optimizer.lr = 1e6f;
        const FinishedEvent fin = train(doc, wild, stop);
        QCOMPARE(fin.status, std::string("completed"));
        QCOMPARE(wild.epochs.size(), std::size_t(3));
        int warned = 0;
        for (const EpochEvent& e : wild.epochs)
            if (!e.warning.empty()) {
                ++warned;
                QVERIFY2(QString::fromStdString(e.warning).contains("learning rate is probably far too high"),
                         e.warning.c_str());
                QVERIFY(e.trainLoss > kLossGrowthWarning * wild.losses.front());
            }
        QCOMPARE(warned, 1);
        Recorder sane;
        train(spiral(), sane, stop);
        for (const EpochEvent& e : sane.epochs) QVERIFY2(e.warning.empty(), e.warning.c_str());
    }

    void earlyStoppingStopsAfterPatience() {
        Recorder rec;
        StopToken stop;
        ProjectDocument doc = spiral(R"(,
            "early_stopping": {"enabled": true, "monitor": "val_loss", "patience": 2, "min_delta": 1000})");
        doc.training.epochs = 10;
        FinishedEvent fin = train(doc, rec, stop);
        QCOMPARE(QString::fromStdString(fin.status), QString("early_stopped"));
        QCOMPARE(fin.epochs, 3);  // epoch 1 sets the best; 2 and 3 do not beat it by 1000
        QCOMPARE(fin.bestEpoch, 1);
    }

    void autoencoderLearnsToReconstruct() {  // data.reconstruct: the targets are the inputs
        const std::string json = R"({"format": "neurite-project", "version": 1, "name": "ae",
            "data": {"source": "builtin:digits", "validation_split": 0.2, "scaling": "minmax",
                     "reconstruct": true},
            "model": {"nodes": [
                {"id": "input", "op": "Input"},
                {"id": "flat", "op": "Flatten", "inputs": ["input"]},
                {"id": "code", "op": "Dense", "params": {"units": 16}, "inputs": ["flat"]},
                {"id": "act", "op": "ReLU", "inputs": ["code"]},
                {"id": "dec", "op": "Dense", "params": {"units": 64}, "inputs": ["act"]},
                {"id": "img", "op": "Reshape", "params": {"shape": [1, 8, 8]}, "inputs": ["dec"]},
                {"id": "out", "op": "Sigmoid", "inputs": ["img"]}]},
            "training": {"epochs": 6, "batch_size": 32, "seed": 5, "threads": 2,
                         "loss": {"type": "mse"}, "optimizer": {"type": "adam", "lr": 0.01}}})";
        const ProjectDocument doc = parseProject(json, "ae.neurite.json", nullptr);
        Recorder rec;
        StopToken stop;
        const FinishedEvent fin = train(doc, rec, stop);
        QCOMPARE(rec.failed, 0);
        QCOMPARE(int(rec.epochs.size()), 6);
        // Pixels scaled to 0..1 (minmax): a 16-value code must do far better than its first epoch.
        QVERIFY2(*rec.epochs.back().valLoss < *rec.epochs.front().valLoss * 0.7,
                 qPrintable(QString("%1 -> %2").arg(*rec.epochs.front().valLoss).arg(*rec.epochs.back().valLoss)));
        QVERIFY2(*rec.epochs.back().valLoss < 0.05, qPrintable(QString::number(*rec.epochs.back().valLoss)));
        QVERIFY(!fin.valAccuracy.has_value());  // a regression: no accuracy
    }

    void residualBlockTrains() {
        Recorder rec;
        StopToken stop;
        const std::string model = R"([
            {"id": "input", "op": "Input"},
            {"id": "fc1", "op": "Dense", "params": {"units": 32}, "inputs": ["input"]},
            {"id": "a1", "op": "ReLU", "inputs": ["fc1"]},
            {"id": "fc2", "op": "Dense", "params": {"units": 32}, "inputs": ["a1"]},
            {"id": "bn", "op": "BatchNorm", "inputs": ["fc2"]},
            {"id": "skip", "op": "Add", "inputs": ["bn", "a1"]},
            {"id": "a2", "op": "Tanh", "inputs": ["skip"]},
            {"id": "cat", "op": "Concat", "inputs": ["a2", "a1"]},
            {"id": "drop", "op": "Dropout", "params": {"rate": 0.1}, "inputs": ["cat"]},
            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["drop"]}])";
        ProjectDocument doc = spiral("", model);
        doc.training.epochs = 8;
        FinishedEvent fin = train(doc, rec, stop);
        QVERIFY2(rec.epochs.back().trainLoss < rec.epochs.front().trainLoss * 0.8,
                 qPrintable(QString("%1 -> %2").arg(rec.epochs.front().trainLoss).arg(rec.epochs.back().trainLoss)));
        QVERIFY(fin.valAccuracy.has_value());
    }

    void bf16TrainsWhereSupported() {
        ProjectDocument doc = spiral();
        doc.training.precision = Precision::Bf16;
        doc.training.epochs = 15;
        try {
            Recorder rec;
            StopToken stop;
            FinishedEvent fin = train(doc, rec, stop);
            QVERIFY2(fin.trainAccuracy > 0.8, qPrintable(QString::number(fin.trainAccuracy)));
        } catch (const Error& e) {
            // Only a CPU without bf16 may refuse, and it must say why.
            QCOMPARE(e.kind(), ErrorKind::Unsupported);
            QVERIFY2(QString(e.what()).contains("bf16"), e.what());
            QSKIP(e.what());
        }
    }

    // Every bundled example resolves, builds and learns (a few hundred steps for Fashion-MNIST).
    void examplesTrain_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("steps");
        QTest::addColumn<int>("epochs");  // the small tables need a few epochs for 20+ steps
        QTest::newRow("spiral") << "spiral.neurite.json" << 0 << 1;
        QTest::newRow("fashion_mlp") << "fashion_mlp.neurite.json" << 300 << 1;
        QTest::newRow("fashion_cnn") << "fashion_cnn.neurite.json" << 60 << 1;
        QTest::newRow("breast_cancer") << "breast_cancer.neurite.json" << 0 << 1;
        QTest::newRow("iris") << "iris.neurite.json" << 0 << 8;
        QTest::newRow("wine") << "wine.neurite.json" << 0 << 6;
        QTest::newRow("digits") << "digits.neurite.json" << 0 << 1;
        QTest::newRow("fashion_autoencoder") << "fashion_autoencoder.neurite.json" << 100 << 1;
    }
    void examplesTrain() {
        QFETCH(QString, file);
        QFETCH(int, steps);
        QFETCH(int, epochs);
        ProjectDocument doc = loadProject(test::sourceDir() + "/resources/examples/" + file.toStdString(), nullptr);
        if (doc.data.source == "builtin:fashion-mnist" && !QFile::exists("/usr/share/datasets/fashion-mnist"))
            NEURITE_SKIP_MISSING("Fashion-MNIST is not installed (dataset-fashion-mnist)");
        doc.training.epochs = epochs;
        doc.training.maxSteps = steps;
        Recorder rec;
        StopToken stop;
        FinishedEvent fin = train(doc, rec, stop);
        QVERIFY2(rec.losses.size() >= 20, qPrintable(QString("only %1 steps").arg(rec.losses.size())));
        const auto head = std::accumulate(rec.losses.begin(), rec.losses.begin() + 10, 0.f) / 10;
        const auto tail = std::accumulate(rec.losses.end() - 10, rec.losses.end(), 0.f) / 10;
        QVERIFY2(tail < 0.7f * head, qPrintable(QString("loss %1 -> %2").arg(head).arg(tail)));
        if (doc.data.reconstruct)  // a regression onto the input: errors, no accuracy
            QVERIFY(fin.testMetrics && fin.testMetrics->regression &&
                    fin.testMetrics->regression->rmse.defined());
        else
            QVERIFY(fin.testAccuracy.has_value());
    }

    void outputUnitsMismatchIsBadInput() {
        const std::string model = R"([
            {"id": "input", "op": "Input"},
            {"id": "out", "op": "Dense", "params": {"units": 5}, "inputs": ["input"]}])";
        ProjectDocument doc = spiral("", model);
        RunSetup s = prepareRun(doc);
        try {
            Trainer trainer(*s.model, s.data, doc.training);
            QFAIL("mismatch accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY2(QString(e.what()).contains("3 classes"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "test_trainer.moc"
