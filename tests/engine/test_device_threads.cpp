// The device threading contract (engine/backend/backend.h, "Threads"): jobs that share one device's
// backend on several threads get the results they get alone. A training run (the spiral MLP), an
// int8 ONNX export and Try it's predictions (both of a trained digits CNN, each job with its own
// model) run first one after another, then all at once on three threads, the export and the
// predictions repeated for as long as the training runs; every concurrent result must equal its
// sequential one bit for bit: the loss of every step, the trained weights, the exported file and
// the predicted outputs.
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "core/error.h"
#include "devices/device_registry.h"
#include "export/export_model.h"
#include "export/export_source.h"
#include "export/predictor.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "support/test_env.h"
#include "train/trainer.h"

using namespace neurite;

namespace {

constexpr int kThreads = 2;

ProjectDocument example(const char* name, int epochs, const std::string& device) {
    ProjectDocument p = loadProject(test::sourceDir() + "/resources/examples/" + name, nullptr);
    p.training.device = device;
    p.training.threads = kThreads;
    p.training.epochs = epochs;
    return p;
}

struct Losses : TrainObserver {
    std::vector<float> losses;
    void onStep(const StepEvent& e) override { losses.push_back(e.loss); }
};

struct Training {
    std::vector<float> losses, weights;
};

Training train(const ProjectDocument& project) {
    RunSetup s = prepareRun(project);
    Trainer trainer(*s.model, s.data, project.training);
    Losses obs;
    StopToken stop;
    const FinishedEvent fin = trainer.run(obs, stop);
    if (fin.status != "completed") throw std::runtime_error("training ended " + fin.status);
    return {obs.losses, s.model->snapshot()};
}

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A job with its own copy of the trained digits model (plans belong to one model's thread).
struct DigitsJob {
    RunSetup setup;
    explicit DigitsJob(const ProjectDocument& project, const std::vector<float>& weights) : setup(prepareRun(project)) {
        setup.model->restore(weights);
    }
    std::string exportInt8(const std::string& path) {
        Int8Options int8;
        int8.data = &setup.data;
        int8.calibrationSamples = 256;
        int8.seed = 3;
        exportModel(exportSourceOf(setup), ExportFormat::OnnxInt8, path, {}, 0, &int8);
        return fileBytes(path);
    }
    std::vector<float> predict() {
        int64_t count = 0;
        const std::vector<float> raw = rawSamples(setup.data, setup.data.test, 300, &count);
        Predictor predictor(*setup.model, preprocessingOf(setup.data), 64);
        return predictor.outputs(raw.data(), count);
    }
};

}  // namespace

class TestDeviceThreads : public QObject {
    Q_OBJECT

private slots:
    // With a GPU the same test checks that the CUDA backend's serialization (a lock per call)
    // keeps jobs apart; skipped where the CUDA backend cannot run.
    void concurrentJobsEqualSequentialOnes_data() {
        QTest::addColumn<QString>("device");
        QTest::newRow("cpu") << "cpu";
        QTest::newRow("cuda") << "cuda";
    }
    void concurrentJobsEqualSequentialOnes() {
        QFETCH(QString, device);
        QTemporaryDir dir;
        Backend* backend = nullptr;
        try {
            backend = &backendFor(device.toStdString());
        } catch (const Error& e) {
            QSKIP(qPrintable(QString("no %1 device here: %2").arg(device, e.what())));
        }
        backend->setThreads(kThreads);
        const ProjectDocument spiral = example("spiral.neurite.json", 12, device.toStdString());
        const ProjectDocument digits = example("digits.neurite.json", 2, device.toStdString());
        const std::vector<float> digitsWeights = train(digits).weights;

        // One after another.
        const Training trained = train(spiral);
        DigitsJob exportJob(digits, digitsWeights), tryItJob(digits, digitsWeights);
        const std::string exported = exportJob.exportInt8(dir.filePath("sequential.onnx").toStdString());
        const std::vector<float> predicted = tryItJob.predict();
        QVERIFY(exported.size() > 1000);
        QVERIFY(predicted.size() >= 2000 && predicted.size() % 10 == 0);  // the test split, 10 classes

        // All at once: the export and the predictions again and again while the run trains.
        std::atomic<bool> training{true};
        std::atomic<int> exports{0}, predictions{0}, exportMismatches{0}, predictionMismatches{0};
        std::string failure;
        std::mutex failureMutex;
        auto guarded = [&](auto&& f) {
            try {
                f();
            } catch (const std::exception& e) {
                std::lock_guard<std::mutex> lock(failureMutex);
                failure += std::string(e.what()) + "\n";
                training = false;
            }
        };
        Training concurrent;
        std::thread trainer([&] {
            guarded([&] { concurrent = train(spiral); });
            training = false;
        });
        std::thread exporter([&] {
            guarded([&] {
                do {
                    const std::string path = dir.filePath(QString("concurrent-%1.onnx").arg(exports.load())).toStdString();
                    if (exportJob.exportInt8(path) != exported) ++exportMismatches;
                    ++exports;
                } while (training);
            });
        });
        std::thread tryIt([&] {
            guarded([&] {
                do {
                    if (tryItJob.predict() != predicted) ++predictionMismatches;
                    ++predictions;
                } while (training);
            });
        });
        trainer.join();
        exporter.join();
        tryIt.join();
        QVERIFY2(failure.empty(), failure.c_str());
        qInfo("while the run trained: %d int8 exports, %d prediction passes", exports.load(), predictions.load());
        QVERIFY2(exports >= 2 && predictions >= 2, "the jobs did not overlap the training; make it longer");
        QCOMPARE(exportMismatches.load(), 0);
        QCOMPARE(predictionMismatches.load(), 0);
        QCOMPARE(concurrent.losses.size(), trained.losses.size());
        QVERIFY2(concurrent.losses == trained.losses, "a step's loss differs from the run trained alone");
        QVERIFY2(concurrent.weights == trained.weights, "the trained weights differ from the run trained alone");
        if (device == "cpu") QCOMPARE(backend->threads(), kThreads);
    }
};

QTEST_APPLESS_MAIN(TestDeviceThreads)
#include "test_device_threads.moc"
