// What recording a run costs the training: the same spiral MLP (~50,000-70,000 samples/s on
// one thread, batch 16) trained alternately without an observer and with the run store's
// Recorder. Besides the throughput of both (noisy on a shared machine), it reports the two
// costs that do not depend on the machine's load: the time the training thread spends inside
// the recorder's callbacks and the CPU time of the writer thread, each as a share of the
// training time.   build/bin/bench_recorder [repeats] [epochs]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "io/project.h"
#include "recorder.h"
#include "run_info.h"
#include "train/run_setup.h"
#include "train/trainer.h"

using namespace neurite;
using Clock = std::chrono::steady_clock;

namespace {

std::string project(int epochs) {
    return R"({"format": "neurite-project", "version": 1, "name": "bench",
      "data": {"source": "synthetic:spiral?samples=40000&classes=3&noise=0.1&seed=7",
               "validation_split": 0.2, "test_split": 0.1},
      "model": {"nodes": [
        {"id": "input", "op": "Input"},
        {"id": "fc1", "op": "Dense", "params": {"units": 256}, "inputs": ["input"]},
        {"id": "relu1", "op": "ReLU", "inputs": ["fc1"]},
        {"id": "fc2", "op": "Dense", "params": {"units": 256}, "inputs": ["relu1"]},
        {"id": "relu2", "op": "ReLU", "inputs": ["fc2"]},
        {"id": "out", "op": "Dense", "params": {"units": "auto"}, "inputs": ["relu2"]}]},
      "training": {"epochs": )" + std::to_string(epochs) + R"(, "batch_size": 16, "seed": 3,
                   "threads": 1, "optimizer": {"type": "adam", "lr": 0.005}}})";
}

// Times every callback into the wrapped observer on the training thread.
struct Timed : TrainObserver {
    TrainObserver& inner;
    double seconds = 0, stepSeconds = 0, checkpointSeconds = 0;
    explicit Timed(TrainObserver& o) : inner(o) {}
    template <class F> double timed(F f) {
        const auto t0 = Clock::now();
        f();
        const double dt = std::chrono::duration<double>(Clock::now() - t0).count();
        seconds += dt;
        return dt;
    }
    void onStep(const StepEvent& e) override { stepSeconds += timed([&] { inner.onStep(e); }); }
    // Epoch and checkpoint callbacks in thread CPU time: on a loaded machine a preemption
    // inside one of these rare, sub-millisecond calls would otherwise dominate the sum.
    static double threadCpu() {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
    }
    template <class F> double cpuTimed(F f) {
        const double t0 = threadCpu();
        f();
        const double dt = threadCpu() - t0;
        seconds += dt;
        return dt;
    }
    void onEpoch(const EpochEvent& e) override { cpuTimed([&] { inner.onEpoch(e); }); }
    void onFinished(const FinishedEvent& e) override { timed([&] { inner.onFinished(e); }); }
    bool wantsCheckpoints() const override { return inner.wantsCheckpoints(); }
    void onCheckpoint(const TrainerState& s) override {
        checkpointSeconds += cpuTimed([&] { inner.onCheckpoint(s); });
    }
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

void print(const char* name, const std::vector<double>& v, const char* unit) {
    std::printf("%-34s median %10.3f %s  (%.3f..%.3f)\n", name, median(v), unit,
                *std::min_element(v.begin(), v.end()), *std::max_element(v.begin(), v.end()));
}

}  // namespace

int main(int argc, char** argv) {
    const int repeats = argc > 1 ? std::atoi(argv[1]) : 5;
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 5;
    const ProjectDocument doc = parseProject(project(epochs), "bench", nullptr);
    const std::string db = (std::filesystem::temp_directory_path() / "neurite_bench_recorder.db").string();
    std::filesystem::remove(db);
    std::vector<double> plain, recorded, callbackShare, writerShare, closeMs;
    int64_t steps = 0;
    for (int r = 0; r < repeats; ++r) {
        {
            RunSetup s = prepareRun(doc);
            Trainer t(*s.model, s.data, doc.training);
            TrainObserver none;
            StopToken stop;
            plain.push_back(t.run(none, stop).samplesPerSec / 1000);
        }
        RunSetup s = prepareRun(doc);
        Trainer t(*s.model, s.data, doc.training);
        storage::RunStore store(db);
        const int64_t id = store.beginRun(storage::describeRun(s));
        storage::Recorder rec(db, id, epochs, [](const EvaluationReport&, bool) { return std::string("{}"); });
        Timed timed(rec);
        StopToken stop;
        const FinishedEvent fin = t.run(timed, stop);
        rec.setFinalModel(s.model->snapshot(), fin.epochs);
        const auto t0 = Clock::now();
        rec.close();
        closeMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        const double trainSeconds = static_cast<double>(s.data.train.count) * fin.epochs / fin.samplesPerSec;
        recorded.push_back(fin.samplesPerSec / 1000);
        callbackShare.push_back(100 * timed.seconds / trainSeconds);
        std::printf("  run %d: steps %.2f ms, checkpoints %.2f ms, all callbacks %.2f ms of %.0f ms\n", r,
                    timed.stepSeconds * 1e3, timed.checkpointSeconds * 1e3, timed.seconds * 1e3, trainSeconds * 1e3);
        writerShare.push_back(100 * rec.writerCpuSeconds() / trainSeconds);
        steps = static_cast<int64_t>(store.steps(id).size());
    }
    std::printf("spiral MLP 2x256, batch 16, 1 thread, %d epochs, %d repeats; %lld step points stored per run\n",
                epochs, repeats, static_cast<long long>(steps));
    print("without recorder", plain, "k samples/s");
    print("with recorder", recorded, "k samples/s");
    print("recorder callbacks, training thread", callbackShare, "% of training time");
    print("writer thread CPU", writerShare, "% of training time");
    print("close() after the run", closeMs, "ms");
    std::filesystem::remove(db);
    std::filesystem::remove(db + "-wal");
    std::filesystem::remove(db + "-shm");
    return 0;
}
