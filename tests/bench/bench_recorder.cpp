// What recording a run costs the training: the same spiral MLP (~50,000-70,000 samples/s on
// one thread, batch 16) trained alternately without an observer and with the run store's
// Recorder. Besides the throughput of both (noisy on a shared machine), it reports the two
// costs that do not depend on the machine's load: the time the training thread spends inside
// the recorder's callbacks and the CPU time of the writer thread, each as a share of the
// training time.   build/bin/bench_recorder [repeats] [epochs]
// `bench_recorder reads` times the GUI's reads instead: listing 1,000 runs and reading a run's
// curve of 100,000 steps (20,000 stored points) and 1,000 epochs.
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
#include "run/run_setup.h"
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

// 1,000 runs of 50 epochs and 500 step points each, plus one long run; times the reads.
int benchReads() {
    const std::string db = (std::filesystem::temp_directory_path() / "neurite_bench_reads.db").string();
    std::filesystem::remove(db);
    storage::RunStore store(db);
    storage::NewRun r;
    r.name = "run";
    r.projectJson = std::string(4000, ' ');
    r.settingsJson = r.dataJson = "{}";
    r.epochsPlanned = 50;
    {
        storage::Transaction tx(store.db());
        for (int i = 0; i < 1000; ++i) {
            const int64_t id = store.beginRun(r);
            std::vector<storage::StepPoint> pts;
            for (int k = 1; k <= 500; ++k) pts.push_back({k * 10, k / 10 + 1, 1.f / k, 0.01f});
            store.appendSteps(id, pts);
            for (int e = 1; e <= 50; ++e)
                store.putEpoch(id, {e, 0.5, 0.8, 0.4, 0.85, 0.01, 1, 1000, false, std::string(300, ' ')});
            store.finishRun(id, {"completed", "", 50, 40, 0.5, 0.8, 0.4, 0.85, 0.3, 0.9, 1000.0, {}});
            if (i % 10 == 0) store.addTag(id, "tag" + std::to_string(i % 7));
        }
        r.epochsPlanned = 1000;
        const int64_t id = store.beginRun(r);
        std::vector<storage::StepPoint> pts;
        for (int k = 1; k <= static_cast<int>(storage::kMaxStepPoints); ++k) pts.push_back({k * 5, k / 20 + 1, 1.f / k, 0.01f});
        store.appendSteps(id, pts);
        for (int e = 1; e <= 1000; ++e)
            store.putEpoch(id, {e, 0.5, 0.8, 0.4, 0.85, 0.01, 1, 1000, false, std::string(300, ' ')});
        tx.commit();
    }
    storage::RunStore reader(db, storage::RunStore::Mode::ReadOnly);
    std::vector<double> list, steps, epochs, tail;
    for (int i = 0; i < 7; ++i) {
        auto t0 = Clock::now();
        const auto runs = reader.listRuns();
        list.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        t0 = Clock::now();
        const auto pts = reader.steps(1001);
        steps.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        t0 = Clock::now();
        const auto eps = reader.epochs(1001);
        epochs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        t0 = Clock::now();
        const auto fresh = reader.steps(1001, pts[pts.size() - 100].step);
        tail.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (runs.size() != 1001 || pts.size() != static_cast<std::size_t>(storage::kMaxStepPoints) ||
            eps.size() != 1000 || fresh.size() != 99)
            return 1;
    }
    std::printf("database of 1,001 runs: %.1f MB\n",
                static_cast<double>(std::filesystem::file_size(db)) / 1e6);
    print("listRuns() of 1,001 runs", list, "ms");
    print("steps() of a 100,000-step run", steps, "ms");
    print("epochs() of a 1,000-epoch run", epochs, "ms");
    print("steps(after) with 99 new points", tail, "ms");
    std::filesystem::remove(db);
    std::filesystem::remove(db + "-wal");
    std::filesystem::remove(db + "-shm");
    return 0;
}

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "reads") return benchReads();
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
