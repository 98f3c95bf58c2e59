// The pytorch export's model.py (export/torch_export.h) against Neurite: for every example of every
// layer type (a small graph around it, random weights and preprocessing) and the bundled examples,
// model.py with the exported weights/ must compute Neurite's inference outputs within 1e-4
// (normwise) in PyTorch (tests/export/verify_torch.py under /usr/bin/python3), and pass pyflakes.
// The state_dict carries every parameter, bidirectional recurrent weights split per direction.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <filesystem>
#include <fstream>
#include <set>

#include "export/torch_export.h"
#include "layers/registry.h"
#include "support/export_fixtures.h"
#include "support/skip_missing.h"
#include "support/test_env.h"

using namespace neurite;

namespace {

constexpr double kTolerance = 1e-4;
constexpr const char* kPython = "/usr/bin/python3";

bool pythonHas(const char* module) {
    QProcess p;
    p.start(kPython, {"-c", QString("import ") + module});
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

void writeFile(const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

// model.py and weights/ of a fixture into dir, with its inputs (as the model reads them) and
// Neurite's outputs for them.
QJsonObject writeCase(test::ModelFixture& f, const QString& dir) {
    const std::string base = dir.toStdString();
    writeFile(base + "/model.py", torchModelSource(f.source()));
    std::filesystem::create_directories(base + "/weights");
    for (const TorchTensor& t : torchStateDict(f.source()))
        test::writeNpy(base + "/weights/" + t.key + ".npy", t.shape, t.values);
    const int64_t n = 5;
    std::vector<float> x = f.randomInputs(n, 31);
    const int64_t per = f.sampleShape().numel();
    for (int64_t i = 0; i < n * per; ++i) {  // raw -> features, as the trainer gathers them
        float& v = x[static_cast<std::size_t>(i)];
        v *= f.preprocessing.scale;
        if (f.preprocessing.standardized())
            v = (v - f.preprocessing.mean[std::size_t(i % per)]) * f.preprocessing.invStd[std::size_t(i % per)];
    }
    std::vector<int64_t> inShape{n};
    for (int64_t d : f.sampleShape()) inShape.push_back(d);
    Shape s(inShape.begin(), inShape.end());
    Tensor input = Tensor::wrap(x.data(), s, DType::F32, f.model->backend().device());
    const Tensor& y = f.model->forward(input, false, 0, 0);
    std::vector<float> out(static_cast<std::size_t>(y.numel()));
    f.model->backend().copyToHost(out.data(), y);
    test::writeNpy(base + "/features.npy", inShape, x);
    test::writeNpy(base + "/expected.npy", {y.numel()}, out);
    return {{"name", QString::fromStdString(f.name)}, {"dir", dir}, {"features", dir + "/features.npy"},
            {"expected", dir + "/expected.npy"}};
}

}  // namespace

class TestExportTorch : public QObject {
    Q_OBJECT
private slots:
    void everyLayerTypeHasATorchForm() {
        for (const LayerType& t : layerTypes())
            QVERIFY2(t.dataInput || t.torch, qPrintable("no PyTorch form for layer " + QString::fromStdString(t.name)));
    }

    // Names that are not Python identifiers, keywords, or model.py's own names become others.
    void nodeIdsBecomePythonNames() {
        std::vector<Node> nodes{makeNode("in put", "Input"), makeNode("class", "Dense", {"in put"}, {{"units", int64_t(3)}}),
                                makeNode("3d", "ReLU", {"class"}), makeNode("pad", "Dense", {"3d"}, {{"units", int64_t(2)}})};
        test::ModelFixture g = test::makeFixture("names", nodes, Shape{4}, 2, 5);
        const std::string named = torchModelSource(g.source());
        for (const char* want : {"self.class_ = nn.Linear(4, 3)", "def forward(self, in_put):", "self.n_3d = nn.ReLU()",
                                 "def build_model():",
                                 "self.pad_ = nn.Linear(3, 2)", "(node \"3d\")"})
            QVERIFY2(named.find(want) != std::string::npos, qPrintable(QString::fromStdString(named)));
        std::set<std::string> keys;
        for (const TorchTensor& t : torchStateDict(g.source())) keys.insert(t.key);
        QCOMPARE(keys, (std::set<std::string>{"class_.bias", "class_.weight", "pad_.bias", "pad_.weight"}));
    }

    void bidirectionalWeightsSplitPerDirection() {
        std::vector<Node> nodes{makeNode("input", "Input"),
                                makeNode("rnn", "GRU", {"input"}, {{"units", int64_t(3)}, {"bidirectional", true}}),
                                makeNode("head", "Dense", {"rnn"}, {{"units", int64_t(2)}})};
        test::ModelFixture f = test::makeFixture("bigru", nodes, Shape{5, 4}, 2, 9);
        std::map<std::string, std::vector<int64_t>> shapes;
        for (const TorchTensor& t : torchStateDict(f.source())) shapes[t.key] = t.shape;
        QCOMPARE(shapes["rnn.weight_ih_l0"], (std::vector<int64_t>{9, 4}));
        QCOMPARE(shapes["rnn.weight_ih_l0_reverse"], (std::vector<int64_t>{9, 4}));
        QCOMPARE(shapes["rnn.weight_hh_l0_reverse"], (std::vector<int64_t>{9, 3}));
        QCOMPARE(shapes["rnn.bias_hh_l0_reverse"], (std::vector<int64_t>{9}));
        QCOMPARE(shapes["head.weight"], (std::vector<int64_t>{2, 6}));
        QCOMPARE(shapes.size(), std::size_t(10));
    }

    void outputsMatchPytorch() {
        if (!pythonHas("torch")) NEURITE_SKIP_MISSING("/usr/bin/python3 has no torch (apt-get install python3-torch)");
        QTemporaryDir dir;
        std::vector<test::ModelFixture> fixtures = test::layerFixtures();
        for (auto& e : test::exampleFixtures()) fixtures.push_back(std::move(e));
        QJsonArray manifest;
        QStringList files;
        for (std::size_t k = 0; k < fixtures.size(); ++k) {
            const QString caseDir = dir.filePath(QString("case%1").arg(k));
            manifest.append(writeCase(fixtures[k], caseDir));
            files << caseDir + "/model.py";
        }
        QFile mf(dir.filePath("manifest.json"));
        QVERIFY(mf.open(QIODevice::WriteOnly));
        mf.write(QJsonDocument(manifest).toJson());
        mf.close();
        QProcess py;
        py.start(kPython, {QString::fromStdString(test::sourceDir()) + "/tests/export/verify_torch.py", mf.fileName()});
        QVERIFY(py.waitForFinished(600000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const QList<QByteArray> lines = py.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(fixtures.size()));
        for (const QByteArray& line : lines) {
            const QJsonObject r = QJsonDocument::fromJson(line).object();
            qInfo().noquote() << line;
            QVERIFY2(!r.contains("error"), line.constData());
            QVERIFY2(r["error_norm"].toDouble(1) < kTolerance, line.constData());
        }
        if (!pythonHas("pyflakes")) NEURITE_SKIP_MISSING("/usr/bin/python3 has no pyflakes (apt-get install python3-pyflakes)");
        files << QString::fromStdString(test::sourceDir()) + "/resources/pytorch/train.py"
              << QString::fromStdString(test::sourceDir()) + "/resources/pytorch/data.py";
        QProcess lint;
        lint.start(kPython, QStringList{"-m", "pyflakes"} + files);
        QVERIFY(lint.waitForFinished(120000));
        QVERIFY2(lint.exitCode() == 0, (lint.readAllStandardOutput() + lint.readAllStandardError()).constData());
    }

    void trainingSettingsItCannotReproduceAreRefused() {
        TrainConfig t;
        QCOMPARE(torchTrainingUnsupported(t), std::string());
        t.pruning.enabled = true;
        QVERIFY(torchTrainingUnsupported(t).find("training.pruning") != std::string::npos);
        t.pruning.enabled = false;
        t.quantAware.enabled = true;
        QVERIFY(torchTrainingUnsupported(t).find("quantization_aware") != std::string::npos);
        t.quantAware.enabled = false;
        t.distillation.teacher = "run:3";
        QVERIFY(torchTrainingUnsupported(t).find("distillation") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestExportTorch)
#include "test_export_torch.moc"
