// Activation maps (export/activation_maps): every value of every convolution's map equals the
// arithmetic the studio shows for it (kernel times input patch plus bias, computed here from the
// stored weights and the input's map), for padded, strided, dilated and grouped convolutions;
// a ReLU's map is max(0, the map before it); the last node is the Predictor's output. Bad
// requests are refused.
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "core/random.h"
#include "devices/device_registry.h"
#include "export/activation_maps.h"
#include "export/predictor.h"

using namespace neurite;

namespace {

struct Net {
    std::vector<Node> nodes;
    ResolvedGraph graph;
    std::unique_ptr<Model> model;
};

Net build(std::vector<Node> nodes, Shape sample) {
    Net n;
    n.nodes = std::move(nodes);
    n.graph = resolveGraph(n.nodes, "out", DataInfo{sample, 2});
    if (!n.graph.ok()) qFatal("graph: %s", n.graph.firstError().c_str());
    n.model = std::make_unique<Model>(backendFor("cpu"), n.nodes, n.graph, 7);
    return n;
}

std::vector<float> randomSample(int64_t count, uint64_t seed) {
    Rng rng(seed);
    std::vector<float> v(static_cast<std::size_t>(count));
    for (float& x : v) x = static_cast<float>(rng.normal());
    return v;
}

// Every output value of `conv` against its arithmetic; returns how many were checked.
int checkConv(const ActivationMaps& maps, const std::string& conv) {
    const ActivationMap* c = maps.find(conv);
    if (!c || !c->isConv) qFatal("%s: not a conv map", conv.c_str());
    int checked = 0;
    for (int64_t k = 0; k < c->channels; ++k)
        for (int64_t y = 0; y < c->height; ++y)
            for (int64_t x = 0; x < c->width; ++x) {
                const ConvArithmetic a = convArithmetic(maps, conv, k, y, x);
                const float v = c->values[static_cast<std::size_t>((k * c->height + y) * c->width + x)];
                if (std::abs(a.sum - v) > 1e-4 * std::max(1.0, std::abs(a.sum)))
                    qFatal("%s[%lld,%lld,%lld]: map %g, arithmetic %g", conv.c_str(), (long long)k, (long long)y,
                           (long long)x, double(v), a.sum);
                ++checked;
            }
    return checked;
}

}  // namespace

class TestActivationMaps : public QObject {
    Q_OBJECT
private slots:
    void convolutionMapsEqualTheirArithmetic() {
        using P = std::map<std::string, ParamValue>;
        Net n = build({makeNode("input", "Input"),
                       makeNode("c1", "Conv2D", {"input"}, P{{"filters", int64_t(4)}, {"kernel_size", std::vector<int64_t>{3, 3}}}),
                       makeNode("r1", "ReLU", {"c1"}),
                       makeNode("c2", "Conv2D", {"r1"},
                                P{{"filters", int64_t(4)}, {"kernel_size", std::vector<int64_t>{3, 2}},
                                  {"strides", std::vector<int64_t>{2, 1}}, {"groups", int64_t(2)},
                                  {"padding", std::string("valid")}}),
                       makeNode("c3", "Conv2D", {"c2"},
                                P{{"filters", int64_t(3)}, {"kernel_size", std::vector<int64_t>{2, 2}},
                                  {"dilation", std::vector<int64_t>{1, 2}}, {"padding", std::string("explicit")},
                                  {"pads", std::vector<int64_t>{1, 0, 0, 2}}}),
                       makeNode("flat", "Flatten", {"c3"}), makeNode("out", "Dense", {"flat"}, P{{"units", int64_t(2)}})},
                      Shape{2, 7, 6});
        Preprocessing pre;
        pre.scale = 0.5f;
        const std::vector<float> raw = randomSample(2 * 7 * 6, 3);
        const ActivationMaps maps = activationMaps(*n.model, n.nodes, n.graph, pre, raw);
        QCOMPARE(maps.sample, raw);
        const ActivationMap* input = maps.find("input");
        QVERIFY(input);
        QCOMPARE(input->channels, int64_t(2));
        QCOMPARE(input->height, int64_t(7));
        QCOMPARE(input->values[5], raw[5] * 0.5f);  // the preprocessed sample
        const ActivationMap* c1 = maps.find("c1");
        QVERIFY(c1 && c1->isConv);
        QCOMPARE(c1->conv.padTop, int64_t(1));  // same padding, resolved
        QCOMPARE(c1->height, int64_t(7));
        QCOMPARE(checkConv(maps, "c1"), 4 * 7 * 6);
        QCOMPARE(maps.find("c2")->height, int64_t(3));  // (7 - 3) / 2 + 1
        QCOMPARE(checkConv(maps, "c2"), 4 * 3 * 5);
        QCOMPARE(checkConv(maps, "c3"), 3 * maps.find("c3")->height * maps.find("c3")->width);
        // Grouped: the second group's output channels read input channels 2 and 3 only.
        const ConvArithmetic g = convArithmetic(maps, "c2", 3, 1, 2);
        QCOMPARE(g.inChannels, int64_t(2));
        QCOMPARE(g.firstChannel, int64_t(2));
        QCOMPARE(g.kernel.size(), std::size_t(2 * 3 * 2));
        // Explicit padding: the top row of the first window lies in the padding and reads zeros.
        const ConvArithmetic padded = convArithmetic(maps, "c3", 0, 0, 0);
        QCOMPARE(padded.top, int64_t(-1));
        for (int64_t ci = 0; ci < padded.inChannels; ++ci)
            for (int64_t s = 0; s < padded.kernelW; ++s)
                QCOMPARE(padded.patch[std::size_t(ci * padded.kernelH * padded.kernelW + s)], 0.f);
        // ReLU is max(0, conv); the output is the Predictor's.
        const ActivationMap* r1 = maps.find("r1");
        for (std::size_t i = 0; i < r1->values.size(); ++i) QCOMPARE(r1->values[i], std::max(0.f, c1->values[i]));
        Predictor p(*n.model, pre, 1);
        const std::vector<float> logits = p.outputs(raw.data(), 1);
        QCOMPARE(maps.find("out")->values, logits);
        QCOMPARE(maps.find("out")->channels, int64_t(2));
        QCOMPARE(maps.find("flat")->height, int64_t(1));
    }

    void badRequestsAreRefused() {
        Net n = build({makeNode("input", "Input"),
                       makeNode("c1", "Conv2D", {"input"}, {{"filters", int64_t(2)}}),
                       makeNode("flat", "Flatten", {"c1"}), makeNode("out", "Dense", {"flat"}, {{"units", int64_t(2)}})},
                      Shape{1, 4, 4});
        const auto badInput = [](const std::function<void()>& f) {
            try {
                f();
            } catch (const Error& e) {
                return e.kind() == ErrorKind::BadInput ? QString(e.what()) : QString("wrong kind");
            }
            return QString("no error");
        };
        QVERIFY(badInput([&] { activationMaps(*n.model, n.nodes, n.graph, Preprocessing{}, std::vector<float>(15)); })
                    .contains("one sample of [1,4,4] (16 values), got 15"));
        const ActivationMaps maps = activationMaps(*n.model, n.nodes, n.graph, Preprocessing{}, randomSample(16, 1));
        QVERIFY(badInput([&] { convArithmetic(maps, "flat", 0, 0, 0); }).contains("is not a Conv2D"));
        QVERIFY(badInput([&] { convArithmetic(maps, "c1", 2, 0, 0); }).contains("outside c1's output [2, 4, 4]"));
        QVERIFY(badInput([&] { convArithmetic(maps, "c1", 0, 4, 0); }).contains("outside"));
        QCOMPARE(checkConv(maps, "c1"), 2 * 4 * 4);
        // A node too large for the limit is left out; the others stay.
        const ActivationMaps small = activationMaps(*n.model, n.nodes, n.graph, Preprocessing{}, randomSample(16, 1), 20);
        QVERIFY(!small.find("c1"));
        QVERIFY(small.find("input") && small.find("out"));
    }
};

QTEST_GUILESS_MAIN(TestActivationMaps)
#include "test_activation_maps.moc"
