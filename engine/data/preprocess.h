// Internal to engine/data: the steps after the split, each fitted on the training split only
// and applied unchanged to validation and test: missing-value imputation, scaling, class
// weights; and the class-imbalance resampling of the training split.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace neurite {

// A text source (ds.textSource): fits ds.text on the training split's texts and encodes every
// split's texts to [length] ids (f32); sets the sample shape and adds notes (vocabulary, length,
// out-of-vocabulary share). A no-op for other sources. data/text/text_encode.cpp.
void encodeTexts(Dataset& ds);

// Fills NaN features of every split with the training split's per-feature mean, median or
// most frequent value (ds.imputation); adds a note per imputed feature.
void imputeMissing(Dataset& ds);

// mode: auto | none | unit | standardize | minmax. Sets ds.scale, ds.mean, ds.invStd so that
// feature = (raw * scale - mean) * invStd; min-max is mean = min, invStd = 1 / (max - min).
void fitScaling(Dataset& ds, const std::string& mode);

// Regression only (a no-op for class labels): ds.targetScaling from the training split's targets,
// per column, mean and population std in double (two passes, as fitScaling); a constant column
// gets std 1. Adds a note with the statistics. Throws Error{BadInput} for a target too wide for
// float32.
void fitTargetScaling(Dataset& ds);

// balance: none | oversample | undersample | smote (k neighbours). Resamples ds.train with a
// generator seeded by `seed` only; adds a note with the class counts before and after.
void rebalance(Dataset& ds, const std::string& balance, int k, uint64_t seed);

// n / (classes * n_c) over the training split (sklearn's "balanced"); a class without training
// samples gets weight 0.
std::vector<float> balancedClassWeights(const Dataset& ds);

std::vector<int64_t> classCounts(const DataSplit& split, int numClasses);

} // namespace neurite
