// neurite-cli export and predict as users script them: a trained project exported natively
// predicts the same probabilities as its ONNX export run by OpenCV; images, NPY and IDX inputs
// give identical predictions for identical pixels; every bad input is one `error:` line, exit 2.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "support/export_fixtures.h"
#include "support/cli_runner.h"
#include "support/test_env.h"

using neurite::test::example;
using neurite::test::jsonLines;
using neurite::test::Result;
using neurite::test::runCli;
using neurite::test::writeFile;

namespace {

// Writes an 8-bit grey PNG with OpenCV (Qt Gui is not linked into CLI tests).
bool writePng(const QString& path, int width, int height, const std::vector<float>& pixels) {
    const QString npy = path + ".npy";
    neurite::test::writeNpy(npy.toStdString(), {height, width}, pixels);
    QProcess py;
    py.start("/usr/bin/python3", {"-c",
        "import sys, cv2, numpy as np\n"
        "cv2.imwrite(sys.argv[1], np.load(sys.argv[2]).astype(np.uint8))\n", path, npy});
    return py.waitForFinished(60000) && py.exitCode() == 0 && QFile::exists(path);
}

QList<QByteArray> errorLines(const QByteArray& err) {
    QList<QByteArray> e;
    for (const auto& line : err.split('\n'))
        if (line.startsWith("error: ")) e << line;
    return e;
}

}  // namespace

class TestExportCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_spiral, m_spiralOnnx, m_fashion;

private slots:
    void initTestCase() {
        // Same project, seed and threads: both exports train the same weights.
        m_spiral = m_dir.filePath("spiral.nmodel");
        m_spiralOnnx = m_dir.filePath("spiral.onnx");
        const QStringList train{"--epochs", "4", "--threads", "2"};
        Result a = runCli(QStringList{"export", example("spiral.neurite.json"), "--format", "native", "-o", m_spiral} + train);
        QVERIFY2(a.code == 0, a.err.constData());
        QVERIFY2(a.err.contains("epoch 4/4"), a.err.constData());  // training progress on stderr
        QVERIFY2(a.err.contains("bit-identical outputs"), a.err.constData());
        QVERIFY(a.out.isEmpty());
        Result b = runCli(QStringList{"export", example("spiral.neurite.json"), "--format", "onnx", "--output", m_spiralOnnx} + train);
        QVERIFY2(b.code == 0, b.err.constData());
        QVERIFY2(b.err.contains("ONNX checker and strict shape inference: passed"), b.err.constData());

        m_fashion = m_dir.filePath("fashion.nmodel");
        Result c = runCli({"export", example("fashion_mlp.neurite.json"), "--format", "native", "-o",
                           m_fashion, "--epochs", "1", "--max-steps", "20", "--threads", "2"});
        QVERIFY2(c.code == 0, c.err.constData());
        // u8 pixels scaled by 1/255 survive the file exactly too.
        QVERIFY2(c.err.contains("compared on 256 sample inputs: bit-identical outputs"), c.err.constData());
    }

    // A run trained into the store exports the same model as training it in `export`: same
    // project, seed, threads and epochs give the same weights, so predictions are identical.
    void exportsAStoredRun() {
        const QString db = m_dir.filePath("runs.db");
        Result t = runCli({"train", example("spiral.neurite.json"), "--db", db, "--epochs", "4", "--threads", "2"});
        QVERIFY2(t.code == 0, t.err.constData());
        const QString fromRun = m_dir.filePath("run1.nmodel");
        Result e = runCli({"export", "--run", "1", "--db", db, "--format", "native", "-o", fromRun});
        QVERIFY2(e.code == 0, e.err.constData());
        QVERIFY2(e.err.contains("bit-identical outputs"), e.err.constData());
        QFile csv(m_dir.filePath("run_points.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("x1,x2\n0.1,0.2\n-0.5,0.3\n0.7,-0.6\n");
        csv.close();
        Result a = runCli({"predict", fromRun, "--input", csv.fileName()});
        Result b = runCli({"predict", m_spiral, "--input", csv.fileName()});
        QVERIFY2(a.code == 0 && b.code == 0, (a.err + b.err).constData());
        QCOMPARE(a.out, b.out);
        Result best = runCli({"export", "--run", "1", "--checkpoint", "best", "--db", db, "--format", "onnx", "-o",
                              m_dir.filePath("run1.onnx")});
        QVERIFY2(best.code == 0, best.err.constData());
        // int8 from the store: the run's data is loaded again for calibration and evaluation.
        Result q = runCli({"export", "--run", "1", "--db", db, "--format", "onnx-int8", "-o",
                           m_dir.filePath("run1_int8.onnx"), "--calibration-samples", "64", "--json"});
        QVERIFY2(q.code == 0, q.err.constData());
        const QJsonObject qj = jsonLines(q.out).value(0);
        QCOMPARE(qj["calibration_samples"].toInt(), 64);
        QCOMPARE(qj["split"].toString(), QString("test"));
        QVERIFY2(qj["float"].toDouble() > 0.5 && qj["int8"].toDouble() > 0.5, q.out.constData());
        Result missing = runCli({"export", "--run", "7", "--db", db, "--format", "onnx", "-o", m_dir.filePath("x.onnx")});
        QCOMPARE(missing.code, 2);
        QVERIFY2(missing.err.startsWith("error: no run 7"), missing.err.constData());
    }

    void predictAgreesWithOpenCvOnTheOnnxExport() {
        QFile csv(m_dir.filePath("points.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        csv.write("x,y\n");  // a header line is skipped
        std::vector<float> points;
        for (int i = 0; i < 40; ++i) {
            const float x = std::sin(0.7f * float(i)) * 0.9f, y = std::cos(1.3f * float(i)) * 0.8f;
            points.insert(points.end(), {x, y});
            csv.write(QByteArray::number(x, 'g', 9) + "," + QByteArray::number(y, 'g', 9) + "\n");
        }
        csv.close();
        Result r = runCli({"predict", m_spiral, "--input", csv.fileName()});
        QVERIFY2(r.code == 0, r.err.constData());
        const QList<QJsonObject> lines = jsonLines(r.out);
        QCOMPARE(lines.size(), 40);

        neurite::test::writeNpy(m_dir.filePath("points.npy").toStdString(), {40, 2}, points);
        QProcess py;
        py.start("/usr/bin/python3", {"-c",
            "import sys, cv2, numpy as np\n"
            "net = cv2.dnn.readNetFromONNX(sys.argv[1]); net.setInput(np.load(sys.argv[2]))\n"
            "np.savetxt(sys.stdout, net.forward('probabilities'), fmt='%.9g', delimiter=',')\n",
            m_spiralOnnx, m_dir.filePath("points.npy")});
        QVERIFY(py.waitForFinished(60000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const QList<QByteArray> cv = py.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(cv.size(), 40);
        for (int i = 0; i < 40; ++i) {
            const QJsonArray p = lines[i]["probabilities"].toArray();
            const QList<QByteArray> q = cv[i].split(',');
            QCOMPARE(p.size(), 3);
            double sum = 0, best = -1;
            int arg = -1;
            for (int c = 0; c < 3; ++c) {
                QVERIFY2(std::abs(p[c].toDouble() - q[c].toDouble()) < 1e-4, cv[i].constData());
                sum += p[c].toDouble();
                if (p[c].toDouble() > best) best = p[c].toDouble(), arg = c;
            }
            QVERIFY(std::abs(sum - 1) < 1e-5);
            QCOMPARE(lines[i]["class"].toInt(), arg);
            QCOMPARE(lines[i]["predicted"].toString(), QString::number(arg));
            QCOMPARE(lines[i]["sample"].toInt(), i);
        }
        Result asCsv = runCli({"predict", m_spiral, "--input", csv.fileName(), "--csv"});
        QCOMPARE(asCsv.code, 0);
        const QList<QByteArray> rows = asCsv.out.trimmed().split('\n');
        QCOMPARE(rows.size(), 41);
        QCOMPARE(rows[0], QByteArray("predicted,p_0,p_1,p_2"));
    }

    // The same pixels as a PNG, a NPY array and an IDX file give the same prediction.
    void imageNpyAndIdxInputsAgree() {
        std::vector<float> pixels;
        for (int y = 0; y < 28; ++y)
            for (int x = 0; x < 28; ++x) pixels.push_back(float((x * 9 + y * 5) % 256));
        const QString png = m_dir.filePath("shirt.png");
        QVERIFY(writePng(png, 28, 28, pixels));
        neurite::test::writeNpy(m_dir.filePath("one.npy").toStdString(), {1, 28, 28}, pixels);
        QFile idx(m_dir.filePath("one-images-idx3-ubyte"));
        QVERIFY(idx.open(QIODevice::WriteOnly));
        idx.write(QByteArray::fromHex("00000803000000010000001c0000001c"));
        for (float v : pixels) idx.putChar(char(uint8_t(v)));
        idx.close();

        QList<QJsonObject> results;
        for (const QString& input : {png, m_dir.filePath("one.npy"), idx.fileName()}) {
            Result r = runCli({"predict", m_fashion, "--input", input});
            QVERIFY2(r.code == 0, r.err.constData());
            results << jsonLines(r.out);
        }
        QCOMPARE(results.size(), 3);
        QCOMPARE(results[0]["probabilities"].toArray().size(), 10);
        QVERIFY(!results[0]["predicted"].toString().isEmpty());
        QCOMPARE(results[1], results[0]);
        QCOMPARE(results[2], results[0]);
    }

    // onnx-int8 trains, calibrates, reports the accuracy before and after on the test split and
    // both file sizes, as text on stderr and with --json as one object on stdout.
    void exportsInt8WithAccuracyBeforeAndAfter() {
        const QString out = m_dir.filePath("spiral_int8.onnx");
        Result r = runCli({"export", example("spiral.neurite.json"), "--format", "onnx-int8", "-o", out,
                           "--calibration-samples", "200", "--epochs", "4", "--threads", "2", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("calibrated (minmax) on 200 training samples"), r.err.constData());
        QVERIFY2(r.err.contains("ONNX checker and strict shape inference: passed"), r.err.constData());
        QVERIFY2(r.err.contains("accuracy on test split"), r.err.constData());
        const QList<QJsonObject> lines = jsonLines(r.out);
        QCOMPARE(lines.size(), 1);
        const QJsonObject j = lines[0];
        QCOMPARE(j["format"].toString(), QString("onnx-int8"));
        QCOMPARE(j["calibration_samples"].toInt(), 200);
        QCOMPARE(j["metric"].toString(), QString("accuracy"));
        QCOMPARE(j["split"].toString(), QString("test"));
        QVERIFY(j["checker"].toBool());
        QCOMPARE(qint64(j["bytes"].toDouble()), QFileInfo(out).size());
        QVERIFY(j["float_bytes"].toDouble() > j["bytes"].toDouble());
        QVERIFY2(j["float"].toDouble() > 0.5, r.out.constData());  // 3 classes: it learned something
        // Spiral's test split is 10% of 1500 points: 150 samples. int8 may move a few decisions
        // near the class boundaries; more than 3 would mean a wrong scale, not rounding noise.
        QCOMPARE(j["evaluated_samples"].toInt(), 150);
        QVERIFY2(std::fabs(j["int8"].toDouble() - j["float"].toDouble()) <= 3.0 / 150 + 1e-9,
                 r.out.constData());
        // predict reads native files only and says so for an ONNX file.
        Result p = runCli({"predict", out, "--input", writeFile(m_dir, "p.csv", "0.1,0.2\n")});
        QCOMPARE(p.code, 2);
        QVERIFY2(p.err.contains("this is an ONNX model"), p.err.constData());
    }

    void bench() {
        Result r = runCli({"predict", m_spiral, "--bench", "--threads", "1", "--batch-size", "64"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QList<QJsonObject> lines = jsonLines(r.out);
        QCOMPARE(lines.size(), 4);  // latency, then batches 32, 256, 64
        QCOMPARE(lines[0]["bench"].toString(), QString("latency"));
        QVERIFY(lines[0]["p50_ms"].toDouble() > 0);
        QVERIFY(lines[0]["p99_ms"].toDouble() >= lines[0]["p50_ms"].toDouble());
        QCOMPARE(lines[3]["batch"].toInt(), 64);
        QVERIFY(lines[3]["samples_per_sec"].toDouble() > 0);
        // Chosen batches (tests/bench/predict_vs_ort.sh asks for 1, 64, 1024); bad lists refused.
        r = runCli({"predict", m_spiral, "--bench", "--threads", "1", "--bench-batches", "1,8"});
        QVERIFY2(r.code == 0, r.err.constData());
        const QList<QJsonObject> chosen = jsonLines(r.out);
        QCOMPARE(chosen.size(), 3);
        QCOMPARE(chosen[1]["batch"].toInt(), 1);
        QCOMPARE(chosen[2]["batch"].toInt(), 8);
        for (const QStringList& bad : {QStringList{"--bench", "--bench-batches", "1,0"}, QStringList{"--bench", "--bench-batches", "8,"},
                                       QStringList{"--bench-batches", "8", "--input", "x.csv"}}) {
            r = runCli(QStringList{"predict", m_spiral} + bad);
            QCOMPARE(r.code, 2);
            QVERIFY2(r.err.startsWith("error: ") && r.err.contains("bench-batches"), r.err.constData());
        }
    }

    void badInputIsOneErrorLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no format") << QStringList{"export", example("spiral.neurite.json"), "-o", "x.onnx"}
                                   << "export needs --format onnx, onnx-int8, native, native-int8 or pytorch";
        QTest::newRow("bad format") << QStringList{"export", example("spiral.neurite.json"), "--format", "tflite", "-o", "x"}
                                    << "--format must be onnx, onnx-int8, native, native-int8 or pytorch, got 'tflite'";
        QTest::newRow("no calibration samples") << QStringList{"export", example("spiral.neurite.json"), "--format", "onnx-int8", "-o", "x.onnx", "--calibration-samples", "0"}
                                                << "--calibration-samples must be between 1 and 1000000, got 0";
        QTest::newRow("calibration samples not a number") << QStringList{"export", example("spiral.neurite.json"), "--format", "onnx-int8", "-o", "x.onnx", "--calibration-samples", "many"}
                                                          << "--calibration-samples expects an integer, got 'many'";
        QTest::newRow("calibration without int8") << QStringList{"export", example("spiral.neurite.json"), "--format", "onnx", "-o", "x.onnx", "--calibration-samples", "64"}
                                                  << "--calibration-samples goes with --format onnx-int8 or native-int8";
        QTest::newRow("no output") << QStringList{"export", example("spiral.neurite.json"), "--format", "onnx"}
                                   << "export needs -o FILE";
        QTest::newRow("unwritable output") << QStringList{"export", example("spiral.neurite.json"), "--format", "onnx", "-o", "/nonexistent-dir/m.onnx"}
                                           << "cannot write -o file '/nonexistent-dir/m.onnx'";
        QTest::newRow("no input") << QStringList{"predict", "m.nmodel"} << "predict needs --input FILE";
        QTest::newRow("missing model") << QStringList{"predict", "/nonexistent/m.nmodel", "--input", "x.csv"}
                                       << "cannot open /nonexistent/m.nmodel";
        QTest::newRow("project as model") << QStringList{"predict", example("spiral.neurite.json"), "--input", "x.csv"}
                                          << "this is a JSON file (a project?)";
    }
    void badInputIsOneErrorLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        Result r = runCli(args);
        QCOMPARE(r.code, 2);
        const QList<QByteArray> errors = errorLines(r.err);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors[0].contains(message.toUtf8()), errors[0].constData());
    }

    void badPredictionInputsSayWhatWasExpected_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("message");
        QTest::newRow("onnx model") << "onnx" << "p.csv" << QByteArray("1,2\n") << "this is an ONNX model";
        QTest::newRow("wrong row width") << "spiral" << "p.csv" << QByteArray("1,2\n3,4,5\n")
                                         << "p.csv: line 2 has 3 values; the model expects samples of shape [2]";
        QTest::newRow("not numbers") << "spiral" << "p.csv" << QByteArray("1,2\n3,abc\n") << "line 2: expected numbers";
        QTest::newRow("image for tabular") << "spiral" << "p.png" << QByteArray("x") << "this model does not take images";
        QTest::newRow("wrong image size") << "fashion" << "small.png" << QByteArray() << "the image is 20x20 pixels, the model expects 28x28";
        QTest::newRow("broken image") << "fashion" << "p.png" << QByteArray("not a png") << "at byte 0: cannot decode the image";
        QTest::newRow("truncated model") << "truncated" << "p.csv" << QByteArray("1,2\n") << "truncated";
    }
    void badPredictionInputsSayWhatWasExpected() {
        QFETCH(QString, model);
        QFETCH(QString, file);
        QFETCH(QByteArray, content);
        QFETCH(QString, message);
        const QString path = m_dir.filePath(file);
        if (file == "small.png") {
            QVERIFY(writePng(path, 20, 20, std::vector<float>(400, 7.f)));
        } else {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        QString modelPath = model == "onnx" ? m_spiralOnnx : model == "fashion" ? m_fashion : m_spiral;
        if (model == "truncated") {
            QFile in(m_spiral);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QFile out(m_dir.filePath("cut.nmodel"));
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(in.read(in.size() / 2));
            modelPath = out.fileName();
        }
        Result r = runCli({"predict", modelPath, "--input", path});
        QCOMPARE(r.code, 2);
        const QList<QByteArray> errors = errorLines(r.err);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors[0].contains(message.toUtf8()), errors[0].constData());
    }
};

QTEST_GUILESS_MAIN(TestExportCli)
#include "test_export_cli.moc"
