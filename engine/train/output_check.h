// Whether a model's output fits the loss and the data: the checks Trainer makes before its first
// step, also asked by the designer against the probed data, so a project the trainer would refuse
// is flagged before Start, in the trainer's words.
#pragma once

#include <cstdint>
#include <string>

#include "core/shape.h"
#include "data/dataset.h"
#include "config/train_config.h"

namespace neurite {

// What the checks read of a data set (the designer keeps these, not the data).
struct DataFacts {
    std::string source;
    int numClasses = 0;  // 0: regression targets
    int targetDim = 0;   // regression outputs
    int64_t trainCount = 0;
};

DataFacts dataFacts(const Dataset& data);

bool isClassification(LossKind kind);

// The first reason training cannot start with a model whose output is `out` ([N,...]), naming
// the setting to change ("set the last Dense's units to 3 or \"auto\""); empty when it fits.
std::string outputMismatch(const Shape& out, const DataFacts& data, const TrainConfig& cfg);

}  // namespace neurite
