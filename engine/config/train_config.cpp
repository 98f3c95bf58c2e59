// Names of training settings as written in project files and events.
#include "config/train_config.h"

namespace neurite {

const char* nameOf(LossKind k) {
    switch (k) {
    case LossKind::CrossEntropy: return "cross_entropy";
    case LossKind::BinaryCrossEntropy: return "binary_cross_entropy";
    case LossKind::Focal: return "focal";
    case LossKind::Mse: return "mse";
    case LossKind::Huber: return "huber";
    }
    return "?";
}

const char* nameOf(OptimizerKind k) {
    switch (k) {
    case OptimizerKind::Sgd: return "sgd";
    case OptimizerKind::Adam: return "adam";
    case OptimizerKind::AdamW: return "adamw";
    case OptimizerKind::Rmsprop: return "rmsprop";
    }
    return "?";
}

const char* nameOf(ScheduleKind k) {
    switch (k) {
    case ScheduleKind::Constant: return "constant";
    case ScheduleKind::Step: return "step";
    case ScheduleKind::Exponential: return "exponential";
    case ScheduleKind::Cosine: return "cosine";
    case ScheduleKind::Plateau: return "plateau";
    }
    return "?";
}

const char* nameOf(Precision p) { return p == Precision::Bf16 ? "bf16" : "fp32"; }

const char* nameOf(PruneStructure s) {
    return s == PruneStructure::Structured ? "structured" : "unstructured";
}

const char* nameOf(PruneScope s) { return s == PruneScope::Global ? "global" : "layer"; }

}  // namespace neurite
