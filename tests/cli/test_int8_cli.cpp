// The int8 native model as a user gets it: `export --format native-int8` calibrates, reports the
// float and the int8 runtime's accuracy and reloads the file on the int8 runtime bit for bit;
// `predict` runs it there (the bench says so), and `predict --layer-by-layer` runs the same
// model as its QDQ graph in float, which predicts the same classes; files with damaged int8
// parts are refused with exit 2 and one error line naming the part.
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "io/safetensors.h"
#include "support/cli_runner.h"
#include "support/test_env.h"

using neurite::test::example;
using neurite::test::jsonLines;
using neurite::test::Result;
using neurite::test::runCli;

namespace {

std::vector<uint8_t> readBytes(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    const QByteArray b = f.readAll();
    return {b.begin(), b.end()};
}

void writeBytes(const QString& path, const std::vector<uint8_t>& bytes) {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly)) qFatal("cannot write %s", qPrintable(path));
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<qint64>(bytes.size()));
}

}  // namespace

class TestInt8Cli : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_model, m_points;

private slots:
    void initTestCase() {
        m_model = m_dir.filePath("spiral-int8.nmodel");
        Result r = runCli({"export", example("spiral.neurite.json"), "--format", "native-int8", "-o", m_model,
                           "--epochs", "40", "--threads", "2", "--calibration-samples", "200", "--json"});
        QVERIFY2(r.code == 0, r.err.constData());
        QVERIFY2(r.err.contains("int8 metric computed on Neurite's int8 runtime"), r.err.constData());
        QVERIFY2(r.err.contains("on the int8 runtime: bit-identical outputs"), r.err.constData());
        const QJsonObject j = jsonLines(r.out).value(0);
        QCOMPARE(j["format"].toString(), QString("native-int8"));
        QCOMPARE(j["calibration_samples"].toInt(), 200);
        QCOMPARE(j["quantized_layers"].toInt(), 3);
        // The spiral's MLP loses little to int8.
        QVERIFY2(j["float"].toDouble() > 0.6, r.out.constData());
        QVERIFY2(std::abs(j["int8"].toDouble() - j["float"].toDouble()) <= 0.05, r.out.constData());
        QVERIFY2(j["compared_samples"].toInt() > 0 && j["max_abs_diff"].toDouble() == 0, r.out.constData());

        QFile csv(m_dir.filePath("points.csv"));
        QVERIFY(csv.open(QIODevice::WriteOnly));
        for (int i = 0; i < 300; ++i)
            csv.write(QByteArray::number(std::sin(0.37 * i) * 0.9) + "," + QByteArray::number(std::cos(0.91 * i) * 0.9) + "\n");
        m_points = csv.fileName();
    }

    void predictRunsOnTheInt8RuntimeAndAgreesWithTheQdqGraph() {
        Result fast = runCli({"predict", m_model, "--input", m_points});
        Result qdq = runCli({"predict", m_model, "--input", m_points, "--layer-by-layer"});
        QVERIFY2(fast.code == 0 && qdq.code == 0, (fast.err + qdq.err).constData());
        const QList<QJsonObject> a = jsonLines(fast.out), b = jsonLines(qdq.out);
        QCOMPARE(a.size(), 300);
        QCOMPARE(b.size(), 300);
        int same = 0;
        double worst = 0;
        for (int i = 0; i < a.size(); ++i) {
            same += a[i]["predicted"] == b[i]["predicted"];
            const auto pa = a[i]["probabilities"].toArray(), pb = b[i]["probabilities"].toArray();
            for (int c = 0; c < pa.size(); ++c) worst = std::max(worst, std::abs(pa[c].toDouble() - pb[c].toDouble()));
        }
        QVERIFY2(same >= 297, qPrintable(QString("%1 of 300 classes equal").arg(same)));
        QVERIFY2(worst < 0.05, qPrintable(QString("probabilities differ by up to %1").arg(worst)));
        Result bench = runCli({"predict", m_model, "--bench", "--bench-batches", "64", "--threads", "2"});
        QVERIFY2(bench.code == 0, bench.err.constData());
        QVERIFY2(jsonLines(bench.out).value(0)["engine"].toString().startsWith("compiled int8, "), bench.out.constData());
        QVERIFY2(bench.out.contains("(int8)"), bench.out.constData());
    }

    void damagedInt8PartsAreRefused() {
        const std::vector<uint8_t> good = readBytes(m_model);
        const auto refused = [&](const char* name, const std::function<void(neurite::SafeTensorsFile&)>& damage,
                                 const char* expected) {
            neurite::SafeTensorsFile f = neurite::decodeSafeTensors(good, "model");
            damage(f);
            const QString path = m_dir.filePath(name);
            writeBytes(path, neurite::encodeSafeTensors(f));
            Result r = runCli({"predict", path, "--input", m_points});
            QVERIFY2(r.code == 2, qPrintable(QString(name) + ": " + r.err));
            QVERIFY2(r.err.startsWith("error: ") && r.err.count('\n') == 1, r.err.constData());
            QVERIFY2(r.err.contains(expected), qPrintable(QString(name) + ": " + r.err));
        };
        // A scale tensor cut short: one scale per output channel is missing.
        refused("short-scales.nmodel", [](neurite::SafeTensorsFile& f) {
            for (auto& t : f.tensors)
                if (t.name.size() > 13 && t.name.ends_with(".weight_scale")) {
                    t.shape[0] -= 1;
                    t.bytes.resize(t.bytes.size() - 4);
                    return;
                }
        }, "weight_scale has shape");
        refused("no-scales.nmodel", [](neurite::SafeTensorsFile& f) {
            std::erase_if(f.tensors, [](const neurite::SafeTensor& t) { return t.name.ends_with(".weight_scale"); });
        }, "weight_scale is missing");
        refused("zero-scale.nmodel", [](neurite::SafeTensorsFile& f) {
            for (auto& t : f.tensors)
                if (t.name.ends_with(".weight_scale")) std::fill(t.bytes.begin(), t.bytes.begin() + 4, uint8_t{0});
        }, "must be positive and finite");
        refused("bad-zero-point.nmodel", [](neurite::SafeTensorsFile& f) {
            QString m = QString::fromStdString(f.metadata.at("model"));
            m.replace("\"zero_point\":", "\"zero_point\":300,\"was\":");
            f.metadata["model"] = m.toStdString();
        }, "zero_point");
        refused("old-version.nmodel", [](neurite::SafeTensorsFile& f) { f.metadata["format_version"].assign(std::size_t{1}, '3'); },
                "int8 quantization in a format version 3 file");
        // The whole file cut short at every 1/8.
        for (int k = 1; k < 8; ++k) {
            const QString path = m_dir.filePath(QString("cut%1.nmodel").arg(k));
            writeBytes(path, std::vector<uint8_t>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(good.size() * k / 8)));
            Result r = runCli({"predict", path, "--input", m_points});
            QVERIFY2(r.code == 2 && r.err.startsWith("error: "), r.err.constData());
        }
    }
};

QTEST_APPLESS_MAIN(TestInt8Cli)
#include "test_int8_cli.moc"
