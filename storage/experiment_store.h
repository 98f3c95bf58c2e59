// Experiments in the run store (schema version 5, docs/run-store.md "Experiments"): the
// definition, one row per trial with its values, status and objective, and the runs of each
// trial (runs.experiment_id, trial, repeat_index, fold, written with the run by beginRun).
// A trial row is written when the trial starts (status running) and again when it ends, in one
// statement each, so after kill -9 the store says exactly which trials finished: resuming deletes
// the unfinished trials' rows and runs, and the runner draws them again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "run_store.h"

namespace neurite::storage {

struct ExperimentRecord {
    int64_t id = 0;
    std::string name, definitionJson, sourcePath;
    // running | completed | budget | stopped | failed | interrupted (its process died)
    std::string status, message;
    int plannedTrials = 0;
    double createdAt = 0;
    std::optional<double> endedAt;
    int trialsDone = 0;  // trials with a final status (list only)
};

struct TrialRecord {
    int number = 0;
    std::string valuesJson;  // {"training.optimizer.lr": 0.001, ...}
    std::string status;      // running | stopped | completed | infeasible | pruned | failed
    std::optional<double> objective, objectiveStd, seconds;
    std::string trainingsJson = "[]";  // each training's objective (null when it had none)
    std::string curvesJson = "[]";     // each training's objective after each epoch
    std::string message;
    std::optional<double> parameters, flops;  // the model's size and forward FLOPs per sample
    std::vector<int64_t> runIds;  // trials() fills it, in repeat and fold order
};

class ExperimentStore {
public:
    explicit ExperimentStore(RunStore& store);

    int64_t create(const std::string& name, const std::string& definitionJson,
                   const std::string& sourcePath, int plannedTrials);
    // Takes a stored experiment over for `experiment resume`: refuses one whose process is
    // alive, or one that ended completed; deletes the trials that had not finished, with their
    // runs; marks it running in this process.
    void claim(int64_t id);
    void startTrial(int64_t id, int number, const std::string& valuesJson);
    void finishTrial(int64_t id, const TrialRecord& t);
    // A trial cut short by Stop: status "stopped" (not final; resume runs it again).
    void stopTrial(int64_t id, int number);
    void finish(int64_t id, const std::string& status, const std::string& message = "");

    std::vector<ExperimentRecord> list();
    std::optional<ExperimentRecord> experiment(int64_t id);
    ExperimentRecord require(int64_t id);  // throws Error{BadInput} "no experiment N in FILE"
    std::vector<TrialRecord> trials(int64_t id);
    std::vector<int64_t> runIds(int64_t id);
    // Deletes the experiment and its trials. Its runs stay as ordinary runs, or with `withRuns` go
    // too (with their checkpoints). A running experiment is refused (Error{BadInput}); returns
    // the number of runs deleted.
    int remove(int64_t id, bool withRuns = false);

private:
    RunStore& m_store;
};

}  // namespace neurite::storage
