// RunStore: every training run kept in one SQLite database (docs/run-store.md). One instance is
// one connection; the Recorder's writer thread opens its own. Reads are built for the GUI's runs
// panel: a list with summary columns, per-run series readable incrementally while another
// process writes (WAL), settings and the final evaluation. Errors are Error{Io} or {BadInput}.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sqlite_db.h"

namespace neurite::storage {

// What a new run starts with (describeRun() in run_info.h fills it from a RunSetup).
struct NewRun {
    std::string name;
    std::string projectJson;   // the project as trained (CLI overrides applied)
    std::string settingsJson;  // the resolved data and training settings, flat keys
    std::string dataJson;      // source, split sizes, class names and counts
    std::string device;
    int threads = 0;
    std::string precision;
    uint64_t seed = 0;
    int epochsPlanned = 0;
    // A training of an experiment's trial (experiment_store.h): stored with the run, atomically.
    struct ExperimentLink {
        int64_t experimentId = 0;
        int trial = 0, repeat = 0, fold = 0;
    };
    std::optional<ExperimentLink> experiment;
};

struct RunSummary {
    int64_t id = 0;
    std::string name, status, message, device, note;
    double startedAt = 0;  // unix seconds
    std::optional<double> endedAt;
    int epochsPlanned = 0, epochsDone = 0, bestEpoch = 0;
    std::optional<double> trainLoss, trainAccuracy, valLoss, valAccuracy, testLoss, testAccuracy,
        samplesPerSec;
    std::vector<std::string> tags;
    std::string keySettings;  // listRuns only: "adam, lr 0.01, batch 32"
    std::string dataSource;   // listRuns only: "builtin:iris", "csv:/data/prices.csv"
};

struct RunDetails : RunSummary {
    std::string projectJson, settingsJson, dataJson, precision, programVersion, host;
    int threads = 0;
    uint64_t seed = 0;
    int64_t pid = 0;
    int resumes = 0;
    // A run branched from another (rewind): the run and the epoch whose state it started from.
    // The parent may have been deleted since (parentRun unset, parentEpoch kept).
    std::optional<int64_t> parentRun;
    int parentEpoch = 0;
    std::string sparsityJson;  // RunOutcome::sparsityJson
};

// A training setting changed while the run was paused; it applied from step + 1 on.
struct SettingChange {
    int64_t step = 0;  // steps taken before the change
    int epoch = 0;     // the epoch of the next step
    std::string setting;  // "lr" | "batch_size" | "l1" | "l2"
    double before = 0, after = 0;
};

struct StepPoint {
    int64_t step = 0;  // global, 1-based: the last step of the window this point averages
    int epoch = 0;
    float loss = 0, lr = 0;
};

struct EpochRecord {
    int epoch = 0;
    double trainLoss = 0, trainAccuracy = 0;
    std::optional<double> valLoss, valAccuracy;
    double lr = 0, seconds = 0, samplesPerSec = 0;
    bool best = false;
    std::string metricsJson;  // the validation metrics (neurite-cli's metrics JSON), or empty
};

struct EvaluationRecord {
    std::string split;  // validation | test
    std::optional<double> loss, accuracy, auc;
    std::string reportJson;  // metrics, per-class table, confusion matrix, ROC and PR points
};

enum class CheckpointKind { Latest, Best, Final };
const char* nameOf(CheckpointKind k);

struct Checkpoint {
    CheckpointKind kind = CheckpointKind::Latest;
    int epoch = 0;
    std::string format;  // "trainer-state" (latest) | "weights-f32" (best, final)
    std::vector<uint8_t> data;
};

// Checkpoints are stored in pieces of this size: an SQLite value holds at most 1 GB, and the
// trainer state of a 157M-parameter model with Adam is 1.9 GB.
inline constexpr std::size_t kCheckpointChunkBytes = std::size_t{64} << 20;
// Test hook: the piece size of every store in this process (0: kCheckpointChunkBytes again), so
// a test stores a checkpoint in many chunks without allocating gigabytes.
void setCheckpointChunkBytesForTesting(std::size_t bytes);

// Rewind: every epoch's trainer state is kept while the run's states fit this budget; past it the
// kept epochs are thinned to every 2nd, 4th, ... (the newest always stays). A state larger than a
// quarter of the budget is not kept (a large model rewinds to nothing; its `latest` checkpoint
// still resumes it).
inline constexpr std::size_t kEpochStateBudgetBytes = std::size_t{64} << 20;
inline constexpr int kMaxEpochStates = 200;

struct RunOutcome {
    std::string status;  // completed | early_stopped | cancelled | failed
    std::string message;
    int epochsDone = 0, bestEpoch = 0;
    std::optional<double> trainLoss, trainAccuracy, valLoss, valAccuracy, testLoss, testAccuracy,
        samplesPerSec;
    std::string sparsityJson;  // pruning: sparsityJson(FinishedEvent::sparsity); else empty
};

class RunStore {
public:
    enum class Mode { ReadWrite, ReadOnly };
    // Opens (creating and migrating in ReadWrite mode) with WAL, foreign keys and a busy
    // timeout. In ReadWrite mode, runs left "running" by a dead process become "interrupted".
    // busyTimeoutMs: how long to wait for another writer's lock before failing.
    explicit RunStore(const std::string& path, Mode mode = Mode::ReadWrite, int busyTimeoutMs = 10000);

    // $XDG_DATA_HOME/neurite/runs.db, or ~/.local/share/neurite/runs.db; the directory is
    // created when `create` is set.
    static std::string defaultPath(bool create);

    SqliteDb& db() { return *m_db; }
    const std::string& path() const { return m_db->path(); }

    // Writing (the Recorder batches these in transactions).
    int64_t beginRun(const NewRun& run);
    // Marks a stored run as running again in this process for `runs resume`, and drops what was
    // recorded after `fromEpoch` (steps of the epoch that was cut short, and the settings changed
    // while paused after step `fromStep`, the checkpoint's; -1 keeps them all).
    void beginResume(int64_t id, int fromEpoch, int64_t fromStep = -1);
    void appendSteps(int64_t id, std::span<const StepPoint> points);
    void addSettingChange(int64_t id, const SettingChange& c);  // after the run's earlier ones
    void putEpoch(int64_t id, const EpochRecord& e);
    void putEvaluation(int64_t id, const EvaluationRecord& e);
    // Replaces the run's checkpoint of that kind, in chunks of kCheckpointChunkBytes with the
    // CRC-32 of the whole; atomic on its own and inside a transaction.
    void putCheckpoint(int64_t id, const Checkpoint& c);
    void dropCheckpoint(int64_t id, CheckpointKind kind);
    // Keeps the trainer state (serializeCheckpoint) of the end of `epoch` for rewinding, thinning
    // the run's kept states to kEpochStateBudgetBytes / kMaxEpochStates. Returns false when the
    // state is too large to keep.
    bool putEpochState(int64_t id, int epoch, std::span<const uint8_t> state);
    // A new run that starts where `parent` was after `epoch`: its project and settings are `run`'s
    // (they may differ from the parent's), its history (step losses, epochs, setting changes) up
    // to that epoch is copied from the parent, and so is its best checkpoint when the best epoch is
    // in that history. Throws Error{BadInput} when the parent has no state for that epoch.
    int64_t beginBranch(const NewRun& run, int64_t parent, int epoch);
    // A run that ended completed or early_stopped cannot be resumed (runs resume refuses it), so
    // its `latest` trainer state (weights and optimizer moments, 3x the model with Adam) is
    // dropped here; `best` and `final`, what export and the GUI read, stay.
    void finishRun(int64_t id, const RunOutcome& o);

    // Reading. The runs in start order, with summary columns and tags.
    std::vector<RunSummary> listRuns();
    std::optional<RunDetails> run(int64_t id);
    RunDetails requireRun(int64_t id);  // throws Error{BadInput} "no run N in FILE"
    // Series after a given step/epoch, so a live view asks only for what is new.
    std::vector<StepPoint> steps(int64_t id, int64_t afterStep = 0);
    std::vector<SettingChange> settingChanges(int64_t id) const;  // in the order they were made
    std::vector<EpochRecord> epochs(int64_t id, int afterEpoch = 0);
    std::vector<EvaluationRecord> evaluations(int64_t id);
    // Reads a chunked checkpoint or a single-blob one of schema 2-3; verifies the chunks (all
    // there, the stored size) and the checksum, and throws Error{BadInput} when they do not match.
    std::optional<Checkpoint> checkpoint(int64_t id, CheckpointKind kind);

    // The epochs a run can be rewound to: its own kept states, then those of the run it was
    // branched from up to the branch point (and so on up the chain), ascending.
    std::vector<int> epochStates(int64_t id);
    // The trainer state at the end of `epoch` (following the chain as epochStates does), checked
    // against its checksum; nullopt when none is kept.
    std::optional<std::vector<uint8_t>> epochState(int64_t id, int epoch);

    // Editing.
    void addTag(int64_t id, const std::string& tag);
    void setNote(int64_t id, const std::string& note);
    void renameRun(int64_t id, const std::string& name);
    void deleteRun(int64_t id);  // with its steps, epochs, evaluations, checkpoints and tags

private:
    void configure(bool readOnly, int busyTimeoutMs);
    std::vector<uint8_t> readChunks(int64_t id, CheckpointKind kind, int64_t chunks, int64_t bytes);
    void reapDeadRuns();
    std::unique_ptr<SqliteDb> m_db;
};

// The identity of this process as stored with a running run: a run whose process is gone (or
// whose pid was reused by a process started at another time) is interrupted.
struct ProcessIdentity {
    std::string host;
    int64_t pid = 0;
    int64_t startTicks = 0;  // /proc/PID/stat field 22
};
ProcessIdentity currentProcess();
// False only when the process is surely gone: on this host and no process with that pid and
// start time exists. Runs of other hosts are taken as alive.
bool processAlive(const ProcessIdentity& p);

}  // namespace neurite::storage
