// The Pareto front of trials on two numbers (an objective against a cost such as parameters,
// FLOPs or seconds): the trials no other trial beats on one without losing on the other.
#pragma once

#include <cstddef>
#include <vector>

namespace neurite {

struct ParetoPoint {
    double x = 0, y = 0;  // e.g. x = parameters (smaller better), y = val_accuracy (larger better)
};

// Indices of the non-dominated points, sorted by x. A point dominates another when it is at
// least as good on both and better on one; equal points are all on the front. Non-finite points
// are never on it.
std::vector<std::size_t> paretoFront(const std::vector<ParetoPoint>& points, bool smallerXBetter,
                                     bool largerYBetter);

}  // namespace neurite
