// Quantization-aware training (train/quant_aware.h): while it is on, the model computes exactly
// the QDQ graph the int8 export simulates (SimulatedInt8) with the tracked ranges, bit for bit;
// the tracked ranges are the moving average of each batch's min and max; the float weights come
// back after every backward; a QAT run trains, evaluates its int8 model and resumes
// bit-identical (its ranges travel in the checkpoint); bad settings are refused.
#include <QtTest>

#include <cmath>
#include <cstring>

#include "core/error.h"
#include "export/export_source.h"
#include "export/quantize.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "train/checkpoint.h"
#include "train/quant_aware.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

ProjectDocument project(const std::string& training) {
    const std::string json = R"({"format": "neurite-project", "version": 1, "name": "q",
        "data": {"source": "builtin:digits", "validation_split": 0.2, "test_split": 0.2},
        "model": {"nodes": [
            {"id": "input", "op": "Input"},
            {"id": "conv", "op": "Conv2D", "params": {"filters": 8, "kernel_size": [3, 3], "padding": "same"}, "inputs": ["input"]},
            {"id": "relu", "op": "ReLU", "inputs": ["conv"]},
            {"id": "pool", "op": "MaxPool2D", "params": {"pool_size": [2, 2]}, "inputs": ["relu"]},
            {"id": "flat", "op": "Flatten", "inputs": ["pool"]},
            {"id": "fc", "op": "Dense", "params": {"units": 32}, "inputs": ["flat"]},
            {"id": "tanh", "op": "Tanh", "inputs": ["fc"]},
            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["tanh"]}]},
        "training": {"epochs": 4, "batch_size": 32, "seed": 3, "threads": 2,
                     "optimizer": {"type": "adam", "lr": 0.005})" +
                             (training.empty() ? "" : ", " + training) + "}}";
    return parseProject(json, "q.neurite.json", nullptr);
}

std::vector<float> forward(Model& m, const std::vector<float>& x, int64_t n, bool training) {
    Tensor in = Tensor::empty(m.backend(), m.inputShape().withBatch(n));
    m.backend().copyFromHost(in, x.data());
    const Tensor& y = m.forward(in, training, 1, 1);
    std::vector<float> out(static_cast<std::size_t>(y.numel()));
    m.backend().copyToHost(out.data(), y);
    return out;
}

std::vector<float> batch(int64_t n, float lo, float hi) {
    std::vector<float> x(static_cast<std::size_t>(n * 64));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = lo + (hi - lo) * static_cast<float>((i * 37) % 101) / 100.f;
    return x;
}

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

}  // namespace

class TestQuantAware : public QObject {
    Q_OBJECT

private slots:
    void itComputesTheExportsQdqGraphBitForBit() {
        const ProjectDocument doc = project(R"("quantization_aware": {"range_momentum": 0.9})");
        RunSetup s = prepareRun(doc);
        Model& m = *s.model;
        const std::vector<float> master = m.snapshot();
        QuantAware qat(m, doc.training.quantAware);
        QVERIFY(!qat.begun());
        // Two training forwards: the input's range is the moving average of the batches'.
        qat.begin(0, true);
        forward(m, batch(16, -1.f, 2.f), 16, true);
        qat.end();
        qat.begin(1, true);
        forward(m, batch(16, -3.f, 4.f), 16, true);
        qat.end();
        QVERIFY(qat.begun());
        const std::vector<float> st = qat.state();
        QCOMPARE(st.size(), std::size_t{9});  // input, flat and tanh: node, min, max each
        QCOMPARE(static_cast<int>(st[0]), 0);
        QVERIFY(std::fabs(st[1] - (0.9f * -1.f + 0.1f * -3.f)) < 1e-6);
        QVERIFY(std::fabs(st[2] - (0.9f * 2.f + 0.1f * 4.f)) < 1e-6);
        // The float weights came back bit for bit.
        const std::vector<float> after = m.snapshot();
        QVERIFY(std::memcmp(after.data(), master.data(), master.size() * sizeof(float)) == 0);

        // Evaluation with the tracked ranges = the export's simulated int8 model with a plan of
        // the same ranges and the weights' own channel scales.
        const std::vector<float> x = batch(20, -2.f, 3.f);
        m.setForwardHook({});  // something between two passes took the hook down (activation maps do)
        qat.begin(0, false);
        const std::vector<float> a = forward(m, x, 20, false);
        qat.end();
        ExportSource src = exportSourceOf(s);
        Int8Plan plan;
        for (std::size_t k = 0; k < st.size(); k += 3)
            plan.activations[static_cast<int>(st[k])] = activationQuantFor(st[k + 1], st[k + 2]);
        for (int node : {1, 5, 7})
            for (const ParamInfo& p : m.params())
                if (p.node == m.nodeId(node) && p.name == "weight")
                    plan.weightScales[node] = channelScales(
                        std::span<const float>(master.data() + p.offset, static_cast<std::size_t>(p.shape.numel())),
                        p.shape[0]);
        m.setForwardHook({});
        std::vector<float> b;
        {
            SimulatedInt8 sim(src, plan);
            b = forward(m, x, 20, false);
        }
        QCOMPARE(a.size(), b.size());
        QVERIFY(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
        // And it differs from the float model's (the rounding does something).
        const std::vector<float> f = forward(m, x, 20, false);
        double diff = 0;
        for (std::size_t i = 0; i < f.size(); ++i) diff = std::max(diff, double(std::fabs(f[i] - a[i])));
        QVERIFY(diff > 1e-4);
    }

    void aQatRunTrainsAndResumesBitIdentical() {
        const ProjectDocument doc = project(R"("quantization_aware": {"begin_step": 30})");
        const auto train = [&](int stopAfter, const TrainerState* resume, std::vector<float>* weights) {
            RunSetup s = prepareRun(doc);
            Trainer t(*s.model, s.data, doc.training);
            if (resume) t.resumeFrom(*resume);
            StopToken stop;
            Capture cap;
            cap.stopAfter = stopAfter;
            cap.stop = stopAfter > 0 ? &stop : nullptr;
            const FinishedEvent fin = t.run(cap, stop);
            if (weights) *weights = s.model->snapshot();
            return std::make_pair(fin, cap.state);
        };
        std::vector<float> whole, resumed;
        const auto [fin, none] = train(0, nullptr, &whole);
        QVERIFY2(*fin.testAccuracy > 0.85, QByteArray::number(*fin.testAccuracy));
        // The stored weights are the float ones: not all of the first layer on its int8 grid.
        const auto [partial, state] = train(2, nullptr, nullptr);
        QVERIFY(state.has_value());
        QCOMPARE(state->quantRanges.size(), std::size_t{9});
        const TrainerState back = deserializeCheckpoint(serializeCheckpoint(*state), "test");
        QCOMPARE(back.quantRanges, state->quantRanges);
        const auto [rest, unused] = train(0, &back, &resumed);
        QCOMPARE(*rest.testAccuracy, *fin.testAccuracy);
        QVERIFY(std::memcmp(resumed.data(), whole.data(), whole.size() * sizeof(float)) == 0);
        RunSetup s = prepareRun(doc);
        s.model->restore(whole);
        const ParamInfo& w = s.model->params()[0];
        QCOMPARE(w.name, std::string("weight"));
        const std::vector<float> scales =
            channelScales(std::span<const float>(whole.data() + w.offset, static_cast<std::size_t>(w.shape.numel())), w.shape[0]);
        int offGrid = 0;
        const std::size_t per = static_cast<std::size_t>(w.shape.numel() / w.shape[0]);
        for (std::size_t i = 0; i < static_cast<std::size_t>(w.shape.numel()); ++i) {
            const float q = whole[static_cast<std::size_t>(w.offset) + i] / scales[i / per];
            offGrid += std::fabs(q - std::nearbyint(q)) > 1e-3f;
        }
        QVERIFY(offGrid > 0);
    }

    void badSettingsAreRefused() {
        const auto error = [](const std::string& fields) {
            try {
                project(R"("quantization_aware": {)" + fields + "}");
            } catch (const Error& e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        QVERIFY(error(R"("range_momentum": 1)").find("range_momentum") != std::string::npos);
        QVERIFY(error(R"("begin_step": -1)").find("begin_step") != std::string::npos);
        const ProjectDocument doc = project(R"("quantization_aware": {"begin_step": 7, "range_momentum": 0.95})");
        const ProjectDocument back = parseProject(projectToJson(doc), "q.neurite.json", nullptr);
        QVERIFY(back.training.quantAware == doc.training.quantAware);
        QVERIFY(back.training.quantAware.enabled);
    }
};

QTEST_GUILESS_MAIN(TestQuantAware)
#include "test_quant_aware.moc"
