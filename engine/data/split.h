// Internal to engine/data: the seeded (stratified) orderings behind the train/validation/test
// split and k-fold cross-validation, and copying rows out of a split.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "data/dataset.h"

namespace neurite {

// A permutation of 0..n-1, a pure function of (labels, seed). Stratified (labels given): each
// class is shuffled, then the classes are interleaved by fractional rank, so that every prefix
// holds each class in proportion (within about one sample).
std::vector<int64_t> splitOrder(int64_t n, std::span<const int32_t> labels, bool stratify,
                                uint64_t seed);

// The given rows of `src` (features, labels and targets); rowBytes = bytes per sample.
DataSplit takeRows(const DataSplit& src, std::span<const int64_t> rows, std::size_t rowBytes);

inline std::size_t rowBytesOf(const Dataset& ds, const DataSplit& split) {
    return static_cast<std::size_t>(ds.sampleShape.numel()) * dtypeSize(split.dtype);
}

} // namespace neurite
