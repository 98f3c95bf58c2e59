// The native model file: a trained model saved and loaded predicts bit-identically (also against
// the trainer's own evaluation), Python reads the weights with a plain numpy safetensors reader,
// and every kind of damaged or foreign file is refused with a clear Error{BadInput}.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>

#include "devices/device_registry.h"
#include "core/error.h"
#include "core/file_read.h"
#include "core/file_write.h"
#include "export/native_model.h"
#include "export/onnx_export.h"
#include "export/predictor.h"
#include "io/safetensors.h"
#include "support/export_fixtures.h"
#include "support/test_env.h"
#include "run/run_setup.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

ProjectDocument spiralProject(const char* extraNodes = "") {
    const std::string json = std::string(R"({"name": "spiral export",
        "data": {"source": "synthetic:spiral?samples=400&classes=3&noise=0.1&seed=3",
                 "validation_split": 0.25, "scaling": "standardize"},
        "model": {"output": "out", "nodes": [
            {"id": "input", "op": "Input"},
            {"id": "fc1", "op": "Dense", "params": {"units": 16}, "inputs": ["input"]},
            {"id": "bn", "op": "BatchNorm", "inputs": ["fc1"]},
            {"id": "act1", "op": "ReLU", "inputs": ["bn"]},)") + extraNodes + R"(
            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act1"]}]},
        "training": {"epochs": 2, "batch_size": 16, "seed": 5, "threads": 2}})";
    return parseProject(json, "spiral.neurite.json", nullptr);
}

std::vector<float> rawRows(const Dataset& data, const DataSplit& split) {
    const auto n = static_cast<std::size_t>(split.count * data.sampleShape.numel());
    std::vector<float> raw(n);
    for (std::size_t i = 0; i < n; ++i)
        raw[i] = split.dtype == DType::U8 ? float(split.bytes[i]) : split.f32()[i];
    return raw;
}

QByteArray errorOf(const std::vector<uint8_t>& bytes, const char* name) {
    try {
        decodeNativeModel(bytes, name, backendFor("cpu"));
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput) return "wrong kind: " + QByteArray(nameOf(e.kind()));
        return e.what();
    } catch (const std::exception& e) {
        return "wrong kind: " + QByteArray(e.what());
    }
    return "";
}

// The file re-encoded after `edit` changed its metadata or tensors.
template <class Edit>
std::vector<uint8_t> edited(const std::vector<uint8_t>& bytes, Edit edit) {
    SafeTensorsFile f = decodeSafeTensors(bytes, "t");
    edit(f);
    return encodeSafeTensors(f);
}

}  // namespace

class TestExportNative : public QObject {
    Q_OBJECT
private slots:
    void trainedModelRoundTripsBitIdentically() {
        ProjectDocument doc = spiralProject();
        RunSetup s = prepareRun(doc);
        Trainer trainer(*s.model, s.data, doc.training);
        StopToken stop;
        TrainObserver quiet;
        trainer.run(quiet, stop);
        QVERIFY(!s.data.mean.empty());  // the file must carry a real standardization

        QTemporaryDir dir;
        const std::string path = dir.filePath("spiral.nmodel").toStdString();
        saveNativeModel(exportSourceOf(s), path);
        NativeModel loaded = loadNativeModel(path, backendFor("cpu"));
        QCOMPARE(loaded.classNames, classNamesOf(s.data));
        QCOMPARE(loaded.sampleShape(), s.data.sampleShape);

        // Same raw inputs through the original and the loaded model: identical bits, and the
        // probabilities identical to what the trainer's evaluation computed on this split.
        const std::vector<float> raw = rawRows(s.data, s.data.validation);
        const int64_t bs = std::max<int64_t>(doc.training.batchSize, 256);
        Predictor original(*s.model, preprocessingOf(s.data), bs);
        Predictor restored(*loaded.model, loaded.preprocessing, bs);
        const auto a = original.outputs(raw.data(), s.data.validation.count);
        const auto b = restored.outputs(raw.data(), s.data.validation.count);
        QCOMPARE(a.size(), std::size_t(s.data.validation.count * 3));
        QVERIFY(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
        const EvalResult eval = trainer.evaluate(s.data.validation);
        const auto probs = probabilitiesOf(b, restored.units());
        QCOMPARE(probs.size(), eval.scores.probs.size());
        QVERIFY(std::memcmp(probs.data(), eval.scores.probs.data(), probs.size() * 4) == 0);

        // Saving the loaded model again gives the same file.
        QVERIFY(encodeNativeModel(loaded.source()) == readRegularFileBytes(path, kMaxModelBytes, "a model file"));
    }

    void numpyReadsTheWeights() {
        std::vector<test::ModelFixture> fixtures = test::layerFixtures();
        test::ModelFixture& f = fixtures[0];
        QTemporaryDir dir;
        const QString path = dir.filePath("m.nmodel");
        saveNativeModel(f.source(), path.toStdString());
        QProcess py;
        py.start("/usr/bin/python3",
                 {QString::fromStdString(test::sourceDir()) + "/tests/export/read_native.py", path});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        // One line per tensor: "name shape sum" with the sum in float64.
        const QList<QByteArray> lines = py.readAllStandardOutput().trimmed().split('\n');
        const std::vector<float> snap = f.model->snapshot();
        int checked = 0;
        for (const ParamInfo& p : f.model->params()) {
            const QByteArray name = QByteArray::fromStdString(p.node + "." + p.name);
            double sum = 0;
            for (int64_t i = 0; i < p.shape.numel(); ++i)
                sum += snap[std::size_t(p.offset + i + (p.trainable ? 0 : f.model->values().numel()))];
            for (const QByteArray& line : lines) {
                const QList<QByteArray> cols = line.split(' ');
                if (cols[0] != name) continue;
                QCOMPARE(cols[1], QByteArray::fromStdString(p.shape.str()).replace(" ", ""));
                QVERIFY(std::abs(cols[2].toDouble() - sum) < 1e-9);
                ++checked;
            }
        }
        QCOMPARE(checked, int(f.model->params().size()));
        QVERIFY(lines.contains("format neurite-model 1"));
    }

    void damagedFilesAreRefused_data() {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << 0 << "too short";
        QTest::newRow("length only") << 1 << "exceeds the 0 bytes that follow";
        QTest::newRow("header length past the end") << 2 << "exceeds";
        QTest::newRow("truncated data") << 3 << "lie outside";
        QTest::newRow("header not JSON") << 4 << "not a JSON object";
        QTest::newRow("newer version") << 5 << "format version 5, but this Neurite reads version 4";
        QTest::newRow("plain safetensors") << 6 << "without Neurite's metadata";
        QTest::newRow("onnx file") << 7 << "this is an ONNX model";
        QTest::newRow("project file") << 8 << "this is a JSON file";
        QTest::newRow("tensor shape changed") << 9 << "has shape";
        QTest::newRow("tensor missing") << 10 << "is missing";
        QTest::newRow("bytes appended") << 11 << "follow the last tensor";
        QTest::newRow("corrupt project") << 12 << "embedded project";
        QTest::newRow("wrong dtype") << 13 << "expected F32";
    }
    void damagedFilesAreRefused() {
        QFETCH(int, kind);
        QFETCH(QString, message);
        std::vector<test::ModelFixture> fixtures = test::layerFixtures();
        test::ModelFixture& f = fixtures[0];
        const std::vector<uint8_t> good = encodeNativeModel(f.source());
        std::vector<uint8_t> bad;
        const char* name = "model.nmodel";
        switch (kind) {
        case 0: break;
        case 1: bad.assign(good.begin(), good.begin() + 8); break;
        case 2: bad = good; bad[5] = 0x7f; break;
        case 3: bad.assign(good.begin(), good.end() - 5); break;
        case 4: bad = good; bad[8] = 'x'; break;
        case 5: bad = edited(good, [](SafeTensorsFile& s) { s.metadata["format_version"] = std::to_string(kNativeModelVersion + 1); }); break;
        case 6: bad = edited(good, [](SafeTensorsFile& s) { s.metadata.clear(); }); break;
        case 7: bad = buildOnnx(f.source()).bytes; name = "model.bin"; break;
        case 8: {
            const std::string p = projectToJson(f.project);
            bad.assign(p.begin(), p.end());
            break;
        }
        case 9: bad = edited(good, [](SafeTensorsFile& s) {
                s.tensors[0].shape = {s.tensors[0].shape[1], s.tensors[0].shape[0]};
            }); break;
        case 10: bad = edited(good, [](SafeTensorsFile& s) { s.tensors.erase(s.tensors.begin()); }); break;
        case 11: bad = good; bad.push_back(0); break;
        case 12: bad = edited(good, [](SafeTensorsFile& s) { s.metadata["project"] = "{\"model\": 3}"; }); break;
        case 13: bad = edited(good, [](SafeTensorsFile& s) {
                s.tensors[0].dtype = "I32";
            }); break;
        }
        const QByteArray error = errorOf(bad, name);
        QVERIFY2(error.contains(message.toUtf8()), error.constData());
        QVERIFY2(error.startsWith(name), error.constData());
    }

    // Every prefix of a valid file is refused cleanly (no crash, no other error kind).
    void everyTruncationIsRefused() {
        std::vector<test::ModelFixture> fixtures = test::layerFixtures();
        test::ModelFixture& f = fixtures[0];
        const std::vector<uint8_t> good = encodeNativeModel(f.source());
        const std::size_t step = std::max<std::size_t>(good.size() / 300, 1);
        for (std::size_t n = 0; n < good.size(); n += step) {
            const QByteArray error = errorOf({good.begin(), good.begin() + std::ptrdiff_t(n)}, "m");
            QVERIFY2(!error.isEmpty() && !error.startsWith("wrong kind"),
                     qPrintable(QString("prefix %1: %2").arg(n).arg(error.constData())));
        }
    }

    // Random byte changes in the header (JSON, metadata, offsets) load or are refused as
    // BadInput; nothing crashes and no other error escapes.
    void corruptedHeadersAreRefusedOrHarmless() {
        std::vector<test::ModelFixture> fixtures = test::layerFixtures();
        const std::vector<uint8_t> good = encodeNativeModel(fixtures[0].source());
        uint64_t headerEnd = 8;
        for (int i = 0; i < 8; ++i) headerEnd += uint64_t(good[std::size_t(i)]) << (8 * i);
        uint64_t state = 12345;
        int refused = 0;
        for (int trial = 0; trial < 400; ++trial) {
            std::vector<uint8_t> bad = good;
            for (int k = 0; k < 3; ++k) {
                state = state * 6364136223846793005ull + 1442695040888963407ull;
                bad[std::size_t((state >> 33) % headerEnd)] = uint8_t(state >> 20);
            }
            const QByteArray error = errorOf(bad, "m");
            QVERIFY2(!error.startsWith("wrong kind"), qPrintable(QString::number(trial) + ": " + error));
            refused += !error.isEmpty();
        }
        QVERIFY(refused > 300);  // nearly every change is caught
    }

    void missingFileSaysSo() {
        try {
            loadNativeModel("/nonexistent/m.nmodel", backendFor("cpu"));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::BadInput);
            QVERIFY(QByteArray(e.what()).contains("cannot open /nonexistent/m.nmodel"));
        }
    }
};

QTEST_GUILESS_MAIN(TestExportNative)
#include "test_export_native.moc"
