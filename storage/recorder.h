// Recorder: the training observer that keeps a run in the store without slowing the loop. The
// training thread only appends to a queue (a step costs an add, and a mutex every thinning
// window); a writer thread with its own connection writes the queue in one transaction when an
// epoch ends (with that epoch's checkpoint) and at most once a second in between, so a reader
// sees the curve grow and a crash loses at most the epoch in progress. An epoch's row is never
// committed without its checkpoint: the once-a-second commits hold it back until the checkpoint
// has arrived (a large model's state takes seconds to export).
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "run_store.h"
#include "train/checkpoint.h"
#include "train/events.h"

namespace neurite::storage {

// A run's per-layer sparsity (FinishedEvent::sparsity) as stored in runs.sparsity, and back
// (an empty or unreadable text gives an empty list).
std::string sparsityJson(const std::vector<LayerSparsity>& layers);
std::vector<LayerSparsity> sparsityFromJson(const std::string& json);

// At most this many step-loss points per run: longer runs average windows of steps.
inline constexpr int64_t kMaxStepPoints = 20000;

class Recorder : public TrainObserver {
public:
    // Serializes an evaluation report: the CLI passes its metrics JSON (docs/metrics.md).
    using ReportJson = std::function<std::string(const EvaluationReport&, bool withCurves)>;

    // The run must exist (RunStore::beginRun, or beginResume for a resumed run). A lock held
    // longer than busyTimeoutMs delays the writes (they are tried again with the next batch);
    // it does not end the recording.
    Recorder(const std::string& dbPath, int64_t runId, int epochsPlanned, ReportJson toJson,
             int busyTimeoutMs = 10000);
    ~Recorder() override;

    void onStep(const StepEvent& e) override;
    void onEpoch(const EpochEvent& e) override;
    void onFinished(const FinishedEvent& e) override;
    void onFailed(const Error& e) override;
    bool wantsCheckpoints() const override { return true; }
    void onCheckpoint(const TrainerState& s) override;
    void onSettingsChanged(const SettingsChangedEvent& e) override;  // applied ones are stored

    // Told on the writer thread after each commit that stored epochs: the last epoch now in the
    // store with its checkpoint; and once with kRecordingFailed when recording stopped on an
    // error (nothing more will be committed). Set before training starts; must not throw.
    static constexpr int kRecordingFailed = -1;
    using CommitListener = std::function<void(int epoch)>;
    void setCommitListener(CommitListener listener);

    // The model after training (restored best weights included), stored as the final model.
    void setFinalModel(std::vector<float> weights, int epoch);
    // Writes everything queued, ends the writer and throws the first storage error, if any (the
    // training itself never waits for or fails because of the store).
    void close();
    int64_t runId() const { return m_runId; }
    // CPU time the writer thread used (valid after close()), for the overhead benchmark.
    double writerCpuSeconds() const { return m_writerCpu; }

    struct Finish {
        RunOutcome outcome;
        std::vector<EvaluationRecord> evaluations;
    };
    using Item = std::variant<std::vector<StepPoint>, EpochRecord, Checkpoint, Finish, SettingChange>;

private:
    void push(Item item, bool commitNow);
    std::vector<uint8_t> spareBuffer(CheckpointKind kind);
    void writerLoop();
    void write(RunStore& store, std::vector<Item>& items);
    void failed(const Error& e);

    std::string m_path;
    int64_t m_runId;
    int m_epochsPlanned;
    ReportJson m_toJson;
    bool m_lastEpochBest = false;

    // Training thread only: the current thinning window.
    int64_t m_stride = 0;
    double m_windowSum = 0;
    int64_t m_windowCount = 0;
    std::vector<StepPoint> m_pendingSteps;

    std::optional<Finish> m_finish;
    std::optional<Checkpoint> m_finalModel;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Item> m_queue;
    // Checkpoint buffers the writer has stored, reused by the next epoch (no fresh memory):
    // trainer states and weight blobs apart, as their sizes differ.
    std::vector<std::vector<uint8_t>> m_spareStates, m_spareWeights;
    bool m_commitNow = false, m_closing = false, m_closed = false;
    std::optional<Error> m_error;
    CommitListener m_listener;  // set before the first event, then read by the writer only
    std::shared_ptr<RunStore> m_store;  // the writer thread's connection
    double m_writerCpu = 0;
    std::thread m_writer;
};

// Checkpoints of kind best and final hold Model::snapshot() as raw little-endian floats.
std::vector<uint8_t> weightsBlob(const std::vector<float>& weights);
std::vector<float> weightsFromBlob(const std::vector<uint8_t>& blob, const std::string& what);

}  // namespace neurite::storage
