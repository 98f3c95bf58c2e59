// Dataset: samples kept compactly on the host (u8 images stay u8: Fashion-MNIST's training set
// is ~47 MB), labels as class indices or regression targets, and the split into
// train/validation/test. Batches are converted to f32 on the training device.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"
#include "data/target_scaling.h"
#include "data/text/text_vocabulary.h"
#include "data/transforms/augment.h"

namespace neurite {

struct DataSplit {
    DType dtype = DType::F32;           // U8 or F32 features
    std::vector<uint8_t> bytes;         // count * sampleShape.numel() * dtypeSize(dtype)
    std::vector<int32_t> labels;        // classification: [count]
    std::vector<float> targets;         // regression: [count * targetDim]
    std::vector<std::string> texts;     // a text source's raw texts, until they are encoded
    int64_t count = 0;

    const float* f32() const { return reinterpret_cast<const float*>(bytes.data()); }
    // Feature value `at` (sample-major) as a float, whichever dtype holds it.
    float value(std::size_t at) const { return dtype == DType::U8 ? static_cast<float>(bytes[at]) : f32()[at]; }
};

struct Dataset {
    std::string source;                // the spec it came from ("idx:/path", "synthetic:spiral?...")
    Shape sampleShape;                 // without batch: [1,28,28] or [2]
    int numClasses = 0;                // 0 for regression
    int targetDim = 0;                 // regression outputs
    std::vector<std::string> classNames;
    std::vector<std::string> featureNames;  // tabular: one per feature ("color=red" for one-hot)
    std::vector<std::string> targetNames;   // regression: one per target column, when the source names them
    std::vector<std::string> notes;         // what loading did: dropped rows, imputation, resampling
    std::string imputation;            // tabular with NaN features: mean | median | most_frequent
    std::vector<float> classWeights;   // "balanced" class weights fitted on train; empty = none
    float scale = 1.f;                 // multiplies raw features (1/255 for pixels)
    std::vector<float> mean, invStd;   // per-feature standardization fitted on train; empty = none
    // Regression: the targets' standardization fitted on train (data.target_scaling). The splits'
    // targets stay in their own units; the trainer scales them on the way to the device.
    TargetScaling targetScaling;
    DataSplit train, validation, test;
    // Text sources: the splits hold raw texts (sampleShape [0]) until loading fits `text` on the
    // training split and encodes every split to [length] token ids (data/text).
    bool textSource = false;
    TextVocabulary text;  // settings from the spec; tokens and length once fitted
    // Time series windows (series: sources, data/series): the samples are in time order, so the
    // splits and folds are chronological; `purgeWindows` windows are dropped before each split
    // boundary so that no earlier window's targets overlap a later split's; the scaling is per
    // channel (sampleShape [lookback, channels]).
    bool chronological = false;
    int64_t purgeWindows = 0;
    int64_t seriesChannels = 0;
    // Training batches: augmentation of the training split, and whether batches are prepared on
    // the host by a background thread (data/batch_pipeline.h) instead of gathered on the device.
    AugmentConfig augment;
    bool hostPipeline = false;
};

}  // namespace neurite
