// Decision maps: a two-feature classifier's decision over a rectangle of the plane, as the
// Training tab (live, on the training worker between two steps), Try it and the Runs tab draw
// it. One function pads the plane around the data points, one evaluates the model on a grid of
// raw points through the Predictor (the model's own preprocessing, as training applied it).
#pragma once

#include <span>
#include <vector>

#include "export/export_source.h"
#include "graph/model.h"

namespace neurite {

// A rectangle of the raw feature plane: x is the first feature, y the second.
struct PlaneRange {
    double xMin = -1, xMax = 1, yMin = -1, yMax = 1;
};

// The points' bounding box padded on each side by 10% of its extent, at least 1e-3 (so a single
// point or a line still gets an area). Non-finite coordinates are skipped; without a finite
// point, -1..1 on both axes. x and y are read pairwise up to the shorter length.
PlaneRange paddedPlane(std::span<const double> x, std::span<const double> y);

// Without points: the training data's spread from a two-feature preprocessing's standardization,
// mean +- 3 standard deviations per feature in raw units; -1..1 when it is not standardized.
PlaneRange spreadPlane(const Preprocessing& preprocessing);

inline constexpr int kDecisionMapSide = 64;  // 4,096 cells, one forward pass

// The raw (x, y) of the centres of side * side cells over `plane`, row-major over y as below:
// 2 * side * side floats.
std::vector<float> planeGrid(const PlaneRange& plane, int side);

// Row-major over y: cell (i, j) is cls[j * side + i], its centre at
// x = xMin + (i + 0.5) * (xMax - xMin) / side, y = yMin + (j + 0.5) * (yMax - yMin) / side.
struct DecisionMap {
    int side = 0;
    PlaneRange range;
    std::vector<int> cls;           // the most probable class (the first on ties)
    std::vector<float> confidence;  // its probability, 1/classes (a guess) -> 0, certainty -> 1
};

// Evaluates `model` (inference mode, one batch of side * side points) over `plane`. Throws
// Error{BadInput} when the model does not read two features, or its outputs are not the logits
// of `classes` classes (one unit is a binary classifier of two), or side < 1. int8: an int8
// model's quantization (NativeModel::int8), so that the map shows what the int8 runtime predicts.
DecisionMap decisionMap(Model& model, const Preprocessing& preprocessing, int classes,
                        const PlaneRange& plane, int side = kDecisionMapSide,
                        const Model::Int8Spec* int8 = nullptr);

}  // namespace neurite
