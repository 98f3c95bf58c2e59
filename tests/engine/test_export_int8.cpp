// Int8 post-training quantization: QuantizeLinear's rounding and saturation on hand-computed
// cases, the activation and weight scales, the calibration sample, a trained breast-cancer model
// that keeps its test accuracy after quantization, and int8 ONNX files that Python's onnx checker
// accepts and that a numpy implementation of the ONNX operators (tests/export/verify_onnx.py)
// runs to the outputs of Neurite's simulated int8 model.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>

#include "core/error.h"
#include "layers/registry.h"
#include "export/export_model.h"
#include "export/onnx_export.h"
#include "export/predictor.h"
#include "export/quantize.h"
#include "support/export_fixtures.h"
#include "support/test_env.h"
#include "run/run_setup.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

// Runs verify_onnx.py on a manifest; returns one JSON object per case.
QList<QJsonObject> verifyInPython(const QString& manifestPath, const QJsonArray& manifest) {
    QFile mf(manifestPath);
    if (!mf.open(QIODevice::WriteOnly)) return {};
    mf.write(QJsonDocument(manifest).toJson());
    mf.close();
    QProcess py;
    py.start("/usr/bin/python3", {QString::fromStdString(test::sourceDir()) +
                                      "/tests/export/verify_onnx.py", manifestPath});
    if (!py.waitForFinished(300000) || py.exitCode() != 0) {
        qWarning() << py.readAllStandardError();
        return {};
    }
    QList<QJsonObject> results;
    for (const QByteArray& line : py.readAllStandardOutput().trimmed().split('\n')) {
        qInfo().noquote() << line;
        results << QJsonDocument::fromJson(line).object();
    }
    return results;
}

// The largest change of the model's output that one quantization step of the last quantized
// activation can cause: the output layer's input scale times the largest L1 norm of a row of
// its int8 weights (every input of the last Dense off by one step, all in the same direction).
double oneStepBound(test::ModelFixture& f, const Int8Plan& plan) {
    const int last = plan.weightScales.rbegin()->first;
    const std::string& id = f.project.nodes[static_cast<std::size_t>(last)].id;
    const ResolvedGraph g = resolveExported(f.source());
    const int in = g.inputs[static_cast<std::size_t>(last)][0];
    const float scale = plan.activations.count(in) ? plan.activations.at(in).scale : 0.f;
    const std::vector<float> snap = f.model->snapshot();
    double worst = 0;
    for (const ParamInfo& p : f.model->params()) {
        if (p.node != id || p.name != "weight") continue;
        const int64_t rows = p.shape[0], per = p.shape.numel() / rows;
        for (int64_t r = 0; r < rows; ++r) {
            double l1 = 0;
            for (int64_t k = 0; k < per; ++k)
                l1 += std::fabs(snap[static_cast<std::size_t>(p.offset + r * per + k)]);
            worst = std::max(worst, l1);
        }
    }
    return scale * worst;
}

ProjectDocument breastCancer(int epochs) {
    std::vector<std::string> warnings;
    ProjectDocument doc = loadProject(
        test::sourceDir() + "/resources/examples/breast_cancer.neurite.json", &warnings);
    doc.training.epochs = epochs;
    doc.training.threads = 2;
    doc.training.device = "cpu";
    return doc;
}

}  // namespace

class TestExportInt8 : public QObject {
    Q_OBJECT
private slots:
    void quantizeRoundsHalfToEvenAndSaturates_data() {
        QTest::addColumn<float>("x");
        QTest::addColumn<float>("scale");
        QTest::addColumn<int>("zeroPoint");
        QTest::addColumn<int>("u8");
        QTest::addColumn<int>("i8");
        // The cases of the issue: 0.05 / 0.1 = 0.5 -> 0 and 0.15 / 0.1 = 1.5 -> 2 (half to even);
        // 12.8 / 0.1 = 128 saturates to 127 as int8.
        QTest::newRow("0.05/0.1") << 0.05f << 0.1f << 0 << 0 << 0;
        QTest::newRow("0.15/0.1") << 0.15f << 0.1f << 0 << 2 << 2;
        QTest::newRow("12.8/0.1") << 12.8f << 0.1f << 0 << 128 << 127;
        // Exact binary halves: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -0.5 -> 0, -1.5 -> -2.
        QTest::newRow("0.25/0.5") << 0.25f << 0.5f << 0 << 0 << 0;
        QTest::newRow("0.75/0.5") << 0.75f << 0.5f << 0 << 2 << 2;
        QTest::newRow("1.25/0.5") << 1.25f << 0.5f << 0 << 2 << 2;
        QTest::newRow("-0.25/0.5") << -0.25f << 0.5f << 0 << 0 << 0;
        QTest::newRow("-0.75/0.5") << -0.75f << 0.5f << 0 << 0 << -2;
        // The zero point is added after rounding: 1.5 -> 2, + 10.
        QTest::newRow("zp 10") << 0.75f << 0.5f << 10 << 12 << 12;
        QTest::newRow("zp 10 negative") << -3.f << 0.5f << 10 << 4 << 4;
        // Saturation at both ends of both types.
        QTest::newRow("low") << -100.f << 0.5f << 3 << 0 << -128;
        QTest::newRow("high") << 1000.f << 1.f << 0 << 255 << 127;
        QTest::newRow("zero") << 0.f << 0.37f << 128 << 128 << 127;
    }

    void quantizeRoundsHalfToEvenAndSaturates() {
        QFETCH(float, x);
        QFETCH(float, scale);
        QFETCH(int, zeroPoint);
        QFETCH(int, u8);
        QFETCH(int, i8);
        QCOMPARE(int(quantizeU8(x, scale, zeroPoint)), u8);
        QCOMPARE(int(quantizeI8(x, scale, zeroPoint)), i8);
    }

    void dequantizeIsTheAffineInverse() {
        QCOMPARE(dequantize(12, 0.5f, 10), 1.f);
        QCOMPARE(dequantize(-127, 0.25f, 0), -31.75f);
        QCOMPARE(dequantize(0, 0.1f, 128), -12.8f);
    }

    void activationScaleCoversTheRangeAndZero() {
        ActivationQuant a = activationQuantFor(-1.f, 3.f);
        QCOMPARE(a.scale, 4.f / 255.f);
        QCOMPARE(a.zeroPoint, 64);  // -(-1) / (4/255) = 63.75
        QCOMPARE(dequantize(quantizeU8(0.f, a.scale, a.zeroPoint), a.scale, a.zeroPoint), 0.f);
        a = activationQuantFor(0.5f, 2.f);  // widened to [0, 2]: ReLU outputs keep zero exact
        QCOMPARE(a.scale, 2.f / 255.f);
        QCOMPARE(a.zeroPoint, 0);
        a = activationQuantFor(-4.f, -1.f);  // widened to [-4, 0]
        QCOMPARE(a.zeroPoint, 255);
        a = activationQuantFor(0.f, 0.f);  // a dead tensor still gets a valid scale
        QCOMPARE(a.scale, 1.f);
        QCOMPARE(a.zeroPoint, 0);
    }

    void weightScalesArePerOutputChannel() {
        const std::vector<float> w{1.f, -2.f, 0.5f,   // channel 0: max |w| 2
                                   0.f, 0.f,  0.f,    // channel 1: all zero
                                   0.1f, 0.2f, -0.3f};  // channel 2
        const std::vector<float> s = channelScales(w, 3);
        QCOMPARE(s.size(), std::size_t(3));
        QCOMPARE(s[0], 2.f / 127.f);
        QCOMPARE(s[1], 1.f);
        QCOMPARE(s[2], 0.3f / 127.f);
        QCOMPARE(int(quantizeI8(-2.f, s[0])), -127);  // symmetric: the extreme maps to +-127
        QCOMPARE(int(quantizeI8(-0.3f, s[2])), -127);
    }

    void calibrationSampleIsSeededAndStratified() {
        DataSplit split;
        split.count = 100;
        for (int i = 0; i < 100; ++i) split.labels.push_back(i < 90 ? 0 : 1 + i % 2);
        const std::vector<int64_t> a = calibrationIndices(split, 9, 7);
        QCOMPARE(a, calibrationIndices(split, 9, 7));
        QVERIFY(a != calibrationIndices(split, 9, 8));
        int perClass[3] = {0, 0, 0};
        for (int64_t i : a) ++perClass[split.labels[static_cast<std::size_t>(i)]];
        QCOMPARE(perClass[0], 3);  // classes in turn, though class 0 is 90% of the split
        QCOMPARE(perClass[1], 3);
        QCOMPARE(perClass[2], 3);
        std::vector<int64_t> all = calibrationIndices(split, 1000, 7);  // capped at the split
        QCOMPARE(all.size(), std::size_t(100));
        std::sort(all.begin(), all.end());
        QVERIFY(std::adjacent_find(all.begin(), all.end()) == all.end());
    }

    void simulationRestoresTheFloatModel() {
        auto fixtures = test::layerFixtures();
        test::ModelFixture& f = fixtures.front();
        const std::vector<float> raw = f.randomInputs(32, 4);
        const Int8Plan plan = calibrateInt8(f.source(), raw.data(), 32);
        const std::vector<float> before = f.model->snapshot();
        Predictor p(*f.model, f.preprocessing);
        const std::vector<float> outBefore = p.outputs(raw.data(), 32);
        std::vector<float> quantized;
        {
            SimulatedInt8 sim(f.source(), plan);
            quantized = p.outputs(raw.data(), 32);
        }
        QVERIFY(quantized != outBefore);  // the simulation changed something
        QVERIFY(f.model->snapshot() == before);
        QVERIFY(p.outputs(raw.data(), 32) == outBefore);
    }

    void modelsWithoutDenseOrConvAreRefused() {
        ProjectDocument doc = parseProject(R"({"name": "plain",
            "data": {"source": "synthetic:spiral?samples=50&classes=2&seed=1"},
            "model": {"output": "out", "nodes": [
                {"id": "input", "op": "Input"},
                {"id": "out", "op": "Tanh", "inputs": ["input"]}]}})",
                                           "p.neurite.json", nullptr);
        RunSetup s = prepareRun(doc);
        const std::vector<float> raw(100, 0.5f);
        try {
            calibrateInt8(exportSourceOf(s), raw.data(), 50);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY2(QByteArray(e.what()).contains("needs a Dense or Conv2D layer"), e.what());
        }
    }

    // Breast cancer, 20 epochs: the test split has 114 samples, so one sample is 0.88 points.
    // 8-bit weights per channel and 8-bit activations on a 30-16-2 MLP move few decisions;
    // a drop of more than 2 samples would mean a wrong scale or rounding, not int8 noise.
    void trainedBreastCancerKeepsItsAccuracy() {
        ProjectDocument doc = breastCancer(20);
        RunSetup s = prepareRun(doc);
        Trainer trainer(*s.model, s.data, doc.training);
        StopToken stop;
        TrainObserver quiet;
        trainer.run(quiet, stop);

        QTemporaryDir dir;
        const std::string fp32 = dir.filePath("bc.onnx").toStdString();
        const std::string int8 = dir.filePath("bc_int8.onnx").toStdString();
        Int8Options o;
        o.data = &s.data;
        o.calibrationSamples = 256;
        const ExportReport r = exportModel(exportSourceOf(s), ExportFormat::OnnxInt8, int8, {}, 0, &o);
        const ExportReport f = exportModel(exportSourceOf(s), ExportFormat::Onnx, fp32, {}, 0);
        qInfo("breast cancer: accuracy float %.4f int8 %.4f on %lld %s samples; %lld -> %lld bytes",
              r.metricFloat, r.metricInt8, static_cast<long long>(r.evaluatedSamples),
              r.evaluatedSplit.c_str(), static_cast<long long>(r.floatBytes),
              static_cast<long long>(r.bytes));
        QCOMPARE(r.metric, std::string("accuracy"));
        QCOMPARE(r.evaluatedSplit, std::string("test"));
        QCOMPARE(r.evaluatedSamples, s.data.test.count);
        QCOMPARE(r.calibrationSamples, int64_t(256));
        QCOMPARE(r.quantizedLayers, 2);
        QVERIFY(r.checkerPassed);
        QVERIFY2(r.metricFloat > 0.9, "the float model did not train");
        QVERIFY2(r.metricInt8 >= r.metricFloat - 2.0 / double(s.data.test.count) - 1e-9,
                 qPrintable(QString("int8 %1 vs float %2").arg(r.metricInt8).arg(r.metricFloat)));
        // 512 weights: the QDQ nodes cost what int8 saves; the size is tested on bigger models.
        QCOMPARE(r.floatBytes, f.bytes);
        QCOMPARE(r.bytes, QFileInfo(QString::fromStdString(int8)).size());
        // The float metric is the trainer's own evaluation of the test split.
        const EvalResult eval = trainer.evaluate(s.data.test);
        QVERIFY(std::fabs(eval.accuracy - r.metricFloat) < 1e-9);
        // The summary states both numbers.
        bool found = false;
        for (const std::string& line : r.summary())
            found |= line.find("accuracy on test split") != std::string::npos;
        QVERIFY(found);
    }

    // Regression reports RMSE: y = sin(2 a) + 0.5 b on 800 rows, a 2-32-1 MLP. The int8 RMSE may
    // exceed the float one by at most 0.05 (the targets span about 3; a uint8 step of the hidden
    // activations is ~1/255 of their range, so a larger loss would mean a wrong scale).
    void regressionReportsRmse() {
        QTemporaryDir dir;
        QFile csv(dir.filePath("reg.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("a,b,y\n");
        for (int i = 0; i < 800; ++i) {
            const double a = std::sin(i * 12.9898) * 1.5, b = std::cos(i * 78.233) * 1.5;
            csv.write(QByteArray::number(a) + "," + QByteArray::number(b) + "," +
                      QByteArray::number(std::sin(2 * a) + 0.5 * b) + "\n");
        }
        csv.close();
        ProjectDocument doc = parseProject(
            QString(R"({"name": "reg",
            "data": {"source": "csv:%1?target=y&task=regression", "validation_split": 0.2,
                     "test_split": 0.2, "scaling": "standardize"},
            "model": {"output": "out", "nodes": [
                {"id": "input", "op": "Input"},
                {"id": "fc1", "op": "Dense", "params": {"units": 32}, "inputs": ["input"]},
                {"id": "act", "op": "Tanh", "inputs": ["fc1"]},
                {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act"]}]},
            "training": {"epochs": 40, "batch_size": 32, "device": "cpu", "threads": 2,
                         "loss": {"type": "mse"},
                         "optimizer": {"type": "adam", "lr": 0.01}}})")
                .arg(csv.fileName())
                .toStdString(),
            "reg.neurite.json", nullptr);
        RunSetup s = prepareRun(doc);
        QCOMPARE(s.data.numClasses, 0);
        Trainer trainer(*s.model, s.data, doc.training);
        StopToken stop;
        TrainObserver quiet;
        trainer.run(quiet, stop);
        Int8Options o;
        o.data = &s.data;
        const ExportReport r = exportModel(exportSourceOf(s), ExportFormat::OnnxInt8,
                                           dir.filePath("reg.onnx").toStdString(), {}, 0, &o);
        qInfo("regression: RMSE float %.5f int8 %.5f on %lld samples", r.metricFloat, r.metricInt8,
              static_cast<long long>(r.evaluatedSamples));
        QCOMPARE(r.metric, std::string("RMSE"));
        QCOMPARE(r.evaluatedSamples, s.data.test.count);
        QVERIFY2(r.metricFloat < 0.3, "the float model did not fit");
        QVERIFY(r.metricInt8 != r.metricFloat);  // the simulation is in effect
        QVERIFY(r.metricInt8 < r.metricFloat + 0.05);
        // The float RMSE is the one of the trainer's own outputs on the test split.
        const EvalResult eval = trainer.evaluate(s.data.test);
        double sum = 0;
        for (std::size_t i = 0; i < eval.outputs.size(); ++i) {
            const double d = eval.outputs[i] - s.data.test.targets[i];
            sum += d * d;
        }
        QVERIFY(std::fabs(std::sqrt(sum / double(eval.outputs.size())) - r.metricFloat) < 1e-5);
    }

    void progressCancels() {
        auto fixtures = test::layerFixtures();
        test::ModelFixture& f = fixtures.front();
        const std::vector<float> raw = f.randomInputs(600, 4);
        Predictor p(*f.model, f.preprocessing);
        const std::vector<float> before = p.outputs(raw.data(), 8);
        int calls = 0;
        try {
            calibrateInt8(f.source(), raw.data(), 600, [&calls](double) { return ++calls < 2; });
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Cancelled);
        }
        QCOMPARE(calls, 2);
        // The hook is gone: a later forward is the plain float one.
        QVERIFY(p.outputs(raw.data(), 8) == before);
    }

    // The exported int8 files run in numpy to the simulated int8 model's outputs. Each model is
    // calibrated on 64 random raw inputs and compared on 16 others (some beyond the calibrated
    // range, so saturation is exercised). Neurite accumulates in float32, numpy in float64, so a
    // value right at a rounding boundary may land one step apart: the tolerance is one step of
    // the last quantized activation through the output layer's largest weight row (oneStepBound),
    // and fewer than 2% of the output values may differ by more than 1e-4.
    void int8FilesRunInNumpyLikeTheSimulation() {
        QTemporaryDir dir;
        std::vector<test::ModelFixture> fixtures;
        // The layers whose weight is stored int8 (LayerType::quantizeWeight), the merges (several
        // quantized inputs), and a regression head.
        for (auto& f : test::layerFixtures()) {
            const LayerType* t = findLayerType(f.layerType);
            if ((t && (t->quantizeWeight || t->maxInputs != 1)) || f.name == "Dense_regression")
                fixtures.push_back(std::move(f));
        }
        for (auto& e : test::exampleFixtures()) fixtures.push_back(std::move(e));
        QVERIFY(fixtures.size() >= 5);

        QJsonArray manifest;
        std::map<std::string, std::pair<double, int64_t>> bounds;  // name -> (tolerance, values)
        for (test::ModelFixture& f : fixtures) {
            const std::vector<float> calib = f.randomInputs(64, 11);
            const Int8Plan plan = calibrateInt8(f.source(), calib.data(), 64);
            const OnnxExport onnx = buildOnnx(f.source(), &plan);
            QVERIFY(onnx.checked);
            // Weight-heavy models shrink about 4x; the float file of the same model for scale.
            const OnnxExport full = buildOnnx(f.source());
            qInfo("%s: %zu -> %zu bytes", f.name.c_str(), full.bytes.size(), onnx.bytes.size());
            if (f.model->parameterCount() > 10000)
                QVERIFY(onnx.bytes.size() * 3 < full.bytes.size());
            const QString base = dir.filePath(QString::fromStdString(f.name));
            std::ofstream(base.toStdString() + ".onnx", std::ios::binary)
                .write(reinterpret_cast<const char*>(onnx.bytes.data()),
                       std::streamsize(onnx.bytes.size()));
            const int64_t n = 16;
            const std::vector<float> raw = f.randomInputs(n, 12);
            std::vector<float> out;
            {
                SimulatedInt8 sim(f.source(), plan);
                Predictor p(*f.model, f.preprocessing);
                out = p.outputs(raw.data(), n);
            }
            const int64_t units = static_cast<int64_t>(out.size()) / n;
            std::vector<int64_t> inShape{n};
            for (int64_t d : f.sampleShape()) inShape.push_back(d);
            test::writeNpy(base.toStdString() + ".input.npy", inShape, raw);
            test::writeNpy(base.toStdString() + ".out.npy", {n, units}, out);
            const QString outName = f.classNames.empty() ? "values" : "logits";
            manifest.append(QJsonObject{{"name", QString::fromStdString(f.name)},
                                        {"onnx", base + ".onnx"},
                                        {"input", base + ".input.npy"},
                                        {"outputs", QJsonObject{{outName, base + ".out.npy"}}},
                                        {"opencv", false},
                                        {"count_over", 1e-4}});
            // A regression model's outputs are mapped back after the last layer (times std).
            double unscale = 1;
            for (float sd : f.preprocessing.target.stddev) unscale = std::max(unscale, double(sd));
            bounds[f.name] = {std::max(oneStepBound(f, plan) * unscale, 1e-4), n * units};
            qInfo("%s: tolerance %.3g", f.name.c_str(), bounds[f.name].first);
        }
        const QList<QJsonObject> results = verifyInPython(dir.filePath("manifest.json"), manifest);
        QCOMPARE(results.size(), qsizetype(fixtures.size()));
        for (const QJsonObject& r : results) {
            const std::string name = r["name"].toString().toStdString();
            const QByteArray line = QJsonDocument(r).toJson(QJsonDocument::Compact);
            QVERIFY2(r["checker"] == QJsonValue(true), line.constData());
            const QJsonObject numpy = r["numpy"].toObject();
            QVERIFY2(!numpy.isEmpty(), line.constData());
            const auto [tolerance, values] = bounds.at(name);
            for (const QString& k : numpy.keys())
                QVERIFY2(numpy[k].toDouble() <= tolerance,
                         qPrintable(QString("%1 %2: max diff over the bound %3")
                                        .arg(line.constData(), k).arg(tolerance)));
            const QJsonObject over = r["numpy_over"].toObject();
            for (const QString& k : over.keys())
                QVERIFY2(over[k].toDouble() * 50 < double(values), line.constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestExportInt8)
#include "test_export_int8.moc"
