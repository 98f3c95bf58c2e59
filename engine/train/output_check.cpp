// The output checks, worded as the trainer has always worded them.
#include "train/output_check.h"

namespace neurite {

DataFacts dataFacts(const Dataset& data) {
    return {data.source, data.numClasses, data.targetDim, data.train.count};
}

bool isClassification(LossKind kind) {
    return kind == LossKind::CrossEntropy || kind == LossKind::Focal || kind == LossKind::BinaryCrossEntropy;
}

std::string outputMismatch(const Shape& out, const DataFacts& data, const TrainConfig& cfg) {
    const int64_t outUnits = out.numelFrom(1);
    const std::string lossName = nameOf(cfg.loss.kind);
    if (isClassification(cfg.loss.kind)) {
        if (data.numClasses <= 0)
            return "loss " + lossName + " needs class labels, but the data source '" + data.source +
                   "' has regression targets; use mse or huber";
        if (out.rank() != 2)
            return "the output node gives " + out.str() + "; " + lossName +
                   " needs [N,classes]: end the model with a Dense layer";
        if (cfg.loss.kind == LossKind::BinaryCrossEntropy) {
            if (data.numClasses != 2)
                return "binary_cross_entropy needs 2 classes, the data has " +
                       std::to_string(data.numClasses) + "; use cross_entropy";
            if (outUnits != 1)
                return "binary_cross_entropy needs 1 output unit, the output node gives " + out.str() +
                       "; set the last Dense's units to 1";
        } else if (outUnits != data.numClasses) {
            return "the output node gives " + out.str() + " but the data has " +
                   std::to_string(data.numClasses) + " classes; set the last Dense's units to " +
                   std::to_string(data.numClasses) + " or \"auto\"";
        }
        if (!cfg.loss.classWeights.empty() && static_cast<int>(cfg.loss.classWeights.size()) != data.numClasses)
            return "loss.class_weights has " + std::to_string(cfg.loss.classWeights.size()) +
                   " entries, the data has " + std::to_string(data.numClasses) + " classes";
    } else {
        if (data.numClasses > 0)
            return "loss " + lossName + " needs regression targets, but the data source '" + data.source +
                   "' has class labels; use cross_entropy";
        if (outUnits != data.targetDim)
            return "the output node gives " + out.str() + " but the data has " +
                   std::to_string(data.targetDim) + " targets";
    }
    if (data.trainCount <= 0) return "the training split of '" + data.source + "' is empty";
    if (cfg.batchSize <= 0) return "batch_size must be >= 1";
    return {};
}

}  // namespace neurite
