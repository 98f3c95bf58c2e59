// Training events: what the Trainer tells its observers (the CLI printer, the run recorder, the
// GUI's controller). The engine knows none of them; observers must be cheap and must not throw.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "core/error.h"
#include "metrics/evaluation.h"

namespace neurite {

struct StepEvent {
    int epoch = 0;             // 1-based
    int64_t step = 0;          // global, 1-based
    int64_t stepInEpoch = 0;   // 1-based
    int64_t stepsPerEpoch = 0;
    float loss = 0;            // training loss of this batch (target scaling: times std^2)
    float lr = 0;
};

struct EpochEvent {
    int epoch = 0;  // 1-based
    int epochs = 0;
    double trainLoss = 0, trainAccuracy = 0;
    std::optional<double> valLoss, valAccuracy;  // absent without a validation split
    double lr = 0;
    double seconds = 0;        // training time of this epoch (without evaluation)
    double samplesPerSec = 0;  // training samples / seconds
    bool best = false;         // the monitored metric improved
    std::optional<EvaluationReport> valMetrics;  // metrics and curves of the validation split
    // Set on the first epoch whose mean training loss is over kLossGrowthWarning times the first
    // step's loss while still finite (a learning rate far too high): what happened and what to do.
    std::string warning;
};

inline constexpr double kLossGrowthWarning = 1000;

struct FinishedEvent {
    std::string status;  // completed | early_stopped | cancelled
    int epochs = 0;      // epochs completed
    int bestEpoch = 0;
    double trainLoss = 0, trainAccuracy = 0;
    std::optional<double> valLoss, valAccuracy, testLoss, testAccuracy;
    double samplesPerSec = 0;  // over all completed epochs
    double seconds = 0;        // wall time of the run
    // Metrics of the final (or restored best) model.
    std::optional<EvaluationReport> valMetrics, testMetrics;
};

struct TrainerState;  // train/checkpoint.h

class TrainObserver {
public:
    virtual ~TrainObserver() = default;
    virtual void onStep(const StepEvent&) {}
    virtual void onEpoch(const EpochEvent&) {}
    virtual void onFinished(const FinishedEvent&) {}
    virtual void onFailed(const Error&) {}
    // Checkpoints: asked once per run. When true, the trainer exports its full state after every
    // completed epoch (right after onEpoch); a run resumed from it continues exactly.
    virtual bool wantsCheckpoints() const { return false; }
    virtual void onCheckpoint(const TrainerState&) {}
};

// Shared between the training thread and whoever controls it; polled once per step.
class StopToken {
public:
    void requestStop() { m_state.store(kStop); }
    void pause() {
        int expected = kRun;
        m_state.compare_exchange_strong(expected, kPause);
    }
    void resume() {
        int expected = kPause;
        m_state.compare_exchange_strong(expected, kRun);
    }
    bool stopRequested() const { return m_state.load() == kStop; }
    bool paused() const { return m_state.load() == kPause; }

private:
    static constexpr int kRun = 0, kPause = 1, kStop = 2;
    std::atomic<int> m_state{kRun};
};

}  // namespace neurite
