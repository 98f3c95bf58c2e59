// The model's gradient routing over a DAG: a tensor feeding several layers (skip connections,
// Concat) and the same tensor fed twice into one layer (Add(t, t)). Finite differences of
// L = sum(out * R) against backward's parameter gradients, on the reference backend.
#include <QtTest>

#include <cmath>
#include <random>

#include "graph/model.h"
#include "support/reference_backend.h"

using namespace neurite;

namespace {

double lossOf(Model& model, const Tensor& x, const std::vector<float>& r) {
    const Tensor& out = model.forward(x, true, 1, 7);
    double l = 0;
    for (int64_t i = 0; i < out.numel(); ++i)
        l += static_cast<double>(out.f32()[i]) * r[static_cast<std::size_t>(i)];
    return l;
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void gradientsThroughFanOutAndRepeatedInputs_data() {
        QTest::addColumn<int>("graphIndex");
        QTest::newRow("skip connections, Concat, Add(t, t) after other consumers") << 0;
        QTest::newRow("Add(t, t) as the only consumer") << 1;
        QTest::newRow("Concat(t, t, t)") << 2;
    }
    void gradientsThroughFanOutAndRepeatedInputs() {
        QFETCH(int, graphIndex);
        const std::vector<std::vector<Node>> graphs{
            {makeNode("input", "Input", {}), makeNode("fc1", "Dense", {"input"}, {{"units", int64_t(6)}}),
             makeNode("t", "Tanh", {"fc1"}), makeNode("twice", "Add", {"t", "t"}),
             makeNode("fc2", "Dense", {"twice"}, {{"units", int64_t(6)}}),
             makeNode("skip", "Add", {"fc2", "t"}), makeNode("cat", "Concat", {"skip", "t"}),
             makeNode("out", "Dense", {"cat"}, {{"units", int64_t(3)}})},
            {makeNode("input", "Input", {}), makeNode("fc1", "Dense", {"input"}, {{"units", int64_t(6)}}),
             makeNode("t", "Tanh", {"fc1"}), makeNode("twice", "Add", {"t", "t"}),
             makeNode("out", "Dense", {"twice"}, {{"units", int64_t(3)}})},
            {makeNode("input", "Input", {}), makeNode("fc1", "Dense", {"input"}, {{"units", int64_t(6)}}),
             makeNode("t", "Tanh", {"fc1"}), makeNode("thrice", "Concat", {"t", "t", "t"}),
             makeNode("out", "Dense", {"thrice"}, {{"units", int64_t(3)}})},
        };
        const std::vector<Node>& nodes = graphs[static_cast<std::size_t>(graphIndex)];
        const ResolvedGraph graph = resolveGraph(nodes, "", {Shape{4}, 3});
        QVERIFY2(graph.ok(), graph.firstError().c_str());
        test::ReferenceBackend be;
        Model model(be, nodes, graph, 11);

        std::mt19937 gen(5);
        std::uniform_real_distribution<float> uni(-1.f, 1.f);
        const int64_t batch = 3;
        Tensor x = Tensor::empty(be, Shape{batch, 4});
        for (int64_t i = 0; i < x.numel(); ++i)
            x.f32()[i] = uni(gen);
        std::vector<float> r(static_cast<std::size_t>(batch * 3));
        for (float& v : r)
            v = uni(gen);

        lossOf(model, x, r);
        Tensor diff = Tensor::empty(be, Shape{batch, 3});
        std::copy(r.begin(), r.end(), diff.f32());
        model.backward(diff, 1, 7);
        const std::vector<float> grads(model.grads().f32(),
                                       model.grads().f32() + model.grads().numel());

        float* w = model.values().f32();
        const double eps = 1e-2;
        for (int64_t i = 0; i < model.values().numel(); ++i) {
            const float saved = w[i];
            w[i] = saved + static_cast<float>(eps);
            const double up = lossOf(model, x, r);
            w[i] = saved - static_cast<float>(eps);
            const double down = lossOf(model, x, r);
            w[i] = saved;
            const double numeric = (up - down) / (2 * eps);
            const double analytic = grads[static_cast<std::size_t>(i)];
            QVERIFY2(std::fabs(numeric - analytic) <= 2e-3 + 2e-2 * std::fabs(numeric),
                     qPrintable(QString("parameter %1: finite differences %2, backward %3")
                                    .arg(i)
                                    .arg(numeric)
                                    .arg(analytic)));
        }
    }
};

QTEST_APPLESS_MAIN(TestModel)
#include "test_model.moc"
