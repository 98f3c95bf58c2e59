// Decision maps (export/decision_map): the padded plane around the points (10% margin, at least
// 1e-3, degenerate and empty inputs), the spread plane from a standardization, and the map of a
// Dense layer with set weights, whose boundary is known by hand: logits (x, y) pick class 1 where
// y > x, with confidence tanh(|y - x| / 2) for two classes; the model's preprocessing moves it.
#include <QtTest>

#include <cmath>
#include <limits>

#include "core/error.h"
#include "devices/device_registry.h"
#include "export/decision_map.h"

using namespace neurite;

namespace {

// Input -> Dense(units) on `features` inputs, weight [units, features] and bias [units] as given.
std::unique_ptr<Model> denseModel(int features, int units, const std::vector<float>& weight,
                                  const std::vector<float>& bias) {
    const std::vector<Node> nodes{makeNode("input", "Input"),
                                  makeNode("out", "Dense", {"input"}, {{"units", int64_t(units)}})};
    const ResolvedGraph g = resolveGraph(nodes, "out", DataInfo{Shape{features}, units});
    if (!g.ok()) qFatal("graph: %s", g.firstError().c_str());
    auto m = std::make_unique<Model>(backendFor("cpu"), nodes, g, 1);
    std::vector<float> values = m->snapshot();
    for (const ParamInfo& p : m->params()) {
        const std::vector<float>& v = p.name == "weight" ? weight : bias;
        if (int64_t(v.size()) != p.shape.numel()) qFatal("%s.%s: wrong size", p.node.c_str(), p.name.c_str());
        std::copy(v.begin(), v.end(), values.begin() + p.offset);
    }
    m->restore(values);
    return m;
}

// The centre of cell i (or j) of `side` over lo..hi, as the map defines it.
double centre(double lo, double hi, int i, int side) { return lo + (i + 0.5) * (hi - lo) / side; }

QByteArray badInputOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.kind() == ErrorKind::BadInput ? QByteArray(e.what()) : "wrong kind: " + QByteArray(e.what());
    }
    return "no error";
}

}  // namespace

class TestDecisionMap : public QObject {
    Q_OBJECT
private slots:
    void paddedPlaneAddsATenthOnEachSide() {
        const std::vector<double> x{0, 10, 4}, y{-2, 2, 0};
        const PlaneRange r = paddedPlane(x, y);
        QCOMPARE(r.xMin, -1.0);
        QCOMPARE(r.xMax, 11.0);
        QCOMPARE(r.yMin, -2.4);
        QCOMPARE(r.yMax, 2.4);
    }

    // A single point, a vertical line, a tiny extent: at least 1e-3 on each side.
    void paddedPlaneOfDegenerateRanges() {
        const std::vector<double> one{3}, oneY{-5};
        PlaneRange r = paddedPlane(one, oneY);
        QCOMPARE(r.xMin, 3 - 1e-3);
        QCOMPARE(r.xMax, 3 + 1e-3);
        QCOMPARE(r.yMin, -5 - 1e-3);
        QCOMPARE(r.yMax, -5 + 1e-3);
        const std::vector<double> lineX{1, 1, 1}, lineY{0, 5, 10};
        r = paddedPlane(lineX, lineY);
        QCOMPARE(r.xMin, 1 - 1e-3);
        QCOMPARE(r.xMax, 1 + 1e-3);
        QCOMPARE(r.yMin, -1.0);
        QCOMPARE(r.yMax, 11.0);
        const std::vector<double> tinyX{0, 0.005}, tinyY{0, 0.02};
        r = paddedPlane(tinyX, tinyY);
        QCOMPARE(r.xMin, -1e-3);  // 10% would be 5e-4
        QCOMPARE(r.xMax, 0.006);
        QCOMPARE(r.yMin, -0.002);  // 10% of 0.02
        QCOMPARE(r.yMax, 0.022);
    }

    void paddedPlaneSkipsNonFiniteAndDefaultsWhenEmpty() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        const std::vector<double> x{nan, 0, inf, 10}, y{0, 0, 1, 10};
        const PlaneRange r = paddedPlane(x, y);
        QCOMPARE(r.xMin, -1.0);
        QCOMPARE(r.xMax, 11.0);
        QCOMPARE(r.yMin, -1.0);
        QCOMPARE(r.yMax, 11.0);
        for (const PlaneRange& e : {paddedPlane({}, {}), paddedPlane(std::vector<double>{nan}, std::vector<double>{1})}) {
            QCOMPARE(e.xMin, -1.0);
            QCOMPARE(e.xMax, 1.0);
            QCOMPARE(e.yMin, -1.0);
            QCOMPARE(e.yMax, 1.0);
        }
        // Pairs up to the shorter list: the extra x is not a point.
        const PlaneRange shortY = paddedPlane(std::vector<double>{0, 10, 100}, std::vector<double>{0, 10});
        QCOMPARE(shortY.xMax, 11.0);
    }

    // feature = (raw * scale - mean) * invStd, so raw = (mean +- 3 / invStd) / scale.
    void spreadPlaneFromTheStandardization() {
        Preprocessing pre;
        pre.scale = 0.5f;
        pre.mean = {0.5f, -1.f};
        pre.invStd = {2.f, 0.5f};
        const PlaneRange r = spreadPlane(pre);
        QCOMPARE(r.xMin, -2.0);
        QCOMPARE(r.xMax, 4.0);
        QCOMPARE(r.yMin, -14.0);
        QCOMPARE(r.yMax, 10.0);
        const PlaneRange plain = spreadPlane(Preprocessing{});
        QCOMPARE(plain.xMin, -1.0);
        QCOMPARE(plain.yMax, 1.0);
    }

    // Logits z0 = x, z1 = y: class 1 above the diagonal, 0 below and on it (ties go to the
    // first class, at chance: confidence 0).
    void identityDenseSplitsAlongTheDiagonal() {
        auto m = denseModel(2, 2, {1, 0, 0, 1}, {0, 0});
        const PlaneRange plane{-2, 2, -2, 2};
        const int side = 4;
        const DecisionMap map = decisionMap(*m, Preprocessing{}, 2, plane, side);
        QCOMPARE(map.side, side);
        QCOMPARE(map.range.xMax, 2.0);
        QCOMPARE(map.cls.size(), std::size_t(16));
        QCOMPARE(map.confidence.size(), std::size_t(16));
        for (int j = 0; j < side; ++j)
            for (int i = 0; i < side; ++i) {
                const double x = centre(-2, 2, i, side), y = centre(-2, 2, j, side);
                const auto c = std::size_t(j * side + i);
                QCOMPARE(map.cls[c], y > x ? 1 : 0);
                QVERIFY2(std::abs(map.confidence[c] - std::tanh(std::abs(y - x) / 2)) < 1e-5,
                         qPrintable(QString("cell %1,%2: %3").arg(i).arg(j).arg(map.confidence[c])));
            }
        QCOMPARE(map.confidence[0], 0.f);  // (-1.5, -1.5): on the boundary
    }

    // The model sees (raw - mean) * invStd: with mean (1, -1) the boundary moves to y = x - 2.
    void thePreprocessingIsApplied() {
        auto m = denseModel(2, 2, {1, 0, 0, 1}, {0, 0});
        Preprocessing pre;
        pre.mean = {1.f, -1.f};
        pre.invStd = {2.f, 2.f};
        const int side = 8;
        const DecisionMap map = decisionMap(*m, pre, 2, PlaneRange{-4, 4, -4, 4}, side);
        int above = 0;
        for (int j = 0; j < side; ++j)
            for (int i = 0; i < side; ++i) {
                const double x = centre(-4, 4, i, side), y = centre(-4, 4, j, side);
                const int expected = y > x - 2 ? 1 : 0;
                QCOMPARE(map.cls[std::size_t(j * side + i)], expected);
                above += expected;
            }
        QVERIFY(above > 32);  // more than the unshifted half
    }

    // One output unit is a binary classifier: p(class 1) = sigmoid(x).
    void oneUnitIsABinaryClassifier() {
        auto m = denseModel(2, 1, {1, 0}, {0});
        const int side = 6;
        const DecisionMap map = decisionMap(*m, Preprocessing{}, 2, PlaneRange{-3, 3, -1, 1}, side);
        for (int j = 0; j < side; ++j)
            for (int i = 0; i < side; ++i) {
                const double x = centre(-3, 3, i, side);
                const auto c = std::size_t(j * side + i);
                QCOMPARE(map.cls[c], x > 0 ? 1 : 0);
                QVERIFY(std::abs(map.confidence[c] - std::tanh(std::abs(x) / 2)) < 1e-5);
            }
    }

    // Three classes with a bias only: class 2 everywhere, confidence (p - 1/3) / (2/3).
    void threeClassesFromTheBias() {
        auto m = denseModel(2, 3, {0, 0, 0, 0, 0, 0}, {0, 0, std::log(8.f)});
        const DecisionMap map = decisionMap(*m, Preprocessing{}, 3, PlaneRange{}, 2);
        const double p = 8.0 / 10.0;
        for (std::size_t c = 0; c < 4; ++c) {
            QCOMPARE(map.cls[c], 2);
            QVERIFY(std::abs(map.confidence[c] - (p - 1.0 / 3) / (2.0 / 3)) < 1e-5);
        }
    }

    void refusesWhatIsNotATwoFeatureClassifier() {
        auto three = denseModel(3, 2, {1, 0, 0, 0, 1, 0}, {0, 0});
        QVERIFY(badInputOf([&] { decisionMap(*three, Preprocessing{}, 2, PlaneRange{}); }).contains("two input features"));
        auto two = denseModel(2, 3, {1, 0, 0, 1, 1, 1}, {0, 0, 0});
        QVERIFY(badInputOf([&] { decisionMap(*two, Preprocessing{}, 2, PlaneRange{}); }).contains("3 outputs for 2 classes"));
        QVERIFY(badInputOf([&] { decisionMap(*two, Preprocessing{}, 3, PlaneRange{}, 0); }).contains("at least one cell"));
    }
};

QTEST_MAIN(TestDecisionMap)
#include "test_decision_map.moc"
