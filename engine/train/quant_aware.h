// Quantization-aware training (TrainConfig::quantAware, docs/quantization.md). While active,
// the model computes the graph the int8 export writes: each Dense and Conv2D weight rounded to
// int8 per output channel (symmetric, scale max|w| / 127), and each tensor those layers read
// (except the graph's output) rounded to uint8 per tensor, over a range that training tracks as a
// moving average of every batch's min and max and that evaluation uses as it is. The rounding is
// straight-through: the backward pass treats it as the identity, and the optimizer steps the
// float weights, which come back after every backward.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "config/train_config.h"

namespace neurite {

class Model;

class QuantAware {
public:
    // Throws Error{BadInput} when the model has no Dense or Conv2D layer.
    QuantAware(Model& model, const QuantAwareConfig& cfg);
    ~QuantAware();  // the float weights back, the forward hook removed
    QuantAware(const QuantAware&) = delete;
    QuantAware& operator=(const QuantAware&) = delete;

    // Before a training forward that follows `stepsTaken` steps (training) or an evaluation:
    // when quantization has begun, the weights hold their int8 round trip and the activations
    // are rounded (and their ranges updated in training).
    void begin(int64_t stepsTaken, bool training);
    // After the backward, or the evaluation: the float weights back. Safe to call twice.
    void end();
    bool begun() const { return !m_ranges.empty(); }

    // The tracked ranges [node, min, max, ...] for checkpoints, and back.
    std::vector<float> state() const;
    void setState(const std::vector<float>& state);

private:
    void installHook();

    Model& m_model;
    QuantAwareConfig m_cfg;
    std::vector<int> m_weightNodes;                      // Dense and Conv2D nodes
    std::vector<std::pair<int64_t, int64_t>> m_weights;  // their weights: offset, out channels
    std::vector<int64_t> m_weightSizes;
    std::vector<int> m_inputs;                           // nodes whose outputs are rounded
    std::map<int, std::pair<float, float>> m_ranges;     // node -> tracked (min, max)
    std::vector<float> m_master, m_rounded, m_host;  // master, rounded: the weights, packed
    bool m_swapped = false, m_training = false, m_installed = false;
};

}  // namespace neurite
