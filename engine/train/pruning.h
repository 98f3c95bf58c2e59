// Magnitude pruning (TrainConfig::pruning, docs/pruning.md): which layers can be pruned, the
// schedule, the Pruner the trainer runs around each optimizer step, and every layer's sparsity.
// A pruned weight is exactly zero and the optimizer's update is zeroed again after each step, so
// the zeros are the mask: checkpoints, resumes, branches and exports carry it without a format of
// their own. Structured pruning zeroes whole units (Dense) or filters (Conv2D), with their bias
// and the gamma and beta of a BatchNorm that follows, so that the unit outputs exactly 0 and
// compaction (train/compaction.h) can remove it without changing a single output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/train_config.h"
#include "core/tensor.h"
#include "train/events.h"

namespace neurite {

class Model;

// Where a unit's output is read by a layer with weights: a Dense layer's input columns
// o * (units * inner) + c * inner + i for unit c (o < outer, i < inner: the positions a Flatten
// put around it; 1 and 1 without a Flatten), or a Conv2D's input channel c.
struct UnitReader {
    int node = -1;
    int64_t outer = 1, inner = 1;
};

// A Dense or Conv2D layer: its weight is [rows, rowSize] in the value store (rows = units or
// filters), and what structured pruning needs to remove a row.
struct PruneTarget {
    int node = -1;
    std::string id;
    bool trainable = true;
    int64_t weightOffset = 0, rows = 0, rowSize = 0;
    int64_t biasOffset = -1;  // -1: no bias
    // Structured: the rows can be removed exactly. Then `companions` are the value-store offsets
    // of per-unit arrays zeroed with a row (BatchNorm gamma and beta), `normNodes` those
    // BatchNorm nodes (their running statistics shrink too on compaction), `readers` the layers
    // that read the units. Otherwise `whyNot` says why ("feeds the model's output").
    bool removable = false;
    std::string whyNot;
    std::vector<int64_t> companions;
    std::vector<int> normNodes;
    std::vector<UnitReader> readers;
};

// Every Dense and Conv2D layer of the model in node order, with what structured pruning needs.
std::vector<PruneTarget> pruneTargets(const Model& model);

// Zero weights and all-zero units of every Dense and Conv2D layer (weights as they are now).
std::vector<LayerSparsity> sparsityOf(Model& model);
// The same from host weights in Model::snapshot() order.
std::vector<LayerSparsity> sparsityOf(const Model& model, const std::vector<float>& weights);

// The target sparsity after `stepsTaken` optimizer steps: the polynomial's value at the latest
// update step (beginStep + k * frequency, or endStep) not after it; -1 before beginStep.
double scheduledSparsity(const PruningConfig& cfg, int64_t stepsTaken);

// Checks a pruning configuration against the model: the listed layers exist and can be pruned
// (structured: their units can be removed), and something is left to prune. Throws
// Error{BadInput} naming the setting. Returns the targets it will prune.
std::vector<PruneTarget> checkPruning(const Model& model, const PruningConfig& cfg);

class Pruner {
public:
    // Throws as checkPruning.
    Pruner(Model& model, const PruningConfig& cfg);

    // Before the step that follows `stepsTaken` steps: when the schedule's target changed since
    // the last update (and at the first call at or after beginStep, which also takes over the
    // zeros of resumed or branched weights), prunes the smallest weights or units to it.
    void beforeStep(int64_t stepsTaken);
    // After the optimizer step: the pruned weights back to exactly zero.
    void afterStep();
    bool active() const { return m_active; }

private:
    void update(double sparsity);

    Model& m_model;
    PruningConfig m_cfg;
    std::vector<PruneTarget> m_targets;
    std::vector<float> m_host, m_hostMask;
    Tensor m_mask;
    bool m_active = false;
    double m_applied = -1;
};

}  // namespace neurite
