// Compiled inference (backend.h, InferencePlan; Model::compileInference): the compiled plan of a
// network computes what the layer-by-layer forward computes, to float rounding, for convolutions
// (strided, dilated, grouped, padded), pooling, batch normalization with real running
// statistics, fused and unfused activations, Flatten into Dense, Add, Concat, Reshape, softmax
// and global pooling, at batch 1 and others; fusion happens where it should; a layer without a
// compiled form falls back to the layer-by-layer path with its name; a plan keeps the weights of
// the moment it was made; the Predictor's compiled path equals its layer-by-layer path, batches
// split or not. Int8: the compiled int8 plan (uint8 activations, int8 weights per channel, zero
// points on convolution padding and dense layers) computes the QDQ graph that the int8 export
// describes, computed here layer by layer in float with every rounding applied, up to the
// rounding of a few values that sit on a quantization step.
#include <QtTest>

#include <cmath>
#include <limits>

#include "backend/cpu/cpu_backend.h"
#include "backend/quantization.h"
#include "core/random.h"
#include "devices/device_registry.h"
#include "export/predictor.h"
#include "export/quantize.h"

using namespace neurite;

namespace {

using P = std::map<std::string, ParamValue>;
using L = std::vector<int64_t>;

struct Net {
    std::vector<Node> nodes;
    ResolvedGraph graph;
    std::unique_ptr<Model> model;
};

Net build(std::vector<Node> nodes, Shape sample, int classes = 3) {
    Net n;
    n.nodes = std::move(nodes);
    n.graph = resolveGraph(n.nodes, "out", DataInfo{sample, classes});
    if (!n.graph.ok()) qFatal("graph: %s", n.graph.firstError().c_str());
    n.model = std::make_unique<Model>(backendFor("cpu"), n.nodes, n.graph, 11);
    // Running statistics away from their 0 / 1 start, so batch normalization does something.
    Backend& be = n.model->backend();
    std::vector<float> buffers(static_cast<std::size_t>(n.model->buffers().numel()));
    Rng rng(5);
    for (float& b : buffers) b = 0.5f + static_cast<float>(rng.uniform());
    be.copyFromHost(n.model->buffers(), buffers.data());
    return n;
}

std::vector<float> randomValues(int64_t count, uint64_t seed) {
    Rng rng(seed);
    std::vector<float> v(static_cast<std::size_t>(count));
    for (float& x : v) x = static_cast<float>(rng.normal());
    return v;
}

std::vector<float> layerByLayer(Model& m, const std::vector<float>& x, int64_t batch) {
    Tensor in = Tensor::empty(m.backend(), m.inputShape().withBatch(batch));
    m.backend().copyFromHost(in, x.data());
    const Tensor& y = m.forward(in, false, 0, 0);
    std::vector<float> out(static_cast<std::size_t>(y.numel()));
    m.backend().copyToHost(out.data(), y);
    return out;
}

std::vector<float> compiled(InferencePlan& plan, Model& m, const std::vector<float>& x, int64_t batch) {
    Tensor in = Tensor::empty(m.backend(), m.inputShape().withBatch(batch));
    m.backend().copyFromHost(in, x.data());
    Tensor y = Tensor::empty(m.backend(), m.outputShape().withBatch(batch));
    plan.run(in, y);
    std::vector<float> out(static_cast<std::size_t>(y.numel()));
    m.backend().copyToHost(out.data(), y);
    return out;
}

// Largest difference relative to max(1, |reference|); fails past `tolerance`.
void expectClose(const std::vector<float>& got, const std::vector<float>& want, double tolerance,
                 const char* what) {
    QCOMPARE(got.size(), want.size());
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        QVERIFY2(std::isfinite(got[i]), what);
        worst = std::max(worst, std::abs(double(got[i]) - want[i]) / std::max(1.0, std::abs(double(want[i]))));
    }
    if (worst > tolerance) QFAIL(qPrintable(QString("%1: differs by %2 (relative)").arg(what).arg(worst)));
}

// Compiles at each batch size and compares with forward; returns the plan's summary.
std::string checkNet(Net& n, std::initializer_list<int64_t> batches, double tolerance = 2e-5) {
    std::string summary;
    for (int64_t b : batches) {
        std::string why;
        auto plan = n.model->compileInference(b, &why);
        if (!plan) qFatal("not compiled: %s", why.c_str());
        summary = plan->summary();
        const auto x = randomValues(n.model->inputShape().withBatch(b).numel(), 100 + static_cast<uint64_t>(b));
        const auto want = layerByLayer(*n.model, x, b);
        expectClose(compiled(*plan, *n.model, x, b), want, tolerance, summary.c_str());
        // A second run on the same plan gives the same bits (nothing left over from the first).
        if (compiled(*plan, *n.model, x, b) != compiled(*plan, *n.model, x, b))
            qFatal("%s: two runs of one plan differ", summary.c_str());
    }
    return summary;
}

// Biases away from their zero start, so the int8 bias arithmetic is exercised.
void randomBiases(Net& n) {
    std::vector<float> values = n.model->snapshot();
    Rng rng(17);
    for (const ParamInfo& p : n.model->params())
        if (p.name == "bias")
            for (int64_t k = 0; k < p.shape.numel(); ++k)
                values[static_cast<std::size_t>(p.offset + k)] = 0.3f * static_cast<float>(rng.normal());
    n.model->restore(values);
}

// Calibration as the int8 export does it: the range of every tensor that feeds a Dense or Conv2D
// (but the model's output), and each such layer's weight scales.
Model::Int8Spec calibrate(Net& n, const std::vector<float>& x, int64_t batch) {
    Model& m = *n.model;
    Model::Int8Spec spec;
    std::map<int, std::pair<float, float>> range;
    for (int i : n.graph.order) {
        const std::string& op = n.nodes[static_cast<std::size_t>(i)].op;
        if (op != "Dense" && op != "Conv2D") continue;
        const int p = n.graph.inputs[static_cast<std::size_t>(i)][0];
        if (p != n.graph.output) range[p] = {1e30f, -1e30f};
        const std::vector<float> values = m.snapshot();
        for (const ParamInfo& info : m.params())
            if (info.node == n.nodes[static_cast<std::size_t>(i)].id && info.name == "weight")
                spec.weightScales[i] = channelScales(
                    std::span<const float>(values.data() + info.offset, static_cast<std::size_t>(info.shape.numel())),
                    info.shape[0]);
    }
    std::vector<float> host;
    m.setForwardHook([&](int node, Tensor& out) {
        auto it = range.find(node);
        if (it == range.end()) return;
        host.resize(static_cast<std::size_t>(out.numel()));
        m.backend().copyToHost(host.data(), out);
        for (float v : host) it->second = {std::min(it->second.first, v), std::max(it->second.second, v)};
    });
    layerByLayer(m, x, batch);
    m.setForwardHook({});
    for (const auto& [node, r] : range) {
        const ActivationQuant a = activationQuantFor(r.first, r.second);
        spec.outputs[node] = InferQuant{true, a.scale, a.zeroPoint};
    }
    return spec;
}

// The QDQ graph layer by layer in float, as SimulatedInt8 computes it for the int8 export.
std::vector<float> qdqReference(Net& n, const Model::Int8Spec& spec, const std::vector<float>& x, int64_t batch) {
    Model& m = *n.model;
    const std::vector<float> saved = m.snapshot();
    std::vector<float> rounded = saved;
    for (const auto& [node, scales] : spec.weightScales)
        for (const ParamInfo& p : m.params()) {
            if (p.node != n.nodes[static_cast<std::size_t>(node)].id || p.name != "weight") continue;
            const auto per = static_cast<std::size_t>(p.shape.numel()) / scales.size();
            for (std::size_t k = 0; k < static_cast<std::size_t>(p.shape.numel()); ++k) {
                float& w = rounded[static_cast<std::size_t>(p.offset) + k];
                w = dequantize(quantizeI8(w, scales[k / per]), scales[k / per], 0);
            }
        }
    m.restore(rounded);
    std::vector<float> host;
    m.setForwardHook([&](int node, Tensor& out) {
        auto it = spec.outputs.find(node);
        if (it == spec.outputs.end()) return;
        const InferQuant& q = it->second;
        host.resize(static_cast<std::size_t>(out.numel()));
        m.backend().copyToHost(host.data(), out);
        for (float& v : host) v = dequantize(quantizeU8(v, q.scale, q.zeroPoint), q.scale, q.zeroPoint);
        m.backend().copyFromHost(out, host.data());
    });
    std::vector<float> y = layerByLayer(m, x, batch);
    m.setForwardHook({});
    m.restore(saved);
    return y;
}

// The int8 plan against the QDQ reference: most values equal to float rounding, the rest (a
// value on a quantization step rounded the other way upstream) close, the predicted class the
// same for nearly every sample; and quantization must change the outputs (else nothing ran).
void checkInt8(Net& n, int64_t batch, int classes) {
    const auto calib = randomValues(n.model->inputShape().withBatch(64).numel(), 71);
    const Model::Int8Spec spec = calibrate(n, calib, 64);
    QVERIFY(!spec.weightScales.empty());
    const auto x = randomValues(n.model->inputShape().withBatch(batch).numel(), 72);
    std::string why;
    auto plan = n.model->compileInference(batch, &why, &spec);
    QVERIFY2(plan, why.c_str());
    const std::string summary = plan->summary();
    const std::size_t int8Steps = [&] {
        std::size_t count = 0;
        for (std::size_t at = summary.find("(int8"); at != std::string::npos; at = summary.find("(int8", at + 1)) ++count;
        return count;
    }();
    QVERIFY2(int8Steps == spec.weightScales.size(), summary.c_str());
    const auto got = compiled(*plan, *n.model, x, batch);
    const auto want = qdqReference(n, spec, x, batch);
    const auto fp32 = layerByLayer(*n.model, x, batch);
    double range = 0, worst = 0, quantized = 0;
    std::size_t close = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        range = std::max(range, std::abs(double(want[i])));
        const double d = std::abs(double(got[i]) - want[i]);
        worst = std::max(worst, d);
        if (d <= 1e-4 * std::max(1.0, std::abs(double(want[i])))) ++close;
        quantized = std::max(quantized, std::abs(double(want[i]) - fp32[i]));
    }
    int same = 0;
    for (int64_t s = 0; s < batch; ++s) {
        const float* a = got.data() + s * classes;
        const float* b = want.data() + s * classes;
        same += (std::max_element(a, a + classes) - a) == (std::max_element(b, b + classes) - b);
    }
    const QString report = QString("%1: %2 of %3 values close, worst %4 of range %5, %6 of %7 classes equal, "
                                   "int8 moves outputs by up to %8")
                               .arg(summary.c_str()).arg(close).arg(want.size()).arg(worst).arg(range)
                               .arg(same).arg(batch).arg(quantized);
    QVERIFY2(double(close) >= 0.95 * double(want.size()), qPrintable(report));
    QVERIFY2(worst <= 0.05 * range, qPrintable(report));
    QVERIFY2(same >= batch * 98 / 100, qPrintable(report));
    QVERIFY2(quantized > 1e-3 * range, qPrintable(report));
    qInfo("%s", qPrintable(report));
}

}  // namespace

class TestInferencePlan : public QObject {
    Q_OBJECT
private slots:
    void convolutionalNetworkMatchesLayerByLayer() {
        Net n = build({makeNode("input", "Input"),
                       makeNode("c1", "Conv2D", {"input"}, P{{"filters", int64_t(8)}, {"kernel_size", L{3, 3}}, {"padding", std::string("same")}}),
                       makeNode("r1", "ReLU", {"c1"}),
                       makeNode("p1", "MaxPool2D", {"r1"}, P{{"pool_size", L{2, 2}}}),
                       makeNode("c2", "Conv2D", {"p1"},
                                P{{"filters", int64_t(6)}, {"kernel_size", L{3, 2}}, {"strides", L{2, 1}},
                                  {"groups", int64_t(2)}, {"padding", std::string("valid")}}),
                       makeNode("bn", "BatchNorm", {"c2"}),
                       makeNode("lr", "LeakyReLU", {"bn"}, P{{"alpha", 0.2}}),
                       makeNode("c3", "Conv2D", {"lr"},
                                P{{"filters", int64_t(5)}, {"kernel_size", L{2, 2}}, {"dilation", L{1, 2}},
                                  {"padding", std::string("explicit")}, {"pads", L{1, 0, 0, 2}}}),
                       makeNode("lr2", "LeakyReLU", {"c3"}, P{{"alpha", 0.1}}),
                       makeNode("p2", "AvgPool2D", {"lr2"}, P{{"pool_size", L{2, 2}}, {"padding", std::string("same")}}),
                       makeNode("flat", "Flatten", {"p2"}),
                       makeNode("fc", "Dense", {"flat"}, P{{"units", int64_t(7)}}),
                       makeNode("r3", "ReLU", {"fc"}),
                       makeNode("drop", "Dropout", {"r3"}, P{{"rate", 0.5}}),
                       makeNode("out", "Dense", {"drop"}, P{{"units", int64_t(3)}})},
                      Shape{3, 12, 10});
        const std::string s = checkNet(n, {1, 5, 64});
        // ReLU and LeakyReLU after a convolution or dense layer are fused; the Flatten is free.
        QVERIFY2(s.find("c1+r1") != std::string::npos, s.c_str());
        QVERIFY2(s.find("c3+lr2") != std::string::npos, s.c_str());
        QVERIFY2(s.find("fc+r3") != std::string::npos, s.c_str());
        QVERIFY2(s.find("flat") == std::string::npos, s.c_str());
        // A LeakyReLU after batch normalization is not fused (it runs on its own).
        QVERIFY2(s.find("lr,") != std::string::npos || s.find(" lr") != std::string::npos, s.c_str());
    }

    void flatInputMultilayerPerceptron() {
        Net n = build({makeNode("input", "Input"), makeNode("flat", "Flatten", {"input"}),
                       makeNode("h1", "Dense", {"flat"}, P{{"units", int64_t(32)}}),
                       makeNode("a1", "ReLU", {"h1"}),
                       makeNode("h2", "Dense", {"a1"}, P{{"units", int64_t(16)}}),
                       makeNode("a2", "Tanh", {"h2"}),
                       makeNode("out", "Dense", {"a2"}, P{{"units", int64_t(4)}})},
                      Shape{1, 6, 5}, 4);
        const std::string s = checkNet(n, {1, 3, 256});
        QVERIFY2(s.find("h1+a1") != std::string::npos, s.c_str());
        QVERIFY2(s.find("a2") != std::string::npos && s.find("h2+a2") == std::string::npos, s.c_str());
    }

    void branchesAndOtherOps() {
        Net n = build({makeNode("input", "Input"),
                       makeNode("c1", "Conv2D", {"input"}, P{{"filters", int64_t(4)}, {"kernel_size", L{3, 3}}, {"padding", std::string("same")}}),
                       makeNode("a", "ReLU", {"c1"}),  // c1 has two consumers: not fused
                       makeNode("b", "Sigmoid", {"c1"}),
                       makeNode("sum", "Add", {"a", "b", "a"}),
                       makeNode("cat", "Concat", {"sum", "c1"}),
                       makeNode("g", "GELU", {"cat"}),
                       makeNode("gap", "GlobalAvgPool", {"g"}),
                       makeNode("shape", "Reshape", {"gap"}, P{{"shape", L{2, 4}}}),
                       makeNode("flat", "Flatten", {"shape"}),
                       makeNode("fc", "Dense", {"flat"}, P{{"units", int64_t(3)}}),
                       makeNode("out", "Softmax", {"fc"})},
                      Shape{2, 6, 7});
        const std::string s = checkNet(n, {1, 9});
        QVERIFY2(s.find("c1+") == std::string::npos, s.c_str());
    }

    void int8ConvolutionalNetworkMatchesTheQdqGraph() {
        // Inputs around 0 (standardized data): the first convolution's input has a zero point,
        // and "same" padding must read it as a real 0.
        Net n = build({makeNode("input", "Input"),
                       makeNode("c1", "Conv2D", {"input"}, P{{"filters", int64_t(16)}, {"kernel_size", L{3, 3}}, {"padding", std::string("same")}}),
                       makeNode("r1", "ReLU", {"c1"}), makeNode("p1", "MaxPool2D", {"r1"}, P{{"pool_size", L{2, 2}}}),
                       makeNode("c2", "Conv2D", {"p1"}, P{{"filters", int64_t(32)}, {"kernel_size", L{3, 3}}, {"padding", std::string("same")}}),
                       makeNode("r2", "ReLU", {"c2"}), makeNode("p2", "MaxPool2D", {"r2"}, P{{"pool_size", L{2, 2}}}),
                       makeNode("flat", "Flatten", {"p2"}),
                       makeNode("fc", "Dense", {"flat"}, P{{"units", int64_t(32)}}), makeNode("r3", "ReLU", {"fc"}),
                       makeNode("out", "Dense", {"r3"}, P{{"units", int64_t(10)}})},
                      Shape{1, 12, 12}, 10);
        randomBiases(n);
        checkInt8(n, 200, 10);
    }

    void int8DenseLayersWithZeroPoints() {
        // Tanh's outputs span [-1, 1]: the next dense layer's input has zero point 128.
        Net n = build({makeNode("input", "Input"), makeNode("h1", "Dense", {"input"}, P{{"units", int64_t(48)}}),
                       makeNode("t1", "Tanh", {"h1"}), makeNode("h2", "Dense", {"t1"}, P{{"units", int64_t(24)}}),
                       makeNode("a2", "ReLU", {"h2"}), makeNode("out", "Dense", {"a2"}, P{{"units", int64_t(5)}})},
                      Shape{20}, 5);
        randomBiases(n);
        checkInt8(n, 300, 5);
        // The Predictor runs the same plan.
        const Model::Int8Spec spec = calibrate(n, randomValues(20 * 64, 71), 64);
        Preprocessing pre;
        Predictor p(*n.model, pre, 64, InferencePath::Compiled, &spec);
        const auto x = randomValues(20 * 64, 5);
        const auto out = p.outputs(x.data(), 64);
        QVERIFY2(p.engine().find("compiled int8, ") == 0, p.engine().c_str());
        auto plan = n.model->compileInference(64, nullptr, &spec);
        QCOMPARE(out, compiled(*plan, *n.model, x, 64));
    }

    // The int8 plan's vectorized rounding equals quantizeU8 (ONNX's QuantizeLinear) value for
    // value: exact steps, values half a step off (ties go to even), far out of range, infinities,
    // NaN, and arrays whose length leaves a vector tail.
    void vectorizedRoundingEqualsQuantizeLinear() {
        const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
        Rng rng(3);
        int checked = 0;
        for (float scale : {1.f, 0.0371f, 1.f / 255.f, 3.3f, 1e-6f})
            for (int32_t zp : {0, 1, 128, 255}) {
                std::vector<float> x{inf, -inf, nan, 1e30f, -1e30f, -0.f, 0.f};
                for (int k = -300; k <= 600; ++k) {
                    x.push_back(static_cast<float>(k) * scale);
                    x.push_back((static_cast<float>(k) + 0.5f) * scale);
                }
                for (int i = 0; i < 501; ++i) x.push_back(static_cast<float>(rng.normal()) * 200.f * scale);
                std::vector<uint8_t> got(x.size());
                cpu::quantizeU8Array(x.data(), got.data(), static_cast<int64_t>(x.size()), scale, zp);
                for (std::size_t i = 0; i < x.size(); ++i, ++checked)
                    if (got[i] != quantizeU8(x[i], scale, zp))
                        QFAIL(qPrintable(QString("x %1, scale %2, zero point %3: %4, QuantizeLinear %5")
                                             .arg(double(x[i]), 0, 'g', 9).arg(double(scale)).arg(zp)
                                             .arg(got[i]).arg(quantizeU8(x[i], scale, zp))));
            }
        QVERIFY(checked > 40000);
    }

    void layersWithoutACompiledFormFallBack() {
        Net n = build({makeNode("input", "Input"), makeNode("rnn", "LSTM", {"input"}, P{{"units", int64_t(4)}}),
                       makeNode("out", "Dense", {"rnn"}, P{{"units", int64_t(2)}})},
                      Shape{5, 3}, 2);
        std::string why;
        QVERIFY(!n.model->compileInference(4, &why));
        QVERIFY2(why.find("rnn") != std::string::npos, why.c_str());
        // The Predictor says so and runs layer by layer, bit for bit.
        Preprocessing pre;
        Predictor fast(*n.model, pre, 8, InferencePath::Compiled);
        Predictor exact(*n.model, pre, 8);
        const auto x = randomValues(4 * 15, 3);
        QCOMPARE(fast.outputs(x.data(), 4), exact.outputs(x.data(), 4));
        QVERIFY2(fast.engine().find("layer by layer: rnn") == 0, fast.engine().c_str());
    }

    void aPlanKeepsTheWeightsOfItsTime() {
        Net n = build({makeNode("input", "Input"), makeNode("h", "Dense", {"input"}, P{{"units", int64_t(5)}}),
                       makeNode("out", "Dense", {"h"}, P{{"units", int64_t(2)}})},
                      Shape{4}, 2);
        auto plan = n.model->compileInference(2);
        QVERIFY(plan);
        const auto x = randomValues(8, 9);
        const auto before = compiled(*plan, *n.model, x, 2);
        n.model->backend().scale(n.model->values(), 2.f);
        QCOMPARE(compiled(*plan, *n.model, x, 2), before);
        auto fresh = n.model->compileInference(2);
        expectClose(compiled(*fresh, *n.model, x, 2), layerByLayer(*n.model, x, 2), 2e-5, "fresh plan");
        QVERIFY(compiled(*fresh, *n.model, x, 2) != before);
    }

    void predictorCompiledEqualsLayerByLayer() {
        Net n = build({makeNode("input", "Input"),
                       makeNode("c1", "Conv2D", {"input"}, P{{"filters", int64_t(4)}, {"kernel_size", L{3, 3}}}),
                       makeNode("r1", "ReLU", {"c1"}), makeNode("flat", "Flatten", {"r1"}),
                       makeNode("out", "Dense", {"flat"}, P{{"units", int64_t(3)}})},
                      Shape{1, 8, 8});
        Preprocessing pre;
        pre.scale = 1.f / 255.f;
        pre.mean.assign(64, 0.3f);
        pre.invStd.assign(64, 2.f);
        const int64_t count = 300;  // 128 + 128 + 44 with batches of 128
        Rng rng(4);
        std::vector<float> raw(static_cast<std::size_t>(count * 64));
        for (float& v : raw) v = static_cast<float>(rng.next() % 256);
        Predictor exact(*n.model, pre, 128);
        Predictor fast(*n.model, pre, 128, InferencePath::Compiled);
        const auto a = exact.outputs(raw.data(), count);
        const auto b = fast.outputs(raw.data(), count);
        expectClose(b, a, 2e-5, "predictor");
        QVERIFY2(fast.engine().find("compiled, ") == 0, fast.engine().c_str());
        QCOMPARE(exact.engine(), std::string("layer by layer"));
        // The raw input is left as it was (read in place on the CPU).
        QCOMPARE(raw[0], static_cast<float>(Rng(4).next() % 256));
    }
};

QTEST_APPLESS_MAIN(TestInferencePlan)
#include "test_inference_plan.moc"
