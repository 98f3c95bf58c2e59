// Runs an experiment's trials: one after another or N at once (CPU threads split between them),
// each trial = `repeats` trainings (seeds training.seed + r), each of them one training per fold
// with cross-validation. A trial's objective is the mean over its trainings (with the sample
// standard deviation); a trial whose mean misses a constraint is infeasible (kept, never best).
// Recording and reporting belong to the host (the CLI and the studio give the run store's), so
// this layer stays without storage: the host hands an observer for each training and is told
// each trial's result. Trials already done (a resumed experiment) are skipped by number.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "experiment/definition.h"
#include "experiment/importance.h"
#include "run/run_setup.h"
#include "train/events.h"

namespace neurite {

// One training of a trial.
struct TrainingSpec {
    int trial = 0;   // 1-based trial number
    int repeat = 0;  // 0-based
    int fold = 0;    // 1-based fold, 0 without cross-validation
    uint64_t seed = 0;
};

struct TrialResult {
    int number = 0;  // 1-based, the order the strategy drew it in
    Assignment values;
    // completed | infeasible (a constraint missed) | pruned (stopped early by the pruner) |
    // failed (a training threw) | cancelled (stopped by the user; runs again on resume)
    std::string status;
    std::optional<double> objective, objectiveStd;  // over the trainings that gave a value
    std::vector<std::optional<double>> trainingObjectives;  // per training, in spec order
    // The objective after each epoch of each training (NaN where an epoch had none): what the
    // pruner compared, and the curves the studio draws.
    std::vector<std::vector<double>> curves;
    std::string message;  // why failed or infeasible
    double seconds = 0;
    // The model's cost (of the last training that built one; 0 when none did), for the trade-off
    // views: parameters and forward FLOPs per sample.
    int64_t parameters = 0;
    double flopsPerSample = 0;
};

// Where a training's events go, from prepareRun to its end (created by the host).
class TrainingSink {
public:
    virtual ~TrainingSink() = default;
    virtual TrainObserver& observer() = 0;
    // After the trainer returned (any status): e.g. store the final weights.
    virtual void finished(RunSetup& setup, const FinishedEvent& fin) = 0;
    // The training threw; the error is also the trial's message.
    virtual void failed(const Error& error) = 0;
};

// Called from the runner's worker threads; the runner serializes the calls.
class ExperimentHost {
public:
    virtual ~ExperimentHost() = default;
    virtual void trialStarted(int number, const Assignment& values) = 0;
    virtual std::unique_ptr<TrainingSink> beginTraining(const TrainingSpec& spec,
                                                        const Assignment& values, RunSetup& setup) = 0;
    virtual void trialFinished(const TrialResult& result) = 0;
    // The user stopped the experiment during this trial: it did not finish and runs again on
    // resume.
    virtual void trialStopped(int number) { (void)number; }
};

struct ExperimentOptions {
    int parallel = 1;    // trials at once
    int threads = 0;     // CPU threads in all (0: every core), split between the trials
    std::string device;  // overrides training.device of every trial when not empty
};

// Where each of the trials at once trains: with a usable GPU, `auto` and more than one trial at
// once, one trial runs on the GPU and the others on the CPU, sharing its threads; otherwise every
// trial runs on `device` with an equal share of the threads.
struct TrialSlot {
    std::string device;
    int threads = 1;
};
std::vector<TrialSlot> planSlots(int parallel, int cores, const std::string& device, bool gpuUsable);

struct ExperimentOutcome {
    // completed (every planned trial ran) | budget (the trial or time budget ended it) | stopped
    std::string status;
    std::vector<TrialResult> trials;  // the ones done before and the ones run now, by number
};

// Trials in `done` (by number) are not run again. Throws only for errors before the first trial
// (a training's error fails its trial and the experiment goes on).
ExperimentOutcome runExperiment(const ExperimentDefinition& def, ExperimentHost& host,
                                StopToken& stop, const ExperimentOptions& options,
                                std::vector<TrialResult> done = {});

// The index in `trials` of the best completed trial, or nothing (pruned, infeasible and failed
// trials never are).
// Parameter importance (experiment/importance.h) over the completed trials with a finite
// objective; *used is how many trials it rests on. What `experiment show` prints and the studio's
// Importance view draws.
std::vector<ParamImportance> trialImportance(const ExperimentDefinition& def, const std::vector<TrialResult>& trials,
                                             std::size_t* used = nullptr);

std::optional<std::size_t> bestTrial(const ExperimentDefinition& def,
                                     const std::vector<TrialResult>& trials);

// The trainings a trial consists of, in order.
std::vector<TrainingSpec> trainingsOf(const ExperimentDefinition& def, int trial, uint64_t baseSeed);

}  // namespace neurite
