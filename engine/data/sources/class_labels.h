// Class labels from numeric values, the same way for every source (NPY, IDX, CSV): the
// distinct values in numeric order are the classes, so {1, 2} is 2 classes, {0, 5000} is 2
// and {-1, 1} is binary; a label's class is its value's rank. Also the warning when a target
// has nearly as many classes as rows (a quantity read as classes).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace neurite {

inline constexpr std::size_t kMaxClasses = 1000;

// The sorted distinct values of every span.
std::vector<double> distinctValues(std::initializer_list<std::span<const double>> labels);

// Index of v in `classes` (sorted, v among them).
int32_t classIndex(const std::vector<double>& classes, double v);

// "3", "-1", "0.5": the shortest text that reads back as v.
std::string labelName(double v);

// Adds a note when there are at least 20 classes and more than half as many classes as rows:
// integer counts, years or prices read as classes; suggests task=regression.
void noteManyClasses(Dataset& ds, int64_t rows, const std::string& targetName);

} // namespace neurite
