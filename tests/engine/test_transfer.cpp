// Transfer learning: frozen layers (Node::trainable = false) keep their weights under every
// optimizer, weight decay, L2 and clipping; a frozen BatchNorm normalizes with its running
// statistics in training and keeps them, and passes the right gradient to the layers before it
// (finite differences); training.pretrained_lr_scale scales the steps of the layers loaded from
// model.weights; the project file keeps both; Fashion-MNIST's classes= and train_samples= pick
// the subsets the transfer example trains on.
#include <QtTest>

#include <QTemporaryDir>

#include <cmath>
#include <random>

#include "core/error.h"
#include "data/data_source.h"
#include "devices/device_registry.h"
#include "graph/model.h"
#include "io/initial_weights.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "support/gradcheck.h"
#include "support/skip_missing.h"
#include "train/optimizer.h"

using namespace neurite;

namespace {

using P = std::map<std::string, ParamValue>;

std::vector<Node> mlp(bool freezeFirst, bool batchNorm) {
    std::vector<Node> nodes{makeNode("input", "Input"), makeNode("fc1", "Dense", {"input"}, {{"units", int64_t(8)}})};
    std::string last = "fc1";
    if (batchNorm) {
        nodes.push_back(makeNode("bn", "BatchNorm", {"fc1"}));
        last = "bn";
    }
    nodes.push_back(makeNode("act", "Tanh", {last}));
    nodes.push_back(makeNode("head", "Dense", {"act"}, {{"units", int64_t(3)}}));
    if (freezeFirst)
        for (Node& n : nodes)
            if (n.id == "fc1" || n.id == "bn") n.trainable = false;
    return nodes;
}

struct Batch {
    Tensor x, labels;
};

Batch batchOf(Backend& b, int n, uint64_t seed) {
    std::mt19937 rng(static_cast<uint32_t>(seed));
    std::normal_distribution<float> normal;
    std::vector<float> x(static_cast<std::size_t>(n) * 5);
    for (float& v : x) v = normal(rng) * 2 + 0.5f;
    std::vector<int32_t> y(static_cast<std::size_t>(n));
    for (int32_t& v : y) v = static_cast<int32_t>(rng() % 3);
    Batch out{Tensor::empty(b, Shape{n, 5}), test::toBackendI32(b, y, Shape{n})};
    b.copyFromHost(out.x, x.data());
    return out;
}

std::vector<float> slice(const std::vector<float>& snap, const Model& m, const std::string& node, const std::string& name) {
    const int64_t buffersAt = const_cast<Model&>(m).values().numel();
    for (const ParamInfo& p : m.params())
        if (p.node == node && p.name == name) {
            const auto at = static_cast<std::size_t>(p.offset + (p.trainable ? 0 : buffersAt));
            return {snap.begin() + long(at), snap.begin() + long(at) + p.shape.numel()};
        }
    return {};
}

float trainStep(Model& m, Optimizer& opt, const Batch& b, int64_t step, float lr) {
    const Tensor& logits = m.forward(b.x, true, step, 7);
    Tensor diff = Tensor::empty(m.backend(), logits.shape());
    const float loss = m.backend().softmaxCrossEntropy(logits, b.labels, nullptr, 0.f, diff);
    m.backward(diff, step, 7);
    opt.step(lr);
    return loss;
}

}  // namespace

class TestTransfer : public QObject {
    Q_OBJECT
private slots:
    void frozenLayersKeepTheirWeights_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<bool>("batchNorm");
        QTest::newRow("sgd momentum, weight decay, L2, clipping") << int(OptimizerKind::Sgd) << false;
        QTest::newRow("adam, weight decay") << int(OptimizerKind::Adam) << false;
        QTest::newRow("adamw with a frozen batch norm") << int(OptimizerKind::AdamW) << true;
        QTest::newRow("rmsprop") << int(OptimizerKind::Rmsprop) << false;
    }
    void frozenLayersKeepTheirWeights() {
        QFETCH(int, kind);
        QFETCH(bool, batchNorm);
        Backend& cpu = backendFor("cpu");
        const std::vector<Node> nodes = mlp(true, batchNorm);
        const ResolvedGraph g = resolveGraph(nodes, "head", DataInfo{Shape{5}, 3});
        QVERIFY2(g.ok(), g.firstError().c_str());
        Model m(cpu, nodes, g, 3);
        if (batchNorm) {  // statistics that are not the initial ones
            std::vector<float> snap = m.snapshot();
            const int64_t at = m.values().numel();
            for (const ParamInfo& p : m.params())
                if (!p.trainable)
                    for (int64_t k = 0; k < p.shape.numel(); ++k)
                        snap[std::size_t(at + p.offset + k)] = p.name == "running_mean" ? 0.3f * float(k) : 1.5f + 0.1f * float(k);
            m.restore(snap);
        }
        OptimizerConfig config;
        config.kind = static_cast<OptimizerKind>(kind);
        config.momentum = config.kind == OptimizerKind::Adam || config.kind == OptimizerKind::AdamW ? 0.f : 0.9f;
        config.weightDecay = 0.05f;
        Optimizer opt(m, config, 0.f, 0.01f, 0.5f);
        const std::vector<float> before = m.snapshot();
        for (int s = 0; s < 20; ++s) trainStep(m, opt, batchOf(cpu, 16, uint64_t(s)), s, 0.05f);
        const std::vector<float> after = m.snapshot();
        for (const char* name : {"weight", "bias"}) {
            QCOMPARE(slice(after, m, "fc1", name), slice(before, m, "fc1", name));
            QVERIFY(slice(after, m, "head", name) != slice(before, m, "head", name));
        }
        if (batchNorm)
            for (const char* name : {"gamma", "beta", "running_mean", "running_var"})
                QCOMPARE(slice(after, m, "bn", name), slice(before, m, "bn", name));
    }

    // A frozen BatchNorm: training's forward is inference's, and the gradient it passes back
    // (to fc1, trainable here) is the finite difference of the loss.
    void frozenBatchNormPassesTheRightGradient() {
        Backend& cpu = backendFor("cpu");
        std::vector<Node> nodes = mlp(false, true);
        for (Node& n : nodes)
            if (n.id == "bn") n.trainable = false;
        const ResolvedGraph g = resolveGraph(nodes, "head", DataInfo{Shape{5}, 3});
        Model m(cpu, nodes, g, 5);
        std::vector<float> snap = m.snapshot();
        const int64_t buffers = m.values().numel();
        for (const ParamInfo& p : m.params())
            if (!p.trainable)
                for (int64_t k = 0; k < p.shape.numel(); ++k)
                    snap[std::size_t(buffers + p.offset + k)] = p.name == "running_mean" ? 0.2f * float(k) - 0.5f : 0.5f + 0.25f * float(k);
        m.restore(snap);
        const Batch b = batchOf(cpu, 6, 42);
        auto outputs = [&](bool training) {
            const Tensor& y = m.forward(b.x, training, 0, 1);
            std::vector<float> v(static_cast<std::size_t>(y.numel()));
            cpu.copyToHost(v.data(), y);
            return v;
        };
        QCOMPARE(outputs(true), outputs(false));
        auto loss = [&] {
            const Tensor& logits = m.forward(b.x, true, 0, 1);
            Tensor diff = Tensor::empty(cpu, logits.shape());
            return double(cpu.softmaxCrossEntropy(logits, b.labels, nullptr, 0.f, diff));
        };
        {
            const Tensor& logits = m.forward(b.x, true, 0, 1);
            Tensor diff = Tensor::empty(cpu, logits.shape());
            cpu.softmaxCrossEntropy(logits, b.labels, nullptr, 0.f, diff);
            m.backward(diff, 0, 1);
        }
        std::vector<float> grads(static_cast<std::size_t>(m.grads().numel()));
        cpu.copyToHost(grads.data(), m.grads());
        const ParamInfo* fc1 = nullptr;
        for (const ParamInfo& p : m.params())
            if (p.node == "fc1" && p.name == "weight") fc1 = &p;
        QVERIFY(fc1);
        const std::vector<float> base = m.snapshot();
        double worst = 0;
        for (int64_t k = 0; k < fc1->shape.numel(); k += 3) {
            const std::size_t at = std::size_t(fc1->offset + k);
            std::vector<float> moved = base;
            const double h = 1e-2;
            moved[at] = base[at] + float(h);
            m.restore(moved);
            const double up = loss();
            moved[at] = base[at] - float(h);
            m.restore(moved);
            const double down = loss();
            const double numeric = (up - down) / (2 * h);
            worst = std::max(worst, std::fabs(numeric - grads[at]) / (1e-3 + std::fabs(numeric)));
        }
        m.restore(base);
        QVERIFY2(worst < 2e-2, qPrintable(QString("relative gradient error %1").arg(worst)));
    }

    // pretrained_lr_scale: one SGD step moves a loaded layer by that fraction of a new one's step.
    void pretrainedLayersLearnSlower() {
        QTemporaryDir dir;
        ProjectDocument doc;
        doc.data.source = "builtin:iris";
        doc.nodes = {makeNode("input", "Input"), makeNode("fc1", "Dense", {"input"}, {{"units", int64_t(6)}}),
                     makeNode("act", "ReLU", {"fc1"}), makeNode("head", "Dense", {"act"}, {{"units", std::string("auto")}})};
        doc.training.optimizer.kind = OptimizerKind::Sgd;
        doc.training.seed = 9;
        // the starting weights: fc1 only (a new head), from a model of the same graph
        {
            RunSetup s = prepareRun(doc);
            const std::vector<float> snap = s.model->snapshot();
            SafeTensorsFile file;
            for (const ParamInfo& p : s.model->params())
                if (p.node == "fc1") {
                    SafeTensor t;
                    t.name = p.node + "." + p.name;
                    t.shape = std::vector<int64_t>(p.shape.begin(), p.shape.end());
                    t.bytes.resize(std::size_t(p.shape.numel()) * 4);
                    std::memcpy(t.bytes.data(), snap.data() + p.offset, t.bytes.size());
                    file.tensors.push_back(t);
                }
            const std::vector<uint8_t> bytes = encodeSafeTensors(file);
            QFile out(dir.filePath("start.safetensors"));
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(reinterpret_cast<const char*>(bytes.data()), qint64(bytes.size()));
        }
        doc.weights = "start.safetensors";
        doc.folder = dir.path().toStdString();
        QString problem;  // what went wrong inside the lambda (QVERIFY cannot return from it)
        auto stepOf = [&](float scale) {
            doc.training.pretrainedLrScale = scale;
            RunSetup s = prepareRun(doc);
            if (s.weightsNote.find("2 of 4 tensors") == std::string::npos || s.weightsNote.find("head.weight") == std::string::npos)
                problem += QString::fromStdString(s.weightsNote) + "\n";
            for (const ParamInfo& p : s.model->params())
                if (p.lrScale != (p.node == "fc1" ? scale : 1.f))
                    problem += QString("%1.%2 has lrScale %3\n").arg(p.node.c_str(), p.name.c_str()).arg(p.lrScale);
            Optimizer opt(*s.model, doc.training.optimizer, 0.f, 0.f, 0.f);
            const std::vector<float> before = s.model->snapshot();
            Backend& cpu = s.model->backend();
            Batch b{Tensor::empty(cpu, Shape{8, 4}), test::toBackendI32(cpu, {0, 1, 2, 0, 1, 2, 0, 1}, Shape{8})};
            std::vector<float> x(32);
            for (std::size_t k = 0; k < x.size(); ++k) x[k] = std::sin(float(k));
            cpu.copyFromHost(b.x, x.data());
            trainStep(*s.model, opt, b, 0, 0.1f);
            const std::vector<float> after = s.model->snapshot();
            std::map<std::string, double> moved;
            for (const ParamInfo& p : s.model->params())
                for (int64_t k = 0; k < p.shape.numel(); ++k)
                    moved[p.node] += std::fabs(double(after[std::size_t(p.offset + k)]) - before[std::size_t(p.offset + k)]);
            return moved;
        };
        const auto full = stepOf(1.f), tenth = stepOf(0.1f);
        QVERIFY(full.at("fc1") > 0);
        QVERIFY(std::fabs(tenth.at("fc1") / full.at("fc1") - 0.1) < 1e-4);
        QVERIFY(std::fabs(tenth.at("head") / full.at("head") - 1.0) < 1e-6);
        const auto frozen = stepOf(0.f);
        QCOMPARE(frozen.at("fc1"), 0.0);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void projectFileKeepsTrainableAndScale() {
        ProjectDocument doc;
        doc.data.source = "builtin:iris";
        doc.nodes = mlp(true, true);
        doc.weights = "w.safetensors";
        doc.training.pretrainedLrScale = 0.25f;
        const std::string text = projectToJson(doc);
        QVERIFY(text.find("\"trainable\": false") != std::string::npos);
        std::vector<std::string> warnings;
        const ProjectDocument back = parseProject(text, "p.neurite.json", &warnings);
        QVERIFY(warnings.empty());
        QCOMPARE(back.training.pretrainedLrScale, 0.25f);
        QCOMPARE(QString::fromStdString(back.weights), QString("w.safetensors"));
        for (std::size_t k = 0; k < doc.nodes.size(); ++k) QCOMPARE(back.nodes[k].trainable, doc.nodes[k].trainable);
        try {
            parseProject(R"({"data": {"source": "builtin:iris"}, "model": {"nodes": [{"id": "a", "op": "Input", "trainable": 3}]}})",
                         "bad.neurite.json", nullptr);
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("$.model.nodes[0].trainable"), e.what());
        }
    }

    void fashionMnistSubsets() {
        if (!QFileInfo::exists("/usr/share/datasets/fashion-mnist"))
            NEURITE_SKIP_MISSING("Fashion-MNIST is missing (install dataset-fashion-mnist)");
        DataConfig cfg;
        cfg.source = "builtin:fashion-mnist?classes=Sandal,6,Sneaker,Bag,Ankle boot&train_samples=1000";
        cfg.validationSplit = 0;
        const Dataset ds = loadDataset(cfg, 1);
        QCOMPARE(ds.numClasses, 5);
        QCOMPARE(QString::fromStdString(ds.classNames[1]), QString("Shirt"));
        QCOMPARE(ds.train.count, int64_t(1000));
        QCOMPARE(ds.test.count, int64_t(5000));
        std::vector<int> perClass(5, 0);
        for (int32_t l : ds.train.labels) ++perClass[std::size_t(l)];
        QCOMPARE(perClass, std::vector<int>(5, 200));
        cfg.source = "builtin:fashion-mnist?classes=Sandal,Boots";
        try {
            loadDataset(cfg, 1);
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("no class \"Boots\"") && QString(e.what()).contains("Ankle boot"), e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestTransfer)
#include "test_transfer.moc"
