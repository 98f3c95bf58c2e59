// Building a Dataset from a project's data settings: the source spec, the train/validation/test
// split and the scaling fitted on the training split only.
//
// Source specs:
//   idx:PATH                 a directory with train-images-idx3-ubyte[.gz],
//   train-labels-idx1-ubyte[.gz]
//                            and optionally t10k-*, or one images file with its labels file beside
//                            it
//   builtin:fashion-mnist    idx:/usr/share/datasets/fashion-mnist (package dataset-fashion-mnist)
//   synthetic:spiral?samples=N&classes=K&noise=X&seed=S   (defaults 1000, 3, 0.2, 1)
//   synthetic:circles|moons|xor|linear|gaussian|blobs?samples=N&noise=X&seed=S (blobs: classes,
//     features; circles: factor; linear: angle; all but blobs: ratio, class 1's share)
//   csv:PATH?target=COL&task=auto|classification|regression&missing=drop|mean|median|most_frequent
//       &delimiter=C|space&header=auto|yes|no&ignore=COL,COL&skip=N&encoding=auto|utf-8|utf-16|latin1
//       (PATH may be gzip-compressed)
//   builtin:iris | wine | breast-cancer | digits   (bundled, resources/data)
//   npy:X.npy?labels=y.npy&task=.. | npy:DIR (X.npy, y.npy)    cifar10:DIR
//   images:DIR?size=N&color=gray|rgb&on_error=fail|skip
// docs/data.md describes each.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "config/data_config.h"
#include "data/dataset.h"

namespace neurite {

inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Loads and splits the data. Sources with a test set (IDX t10k files) keep it and ignore
// cfg.testSplit; otherwise test and validation come off a shuffle seeded by `seed`. Throws
// Error{BadInput} for a bad spec (quoted, with the valid options), missing or corrupt files.
Dataset loadDataset(const DataConfig& cfg, uint64_t seed);

// The source as read, unsplit and unscaled (for `neurite-cli data inspect`).
Dataset loadSource(const DataConfig& cfg);

// Stratified k-fold cross-validation: k Datasets whose validation splits partition the training
// data (after any test split), each with imputation, scaling, resampling and class weights
// fitted on its own training part. Throws Error{BadInput} unless 2 <= k <= samples.
std::vector<Dataset> loadFolds(const DataConfig& cfg, uint64_t seed, int k);

// What the graph needs to bind "auto": the sample shape and the number of outputs.
DataInfo dataInfo(const Dataset& ds);

// Features of the given rows of a split as f32 with the dataset's scaling applied:
// feature[i] = (raw[i] * scale - mean[i]) * invStd[i] (mean/invStd only when fitted).
// dst holds rows.size() * sampleShape.numel() floats.
void gatherFeatures(const Dataset& ds, const DataSplit& split, std::span<const int64_t> rows,
                    float* dst);

} // namespace neurite
