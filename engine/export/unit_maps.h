// Unit maps: for a network on two input features, what every unit of every layer computes over
// the input plane, as TensorFlow Playground draws inside its neurons. One forward pass of a grid
// of raw points (through the model's own preprocessing, as training applied it) with a forward
// hook that copies each node's output: the designer draws the maps inside the blocks and the
// neuron view beside its nodes, live while training (between two steps, on the worker).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "export/decision_map.h"
#include "graph/graph.h"

namespace neurite {

inline constexpr int kUnitMapSide = 32;       // 1,024 cells per map
inline constexpr int64_t kUnitMapMaxUnits = 64;  // wider layers get no maps

// One node's units. Unit u's map is values[u * side * side + c], cell c as in DecisionMap
// (row-major over y, the first row at yMin).
struct UnitMap {
    std::string node;   // the node's id
    std::string op;     // its layer type ("Dense", "ReLU", ...)
    int64_t units = 0;  // the node's output values per sample
    std::vector<float> values;
    float maxAbs = 0;   // the largest |value| over all its units and cells (finite ones), 0 if none
    // A Dense node's parameters, for the neuron view: weight [units, inputs] and bias [units].
    std::string input;  // the node it reads (single-input nodes), empty otherwise
    std::vector<float> weight, bias;
};

struct UnitMaps {
    int side = 0;
    PlaneRange range;
    // In the project's node order; nodes with more than maxUnits outputs, or not reached by the
    // forward pass, are left out.
    std::vector<UnitMap> nodes;
    const UnitMap* find(const std::string& id) const;
};

// Evaluates `model` (built from `nodes`, inference mode, one batch of side * side points) over
// `plane` and returns every node's output per unit. Throws Error{BadInput} when the model does
// not read two features or side < 1.
UnitMaps unitMaps(Model& model, const std::vector<Node>& nodes, const Preprocessing& preprocessing,
                  const PlaneRange& plane, int side = kUnitMapSide, int64_t maxUnits = kUnitMapMaxUnits);

}  // namespace neurite
