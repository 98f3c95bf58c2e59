// ONNX import against PyTorch: models written by torch.onnx.export (tests/support/
// onnx_import_models.py: an MLP, CNNs with batch norm kept or folded, ResNet- and MobileNet-style
// blocks with residual adds, grouped, depthwise and dilated convolutions, ReLU6 as Clip, global
// pooling with Flatten and with x.view(x.size(0), -1), ceil_mode pools, GELU in both forms, SiLU,
// LayerNormalization, opsets 9, 11, 13 and 17) are imported and run on the CPU backend; their
// outputs must equal PyTorch's on the same random input to 1e-4. The project and weights files
// written by saveImported load back to the same outputs. Malformed, hostile and unsupported files
// are refused with the file and the node named, nothing written.
#include <QtTest>

#include <QProcess>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "core/error.h"
#include "core/file_read.h"
#include "devices/device_registry.h"
#include "export/export_model.h"
#include "export/onnx_compare.h"
#include "export/onnx_import.h"
#include "graph/model.h"
#include "io/project.h"
#include "io/initial_weights.h"
#include "support/gradcheck.h"
#include "train/optimizer.h"
#include "support/skip_missing.h"
#include "support/onnx_test_data.h"
#include "support/test_env.h"

using namespace neurite;
using test::dims;
using test::kPython;
using test::readFloats;
using test::runScript;

namespace {

// ONNX 1.12's node test cases that import and match (docs/import.md keeps the same count).
constexpr int kConformancePassing = 93;

// The imported project run on the CPU: its weights loaded, the input forwarded in inference.
std::vector<float> runImported(const ProjectDocument& doc, const SafeTensorsFile* weights, const Shape& inputShape,
                               const std::vector<float>& input, WeightsReport* report) {
    DataInfo info;
    info.sampleShape = Shape(inputShape.begin() + 1, inputShape.end());
    const ResolvedGraph g = resolveGraph(doc.nodes, doc.output, info);
    if (!g.ok()) throw std::runtime_error("does not resolve: " + g.firstError());
    Backend& cpu = backendFor("cpu");
    Model model(cpu, doc.nodes, g, 1);
    *report = weights ? applyWeights(model, *weights, "weights") : applyInitialWeights(model, doc);
    Tensor x = Tensor::empty(cpu, inputShape);
    cpu.copyFromHost(x, input.data());
    const Tensor& y = model.forward(x, false, 0, 0);
    std::vector<float> out(static_cast<std::size_t>(y.numel()));
    cpu.copyToHost(out.data(), y);
    return out;
}

void expectClose(const std::vector<float>& got, const std::vector<float>& want, const char* what) {
    QCOMPARE(got.size(), want.size());
    double worst = 0;
    std::size_t at = 0;
    for (std::size_t k = 0; k < got.size(); ++k) {
        const double err = std::fabs(double(got[k]) - want[k]) / (1 + std::fabs(double(want[k])));
        if (!(err <= worst)) worst = err, at = k;
    }
    qInfo("%s: largest relative difference %.2g", what, worst);
    QVERIFY2(worst <= 1e-4, qPrintable(QString("%1: relative error %2 at %3 (%4 against PyTorch's %5)")
                                            .arg(what).arg(worst).arg(at).arg(got[at]).arg(want[at])));
}

}  // namespace

class TestOnnxImport : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!QFileInfo::exists(kPython)) NEURITE_SKIP_MISSING("no /usr/bin/python3 (install python3-torch and python3-onnx)");
        QProcess probe;
        probe.start(kPython, {"-c", "import torch, onnx"});
        if (!probe.waitForFinished(120000) || probe.exitCode() != 0)
            NEURITE_SKIP_MISSING("/usr/bin/python3 cannot import torch and onnx (install python3-torch python3-onnx)");
        QVERIFY(m_dir.isValid());
        const QString failed = runScript("onnx_import_models.py", {m_dir.path()});
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
    }

    void matchesPyTorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("output");
        QTest::addColumn<bool>("fold");
        QFile manifest(m_dir.filePath("manifest.txt"));
        QVERIFY(manifest.open(QIODevice::ReadOnly));
        int rows = 0;
        for (const QByteArray& line : manifest.readAll().split('\n')) {
            const QStringList f = QString::fromUtf8(line).split(' ', Qt::SkipEmptyParts);
            if (f.size() != 4) continue;
            QTest::newRow(qPrintable(f[0] + " opset " + f[1])) << f[0] << f[2] << f[3] << false;
            QTest::newRow(qPrintable(f[0] + " batch norm folded")) << f[0] << f[2] << f[3] << true;
            ++rows;
        }
        QVERIFY(rows >= 10);
    }
    void matchesPyTorch() {
        QFETCH(QString, name);
        QFETCH(QString, input);
        QFETCH(QString, output);
        QFETCH(bool, fold);
        ImportOptions options;
        options.foldBatchNorm = fold;
        options.dataSource = "builtin:iris";
        const ImportedModel m = importOnnxFile(m_dir.filePath(name + ".onnx").toStdString(), options);
        const std::vector<float> x = readFloats(m_dir.filePath(name + ".input.f32").toStdString());
        const std::vector<float> want = readFloats(m_dir.filePath(name + ".output.f32").toStdString());
        WeightsReport loaded;
        expectClose(runImported(m.project, &m.weights, dims(input), x, &loaded), want, qPrintable(name));
        QVERIFY2(loaded.fresh.empty() && loaded.reshaped.empty() && loaded.unused == 0, loaded.summary().c_str());
        // what the report says matches the graph
        std::map<std::string, int> ops;
        for (const Node& n : m.project.nodes) ++ops[n.op];
        const std::string report = m.report.text();
        if (name.startsWith("cnn_bn_kept") || name.startsWith("resnet_bn_kept")) {
            QCOMPARE(ops["BatchNorm"] == 0, fold);  // kept as layers, or folded into the convolutions
            QCOMPARE(report.find("scale and shift folded") != std::string::npos, fold);
        }
        if (name.startsWith("resnet")) QCOMPARE(ops["Add"], 2);
        if (name == "mobilenet_like") {
            bool depthwise = false, grouped = false;
            for (const Node& n : m.project.nodes) {
                if (n.op != "Conv2D" || !n.params.count("groups")) continue;
                const int64_t groups = std::get<int64_t>(n.params.at("groups"));
                depthwise = depthwise || groups == std::get<int64_t>(n.params.at("filters"));
                grouped = grouped || groups == 4;
            }
            QVERIFY(depthwise && grouped);
            QCOMPARE(ops["ReLU6"], 4);
        }
        if (name == "gelu_mlp") {
            QCOMPARE(ops["GELU"], 1);
            QCOMPARE(ops["GELUTanh"], 1);
            QCOMPARE(ops["SiLU"], 1);
            QCOMPARE(ops["LayerNorm"], 1);
        }
        if (name == "embedding") QCOMPARE(ops["Embedding"], 1);  // Gather of the table by the ids
        if (name == "log_softmax_mlp") QCOMPARE(ops["LogSoftmax"], 1);
        if (name == "layernorm_opset13") {  // the decomposition, matched whole
            QCOMPARE(ops["LayerNorm"], 2);
            QCOMPARE(ops["GELU"], 1);
        }
        if (name == "resnet_like")  // Shape, Gather, Unsqueeze, Concat fold into the Reshape's target
            QCOMPARE(ops["Reshape"] + ops["Flatten"], 0);
        // recurrent layers: the exporter's Transposes, Squeezes and zero initial states leave no
        // node; y[:, -1] and h_n[-1] are the layer's final state, not every step
        if (name.contains("lstm") || name.contains("gru")) {
            QCOMPARE(ops["LSTM"] + ops["GRU"], name.startsWith("stacked") ? 2 : 1);
            QCOMPARE(ops["Reshape"] + ops["Flatten"], 0);
            for (const Node& n : m.project.nodes)
                if (n.op == "LSTM" || n.op == "GRU")
                    QCOMPARE(std::get<bool>(n.params.at("return_sequences")),
                             name.startsWith("stacked") || name == "bigru_steps");
        }
    }

    // Compare with original: each imported model against its ONNX file, which the reference
    // interpreter (export/onnx_run.h) runs node by node, on 64 samples of data of the model's
    // shape (standardized CSV features, Fashion-MNIST pixels, time-series windows): within 1e-4
    // and the same class everywhere. One weight changed by 0.5 must show.
    void comparesWithOriginal_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"mlp", "mlp_opset9", "gelu_mlp", "layernorm_opset13", "log_softmax_mlp", "fashion_net",
                              "lstm_last", "lstm_last_opset9", "gru_last", "gru_final_state", "stacked_bilstm",
                              "stacked_bilstm_fixed_batch", "bigru_steps"})
            QTest::newRow(n) << QString(n);
    }
    void comparesWithOriginal() {
        QFETCH(QString, name);
        const std::string onnx = m_dir.filePath(name + ".onnx").toStdString();
        ImportedModel m = importOnnxFile(onnx, {});
        DataInfo info;
        info.sampleShape = m.sampleShape;
        const ResolvedGraph g = resolveGraph(m.project.nodes, m.project.output, info);
        QVERIFY2(g.ok(), g.firstError().c_str());
        const Shape out = g.shapes[static_cast<std::size_t>(g.output)];
        const int64_t classes = out[out.rank() - 1];
        QTemporaryDir dir;
        const QString csv = dir.filePath("data.csv");
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QTextStream t(&f);
        std::mt19937 rng(11);
        std::uniform_real_distribution<float> u(-3.f, 3.f);
        if (name == "fashion_net") {
            m.project.data.source = "builtin:fashion-mnist?train_samples=500";
        } else if (m.sampleShape.rank() == 1) {  // features and a class
            for (int64_t k = 0; k < m.sampleShape[0]; ++k) t << "f" << k << ",";
            t << "label\n";
            for (int r = 0; r < 600; ++r) {
                for (int64_t k = 0; k < m.sampleShape[0]; ++k) t << u(rng) << ",";
                t << r % classes << "\n";
            }
            m.project.data.source = "csv:" + csv.toStdString();
        } else {  // windows [T, C] of a series, each window's class its last step's label
            const int64_t steps = m.sampleShape[0], channels = m.sampleShape[1];
            t << "time";
            for (int64_t k = 0; k < channels; ++k) t << ",c" << k;
            t << ",label\n";
            for (int r = 0; r < 600; ++r) {
                t << r;
                for (int64_t k = 0; k < channels; ++k) t << "," << u(rng);
                t << "," << r % classes << "\n";
            }
            m.project.data.source = "series:" + csv.toStdString() + "?lookback=" + std::to_string(steps) +
                                    "&task=classify&label=label";
        }
        f.close();
        const std::string project = dir.filePath("p.neurite.json").toStdString();
        saveImported(m, project);
        const OnnxComparison c = compareWithOnnx(loadProject(project, nullptr), onnx);
        qInfo("%s: %s", qPrintable(name), c.summary().c_str());
        // CSV and series sources hold out a validation split only (60 of 600 rows); a fixed-batch
        // file runs whole batches of 3
        QCOMPARE(c.samples, name == "fashion_net" ? int64_t{64} : int64_t{60});
        QCOMPARE(c.split, std::string(name == "fashion_net" ? "test" : "validation"));
        QVERIFY2(c.agrees(), c.summary().c_str());
        if (c.sameClass >= 0) QCOMPARE(c.sameClass, c.samples);
        // a mistake shows: one weight of the first layer off by 0.5
        float w = 0;
        std::memcpy(&w, m.weights.tensors.front().bytes.data(), 4);
        w += 0.5f;
        std::memcpy(m.weights.tensors.front().bytes.data(), &w, 4);
        saveImported(m, project);
        const OnnxComparison wrong = compareWithOnnx(loadProject(project, nullptr), onnx);
        QVERIFY2(!wrong.agrees(), wrong.summary().c_str());
    }

    // A file the interpreter cannot run, or an output that is not there, is a clear error.
    void compareRefusesWhatItCannotRun() {
        ImportedModel m = importOnnxFile(m_dir.filePath("mlp.onnx").toStdString(), {});
        m.project.data.source = "builtin:iris";
        QTemporaryDir dir;
        const std::string project = dir.filePath("p.neurite.json").toStdString();
        saveImported(m, project);
        const ProjectDocument doc = loadProject(project, nullptr);
        auto refused = [&](const std::string& file, const std::string& output, const QString& words) {
            CompareOptions options;
            options.output = output;
            try {
                compareWithOnnx(doc, m_dir.filePath(QString::fromStdString(file)).toStdString(), options);
                QFAIL("compared");
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::BadInput);
                QVERIFY2(QString(e.what()).contains(words), e.what());
            }
        };
        refused("mlp.onnx", "nowhere", "no output \"nowhere\"");
        refused("garbage.onnx", "", "not an ONNX model");
        // iris has 4 features, the MLP takes 20: said before anything runs
        refused("mlp.onnx", "", "");
    }

    // A model Neurite exported imports back: its logits output is taken, its preprocessing is
    // dropped (the project's data settings apply it), and the layers compute what they did.
    void neuriteExportsImportBack() {
        ProjectDocument doc;
        doc.name = "round trip";
        doc.data.source = "builtin:iris";
        doc.nodes = {makeNode("input", "Input", {}, {{"shape", std::vector<int64_t>{4}}}),
                     makeNode("fc1", "Dense", {"input"}, {{"units", int64_t(8)}}), makeNode("act", "GELU", {"fc1"}),
                     makeNode("norm", "LayerNorm", {"act"}), makeNode("logits", "Dense", {"norm"}, {{"units", int64_t(3)}})};
        doc.output = "logits";
        const ResolvedGraph g = resolveGraph(doc.nodes, doc.output, DataInfo{Shape{4}, 3});
        QVERIFY2(g.ok(), g.firstError().c_str());
        Backend& cpu = backendFor("cpu");
        Model model(cpu, doc.nodes, g, 5);
        Preprocessing pre;
        pre.scale = 0.5f;
        pre.mean = {1, 2, 3, 4};
        pre.invStd = {0.5f, 1, 2, 4};
        QTemporaryDir dir;
        const std::string path = dir.filePath("model.onnx").toStdString();
        exportModel(ExportSource{doc, model, pre, {"a", "b", "c"}}, ExportFormat::Onnx, path, {}, 0);
        ImportOptions options;
        options.dataSource = "builtin:iris";
        const ImportedModel m = importOnnxFile(path, options);
        QCOMPARE(QString::fromStdString(m.project.output), QString("logits"));
        const std::string report = m.report.text();
        for (const char* dropped : {"preprocess_scale", "preprocess_center", "preprocess_standardize", "probabilities"})
            QVERIFY2(report.find(std::string(dropped)) != std::string::npos, report.c_str());
        std::vector<float> x(20);
        for (std::size_t k = 0; k < x.size(); ++k) x[k] = std::cos(float(k)) * 2;
        WeightsReport loaded;
        const std::vector<float> got = runImported(m.project, &m.weights, Shape{5, 4}, x, &loaded);
        Tensor in = Tensor::empty(cpu, Shape{5, 4});
        cpu.copyFromHost(in, x.data());
        const Tensor& y = model.forward(in, false, 0, 0);
        std::vector<float> want(static_cast<std::size_t>(y.numel()));
        cpu.copyToHost(want.data(), y);
        expectClose(got, want, "Neurite's own export");
        // a text model: Embedding (with its padding id), pooling over time both ways, Concat
        ProjectDocument text;
        text.data.source = "builtin:fortunes";
        text.nodes = {makeNode("input", "Input", {}, {{"shape", std::vector<int64_t>{9}}}),
                      makeNode("embedding", "Embedding", {"input"}, {{"vocabulary_size", int64_t(40)}, {"dimension", int64_t(5)}}),
                      makeNode("average", "GlobalAvgPool1D", {"embedding"}), makeNode("maximum", "GlobalMaxPool1D", {"embedding"}),
                      makeNode("both", "Concat", {"average", "maximum"}),
                      makeNode("logits", "Dense", {"both"}, {{"units", int64_t(3)}})};
        text.output = "logits";
        const ResolvedGraph tg = resolveGraph(text.nodes, text.output, DataInfo{Shape{9}, 3, 40});
        QVERIFY2(tg.ok(), tg.firstError().c_str());
        Model textModel(cpu, text.nodes, tg, 6);
        const std::string textPath = dir.filePath("text.onnx").toStdString();
        exportModel(ExportSource{text, textModel, Preprocessing{}, {"a", "b", "c"}}, ExportFormat::Onnx, textPath, {}, 0);
        const ImportedModel t = importOnnxFile(textPath, options);
        const Node* table = nullptr;
        for (const Node& node : t.project.nodes)
            if (node.op == "Embedding") table = &node;
        QVERIFY(table && std::get<bool>(table->params.at("padding")));
        std::vector<float> ids(27);
        for (std::size_t k = 0; k < ids.size(); ++k) ids[k] = float((k * 7) % 40);
        const std::vector<float> gotText = runImported(t.project, &t.weights, Shape{3, 9}, ids, &loaded);
        Tensor idsIn = Tensor::empty(cpu, Shape{3, 9});
        cpu.copyFromHost(idsIn, ids.data());
        const Tensor& ty = textModel.forward(idsIn, false, 0, 0);
        std::vector<float> wantText(static_cast<std::size_t>(ty.numel()));
        cpu.copyToHost(wantText.data(), ty);
        expectClose(gotText, wantText, "Neurite's own text model");
        // several outputs, none chosen, in a file Neurite did not write: refused with their names
        ImportOptions other = options;
        other.output = "nope";
        try {
            importOnnxFile(path, other);
            QFAIL("imported");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("no output \"nope\"") && QString(e.what()).contains("probabilities"), e.what());
        }
    }

    // saveImported writes the project and its weights; loading them back gives the same outputs.
    void savedProjectLoadsItsWeights() {
        QTemporaryDir out;
        ImportOptions options;
        options.dataSource = "builtin:iris";
        ImportedModel m = importOnnxFile(m_dir.filePath("resnet_like.onnx").toStdString(), options);
        const std::string projectPath = out.filePath("sub/resnet.neurite.json").toStdString();
        QVERIFY(QDir().mkpath(out.filePath("sub")));
        const std::string weights = saveImported(m, projectPath);
        QCOMPARE(QString::fromStdString(weights), out.filePath("sub/resnet.weights.safetensors"));
        std::vector<std::string> warnings;
        ProjectDocument doc = loadProject(projectPath, &warnings);
        QCOMPARE(QString::fromStdString(doc.weights), QString("resnet.weights.safetensors"));
        QVERIFY(warnings.empty());
        const std::vector<float> x = readFloats(m_dir.filePath("resnet_like.input.f32").toStdString());
        const std::vector<float> want = readFloats(m_dir.filePath("resnet_like.output.f32").toStdString());
        WeightsReport loaded;
        expectClose(runImported(doc, nullptr, Shape{2, 3, 20, 20}, x, &loaded), want, "reloaded");
        QVERIFY(loaded.fresh.empty());
        // saved elsewhere, the project still finds the same weights file
        saveProject(doc, out.filePath("moved.neurite.json").toStdString());
        const ProjectDocument moved = loadProject(out.filePath("moved.neurite.json").toStdString(), &warnings);
        QCOMPARE(QString::fromStdString(moved.weights), QString("sub/resnet.weights.safetensors"));
        QCOMPARE(QString::fromStdString(weightsPath(moved)), QDir::cleanPath(out.filePath("sub/resnet.weights.safetensors")));
        // a new head (another id) starts from its initializer, and the report says so
        doc.nodes.back().id = "new_head";
        doc.output = "new_head";
        runImported(doc, nullptr, Shape{2, 3, 20, 20}, x, &loaded);
        QCOMPARE(int(loaded.fresh.size()), 2);
        QVERIFY(loaded.summary().find("new_head.weight") != std::string::npos);
    }

    void refusesHostileFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("words");
        QFile list(m_dir.filePath("hostile.txt"));
        QVERIFY(list.open(QIODevice::ReadOnly));
        for (const QByteArray& line : list.readAll().split('\n')) {
            const QStringList f = QString::fromUtf8(line).split('|');
            if (f.size() == 2) QTest::newRow(qPrintable(f[0])) << f[0] << f[1].split(';');
        }
    }
    void refusesHostileFiles() {
        QFETCH(QString, file);
        QFETCH(QStringList, words);
        const std::string path = m_dir.filePath(file).toStdString();
        try {
            importOnnxFile(path, {});
            QFAIL("imported");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            const QString message = QString::fromUtf8(e.what());
            QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
            for (const QString& w : words) QVERIFY2(message.contains(w), qPrintable(w + " not in: " + message));
        }
    }

    // ONNX's own test cases for every operator the importer maps: each case either imports and
    // gives ONNX's expected output (numpy's allclose with the case's tolerances), or is refused
    // with a reason; none imports and computes something else.
    void conformance() {
        QTemporaryDir dir;
        QStringList args{dir.path()};
        for (const std::string& op : importableOperators()) args << QString::fromStdString(op);
        const QString failed = runScript("onnx_conformance.py", args);
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QFile list(dir.filePath("cases.txt"));
        QVERIFY(list.open(QIODevice::ReadOnly));
        int passed = 0, skipped = 0;
        QStringList refused, wrong, passes;
        for (const QByteArray& line : list.readAll().split('\n')) {
            const QStringList f = QString::fromUtf8(line).split('|');
            if (f.size() == 3) ++skipped;
            if (f.size() != 5) continue;
            const QString name = f[0];
            try {
                ImportOptions options;
                options.dataSource = "builtin:iris";
                const ImportedModel m = importOnnxFile(dir.filePath(name + ".onnx").toStdString(), options);
                const std::vector<float> x = readFloats(dir.filePath(name + ".input.f32").toStdString());
                const std::vector<float> want = readFloats(dir.filePath(name + ".output.f32").toStdString());
                WeightsReport loaded;
                const std::vector<float> got = runImported(m.project, &m.weights, dims(f[1]), x, &loaded);
                if (test::allClose(got, want, f[3].toDouble(), f[4].toDouble())) ++passed, passes << name;
                else wrong << name;
            } catch (const Error& e) {
                const std::string first = std::string(e.what()).substr(0, std::string(e.what()).find('\n', std::string(e.what()).find("\n") + 1));
                (e.kind() == ErrorKind::BadInput ? refused : wrong) << name + ": " + QString::fromStdString(first).section(": ", 1);
            } catch (const std::exception& e) {
                wrong << name + ": " + e.what();
            }
        }
        qInfo("ONNX conformance: %d cases of %d operators pass, %lld refused, %d skipped (not a one-input float model)",
              passed, int(importableOperators().size()), static_cast<long long>(refused.size()), skipped);
        if (qEnvironmentVariableIsSet("NEURITE_CONFORMANCE_LIST"))
            qInfo("passed: %s\nrefused:\n%s", qPrintable(passes.join(' ')), qPrintable(refused.join('\n')));
        QVERIFY2(wrong.isEmpty(), qPrintable("imported but computed something else:\n" + wrong.join('\n')));
        QVERIFY2(passed >= kConformancePassing, qPrintable(QString("%1 cases pass, fewer than the %2 of docs/import.md")
                                                                   .arg(passed).arg(kConformancePassing)));
    }

    // Weights in, weights out: from the initial weights of a PyTorch model (imported through
    // ONNX), 100 steps of SGD with momentum and of Adam on the same batches of mean cross-entropy
    // end at PyTorch's weights within 1e-4 relative (per tensor: the largest difference over the
    // largest value), for an MLP and a CNN (tests/support/onnx_train_parity.py).
    void trainingMatchesPyTorch() {
        QTemporaryDir dir;
        const QString failed = runScript("onnx_train_parity.py", {dir.path()});
        QVERIFY2(failed.isEmpty(), qPrintable(failed));
        QFile list(dir.filePath("parity.txt"));
        QVERIFY(list.open(QIODevice::ReadOnly));
        int cases = 0;
        for (const QByteArray& line : list.readAll().split('\n')) {
            const QStringList f = QString::fromUtf8(line).split(' ', Qt::SkipEmptyParts);
            if (f.size() != 7) continue;
            const QString name = f[0], opt = f[1];
            const float lr = f[2].toFloat();
            const int steps = f[3].toInt(), batch = f[4].toInt();
            ImportOptions options;
            options.dataSource = "builtin:iris";
            const ImportedModel m = importOnnxFile(dir.filePath(name + ".onnx").toStdString(), options);
            DataInfo info;
            info.sampleShape = m.sampleShape;
            const ResolvedGraph g = resolveGraph(m.project.nodes, m.project.output, info);
            QVERIFY2(g.ok(), g.firstError().c_str());
            Backend& cpu = backendFor("cpu");
            Model model(cpu, m.project.nodes, g, 1);
            applyWeights(model, m.weights, "weights");
            OptimizerConfig config;
            config.kind = opt == "sgd" ? OptimizerKind::Sgd : OptimizerKind::Adam;
            config.lr = lr;
            if (opt == "sgd") config.momentum = 0.9f;
            Optimizer optimizer(model, config, 0.f, 0.f, 0.f);
            const std::vector<float> xs = readFloats(dir.filePath(name + ".x.f32").toStdString());
            const std::vector<float> ysRaw = readFloats(dir.filePath(name + ".y.i32").toStdString());
            std::vector<int32_t> ys(ysRaw.size());
            std::memcpy(ys.data(), ysRaw.data(), ys.size() * 4);
            Shape in = dims(f[5]);
            Shape batchShape{batch};
            for (int64_t d : in) batchShape.push(d);
            const std::size_t per = static_cast<std::size_t>(batchShape.numel());
            Tensor x = Tensor::empty(cpu, batchShape);
            for (int s = 0; s < steps; ++s) {
                cpu.copyFromHost(x, xs.data() + std::size_t(s) * per);
                const std::vector<int32_t> y(ys.begin() + s * batch, ys.begin() + (s + 1) * batch);
                Tensor labels = test::toBackendI32(cpu, y, Shape{batch});
                const Tensor& logits = model.forward(x, true, s, 1);
                Tensor diff = Tensor::empty(cpu, logits.shape());
                cpu.softmaxCrossEntropy(logits, labels, nullptr, 0.f, diff);
                model.backward(diff, s, 1);
                optimizer.step(lr);
            }
            const std::vector<float> snap = model.snapshot();
            int compared = 0;
            double closest = 0;
            for (const ParamInfo& p : model.params()) {
                if (!p.trainable) continue;
                const std::string key = p.node + "." + p.name;
                const std::vector<float> want = readFloats(dir.filePath(name + "." + opt + "." + QString::fromStdString(key) + ".f32").toStdString());
                QCOMPARE(qsizetype(want.size()), qsizetype(p.shape.numel()));
                double worst = 0, largest = 0;
                for (std::size_t k = 0; k < want.size(); ++k) {
                    worst = std::max(worst, std::fabs(double(snap[std::size_t(p.offset) + k]) - want[k]));
                    largest = std::max(largest, std::fabs(double(want[k])));
                }
                QVERIFY2(worst <= 1e-4 * largest, qPrintable(QString("%1 %2 %3: after %4 steps the largest difference "
                                                                    "from PyTorch is %5 of %6")
                                                                 .arg(name, opt, QString::fromStdString(key))
                                                                 .arg(steps).arg(worst).arg(largest)));
                ++compared;
                closest = std::max(closest, worst / largest);
            }
            qInfo("%s %s: %d steps, largest difference from PyTorch %.2g of the tensor's largest value", qPrintable(name),
                  qPrintable(opt), steps, closest);
            QCOMPARE(compared, 6);
            ++cases;
        }
        QCOMPARE(cases, 4);
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestOnnxImport)
#include "test_onnx_import.moc"
