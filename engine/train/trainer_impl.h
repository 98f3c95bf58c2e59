// Trainer's state between its files (trainer.cpp: setup and the loop; trainer_steps.cpp: the
// loss, the correct count, distillation and evaluation). Private to engine/train.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "data/batch_pipeline.h"
#include "train/quant_aware.h"
#include "train/trainer.h"

namespace neurite {

// A split's features, labels and targets on the device.
struct DeviceSplit {
    const DataSplit* host = nullptr;
    Tensor features;  // [count, sample...] u8 or f32
    Tensor labels;    // i32 [count] (classification)
    Tensor targets;   // f32 [count, D] (binary cross-entropy and regression)
};

struct Trainer::Impl {
    Model& model;
    const Dataset& data;
    TrainConfig cfg;
    Backend& be;
    Shape sampleShape;
    int64_t outUnits = 0;
    DeviceSplit train, val, test;
    Tensor mean, invStd, classWeights;
    Tensor indices;  // i32 [train.count], reshuffled every epoch
    std::vector<float> hostLogits;
    std::optional<TrainerState> resume;  // set by resumeFrom(), consumed by run()
    QuantAware* quantAware = nullptr;    // during run() with quantization-aware training
    // Distillation: the teacher's logits per training sample [train.count x outUnits], and the
    // step's host buffers.
    std::vector<float> teacher, stepLogits, stepGrad;
    std::vector<Tensor> distillGrad;  // per batch size in use
    TrainerState exported;               // the state handed to onCheckpoint, buffers reused
    // Augmented or host-prepared batches: a background thread fills them (data/batch_pipeline.h).
    std::unique_ptr<BatchPipeline> pipeline;
    std::vector<float> hostTargets;
    // Regression with target scaling: the model learns z = (y - mean) / std. Losses are reported
    // times lossUnit (std^2), so that they are in the target's squared units (docs/data.md).
    const TargetScaling& targetScaling;
    double lossUnit = 1;

    struct Batch {
        int64_t n = 0;
        Tensor x, y, diff;
        float mixLambda = 1.f;  // mixup: loss = lambda L(y) + (1 - lambda) L(yB)
        Tensor yB, diffB;       // allocated on the first mixed batch
    };
    std::vector<Batch> batches;  // one per batch size in use
    // Adds the distillation term for this batch (its training-sample indices) to b.diff, scaled
    // as the config says, and returns the combined loss.
    float distill(const Tensor& logits, Batch& b, float hardLoss, std::span<const int32_t> samples);

    Impl(Model& m, const Dataset& d, const TrainConfig& c)
        : model(m), data(d), cfg(c), be(m.backend()), targetScaling(d.targetScaling),
          lossUnit(d.targetScaling.lossFactor()) {}

    void validate();
    DeviceSplit upload(const DataSplit& split);
    Batch& batch(int64_t n);
    void gather(const DeviceSplit& split, const Tensor& idx, Batch& b);
    void upload(const HostBatch& hb, Batch& b);
    float loss(const Tensor& logits, Batch& b);
    float lossOn(const Tensor& logits, const Tensor& y, Tensor& diff);
    LossArgs lossArgs() const;
    int64_t countCorrect(const Tensor& logits, const int32_t* labels, int64_t n);
    // How many steps' losses the loop reads back at once (StepScalars; 0: the backend decides).
    int readbackSteps = 0;
    double readbackSeconds = 0.1;
    EvalResult evaluate(const DeviceSplit& split);
    // Evaluates a split into an event's loss, accuracy and metrics; an empty split leaves them unset.
    void evaluateInto(const DeviceSplit& split, const char* name, std::optional<double>& lossOut,
                      std::optional<double>& accuracyOut, std::optional<EvaluationReport>& report);
};

}  // namespace neurite
