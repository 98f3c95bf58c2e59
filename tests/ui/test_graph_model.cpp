// The designer's model and commands without a window: edits through undo commands restore the
// exact project JSON, parameter edits reach downstream shapes, connections are refused with a
// reason, problems carry their quick fix, and the templates resolve.
#include <QFile>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include "designer/graph_commands.h"
#include "designer/graph_edits.h"
#include "designer/graph_model.h"
#include "designer/quick_fix.h"
#include "designer/template_library.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "train/trainer.h"
#include "support/test_env.h"

using namespace neurite;

namespace {

const DataInfo kFashion{Shape{1, 28, 28}, 10};

ProjectDocument example(const char* name) {
    return loadProject(neurite::test::sourceDir() + "/resources/examples/" + name, nullptr);
}

std::string json(const GraphModel& m) {
    return projectToJson(m.document());
}

void push(QUndoStack& undo, GraphModel& m, const GraphState& after) {
    undo.push(new EditGraphCommand(&m, "edit", stateOf(m), after));
}

}  // namespace

class TestGraphModel : public QObject {
    Q_OBJECT
private slots:
    void undoRedoRestoreExactJson() {
        GraphModel m;
        m.setDocument(example("fashion_cnn.neurite.json"));
        m.setDataInfo(kFashion);
        QUndoStack undo;
        const std::string original = json(m);
        push(undo, m, edits::withNodeInserted(stateOf(m), makeNode("", "Dropout"), "relu3"));
        QVERIFY(m.node("dropout"));
        QCOMPARE(m.node("logits")->inputs, std::vector<std::string>{"dropout"});
        QCOMPARE(m.node("logits")->y, 900 + edits::kRowStep);  // moved down a row to make room
        const std::string added = json(m);
        push(undo, m, edits::withNodeInserted(stateOf(m), makeNode("", "Dense"), ""));
        push(undo, m, edits::withConnection(stateOf(m), "relu3", "dense"));
        QCOMPARE(m.node("dense")->inputs, std::vector<std::string>{"relu3"});
        const std::string connected = json(m);
        push(undo, m, edits::withoutNodes(stateOf(m), {"pool1", "dense"}));
        QVERIFY(!m.node("pool1"));
        QCOMPARE(m.node("conv2")->inputs, std::vector<std::string>{"relu1"});  // bridged
        undo.push(new MoveNodesCommand(&m, {{"conv1", QPointF(0, 90)}}, {{"conv1", QPointF(40, 90)}}));
        const std::string last = json(m);

        undo.undo();
        undo.undo();
        QCOMPARE(json(m), connected);
        undo.undo();
        undo.undo();
        QCOMPARE(json(m), added);
        undo.undo();
        QCOMPARE(json(m), original);
        while (undo.canRedo()) undo.redo();
        QCOMPARE(json(m), last);
    }

    // A Dense inserted between layers is a hidden layer: it starts 64 wide, not "auto" (the
    // number of classes); appended as the new last layer it stays "auto"; explicit units stay.
    void insertedHiddenDenseIsNotAuto() {
        GraphModel m;
        m.setDocument(example("fashion_mlp.neurite.json"));
        m.setDataInfo(kFashion);
        const GraphState s = stateOf(m);
        const std::string first = "flatten";
        const GraphState hidden = edits::withNodeInserted(s, makeNode("", "Dense"), first);
        const Node& h = hidden.nodes.back();
        QCOMPARE(std::get<int64_t>(h.params.at("units")), int64_t{edits::kHiddenUnits});
        const GraphState last = edits::withNodeInserted(s, makeNode("", "Dense"), s.output);
        QVERIFY(!last.nodes.back().params.count("units"));
        const GraphState explicitUnits =
            edits::withNodeInserted(s, makeNode("", "Dense", {}, {{"units", int64_t{7}}}), first);
        QCOMPARE(std::get<int64_t>(explicitUnits.nodes.back().params.at("units")), int64_t{7});
        m.setNodes(hidden.nodes, hidden.output);
        QVERIFY(m.resolved().ok());
    }

    void consecutiveMovesMerge() {
        GraphModel m;
        m.setDocument(example("spiral.neurite.json"));
        QUndoStack undo;
        const QPointF start(m.node("fc1")->x, m.node("fc1")->y);
        undo.push(new MoveNodesCommand(&m, {{"fc1", start}}, {{"fc1", start + QPointF(10, 0)}}));
        undo.push(new MoveNodesCommand(&m, {{"fc1", start + QPointF(10, 0)}}, {{"fc1", start + QPointF(30, 0)}}));
        QCOMPARE(undo.count(), 1);
        QCOMPARE(m.node("fc1")->x, start.x() + 30);
        undo.push(new MoveNodesCommand(&m, {{"relu1", QPointF(0, 180)}}, {{"relu1", QPointF(5, 180)}}));
        QCOMPARE(undo.count(), 2);  // another node: a new step
        undo.undo();
        undo.undo();
        QCOMPARE(QPointF(m.node("fc1")->x, m.node("fc1")->y), start);
    }

    void parameterEditUpdatesDownstreamShapes() {
        GraphModel m;
        m.setDocument(example("fashion_cnn.neurite.json"));
        m.setDataInfo(kFashion);
        QCOMPARE(m.shapeOf("pool2"), QString("[N,64,7,7]"));
        const int64_t before = m.cost().totalParams;
        QUndoStack undo;
        push(undo, m, edits::withParam(stateOf(m), "conv1", "filters", int64_t(16)));
        QCOMPARE(m.shapeOf("relu1"), QString("[N,16,28,28]"));
        push(undo, m, edits::withParam(stateOf(m), "pool2", "pool_size", std::vector<int64_t>{7, 7}));
        QCOMPARE(m.shapeOf("flatten"), QString("[N,256]"));  // 14x14 pooled 7x7: 2x2
        QVERIFY(m.cost().totalParams < before);
        undo.undo();
        undo.undo();
        QCOMPARE(m.shapeOf("flatten"), QString("[N,3136]"));
        QCOMPARE(m.cost().totalParams, before);
    }

    void connectionRefusedWithReason_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("reason");  // substring; empty = allowed
        QTest::newRow("itself") << "a" << "a" << "cannot feed itself";
        QTest::newRow("into the Input") << "a" << "in" << "nothing connects into it";
        QTest::newRow("single input taken") << "in" << "a" << "already has";
        QTest::newRow("free merge") << "sum" << "spare" << "";
        QTest::newRow("cycle") << "sum" << "add2" << "cycle add2 -> sum -> add2";
        QTest::newRow("image into Dense") << "img" << "fc" << "insert a Flatten";
        QTest::newRow("valid") << "a" << "fc" << "";
    }
    void connectionRefusedWithReason() {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, reason);
        ProjectDocument doc;
        doc.data.source = "synthetic:spiral";
        doc.nodes = {makeNode("in", "Input", {}, {{"shape", std::vector<int64_t>{4}}}),
                     makeNode("a", "Dense", {"in"}, {{"units", int64_t(4)}}),
                     makeNode("add2", "Add", {"a"}),
                     makeNode("sum", "Add", {"a", "add2"}),
                     makeNode("img", "Reshape", {"in"}, {{"shape", std::vector<int64_t>{1, 2, 2}}}),
                     makeNode("fc", "Dense", {}, {{"units", int64_t(2)}}),
                     makeNode("spare", "Concat")};
        GraphModel m;
        m.setDocument(doc);
        const QString got = m.canConnect(from, to);
        if (reason.isEmpty())
            QVERIFY2(got.isEmpty(), qPrintable(got));
        else
            QVERIFY2(got.contains(reason), qPrintable(got));
    }

    void invalidGraphShowsProblemAndQuickFix() {
        GraphModel m;
        m.setDocument(example("fashion_cnn.neurite.json"));
        m.setDataInfo(kFashion);
        QVERIFY(m.resolved().ok());
        QUndoStack undo;
        push(undo, m, edits::withoutNodes(stateOf(m), {"flatten"}));
        const std::vector<Problem> problems = m.problemsOf("fc1");
        QCOMPARE(problems.size(), std::size_t(1));
        QVERIFY2(problems[0].message.find("[N,64,7,7]") != std::string::npos, problems[0].message.c_str());
        QCOMPARE(m.shapeOf("fc1"), QString());
        auto fix = quickFixFor(problems[0], stateOf(m));
        QVERIFY(fix);
        QCOMPARE(fix->label, QString("Insert a Flatten before fc1"));
        push(undo, m, fix->after);
        QVERIFY2(m.resolved().ok(), m.resolved().firstError().c_str());
        QCOMPARE(m.shapeOf("fc1"), QString("[N,128]"));
    }

    void pasteRenamesAndKeepsInnerEdges() {
        GraphModel m;
        m.setDocument(example("spiral.neurite.json"));
        QStringList ids;
        std::vector<Node> copied{*m.node("fc1"), *m.node("relu1")};
        const GraphState next = edits::withPasted(stateOf(m), copied, QPointF(40, 40), &ids);
        QCOMPARE(ids, QStringList({"fc12", "relu12"}));
        const Node& relu = next.nodes.back();
        QCOMPARE(relu.inputs, std::vector<std::string>{"fc12"});
        QCOMPARE(next.nodes[next.nodes.size() - 2].inputs, std::vector<std::string>{"input"});
        QCOMPARE(relu.x, m.node("relu1")->x + 40);
    }

    void layoutPutsProducersAbove() {
        ProjectDocument doc = example("fashion_cnn.neurite.json");
        for (Node& n : doc.nodes) n.x = n.y = 0;
        doc.nodes.push_back(makeNode("skip", "ReLU", {"pool1"}));
        const GraphState laid = edits::laidOut({doc.nodes, doc.output, doc.weights});
        std::map<std::string, const Node*> byId;
        for (const Node& n : laid.nodes) byId[n.id] = &n;
        for (const Node& n : laid.nodes)
            for (const std::string& in : n.inputs) QVERIFY(byId[in]->y < n.y);
        QCOMPARE(byId["skip"]->y, byId["conv2"]->y);  // siblings share a row...
        QVERIFY(byId["skip"]->x != byId["conv2"]->x);  // ...side by side
    }

    void templatesResolve() {
        const auto templates = projectTemplates();
        QCOMPARE(templates.size(), std::size_t(12));
        for (const ProjectTemplate& t : templates) {
            const std::string& src = t.document.data.source;
            DataInfo info = src.find("spiral") != std::string::npos
                                ? DataInfo{Shape{2}, src.find("classes=2") != std::string::npos ? 2 : 3}
                            : src == "builtin:fortunes" ? DataInfo{Shape{60}, 5, 3000}
                            : src == "builtin:sunspots" ? DataInfo{Shape{22, 1}, 1}
                            : src == "builtin:co2"      ? DataInfo{Shape{104, 1}, 1}
                                                        : kFashion;
            const ResolvedGraph g = resolveGraph(t.document.nodes, t.document.output, info);
            QVERIFY2(g.ok(), qPrintable(t.name + ": " + QString::fromStdString(g.firstError())));
            // Round trip through the file format, as New from Template then Save does.
            const ProjectDocument back = parseProject(projectToJson(t.document), "t", nullptr);
            QCOMPARE(projectToJson(back), projectToJson(t.document));
        }
    }

    // New from Template then Start must train: each template runs two steps of one epoch (the
    // autoencoder on its reconstruction targets) with a finite loss. Fashion-MNIST templates read
    // a small IDX directory of 28x28 images instead, so that evaluating takes no time.
    void everyTemplateTrains() {
        QTemporaryDir dir;
        const auto idx = [&](const char* name, std::vector<uint32_t> dims, int values) {
            std::vector<char> bytes{0, 0, 8, char(dims.size())};
            uint32_t count = 1;
            for (uint32_t d : dims) {
                count *= d;
                for (int shift : {24, 16, 8, 0}) bytes.push_back(char(d >> shift));
            }
            for (uint32_t i = 0; i < count; ++i) bytes.push_back(char((i * 37u + i / 7u) % uint32_t(values)));
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes.data(), qint64(bytes.size()));
        };
        idx("train-images-idx3-ubyte", {96, 28, 28}, 256);
        idx("train-labels-idx1-ubyte", {96}, 10);
        idx("t10k-images-idx3-ubyte", {20, 28, 28}, 256);
        idx("t10k-labels-idx1-ubyte", {20}, 10);
        // The text templates on a small table of two topics instead of the fortunes package.
        {
            QFile f(dir.filePath("texts.csv"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("text,label\n");
            for (int i = 0; i < 60; ++i)
                f.write(QByteArray(i % 2 ? "the sea and a ship " : "the sky and a cloud ") + QByteArray::number(i) +
                        (i % 2 ? ",sea\n" : ",sky\n"));
        }
        for (const ProjectTemplate& t : projectTemplates()) {
            ProjectDocument doc = t.document;
            if (doc.data.source == "builtin:fashion-mnist") doc.data.source = "idx:" + dir.path().toStdString();
            if (doc.data.source == "builtin:fortunes") doc.data.source = "text:" + dir.filePath("texts.csv").toStdString();
            doc.training.epochs = 1;
            doc.training.maxSteps = 2;
            doc.training.threads = 2;
            doc.training.batchSize = 16;
            struct Losses : TrainObserver {
                std::vector<float> values;
                QString failure;
                void onStep(const StepEvent& e) override { values.push_back(e.loss); }
                void onFailed(const Error& e) override { failure = QString::fromUtf8(e.what()); }
            } seen;
            StopToken stop;
            try {
                RunSetup s = prepareRun(doc);
                Trainer trainer(*s.model, s.data, doc.training);
                trainer.run(seen, stop);
            } catch (const std::exception& e) {
                QFAIL(qPrintable(t.name + ": " + QString::fromUtf8(e.what())));
            }
            QVERIFY2(seen.failure.isEmpty(), qPrintable(t.name + ": " + seen.failure));
            QVERIFY2(!seen.values.empty() && std::isfinite(seen.values.back()), qPrintable(t.name));
        }
    }
};

QTEST_MAIN(TestGraphModel)
#include "test_graph_model.moc"
