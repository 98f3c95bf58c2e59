// Trainer: runs a TrainConfig on a Model and a Dataset synchronously (the caller owns the
// thread). Epochs of shuffled mini-batches, validation after each epoch, schedules, early
// stopping, NaN/Inf detection, and cancellation/pause polled once per step. Same seed and thread
// count give bit-identical results on the CPU.
#pragma once

#include <memory>
#include <vector>

#include "data/dataset.h"
#include "graph/model.h"
#include "metrics/class_scores.h"
#include "train/checkpoint.h"
#include "train/events.h"
#include "config/train_config.h"

namespace neurite {

struct EvalResult {
    double loss = 0;      // regression with target scaling: in the target's squared units
    double accuracy = 0;  // classification only
    int64_t count = 0;
    ClassScores scores;           // classification: every sample's label and class probabilities
    std::vector<float> outputs;   // regression: the predictions [count * targetDim], in the
                                  // target's own units (Dataset::targetScaling undone)
};

class Trainer {
public:
    // Throws Error{BadInput} when the loss does not fit the model's output or the data
    // (e.g. 10 output units for 3 classes), naming the setting to change.
    Trainer(Model& model, const Dataset& data, const TrainConfig& config);
    ~Trainer();

    // Runs to completion, early stop or cancellation and returns the finished event (also sent
    // to the observer). Throws Error{Diverged} on NaN/Inf (after telling the observer).
    FinishedEvent run(TrainObserver& observer, const StopToken& stop);

    // Makes the next run() continue from a checkpoint taken at an epoch boundary (see
    // TrainObserver::onCheckpoint) instead of starting fresh. With the same project, device and
    // thread count the resumed run ends bit-identical to one never interrupted. run() throws
    // Error{BadInput} when the state does not fit this model or optimizer.
    void resumeFrom(TrainerState state);

    // Distillation (TrainConfig::distillation): the teacher's logits on every training sample,
    // [train.count x classes] in the training split's order. run() throws Error{BadInput} when
    // distillation is configured without them. Throws Error{BadInput} when the size is wrong.
    void setTeacher(std::vector<float> logits);

    // How many steps' losses and correct counts the loop brings back at once, and after how many
    // seconds at most (train/step_scalars.h); steps 0 restores the default: every step where
    // reading is cheap (the CPU), up to 256 steps or 0.1 s where a read stalls queued work (a GPU,
    // Backend::readBackStalls) unless clipping reads every step anyway. Results are the same
    // either way; what changes is when the observer hears of a step, and that a non-finite loss
    // is found up to that many steps late (the run still fails, naming the step).
    void setStepReadback(int steps, double seconds);

    // Loss, accuracy and per-sample scores of the model on a split (inference mode).
    EvalResult evaluate(const DataSplit& split);

    // Seconds the training steps waited for the background batch pipeline (0 when batches are
    // gathered on the device, i.e. without augmentation or Dataset::hostPipeline).
    double dataWaitSeconds() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

}  // namespace neurite
