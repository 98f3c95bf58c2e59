// What every node of a model computes for some raw samples, and a node's parameters: the shared
// part of the unit maps (2-D data) and the activation maps (images). Internal to engine/export.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "export/export_source.h"

namespace neurite {

struct NodeOutput {
    Shape shape;  // [count, ...]
    std::vector<float> values;
};

// Runs `count` raw samples through `model` (inference mode, its own preprocessing, one batch)
// with a forward hook, and returns by node index the outputs `want(shape)` accepts, copied to the
// host. The hook is removed again before it returns, also on an error.
std::map<int, NodeOutput> nodeOutputs(Model& model, const Preprocessing& preprocessing, const float* raw,
                                      int64_t count, const std::function<bool(const Shape&)>& want);

// Trainable parameter `name` ("weight", "bias") of node `node`, read from `snapshot`
// (Model::snapshot()); empty when the node has none.
std::vector<float> parameterOf(const Model& model, const std::vector<float>& snapshot, const std::string& node,
                               const std::string& name);

}  // namespace neurite
