// TrainConfig: every training setting of a project, resolved (defaults filled, validated).
// The project file's "training" object maps 1:1 onto it (docs/project-format.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace neurite {

enum class LossKind { CrossEntropy, BinaryCrossEntropy, Focal, Mse, Huber };
enum class OptimizerKind { Sgd, Adam, AdamW, Rmsprop };
enum class ScheduleKind { Constant, Step, Exponential, Cosine, Plateau };
enum class Precision { Fp32, Bf16 };

struct LossConfig {
    LossKind kind = LossKind::CrossEntropy;
    float labelSmoothing = 0.f;        // cross_entropy
    std::vector<float> classWeights;   // cross_entropy; empty = uniform
    float gamma = 2.f, alpha = 0.25f;  // focal
    float posWeight = 1.f;             // binary_cross_entropy
    float delta = 1.f;                 // huber
};

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::Adam;
    float lr = 1e-3f;
    float momentum = 0.f;  // sgd, rmsprop
    bool nesterov = false;  // sgd
    float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f;  // adam(w); rmsprop uses epsilon
    float alpha = 0.99f;                                  // rmsprop smoothing
    float weightDecay = 0.f;  // coupled (sgd, adam, rmsprop) or decoupled (adamw), all parameters
};

// Learning rate per epoch e (0-based) from the base lr; cosine warm-up is per step.
struct ScheduleConfig {
    ScheduleKind kind = ScheduleKind::Constant;
    int stepSize = 10;        // step: every stepSize epochs
    float gamma = 0.1f;       // step and exponential factor
    int warmupEpochs = 0;     // cosine: linear warm-up from 0 over these epochs (per step)
    float minLr = 0.f;        // cosine floor and plateau floor
    float factor = 0.1f;      // plateau: lr *= factor
    int patience = 5;         // plateau: epochs without improvement of val_loss
    float threshold = 1e-4f;  // plateau: relative improvement that counts
};

struct EarlyStoppingConfig {
    bool enabled = false;
    std::string monitor = "val_loss";  // val_loss | val_accuracy | train_loss
    int patience = 5;
    float minDelta = 0.f;
    bool restoreBest = true;
};

// Magnitude pruning during training (docs/pruning.md). The target sparsity follows a polynomial
// from initialSparsity at beginStep to finalSparsity at endStep (steps are optimizer steps taken
// before the one about to run, over the whole run): s(t) = final + (initial - final) *
// (1 - (t - begin) / (end - begin))^power, updated every `frequency` steps and at endStep, then
// held. Pruned weights are exactly zero and stay zero; the zeros are the mask, so it survives
// checkpoints, resume, branches and every export.
enum class PruneStructure { Unstructured, Structured };
enum class PruneScope { Layer, Global };

struct PruningConfig {
    bool enabled = false;
    PruneStructure structure = PruneStructure::Unstructured;  // weights, or whole units/filters
    PruneScope scope = PruneScope::Layer;  // each layer to the target, or all ranked together
    float initialSparsity = 0.f, finalSparsity = 0.5f;  // in [0, 1), initial <= final
    int64_t beginStep = 0, endStep = 0;  // end >= begin; equal: all at once at beginStep
    int64_t frequency = 100;              // steps between updates of the mask
    float power = 3.f;                    // exponent of the polynomial
    std::vector<std::string> layers;      // node ids to prune; empty: every prunable layer
    bool operator==(const PruningConfig&) const = default;
};

// Quantization-aware training (docs/quantization.md): from beginStep on, every forward computes
// what the int8 export computes (the weights of Dense and Conv2D rounded to int8 per output
// channel, their inputs to uint8 per tensor over ranges tracked as a moving average of each
// batch's min and max), and the gradients pass the rounding straight through to the float
// weights, which the optimizer keeps.
struct QuantAwareConfig {
    bool enabled = false;
    int64_t beginStep = 0;        // optimizer steps of float training first
    float rangeMomentum = 0.99f;  // range = momentum * range + (1 - momentum) * batch's
    bool operator==(const QuantAwareConfig&) const = default;
};

// Knowledge distillation (docs/distillation.md): the loss is
// alpha * CE(labels) + (1 - alpha) * T^2 * KL(teacher || student at temperature T), with the
// teacher's outputs on the training samples computed once before training (Trainer::setTeacher).
struct DistillConfig {
    // "run:ID" (a stored run's final model) or a native model file (*.nmodel), relative to the
    // project's folder. Empty: no distillation.
    std::string teacher;
    float alpha = 0.5f;        // weight of the hard-label loss
    float temperature = 4.f;   // softens both distributions
    bool enabled() const { return !teacher.empty(); }
    bool operator==(const DistillConfig&) const = default;
};

struct TrainConfig {
    int epochs = 10;
    int batchSize = 64;
    uint64_t seed = 42;
    std::string device = "auto";  // auto | cpu | cuda | cuda:N
    int threads = 0;              // 0: all cores
    Precision precision = Precision::Fp32;
    LossConfig loss;
    OptimizerConfig optimizer;
    ScheduleConfig schedule;
    float l1 = 0.f, l2 = 0.f;  // explicit regularization of weight tensors
    float clipNorm = 0.f;      // 0: no clipping by global norm
    // Learning-rate multiplier of the parameters loaded from the project's starting weights
    // (model.weights), for fine-tuning pretrained layers more gently than a new head; 1: the same.
    float pretrainedLrScale = 1.f;
    EarlyStoppingConfig earlyStopping;
    PruningConfig pruning;
    QuantAwareConfig quantAware;
    DistillConfig distillation;
    int64_t maxSteps = 0;  // 0: whole epochs; otherwise stop each epoch after this many steps (bench)
};

const char* nameOf(LossKind k);
const char* nameOf(OptimizerKind k);
const char* nameOf(ScheduleKind k);
const char* nameOf(Precision p);
const char* nameOf(PruneStructure s);  // "unstructured" | "structured"
const char* nameOf(PruneScope s);      // "layer" | "global"

}  // namespace neurite
