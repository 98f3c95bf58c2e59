// Training events: what the Trainer tells its observers (the CLI printer, the run recorder, the
// GUI's controller). The engine knows none of them; observers must be cheap and must not throw.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

// One prunable layer's sparsity (train/pruning.h): zero weights, and units or filters whose
// weights are all zero (structured pruning removes them from exports).
struct LayerSparsity {
    std::string node;
    int64_t weights = 0, zeros = 0;
    int64_t units = 0, unitsPruned = 0;
    double sparsity() const { return weights > 0 ? static_cast<double>(zeros) / static_cast<double>(weights) : 0.0; }
};

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
    std::vector<LayerSparsity> sparsity;  // with training.pruning: every pruned layer at the end
};

struct TrainerState;  // train/checkpoint.h

// Training settings changed while the run is paused (teaching): they apply from the next step.
// Unset fields keep their value. lr is the new base learning rate: the schedule goes on from it
// (the schedule's value is scaled by new / configured).
struct SettingsChange {
    std::optional<double> lr;
    std::optional<int64_t> batchSize;
    std::optional<double> l1, l2;
    bool empty() const { return !lr && !batchSize && !l1 && !l2; }
};

// One setting a SettingsChange asked for: applied (refusal empty) or refused with the reason.
struct SettingsChangedEvent {
    int64_t step = 0;     // steps taken before the change (global; 0: before the first)
    int epoch = 0;        // the 1-based epoch the next step belongs to
    std::string setting;  // "lr" | "batch_size" | "l1" | "l2", as the project file names them
    double before = 0, after = 0;
    std::string refusal;  // why it was not applied; empty when it was
};

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
    // Called about every 20 ms while the run is paused, between two steps: the model is not in
    // use, so the observer may read or change its weights (the neuron view's edits). Returns the
    // settings to apply from the next step, if any; each is then reported by onSettingsChanged.
    virtual std::optional<SettingsChange> whilePaused() { return std::nullopt; }
    virtual void onSettingsChanged(const SettingsChangedEvent&) {}
};

// Shared between the training thread and whoever controls it; polled once per step. Besides
// stop, pause and resume it has teaching's time controls: while paused, stepBatches(n) lets n
// more training steps run and stepEpoch() runs to the end of the current epoch, and each pauses
// again after. The trainer reports its progress with stepTaken() and epochEnded().
class StopToken {
public:
    void requestStop() { m_state.store(kStop); }
    void pause() {
        clearStepping();
        int expected = kRun;
        m_state.compare_exchange_strong(expected, kPause);
    }
    void resume() {
        clearStepping();
        int expected = kPause;
        m_state.compare_exchange_strong(expected, kRun);
    }
    // n >= 1 more steps, then paused again (the steps already allowed are replaced).
    void stepBatches(int64_t n) {
        m_epochPause.store(false);
        m_budget.store(n < 1 ? 1 : n);
        int expected = kPause;
        m_state.compare_exchange_strong(expected, kRun);
    }
    // On to the end of the current epoch (its evaluation included), then paused again.
    void stepEpoch() {
        m_budget.store(kUnlimited);
        m_epochPause.store(true);
        int expected = kPause;
        m_state.compare_exchange_strong(expected, kRun);
    }
    bool stopRequested() const { return m_state.load() == kStop; }
    bool paused() const { return m_state.load() == kPause; }

    // Trainer side: one training step is done (counts down stepBatches), an epoch is complete
    // (ends stepEpoch). Either may pause the run.
    void stepTaken() const {
        if (m_budget.load() > 0 && m_budget.fetch_sub(1) == 1) pauseFromTrainer();
    }
    void epochEnded() const {
        if (m_epochPause.exchange(false)) pauseFromTrainer();
    }

private:
    static constexpr int kRun = 0, kPause = 1, kStop = 2;
    static constexpr int64_t kUnlimited = -1;
    void clearStepping() {
        m_budget.store(kUnlimited);
        m_epochPause.store(false);
    }
    void pauseFromTrainer() const {
        int expected = kRun;
        m_state.compare_exchange_strong(expected, kPause);
    }
    mutable std::atomic<int> m_state{kRun};
    mutable std::atomic<int64_t> m_budget{kUnlimited};
    mutable std::atomic<bool> m_epochPause{false};
};

}  // namespace neurite
