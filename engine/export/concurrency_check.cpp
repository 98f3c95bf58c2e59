#include "export/concurrency_check.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "core/error.h"
#include "devices/device_registry.h"
#include "export/export_model.h"
#include "export/export_source.h"
#include "export/predictor.h"
#include "io/project.h"
#include "run/run_setup.h"
#include "train/trainer.h"

namespace neurite {

namespace {

// A small MLP on the spiral (the run that trains) and a small CNN on the bundled digits (the
// model exported and tried), both on the device under test.
ProjectDocument project(const std::string& source, const std::string& nodes, int epochs, const std::string& device,
                        int threads) {
    const std::string json = R"({"format": "neurite-project", "version": 1, "name": "concurrency check",
        "data": {"source": ")" + source + R"(", "validation_split": 0.15, "test_split": 0.15, "scaling": "auto"},
        "model": {"output": "out", "nodes": )" + nodes + R"(},
        "training": {"epochs": )" + std::to_string(epochs) + R"(, "batch_size": 32, "seed": 7, "device": ")" + device +
                             R"(", "threads": )" + std::to_string(threads) + R"(,
                     "optimizer": {"type": "adam", "lr": 0.01}}})";
    return parseProject(json, "concurrency check", nullptr);
}

const char* kMlp = R"([{"id": "input", "op": "Input"},
    {"id": "fc", "op": "Dense", "params": {"units": 32}, "inputs": ["input"]},
    {"id": "act", "op": "ReLU", "inputs": ["fc"]},
    {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["act"]}])";
const char* kCnn = R"([{"id": "input", "op": "Input"},
    {"id": "conv", "op": "Conv2D", "params": {"filters": 8, "kernel_size": [3, 3], "padding": "same"}, "inputs": ["input"]},
    {"id": "bn", "op": "BatchNorm", "inputs": ["conv"]},
    {"id": "act", "op": "ReLU", "inputs": ["bn"]},
    {"id": "pool", "op": "MaxPool2D", "params": {"pool_size": [2, 2]}, "inputs": ["act"]},
    {"id": "flat", "op": "Flatten", "inputs": ["pool"]},
    {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["flat"]}])";

struct Losses : TrainObserver {
    std::vector<float> losses;
    void onStep(const StepEvent& e) override { losses.push_back(e.loss); }
};

struct Trained {
    std::vector<float> losses, weights;
};

Trained train(const ProjectDocument& p) {
    RunSetup s = prepareRun(p);
    Trainer trainer(*s.model, s.data, p.training);
    Losses obs;
    StopToken stop;
    const FinishedEvent fin = trainer.run(obs, stop);
    if (fin.status != "completed") throw Error(ErrorKind::Internal, "the check's training ended " + fin.status);
    return {obs.losses, s.model->snapshot()};
}

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A job with its own copy of the trained CNN (plans belong to one model's thread).
struct ModelJob {
    RunSetup setup;
    std::vector<float> raw;
    int64_t count = 0;
    ModelJob(const ProjectDocument& p, const std::vector<float>& weights) : setup(prepareRun(p)) {
        setup.model->restore(weights);
        raw = rawSamples(setup.data, setup.data.test, 100, &count);
    }
    std::string exportInt8(const std::string& path) {
        Int8Options int8;
        int8.data = &setup.data;
        int8.calibrationSamples = 128;
        int8.seed = 3;
        exportModel(exportSourceOf(setup), ExportFormat::OnnxInt8, path, {}, 0, &int8);
        return fileBytes(path);
    }
    // One sample at a time, as Try it predicts.
    std::vector<float> predict() {
        Predictor predictor(*setup.model, preprocessingOf(setup.data), 1);
        const auto values = static_cast<std::size_t>(predictor.sampleValues());
        std::vector<float> out;
        for (int64_t i = 0; i < count; ++i) {
            const std::vector<float> o = predictor.outputs(raw.data() + static_cast<std::size_t>(i) * values, 1);
            out.insert(out.end(), o.begin(), o.end());
        }
        return out;
    }
};

}  // namespace

ConcurrencyReport checkConcurrentJobs(const std::string& device, int threads) {
    backendFor(device).setThreads(threads);
    const ProjectDocument spiral = project("synthetic:spiral?samples=900&classes=3&noise=0.1&seed=7", kMlp, 16, device, threads);
    const ProjectDocument digits = project("builtin:digits", kCnn, 2, device, threads);
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("neurite-concurrency-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir);
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code ignored;
            fs::remove_all(dir, ignored);
        }
    } cleanup{dir};

    ConcurrencyReport report;
    const std::vector<float> cnnWeights = train(digits).weights;
    // One after another.
    const Trained alone = train(spiral);
    ModelJob exportJob(digits, cnnWeights), tryJob(digits, cnnWeights);
    const std::string exported = exportJob.exportInt8((dir / "alone.onnx").string());
    const std::vector<float> predicted = tryJob.predict();

    // All at once.
    std::atomic<bool> training{true};
    std::atomic<int> exports{0}, predictions{0}, started{0};
    std::mutex mu;
    auto note = [&](const std::string& what) {
        std::lock_guard<std::mutex> lock(mu);
        if (report.problem.empty()) report.problem = what;
    };
    auto guarded = [&](auto&& f) {
        try {
            f();
        } catch (const std::exception& e) {
            note(e.what());
            training = false;
        }
    };
    Trained together;
    std::thread trainer([&] {
        // The run starts once both other jobs are running, so they overlap it on any machine.
        while (started.load() < 2 && training) std::this_thread::yield();
        guarded([&] { together = train(spiral); });
        training = false;
    });
    std::thread exporter([&] {
        ++started;
        guarded([&] {
            do {
                const std::string path = (dir / ("together-" + std::to_string(exports.load()) + ".onnx")).string();
                if (exportJob.exportInt8(path) != exported) note("an int8 export made during training differs from one made alone");
                ++exports;
            } while (training);
        });
    });
    std::thread tryIt([&] {
        ++started;
        guarded([&] {
            do {
                if (tryJob.predict() != predicted) note("predictions made during training differ from ones made alone");
                ++predictions;
            } while (training);
        });
    });
    trainer.join();
    exporter.join();
    tryIt.join();
    report.exports = exports;
    report.predictions = predictions;
    if (report.problem.empty() && together.losses != alone.losses)
        report.problem = "the losses of a run trained beside other jobs differ from the run trained alone";
    if (report.problem.empty() && together.weights != alone.weights)
        report.problem = "the weights of a run trained beside other jobs differ from the run trained alone";
    if (report.problem.empty() && (report.exports < 1 || report.predictions < 1))
        report.problem = "the jobs did not overlap the training (" + std::to_string(report.exports) + " exports, " +
                         std::to_string(report.predictions) + " prediction passes)";
    report.pass = report.problem.empty();
    return report;
}

}  // namespace neurite
