// Activation maps: what every layer of an image network computes for one sample, as CNN
// Explainer shows it. One forward pass of the sample (through the model's own preprocessing)
// with a forward hook that copies each node's output; a Conv2D node also carries its weights and
// geometry, so that any one output value can be taken apart into the kernel, the input patch it
// slid over and their sum (convArithmetic), which is what the studio shows on a click.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "export/export_source.h"
#include "graph/graph.h"

namespace neurite {

inline constexpr int64_t kActivationMapMaxValues = 1 << 18;  // per node; larger outputs are left out

struct ActivationMap {
    std::string node, op;
    // The output of one sample as [channels, height, width]; an output without space ([C]) is
    // channels x 1 x 1.
    int64_t channels = 0, height = 0, width = 0;
    std::vector<float> values;
    float maxAbs = 0;  // largest finite |value|
    // Conv2D only: the node it reads, its weights [K, C/G, R, S], bias [K] (empty without one)
    // and geometry (padding resolved).
    std::string input;
    std::vector<float> weight, bias;
    ConvDesc conv;
    bool isConv = false;
};

struct ActivationMaps {
    std::vector<float> sample;  // the raw sample as given
    std::vector<ActivationMap> nodes;  // in the project's order; the input node first
    const ActivationMap* find(const std::string& id) const;
};

// Runs `model` (inference mode) on one raw sample of its sample shape. Throws Error{BadInput}
// when `raw` does not hold one sample of the model's shape.
ActivationMaps activationMaps(Model& model, const std::vector<Node>& nodes, const ResolvedGraph& graph,
                              const Preprocessing& preprocessing, const std::vector<float>& raw,
                              int64_t maxValues = kActivationMapMaxValues);

// One output value of a Conv2D, taken apart: for each input channel of its group, the kernel
// slice [R, S] and the input patch under it (0 where the window reaches into the padding),
// laid out [channel][r][s]; the bias; and bias + the sum of kernel * patch.
struct ConvArithmetic {
    int64_t inChannels = 0, firstChannel = 0, kernelH = 0, kernelW = 0;
    int64_t top = 0, left = 0;  // the window's first row and column in the input (may be negative)
    std::vector<float> kernel, patch;
    float bias = 0;
    double sum = 0;
};

// Throws Error{BadInput} when `conv` is not a Conv2D of `maps`, its input is not in them, or
// (channel, y, x) is outside its output.
ConvArithmetic convArithmetic(const ActivationMaps& maps, const std::string& conv, int64_t channel, int64_t y,
                              int64_t x);

}  // namespace neurite
