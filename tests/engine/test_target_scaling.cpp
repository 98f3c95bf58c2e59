// Regression target scaling (data.target_scaling, docs/data.md): the statistics are the training
// split's own, computed by hand here; a constant target trains without dividing by zero; the
// model trains on z-scores while the trainer's outputs, metrics and loss, the Predictor and the
// native file are in the target's units, with the inverse map applied exactly; a native file
// without the statistics (written before they existed) loads as the identity; the option's
// project-file form.
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <numeric>

#include "devices/device_registry.h"
#include "core/error.h"
#include "data/data_source.h"
#include "export/native_model.h"
#include "export/predictor.h"
#include "io/safetensors.h"
#include "io/project.h"
#include "support/data_source_helpers.h"
#include "run/run_setup.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

// A CSV with one feature x and a target y.
std::string writeCsv(QTemporaryDir& dir, const char* name, const std::vector<double>& y) {
    std::string text = "x,y\n";
    for (std::size_t i = 0; i < y.size(); ++i)
        text += std::to_string(0.1 * double(i)) + "," + std::to_string(y[i]) + "\n";
    const std::string path = dir.filePath(name).toStdString();
    test::writeText(path, text);
    return path;
}

DataConfig csv(const std::string& path, double val = 0, const std::string& targetScaling = "standardize") {
    DataConfig cfg;
    cfg.source = "csv:" + path + "?task=regression";
    cfg.validationSplit = val;
    cfg.testSplit = 0;
    cfg.targetScaling = targetScaling;
    return cfg;
}

// A regression project on `source`: Input -> Dense(16) -> ReLU -> Dense(auto), mse, adam.
ProjectDocument regressionProject(const std::string& source, const std::string& targetScaling,
                                  int epochs = 3, double val = 0.25) {
    const std::string json = R"({"format": "neurite-project", "version": 1, "name": "r",
        "data": {"source": ")" + source + R"(", "validation_split": )" + std::to_string(val) +
                             R"(, "test_split": 0, "target_scaling": ")" + targetScaling + R"("},
        "model": {"nodes": [
            {"id": "input", "op": "Input"},
            {"id": "fc1", "op": "Dense", "params": {"units": 16}, "inputs": ["input"]},
            {"id": "act1", "op": "ReLU", "inputs": ["fc1"]},
            {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act1"]}]},
        "training": {"epochs": )" + std::to_string(epochs) + R"(, "batch_size": 8, "seed": 5,
                     "threads": 1, "loss": {"type": "mse"}, "optimizer": {"type": "adam", "lr": 0.01}}})";
    return parseProject(json, "r.neurite.json", nullptr);
}

struct Steps : TrainObserver {
    std::vector<float> losses;
    std::vector<EpochEvent> epochs;
    void onStep(const StepEvent& e) override { losses.push_back(e.loss); }
    void onEpoch(const EpochEvent& e) override { epochs.push_back(e); }
};

// The raw features of a split as Predictor takes them.
std::vector<float> rawFeatures(const DataSplit& s) { return {s.f32(), s.f32() + s.bytes.size() / sizeof(float)}; }

}  // namespace

class TestTargetScaling : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    // y = 1, 2, 3, 4, 10: mean 4, population variance (9 + 4 + 1 + 0 + 36) / 5 = 10.
    void statisticsByHand() {
        const Dataset ds = loadDataset(csv(writeCsv(m_dir, "hand.csv", {1, 2, 3, 4, 10})), 1);
        QVERIFY(ds.targetScaling.active());
        QCOMPARE(ds.targetScaling.mean, std::vector<float>{4.f});
        QCOMPARE(ds.targetScaling.stddev, std::vector<float>{static_cast<float>(std::sqrt(10.0))});
        // The split's targets stay in their own units; the trainer scales them on upload.
        QCOMPARE(ds.train.targets, (std::vector<float>{1, 2, 3, 4, 10}));
        QVERIFY(std::any_of(ds.notes.begin(), ds.notes.end(), [](const std::string& n) {
            return n.find("mean 4 std 3.16228") != std::string::npos;
        }));
    }

    // With a validation split the statistics come from the training rows only.
    void statisticsOfTheTrainingSplitOnly() {
        std::vector<double> y;
        for (int i = 0; i < 40; ++i) y.push_back(i % 7 == 0 ? 1000.0 + i : double(i));
        const Dataset ds = loadDataset(csv(writeCsv(m_dir, "split.csv", y), 0.25), 3);
        QCOMPARE(ds.validation.count, int64_t{10});
        double sum = 0, dev = 0, all = 0;
        for (float v : ds.train.targets) sum += v;
        for (double v : y) all += v;
        const double mean = sum / double(ds.train.count);
        for (float v : ds.train.targets) dev += (v - mean) * (v - mean);
        QCOMPARE(ds.targetScaling.mean[0], static_cast<float>(mean));
        QCOMPARE(ds.targetScaling.stddev[0], static_cast<float>(std::sqrt(dev / double(ds.train.count))));
        QVERIFY(std::fabs(mean - all / double(y.size())) > 1);  // the validation rows would change it
    }

    void perColumnForSeveralTargets() {
        // npy: two target columns on very different scales.
        const std::string x = m_dir.filePath("x.npy").toStdString(), yPath = m_dir.filePath("y.npy").toStdString();
        std::vector<float> xs, ys;
        for (int i = 0; i < 6; ++i) {
            xs.push_back(float(i));
            ys.insert(ys.end(), {float(i), 1000.f + 100.f * float(i % 2)});
        }
        test::writeText(x, test::npy("<f4", "(6, 1)", test::raw(xs)));
        test::writeText(yPath, test::npy("<f4", "(6, 2)", test::raw(ys)));
        DataConfig cfg;
        cfg.source = "npy:" + x + "?labels=" + yPath + "&task=regression";
        cfg.validationSplit = 0;
        const Dataset ds = loadDataset(cfg, 1);
        QCOMPARE(ds.targetDim, 2);
        QCOMPARE(ds.targetScaling.mean, (std::vector<float>{2.5f, 1050.f}));
        QCOMPARE(ds.targetScaling.stddev, (std::vector<float>{static_cast<float>(std::sqrt(17.5 / 6)), 50.f}));
    }

    // Off when asked, for class labels, and for autoencoders (their targets are scaled inputs).
    void onlyForRegressionTargets() {
        const std::string path = writeCsv(m_dir, "off.csv", {1, 2, 3, 4});
        QVERIFY(!loadDataset(csv(path, 0, "none"), 1).targetScaling.active());
        DataConfig iris;
        iris.source = "builtin:iris";
        QVERIFY(!loadDataset(iris, 1).targetScaling.active());
        iris.reconstruct = true;
        QVERIFY(!loadDataset(iris, 1).targetScaling.active());
        DataConfig bad = csv(path);
        bad.targetScaling = "minmax";
        QVERIFY(test::errorOf([&] { loadDataset(bad, 1); }).contains("unknown target_scaling \"minmax\""));
    }

    // A constant target: std 1 (nothing to divide by), finite losses, predictions at the constant.
    void constantTargetTrains() {
        const ProjectDocument doc =
            regressionProject("csv:" + writeCsv(m_dir, "const.csv", std::vector<double>(24, 7.0)) +
                                  "?task=regression", "standardize", 30, 0.25);
        RunSetup s = prepareRun(doc);
        QCOMPARE(s.data.targetScaling.mean, std::vector<float>{7.f});
        QCOMPARE(s.data.targetScaling.stddev, std::vector<float>{1.f});
        Trainer trainer(*s.model, s.data, doc.training);
        Steps steps;
        StopToken stop;
        const FinishedEvent fin = trainer.run(steps, stop);
        for (float l : steps.losses) QVERIFY(std::isfinite(l));
        const std::vector<float> raw = rawFeatures(s.data.validation);
        Predictor p(*s.model, preprocessingOf(s.data));
        for (float v : p.outputs(raw.data(), s.data.validation.count))
            QVERIFY2(std::fabs(v - 7.f) < 0.05f, qPrintable(QString::number(v)));
        QVERIFY(fin.valLoss && *fin.valLoss < 0.01);
    }

    // Predictor: y = z * std + mean on the model's raw output, exactly (two float roundings).
    void predictionsAreInvertedExactly() {
        const ProjectDocument doc = regressionProject("csv:" + writeCsv(m_dir, "inv.csv", {5, 10, 20, 40, 80, 160}) +
                                                          "?task=regression", "standardize", 1, 0);
        RunSetup s = prepareRun(doc);
        const Preprocessing pre = preprocessingOf(s.data);
        QVERIFY(pre.target.active());
        Preprocessing plain = pre;
        plain.target = {};
        const std::vector<float> raw = rawFeatures(s.data.train);
        const int64_t n = s.data.train.count;
        const std::vector<float> z = Predictor(*s.model, plain).outputs(raw.data(), n);
        const std::vector<float> y = Predictor(*s.model, pre).outputs(raw.data(), n);
        for (std::size_t i = 0; i < z.size(); ++i) {
            const float scaled = z[i] * pre.target.stddev[0];
            QCOMPARE(y[i], scaled + pre.target.mean[0]);
        }
    }

    // The trainer's evaluation: outputs are the Predictor's (original units), RMSE is computed on
    // them against the raw targets, and the mse loss is the MSE in the target's squared units.
    void evaluationIsInTargetUnits() {
        std::vector<double> y;
        for (int i = 0; i < 48; ++i) y.push_back(5000.0 + 300.0 * std::sin(0.1 * i));
        const ProjectDocument doc =
            regressionProject("csv:" + writeCsv(m_dir, "units.csv", y) + "?task=regression", "standardize", 4, 0.25);
        RunSetup s = prepareRun(doc);
        Trainer trainer(*s.model, s.data, doc.training);
        Steps steps;
        StopToken stop;
        trainer.run(steps, stop);
        const DataSplit& val = s.data.validation;
        const EvalResult r = trainer.evaluate(val);
        const std::vector<float> raw = rawFeatures(val);
        const std::vector<float> predicted = Predictor(*s.model, preprocessingOf(s.data)).outputs(raw.data(), val.count);
        QCOMPARE(r.outputs, predicted);
        double sq = 0;
        for (std::size_t i = 0; i < predicted.size(); ++i) sq += std::pow(double(predicted[i]) - val.targets[i], 2);
        const double mse = sq / double(val.count);
        QVERIFY2(std::fabs(r.loss - mse) <= 1e-4 * mse, qPrintable(QString("%1 vs %2").arg(r.loss).arg(mse)));
        const EpochEvent& last = steps.epochs.back();
        QVERIFY(last.valMetrics && last.valMetrics->regression);
        QVERIFY(std::fabs(last.valMetrics->regression->rmse.v - std::sqrt(mse)) <= 1e-3 * std::sqrt(mse));
        QVERIFY(std::fabs(*last.valLoss - mse) <= 1e-4 * mse);
        // Step losses are in the same units: around the target's variance (~4.5e4) at first,
        // far from the z-scores' ~1.
        QVERIFY2(steps.losses.front() > 1000, qPrintable(QString::number(steps.losses.front())));
    }

    // The native file keeps the statistics; a file without them (as written before target
    // scaling) loads as the identity and predicts the model's raw outputs, as it did then.
    void nativeFileKeepsTheStatistics() {
        const ProjectDocument doc = regressionProject("csv:" + writeCsv(m_dir, "nat.csv", {5, 10, 20, 40, 80, 160}) +
                                                          "?task=regression", "standardize", 1, 0);
        RunSetup s = prepareRun(doc);
        const ExportSource src = exportSourceOf(s);
        const std::vector<uint8_t> bytes = encodeNativeModel(src);
        NativeModel loaded = decodeNativeModel(bytes, "m.nmodel", backendFor("cpu"));
        QCOMPARE(loaded.preprocessing.target.mean, s.data.targetScaling.mean);
        QCOMPARE(loaded.preprocessing.target.stddev, s.data.targetScaling.stddev);
        const std::vector<float> raw = rawFeatures(s.data.train);
        const int64_t n = s.data.train.count;
        const std::vector<float> before = Predictor(*s.model, src.preprocessing).outputs(raw.data(), n);
        QCOMPARE(Predictor(*loaded.model, loaded.preprocessing).outputs(raw.data(), n), before);
        QCOMPARE(decodeSafeTensors(bytes, "m").metadata.at("format_version"), std::string("2"));

        // The same model written without the statistics, as a version-1 file.
        SafeTensorsFile old = decodeSafeTensors(bytes, "m");
        std::erase_if(old.tensors, [](const SafeTensor& t) { return t.name.starts_with("preprocessing.target_"); });
        old.metadata["format_version"] = "1";
        NativeModel legacy = decodeNativeModel(encodeSafeTensors(old), "old.nmodel", backendFor("cpu"));
        QVERIFY(!legacy.preprocessing.target.active());
        Preprocessing identity = src.preprocessing;
        identity.target = {};
        QCOMPARE(Predictor(*legacy.model, legacy.preprocessing).outputs(raw.data(), n),
                 Predictor(*s.model, identity).outputs(raw.data(), n));

        // Half the statistics, or a zero std, is a damaged file.
        SafeTensorsFile half = decodeSafeTensors(bytes, "m");
        std::erase_if(half.tensors, [](const SafeTensor& t) { return t.name == "preprocessing.target_std"; });
        QVERIFY(test::errorOf([&] { decodeNativeModel(encodeSafeTensors(half), "h.nmodel", backendFor("cpu")); })
                    .contains("h.nmodel: tensor preprocessing.target_std is missing"));
        SafeTensorsFile zero = decodeSafeTensors(bytes, "m");
        for (SafeTensor& t : zero.tensors)
            if (t.name == "preprocessing.target_std") std::fill(t.bytes.begin(), t.bytes.end(), uint8_t{0});
        QVERIFY(test::errorOf([&] { decodeNativeModel(encodeSafeTensors(zero), "z.nmodel", backendFor("cpu")); })
                    .contains("std must be positive"));
    }

    void projectFileForm() {
        ProjectDocument doc = regressionProject("csv:x.csv", "none");
        QCOMPARE(doc.data.targetScaling, std::string("none"));
        QVERIFY(projectToJson(doc).find("\"target_scaling\": \"none\"") != std::string::npos);
        doc.data.targetScaling = "standardize";  // the default stays out of the file
        const std::string json = projectToJson(doc);
        QVERIFY(json.find("target_scaling") == std::string::npos);
        QCOMPARE(parseProject(json, "p", nullptr).data.targetScaling, std::string("standardize"));
        const QString error = test::errorOf([] { regressionProject("csv:x.csv", "log"); });
        QVERIFY2(error.contains("$.data.target_scaling") && error.contains("standardize"), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestTargetScaling)
#include "test_target_scaling.moc"
