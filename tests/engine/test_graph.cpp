// Graph resolution: broken graphs give one precise problem each, "auto" binds from the data,
// residual and branching graphs infer the right shapes, the loss lint, and the bundled examples.
#include <QtTest>

#include "graph/graph.h"
#include "io/project.h"
#include "support/test_env.h"

using namespace neurite;

namespace {

using Params = std::map<std::string, ParamValue>;
constexpr int64_t N = Shape::kBatch;

Params units(int64_t u) {
    return {{"units", u}};
}
Params shape(std::vector<int64_t> dims) {
    return {{"shape", std::move(dims)}};
}

const DataInfo kImages{Shape{1, 28, 28}, 10};

struct BrokenCase {
    const char* name;
    std::vector<Node> nodes;
    std::string output;
    DataInfo info;
    std::string expected; // the text of the first error
    int errors = 1;
};

const std::vector<BrokenCase>& brokenCases() {
    static const std::vector<BrokenCase> cases = {
        {"empty", {}, "", kImages, "the model is empty; add an Input node"},
        // Without an Input, the first layer also lacks its input: two errors, the cause first.
        {"no-input",
         {makeNode("fc", "Dense", {}, units(3))},
         "",
         kImages,
         "the model has no Input node",
         2},
        {"two-inputs",
         {makeNode("in", "Input"), makeNode("in2", "Input"), makeNode("add", "Add", {"in", "in2"})},
         "",
         kImages,
         "in2: a second Input node (the first is 'in')"},
        {"cycle",
         {makeNode("in", "Input", {}, shape({4})), makeNode("fc", "Dense", {"in"}, units(4)),
          makeNode("a", "Add", {"fc", "c"}), makeNode("b", "ReLU", {"a"}), makeNode("c", "ReLU", {"b"}),
          makeNode("out", "Dense", {"c"}, units(2))},
         "out",
         kImages,
         "a: is on a cycle a -> b -> c -> a; a node cannot depend on its own output"},
        {"self-loop",
         {makeNode("in", "Input", {}, shape({4})), makeNode("a", "Add", {"in", "a"}),
          makeNode("out", "Dense", {"a"}, units(2))},
         "out",
         kImages,
         "a: is on a cycle a -> a"},
        {"dangling-input",
         {makeNode("in", "Input"), makeNode("flat", "Flatten", {"in"}),
          makeNode("fc2", "Dense", {"fc9"}, units(3))},
         "fc2",
         kImages,
         "fc2: input 'fc9' does not exist"},
        {"input-typo",
         {makeNode("in", "Input"), makeNode("flat", "Flatten", {"in"}),
          makeNode("fc", "Dense", {"flatt"}, units(3))},
         "fc",
         kImages,
         "fc: input 'flatt' does not exist (did you mean \"flat\"?)"},
        {"unknown-op",
         {makeNode("in", "Input"), makeNode("flat", "Flatten", {"in"}),
          makeNode("fc", "Dens", {"flat"}, units(3))},
         "",
         kImages,
         "fc: unknown op \"Dens\" (did you mean \"Dense\"?)"},
        {"unknown-op-case",
         {makeNode("in", "Input"), makeNode("flat", "Flatten", {"in"}), makeNode("r", "relu", {"flat"})},
         "",
         kImages,
         "r: unknown op \"relu\" (did you mean \"ReLU\"?)"},
        {"bad-param",
         {makeNode("in", "Input"), makeNode("flat", "Flatten", {"in"}),
          makeNode("fc", "Dense", {"flat"}, units(0))},
         "",
         kImages,
         "fc: units: must be >= 1, got 0"},
        {"param-type",
         {makeNode("in", "Input"), makeNode("flat", "Flatten", {"in"}),
          makeNode("fc", "Dense", {"flat"}, {{"units", std::string("x")}})},
         "",
         kImages,
         "fc: units: expected an integer, got \"x\""},
        {"dense-on-4d",
         {makeNode("in", "Input"), makeNode("fc", "Dense", {"in"}, units(10))},
         "",
         kImages,
         "fc: expects 2-D input [N,features], got [N,1,28,28] from in; insert a Flatten before it"},
        {"conv-on-2d",
         {makeNode("in", "Input"), makeNode("flat", "Flatten", {"in"}),
          makeNode("dense1", "Dense", {"flat"}, units(128)),
          makeNode("conv2", "Conv2D", {"dense1"}, {{"filters", int64_t{8}}})},
         "",
         kImages,
         "conv2: expects 4-D input [N,C,H,W], got [N,128] from dense1"},
        {"add-mismatch",
         {makeNode("in", "Input", {}, shape({8})), makeNode("a", "Dense", {"in"}, units(4)),
          makeNode("b", "Dense", {"in"}, units(5)), makeNode("add", "Add", {"a", "b"})},
         "",
         kImages,
         "add: expects inputs of equal shape, got [N,4] (input 1) and [N,5] (input 2) from a, b"},
        {"two-outputs",
         {makeNode("in", "Input", {}, shape({8})), makeNode("a", "Dense", {"in"}, units(3)),
          makeNode("b", "Dense", {"in"}, units(3))},
         "",
         kImages,
         "the model has 2 possible outputs (a, b)"},
        {"missing-output",
         {makeNode("in", "Input", {}, shape({8})), makeNode("a", "Dense", {"in"}, units(3))},
         "logit",
         kImages,
         "the output node 'logit' does not exist"},
        {"no-inputs",
         {makeNode("in", "Input", {}, shape({8})), makeNode("r", "ReLU")},
         "r",
         kImages,
         "r: ReLU takes exactly 1 input, got 0; connect a node to it"},
        {"too-many-inputs",
         {makeNode("in", "Input", {}, shape({8})), makeNode("a", "Dense", {"in"}, units(3)),
          makeNode("flat", "Flatten", {"in", "a"})},
         "",
         kImages,
         "flat: Flatten takes exactly 1 input, got 2; remove the extra connections"},
        {"add-one-input",
         {makeNode("in", "Input", {}, shape({8})), makeNode("add", "Add", {"in"})},
         "",
         kImages,
         "add: Add takes at least 2 inputs, got 1"},
        {"auto-shape-unknown",
         {makeNode("in", "Input"), makeNode("fc", "Dense", {"in"}, units(3))},
         "",
         DataInfo{},
         "in: shape is \"auto\" but the data's sample shape is unknown"},
        {"auto-units-unknown",
         {makeNode("in", "Input"), makeNode("flat", "Flatten", {"in"}), makeNode("fc", "Dense", {"flat"})},
         "",
         DataInfo{Shape{1, 28, 28}, 0},
         "fc: units is \"auto\" but the number of outputs"},
        {"pool-too-big",
         {makeNode("in", "Input", {}, shape({1, 2, 2})),
          makeNode("pool", "MaxPool2D", {"in"}, {{"pool_size", int64_t{3}}, {"strides", int64_t{1}}})},
         "",
         kImages,
         "pool: pool 3x3 does not fit the 2x2 input"},
        {"pool-too-big-default-stride",
         {makeNode("in", "Input", {}, shape({1, 2, 2})),
          makeNode("pool", "MaxPool2D", {"in"}, {{"pool_size", int64_t{3}}})},
         "",
         kImages,
         "pool: pool 3x3 does not fit the 2x2 input"},
    };
    return cases;
}

int countErrors(const ResolvedGraph& g) {
    int n = 0;
    for (const Problem& p : g.problems)
        n += p.severity == Problem::Severity::Error;
    return n;
}

QString problemsText(const ResolvedGraph& g) {
    QStringList out;
    for (const Problem& p : g.problems)
        out << QString(p.severity == Problem::Severity::Error ? "error: " : "warning: ") +
                   QString::fromStdString(p.message);
    return out.join("\n");
}

int indexOf(const std::vector<Node>& nodes, const std::string& id) {
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].id == id) return static_cast<int>(i);
    return -1;
}

Shape shapeOf(const ResolvedGraph& g, const std::vector<Node>& nodes, const std::string& id) {
    int i = indexOf(nodes, id);
    return i < 0 ? Shape{} : g.shapes[static_cast<std::size_t>(i)];
}

} // namespace

class TestGraph : public QObject {
    Q_OBJECT
private slots:
    void broken_data() {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < brokenCases().size(); ++i)
            QTest::newRow(brokenCases()[i].name) << static_cast<int>(i);
    }
    void broken() {
        QFETCH(int, index);
        const BrokenCase& c = brokenCases()[static_cast<std::size_t>(index)];
        const ResolvedGraph g = resolveGraph(c.nodes, c.output, c.info);
        QVERIFY2(!g.ok(), "resolved without error");
        QVERIFY2(countErrors(g) == c.errors, qPrintable("expected " + QString::number(c.errors) +
                                                        " error(s), got:\n" + problemsText(g)));
        const QString first = QString::fromStdString(g.firstError());
        QVERIFY2(first.contains(QString::fromStdString(c.expected)),
                 qPrintable("got: " + first + "\nexpected: " + QString::fromStdString(c.expected)));
    }

    void problemsNameTheirNode() {
        const ResolvedGraph g =
            resolveGraph({makeNode("in", "Input"), makeNode("fc", "Dens", {"in"})}, "", kImages);
        QCOMPARE(g.problems.size(), std::size_t{1});
        QCOMPARE(g.problems[0].nodeId, std::string("fc"));
    }

    void noCascadeDownstreamOfAnError() {
        std::vector<Node> nodes = {makeNode("in", "Input"), makeNode("fc1", "Dense", {"in"}, units(8)),
                                   makeNode("r1", "ReLU", {"fc1"}),
                                   makeNode("fc2", "Dense", {"r1"}, units(8)),
                                   makeNode("out", "Dense", {"fc2"}, units(3))};
        const ResolvedGraph g = resolveGraph(nodes, "", kImages);
        QVERIFY2(countErrors(g) == 1, qPrintable(problemsText(g)));
        QVERIFY(g.firstError().rfind("fc1: ", 0) == 0);
    }

    void unusedNodeWarns() {
        std::vector<Node> nodes = {makeNode("in", "Input", {}, shape({4})),
                                   makeNode("out", "Dense", {"in"}, units(2)),
                                   makeNode("spare", "Dense", {"in"}, units(2))};
        const ResolvedGraph g = resolveGraph(nodes, "out", kImages);
        QVERIFY2(g.ok(), qPrintable(problemsText(g)));
        QCOMPARE(g.problems.size(), std::size_t{1});
        QCOMPARE(g.problems[0].severity, Problem::Severity::Warning);
        QCOMPARE(g.problems[0].message,
                 std::string("spare: does not feed the output 'out', so training ignores it; "
                             "connect it or delete it"));
    }

    void unknownParamWarns() {
        std::vector<Node> nodes = {
            makeNode("in", "Input", {}, shape({4})),
            makeNode("out", "Dense", {"in"}, {{"units", int64_t{2}}, {"unit", int64_t{3}}})};
        const ResolvedGraph g = resolveGraph(nodes, "", kImages);
        QVERIFY2(g.ok(), qPrintable(problemsText(g)));
        QCOMPARE(g.problems.size(), std::size_t{1});
        QCOMPARE(g.problems[0].severity, Problem::Severity::Warning);
        QVERIFY2(g.problems[0].message.rfind("out: unknown parameter \"unit\"", 0) == 0,
                 g.problems[0].message.c_str());
    }

    void autoBinding() {
        std::vector<Node> nodes = {
            makeNode("input", "Input", {}, {{"shape", std::string("auto")}}),
            makeNode("fc1", "Dense", {"input"}, units(64)), makeNode("relu", "ReLU", {"fc1"}),
            makeNode("logits", "Dense", {"relu"}, {{"units", std::string("auto")}})};
        const ResolvedGraph g = resolveGraph(nodes, "", DataInfo{Shape{2}, 3});
        QVERIFY2(g.ok() && g.problems.empty(), qPrintable(problemsText(g)));
        QCOMPARE(g.input, 0);
        QCOMPARE(g.output, 3);
        QCOMPARE(g.params[0].list("shape"), (std::vector<int64_t>{2}));
        QCOMPARE(g.params[3].i("units"), int64_t{3});
        QCOMPARE(g.shapes[0], Shape({N, 2}));
        QCOMPARE(g.shapes[1], Shape({N, 64}));
        QCOMPARE(g.shapes[3], Shape({N, 3}));
        QCOMPARE(g.params[1].b("bias"), true); // defaults filled in
    }

    void stableTopologicalOrder() {
        // Written out of order; the branches a and b tie and keep their file order.
        std::vector<Node> nodes = {
            makeNode("out", "Concat", {"b", "a"}), makeNode("b", "Dense", {"in"}, units(2)),
            makeNode("a", "Dense", {"in"}, units(3)), makeNode("in", "Input", {}, shape({4}))};
        const ResolvedGraph g = resolveGraph(nodes, "", kImages);
        QVERIFY2(g.ok(), qPrintable(problemsText(g)));
        QCOMPARE(g.order, (std::vector<int>{3, 1, 2, 0}));
        QCOMPARE(g.inputs[0], (std::vector<int>{1, 2}));
        QCOMPARE(g.shapes[0], Shape({N, 5}));
    }

    void residualBlock() {
        std::vector<Node> nodes = {
            makeNode("in", "Input", {}, shape({3, 8, 8})),
            makeNode("stem", "Conv2D", {"in"}, {{"filters", int64_t{16}}}),
            makeNode("conv1", "Conv2D", {"stem"},
                 {{"filters", int64_t{16}}, {"kernel_size", int64_t{3}}}),
            makeNode("bn", "BatchNorm", {"conv1"}),
            makeNode("relu", "ReLU", {"bn"}),
            makeNode("conv2", "Conv2D", {"relu"}, {{"filters", int64_t{16}}}),
            makeNode("add", "Add", {"conv2", "stem"}),
            makeNode("relu2", "ReLU", {"add"}),
            makeNode("pool", "MaxPool2D", {"relu2"}),
            makeNode("gap", "GlobalAvgPool", {"pool"}),
            makeNode("logits", "Dense", {"gap"}, {{"units", std::string("auto")}}),
        };
        const ResolvedGraph g = resolveGraph(nodes, "", DataInfo{Shape{3, 8, 8}, 10});
        QVERIFY2(g.ok() && g.problems.empty(), qPrintable(problemsText(g)));
        QCOMPARE(shapeOf(g, nodes, "conv1"), Shape({N, 16, 8, 8}));
        QCOMPARE(shapeOf(g, nodes, "add"), Shape({N, 16, 8, 8}));
        QCOMPARE(shapeOf(g, nodes, "pool"), Shape({N, 16, 4, 4}));
        QCOMPARE(shapeOf(g, nodes, "gap"), Shape({N, 16}));
        QCOMPARE(shapeOf(g, nodes, "logits"), Shape({N, 10}));
        QCOMPARE(g.inputs[6], (std::vector<int>{5, 1}));
    }

    void concatBranches() {
        std::vector<Node> nodes = {
            makeNode("in", "Input", {}, shape({3, 16, 16})),
            makeNode("left", "Conv2D", {"in"}, {{"filters", int64_t{8}}, {"kernel_size", int64_t{1}}}),
            makeNode("right", "Conv2D", {"in"},
                 {{"filters", int64_t{4}}, {"kernel_size", std::vector<int64_t>{3, 3}}}),
            makeNode("cat", "Concat", {"left", "right"}),
            makeNode("pool", "AvgPool2D", {"cat"}, {{"pool_size", int64_t{4}}}),
            makeNode("flat", "Flatten", {"pool"}),
            makeNode("out", "Dense", {"flat"}, units(5)),
        };
        const ResolvedGraph g = resolveGraph(nodes, "", kImages);
        QVERIFY2(g.ok() && g.problems.empty(), qPrintable(problemsText(g)));
        QCOMPARE(shapeOf(g, nodes, "cat"), Shape({N, 12, 16, 16}));
        QCOMPARE(shapeOf(g, nodes, "pool"), Shape({N, 12, 4, 4}));
        QCOMPARE(shapeOf(g, nodes, "flat"), Shape({N, 192}));
        QCOMPARE(shapeOf(g, nodes, "out"), Shape({N, 5}));
    }

    void lint_data() {
        QTest::addColumn<QString>("lastOp");
        QTest::addColumn<int>("loss");
        QTest::addColumn<QString>("expected");
        const auto ce = static_cast<int>(LossKind::CrossEntropy);
        const auto bce = static_cast<int>(LossKind::BinaryCrossEntropy);
        QTest::newRow("softmax-ce") << "Softmax" << ce
                                    << "out: Softmax before cross_entropy applies softmax twice; "
                                       "remove it, the loss applies it itself";
        QTest::newRow("softmax-focal") << "Softmax" << static_cast<int>(LossKind::Focal)
                                       << "out: Softmax before focal applies softmax twice; remove "
                                          "it, the loss applies it itself";
        QTest::newRow("sigmoid-bce") << "Sigmoid" << bce
                                     << "out: Sigmoid before binary_cross_entropy applies sigmoid "
                                        "twice; remove it, the loss applies it itself";
        QTest::newRow("softmax-mse") << "Softmax" << static_cast<int>(LossKind::Mse) << "";
        QTest::newRow("sigmoid-ce") << "Sigmoid" << ce << "";
        QTest::newRow("relu-ce") << "ReLU" << ce << "";
    }
    void lint() {
        QFETCH(QString, lastOp);
        QFETCH(int, loss);
        QFETCH(QString, expected);
        std::vector<Node> nodes = {makeNode("in", "Input", {}, shape({4})),
                                   makeNode("fc", "Dense", {"in"}, units(3)),
                                   makeNode("out", lastOp.toStdString(), {"fc"})};
        const ResolvedGraph g = resolveGraph(nodes, "", kImages);
        QVERIFY2(g.ok(), qPrintable(problemsText(g)));
        const std::vector<Problem> lint = lintForLoss(g, nodes, static_cast<LossKind>(loss));
        if (expected.isEmpty()) {
            QVERIFY(lint.empty());
            return;
        }
        QCOMPARE(lint.size(), std::size_t{1});
        QCOMPARE(lint[0].severity, Problem::Severity::Warning);
        QCOMPARE(lint[0].nodeId, std::string("out"));
        QCOMPARE(QString::fromStdString(lint[0].message), expected);
    }

    void examples_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("expectedShapes"); // "id=[shape]"
        QTest::newRow("spiral") << "spiral.neurite.json"
                                << QStringList{"input=[N,2]", "fc1=[N,64]", "relu2=[N,64]",
                                               "logits=[N,3]"};
        QTest::newRow("fashion_mlp") << "fashion_mlp.neurite.json"
                                     << QStringList{"input=[N,1,28,28]", "flatten=[N,784]",
                                                    "fc1=[N,256]", "fc2=[N,128]", "logits=[N,10]"};
        QTest::newRow("fashion_cnn")
            << "fashion_cnn.neurite.json"
            << QStringList{"conv1=[N,32,28,28]", "pool1=[N,32,14,14]", "conv2=[N,64,14,14]",
                           "pool2=[N,64,7,7]",   "flatten=[N,3136]",   "fc1=[N,128]",
                           "logits=[N,10]"};
        QTest::newRow("breast_cancer") << "breast_cancer.neurite.json"
                                       << QStringList{"input=[N,30]", "fc1=[N,16]", "logits=[N,2]"};
    }
    void examples() {
        QFETCH(QString, file);
        QFETCH(QStringList, expectedShapes);
        const ProjectDocument doc =
            loadProject(test::sourceDir() + "/resources/examples/" + file.toStdString(), nullptr);
        const DataInfo info = file.startsWith("spiral")          ? DataInfo{Shape{2}, 3}
                              : file.startsWith("breast_cancer") ? DataInfo{Shape{30}, 2}
                                                                 : kImages;
        const ResolvedGraph g = resolveGraph(doc.nodes, doc.output, info);
        QVERIFY2(g.ok() && g.problems.empty(), qPrintable(problemsText(g)));
        QVERIFY(lintForLoss(g, doc.nodes, doc.training.loss.kind).empty());
        QCOMPARE(g.order.size(), doc.nodes.size());
        for (const QString& entry : expectedShapes) {
            const QStringList parts = entry.split('=');
            const Shape s = shapeOf(g, doc.nodes, parts[0].toStdString());
            QVERIFY2(
                QString::fromStdString(s.str()) == parts[1],
                qPrintable(parts[0] + ": " + QString::fromStdString(s.str()) + " != " + parts[1]));
        }
    }
};

QTEST_APPLESS_MAIN(TestGraph)
#include "test_graph.moc"
