// How a layer type is written as PyTorch code (the `pytorch` export, export/torch_export.h):
// each registry entry has an emitter (LayerType::torch) that returns the submodule to construct,
// the forward expression and where its parameters go in the module's state_dict. The layers know
// nothing of files; the exporter assembles model.py from these pieces. Neurite's parameter
// layouts are torch's (Dense [out, in], Conv [out, in/groups, kh, kw], LSTM/GRU gate blocks), so
// most parameters map one to one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/shape.h"

namespace neurite {

class LayerParams;

// One layer to write: its resolved parameters and its inputs' and output's shapes (symbolic
// batch).
struct TorchLayer {
    const LayerParams& params;
    std::vector<Shape> inputShapes;
    Shape outputShape;
};

// Where one of Neurite's parameters (by its name in paramSpecs) goes: the key under the module
// in its state_dict, optionally the part-th of `parts` equal slices along dimension 0 (the two
// directions of a bidirectional LSTM are one tensor in Neurite, two in torch).
struct TorchWeight {
    std::string from;  // "weight", "gamma", "weight_ih"
    std::string to;    // "weight", "weight_ih_l0_reverse"
    int part = 0, parts = 1;
};

struct TorchCode {
    // The submodule's constructor, e.g. "nn.Linear(784, 128)"; empty when the layer is a
    // function of its inputs alone (Add, Flatten, pooling written with the helpers).
    std::string module;
    // A Python expression of the layer's output: {m} is the submodule (self.<name>), {0}, {1}...
    // the inputs, {all} all inputs as "a, b, c". It may call the helpers of model.py
    // (export/torch_export.cpp: pad, max_pool, avg_pool, rnn_output, derived_features) and F.
    std::string forward;
    std::vector<TorchWeight> weights;
};

using TorchEmitter = std::function<TorchCode(const TorchLayer&)>;

// Python literals: "(3, 3)", "[1, 0, 2, 1]", "1e-05", "True".
std::string pyTuple(const std::vector<int64_t>& values);
std::string pyList(const std::vector<int64_t>& values);
std::string pyFloat(double value);
inline std::string pyBool(bool value) { return value ? "True" : "False"; }

}  // namespace neurite
