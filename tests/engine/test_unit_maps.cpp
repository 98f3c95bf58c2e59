// Unit maps (export/unit_maps): every unit's output over the input plane equals the network's
// own forward pass. A small network with set weights is checked cell by cell against the same
// arithmetic done here in double (preprocessing, Dense, Tanh); a randomly initialized ReLU
// network's output maps equal the Predictor's outputs on the same grid, and each ReLU map is
// max(0, the Dense map before it). Wide layers are left out, and a model that does not read two
// features is refused.
#include <QtTest>

#include <cmath>

#include "core/error.h"
#include "devices/device_registry.h"
#include "export/predictor.h"
#include "export/unit_maps.h"

using namespace neurite;

namespace {

struct Net {
    std::vector<Node> nodes;
    std::unique_ptr<Model> model;
};

Net build(std::vector<Node> nodes, const std::string& output, int features, int classes, uint64_t seed) {
    const ResolvedGraph g = resolveGraph(nodes, output, DataInfo{Shape{features}, classes});
    if (!g.ok()) qFatal("graph: %s", g.firstError().c_str());
    Net n{nodes, nullptr};
    n.model = std::make_unique<Model>(backendFor("cpu"), n.nodes, g, seed);
    return n;
}

// Sets parameter `node`.`name` to `v`.
void set(Model& m, const std::string& node, const std::string& name, const std::vector<float>& v) {
    std::vector<float> values = m.snapshot();
    for (const ParamInfo& p : m.params())
        if (p.node == node && p.name == name) {
            if (int64_t(v.size()) != p.shape.numel()) qFatal("%s.%s: wrong size", node.c_str(), name.c_str());
            std::copy(v.begin(), v.end(), values.begin() + p.offset);
        }
    m.restore(values);
}

double centre(double lo, double hi, int i, int side) { return lo + (i + 0.5) * (hi - lo) / side; }

}  // namespace

class TestUnitMaps : public QObject {
    Q_OBJECT
private slots:
    // input -> Dense(3) -> Tanh -> Dense(2), standardized inputs, all by hand in double.
    void mapsEqualTheArithmeticOfTheLayers() {
        Net n = build({makeNode("input", "Input"), makeNode("h", "Dense", {"input"}, {{"units", int64_t(3)}}),
                       makeNode("act", "Tanh", {"h"}), makeNode("out", "Dense", {"act"}, {{"units", int64_t(2)}})},
                      "out", 2, 2, 3);
        const std::vector<float> w1{0.5f, -1.f, 2.f, 0.25f, -0.75f, 1.5f}, b1{0.1f, -0.2f, 0.3f};
        const std::vector<float> w2{1.f, -2.f, 0.5f, -1.f, 0.5f, 2.f}, b2{0.05f, -0.05f};
        set(*n.model, "h", "weight", w1);
        set(*n.model, "h", "bias", b1);
        set(*n.model, "out", "weight", w2);
        set(*n.model, "out", "bias", b2);
        Preprocessing pre;
        pre.scale = 0.5f;
        pre.mean = {1.f, -0.5f};
        pre.invStd = {2.f, 0.25f};
        const PlaneRange plane{-3, 5, -2, 6};
        const int side = 7;
        const UnitMaps maps = unitMaps(*n.model, n.nodes, pre, plane, side);
        QCOMPARE(maps.side, side);
        QCOMPARE(maps.nodes.size(), std::size_t(4));
        const UnitMap* in = maps.find("input");
        const UnitMap* h = maps.find("h");
        const UnitMap* act = maps.find("act");
        const UnitMap* out = maps.find("out");
        QVERIFY(in && h && act && out);
        QCOMPARE(in->units, int64_t(2));
        QCOMPARE(h->units, int64_t(3));
        QCOMPARE(out->units, int64_t(2));
        QCOMPARE(h->op, std::string("Dense"));
        QCOMPARE(act->input, std::string("h"));
        QCOMPARE(h->weight, w1);
        QCOMPARE(h->bias, b1);
        QVERIFY(act->weight.empty());
        const int cells = side * side;
        float hMax = 0;
        for (int j = 0; j < side; ++j)
            for (int i = 0; i < side; ++i) {
                const int c = j * side + i;
                const double f[2] = {(centre(-3, 5, i, side) * 0.5 - 1.0) * 2.0,
                                     (centre(-2, 6, j, side) * 0.5 + 0.5) * 0.25};
                double t[3];
                for (int u = 0; u < 2; ++u)
                    QVERIFY(std::abs(in->values[std::size_t(u * cells + c)] - f[u]) < 1e-5);
                for (int u = 0; u < 3; ++u) {
                    const double z = w1[std::size_t(2 * u)] * f[0] + w1[std::size_t(2 * u + 1)] * f[1] + b1[std::size_t(u)];
                    t[u] = std::tanh(z);
                    const float got = h->values[std::size_t(u * cells + c)];
                    hMax = std::max(hMax, std::abs(got));
                    QVERIFY2(std::abs(got - z) < 1e-5, qPrintable(QString("h%1 cell %2: %3 vs %4").arg(u).arg(c).arg(got).arg(z)));
                    QVERIFY(std::abs(act->values[std::size_t(u * cells + c)] - t[u]) < 1e-5);
                }
                for (int u = 0; u < 2; ++u) {
                    double z = b2[std::size_t(u)];
                    for (int k = 0; k < 3; ++k) z += w2[std::size_t(3 * u + k)] * t[k];
                    QVERIFY(std::abs(out->values[std::size_t(u * cells + c)] - z) < 1e-5);
                }
            }
        QCOMPARE(h->maxAbs, hMax);
    }

    // A randomly initialized ReLU network: the output node's maps are the Predictor's outputs on
    // the same grid, bit for bit, and ReLU maps are max(0, the Dense before them).
    void outputMapsAreTheForwardPass() {
        Net n = build({makeNode("input", "Input"), makeNode("fc1", "Dense", {"input"}, {{"units", int64_t(8)}}),
                       makeNode("relu1", "ReLU", {"fc1"}), makeNode("fc2", "Dense", {"relu1"}, {{"units", int64_t(5)}}),
                       makeNode("relu2", "ReLU", {"fc2"}), makeNode("logits", "Dense", {"relu2"}, {{"units", int64_t(3)}})},
                      "logits", 2, 3, 11);
        Preprocessing pre;
        pre.mean = {0.3f, -0.2f};
        pre.invStd = {1.5f, 0.8f};
        const PlaneRange plane{-2, 2, -1.5, 2.5};
        const int side = 16, cells = side * side;
        const UnitMaps maps = unitMaps(*n.model, n.nodes, pre, plane, side);
        const std::vector<float> grid = planeGrid(plane, side);
        Predictor predictor(*n.model, pre, cells);
        const std::vector<float> logits = predictor.outputs(grid.data(), cells);
        const UnitMap* out = maps.find("logits");
        QVERIFY(out);
        QCOMPARE(out->units, int64_t(3));
        for (int c = 0; c < cells; ++c)
            for (int u = 0; u < 3; ++u)
                QCOMPARE(out->values[std::size_t(u * cells + c)], logits[std::size_t(c * 3 + u)]);
        for (const auto& [dense, relu] : {std::pair{"fc1", "relu1"}, std::pair{"fc2", "relu2"}}) {
            const UnitMap* d = maps.find(dense);
            const UnitMap* r = maps.find(relu);
            QVERIFY(d && r);
            QCOMPARE(d->values.size(), r->values.size());
            int positive = 0;
            for (std::size_t k = 0; k < d->values.size(); ++k) {
                QCOMPARE(r->values[k], std::max(0.f, d->values[k]));
                positive += d->values[k] > 0;
            }
            QVERIFY(positive > 0 && positive < int(d->values.size()));  // the plane is cut somewhere
        }
        // The hook is removed: a later forward pass is not copied anywhere and gives the same logits.
        QCOMPARE(predictor.outputs(grid.data(), cells), logits);
    }

    void wideLayersAreLeftOut() {
        Net n = build({makeNode("input", "Input"), makeNode("wide", "Dense", {"input"}, {{"units", int64_t(100)}}),
                       makeNode("out", "Dense", {"wide"}, {{"units", int64_t(2)}})},
                      "out", 2, 2, 1);
        const UnitMaps maps = unitMaps(*n.model, n.nodes, Preprocessing{}, PlaneRange{}, 4);
        QVERIFY(!maps.find("wide"));
        QVERIFY(maps.find("out"));
        const UnitMaps all = unitMaps(*n.model, n.nodes, Preprocessing{}, PlaneRange{}, 4, 100);
        QVERIFY(all.find("wide"));
        QCOMPARE(all.find("wide")->weight.size(), std::size_t(200));
    }

    void refusesWhatItCannotDraw() {
        Net n = build({makeNode("input", "Input"), makeNode("out", "Dense", {"input"}, {{"units", int64_t(2)}})},
                      "out", 3, 2, 1);
        try {
            unitMaps(*n.model, n.nodes, Preprocessing{}, PlaneRange{}, 8);
            QFAIL("a three-feature model was drawn");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY(QString(e.what()).contains("two input features"));
        }
        Net two = build({makeNode("input", "Input"), makeNode("out", "Dense", {"input"}, {{"units", int64_t(2)}})},
                        "out", 2, 2, 1);
        try {
            unitMaps(*two.model, two.nodes, Preprocessing{}, PlaneRange{}, 0);
            QFAIL("a map of no cells was drawn");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
        }
    }
};

QTEST_GUILESS_MAIN(TestUnitMaps)
#include "test_unit_maps.moc"
