// The designer's live cost estimate agrees with the Model built from the same graph (parameters
// and FLOPs), and the training-memory estimate counts what a step holds.
#include <QtTest>

#include "graph/graph_cost.h"
#include "graph/model.h"
#include "support/reference_backend.h"

using namespace neurite;

class TestGraphCost : public QObject {
    Q_OBJECT
private slots:
    void matchesModel_data() {
        QTest::addColumn<int>("graphIndex");
        QTest::newRow("mlp") << 0;
        QTest::newRow("cnn with batch norm") << 1;
        QTest::newRow("conv1d over a sequence") << 2;
        QTest::newRow("bidirectional lstm") << 3;
    }
    void matchesModel() {
        QFETCH(int, graphIndex);
        const std::vector<std::vector<Node>> graphs{
            {makeNode("in", "Input"), makeNode("fc1", "Dense", {"in"}, {{"units", int64_t(16)}}),
             makeNode("r", "ReLU", {"fc1"}), makeNode("out", "Dense", {"r"}, {{"units", "auto"}})},
            {makeNode("in", "Input"),
             makeNode("c", "Conv2D", {"in"},
                      {{"filters", int64_t(4)}, {"kernel_size", int64_t(3)}, {"padding", "same"}}),
             makeNode("bn", "BatchNorm", {"c"}), makeNode("p", "MaxPool2D", {"bn"}),
             makeNode("f", "Flatten", {"p"}), makeNode("out", "Dense", {"f"}, {{"units", int64_t(3)}})},
            {makeNode("in", "Input"),
             makeNode("c", "Conv1D", {"in"},
                      {{"filters", int64_t(4)}, {"kernel_size", int64_t(3)}, {"strides", int64_t(2)}}),
             makeNode("f", "Flatten", {"c"}), makeNode("out", "Dense", {"f"}, {{"units", int64_t(3)}})},
            {makeNode("in", "Input"),
             makeNode("r", "LSTM", {"in"}, {{"units", int64_t(5)}, {"bidirectional", true}}),
             makeNode("out", "Dense", {"r"}, {{"units", int64_t(3)}})},
        };
        const DataInfo info = graphIndex == 0   ? DataInfo{Shape{5}, 3}
                              : graphIndex == 1 ? DataInfo{Shape{1, 8, 8}, 3}
                                                : DataInfo{Shape{10, 6}, 3};  // Conv1D, LSTM: [T, C]
        const auto& nodes = graphs[static_cast<std::size_t>(graphIndex)];
        const ResolvedGraph g = resolveGraph(nodes, "", info);
        QVERIFY2(g.ok(), g.firstError().c_str());
        test::ReferenceBackend be;
        Model model(be, nodes, g, 1);
        const GraphCost cost = estimateCost(nodes, g);
        QVERIFY(cost.complete);
        QCOMPARE(cost.totalParams, model.parameterCount());
        QCOMPARE(cost.flopsPerSample, model.forwardFlopsPerSample());
        if (graphIndex == 0) {
            QCOMPARE(cost.params[1], int64_t(5 * 16 + 16));
            QCOMPARE(cost.activations[3], int64_t(3));
        } else if (graphIndex == 1) {
            QCOMPARE(cost.buffers[2], int64_t(8));  // running mean and variance of 4 channels
            // conv: 4 filters x 1 channel x 9 taps at 8x8 positions; dense 64 x 4 inputs to 3
            QCOMPARE(cost.flopsPerSample, 2.0 * (4 * 9 * 64) + 2.0 * (4 * 16 * 3));
        } else if (graphIndex == 3) {
            // two directions x 4 gates x 5 units, from 6 inputs and 5 states, at each of 10
            // steps; then dense 10 -> 3
            QCOMPARE(cost.params[1], int64_t(2 * 4 * 5 * (6 + 5 + 2)));
            QCOMPARE(cost.flopsPerSample, 2.0 * (2 * 4 * 5 * (6 + 5)) * 10 + 2.0 * (10 * 3));
        } else {
            // conv1d: 4 filters x 6 channels x 3 taps at 5 positions (10 steps, stride 2), then
            // dense 20 -> 3: each weight once per output position, not per channel
            QCOMPARE(cost.flopsPerSample, 2.0 * (4 * 6 * 3 * 5) + 2.0 * (20 * 3));
        }
    }

    void trainingBytesCountParamsStateAndActivations() {
        const std::vector<Node> nodes{makeNode("in", "Input"),
                                      makeNode("out", "Dense", {"in"}, {{"units", int64_t(2)}})};
        const ResolvedGraph g = resolveGraph(nodes, "", {Shape{3}, 2});
        const GraphCost cost = estimateCost(nodes, g);
        QCOMPARE(cost.totalParams, int64_t(8));
        OptimizerConfig adam;
        // 8 params x (value, grad, 2 moments) + 2 x (3 + 2 activations) x batch 10, in floats.
        QCOMPARE(estimateTrainingBytes(cost, 10, adam), int64_t(4 * (8 * 4 + 2 * 5 * 10)));
        OptimizerConfig sgd;
        sgd.kind = OptimizerKind::Sgd;
        QCOMPARE(estimateTrainingBytes(cost, 10, sgd), int64_t(4 * (8 * 2 + 2 * 5 * 10)));
    }

    void brokenNodesCountAsZero() {
        const std::vector<Node> nodes{makeNode("in", "Input"), makeNode("fc", "Dense", {"in"})};
        const ResolvedGraph g = resolveGraph(nodes, "", {Shape{1, 4, 4}, 2});
        QVERIFY(!g.ok());  // Dense on a 3-D sample
        const GraphCost cost = estimateCost(nodes, g);
        QVERIFY(!cost.complete);
        QCOMPARE(cost.params[1], int64_t(0));
        QCOMPARE(cost.activations[0], int64_t(16));
    }
};

QTEST_APPLESS_MAIN(TestGraphCost)
#include "test_graph_cost.moc"
