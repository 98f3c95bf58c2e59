#include "config/lesson_config.h"

namespace neurite {

std::span<const LessonItem> lessonPanels() {
    static constexpr LessonItem kPanels[] = {
        {"palette", "the layer palette (no layer can be added)"},
        {"inspector", "the inspector (layer parameters)"},
        {"problems", "the Problems panel"},
        {"settings", "the Training tab's settings column"},
        {"summary", "the Summary tab"},
        {"json", "the JSON tab (the project file's text)"},
        {"runs", "the Runs tab"},
        {"experiments", "the Experiments tab"},
        {"try_it", "the Try it tab"},
        {"neurons", "the Training tab's Neurons view"},
        {"export", "exporting and importing models (File menu, Export model)"},
    };
    return kPanels;
}

std::span<const LessonItem> lessonLocks() {
    static constexpr LessonItem kLocks[] = {
        {"network", "the network: no layer added, removed, edited or connected"},
        {"data.source", "the data source"},
        {"data.points", "the points on the decision map (none added or removed)"},
        {"data.validation_split", "the validation split"},
        {"data.test_split", "the test split"},
        {"data.scaling", "feature scaling"},
        {"data.balance", "resampling (oversample, undersample, SMOTE)"},
        {"data.smote_k", "SMOTE's neighbours"},
        {"data.class_weights", "class weights"},
        {"training.epochs", "the number of epochs"},
        {"training.batch_size", "the batch size"},
        {"training.device", "the device"},
        {"training.threads", "the CPU threads"},
        {"training.precision", "the precision"},
        {"training.loss.type", "the loss"},
        {"training.loss.label_smoothing", "label smoothing"},
        {"training.optimizer.type", "the optimizer"},
        {"training.optimizer.lr", "the learning rate"},
        {"training.optimizer.momentum", "the momentum"},
        {"training.optimizer.weight_decay", "weight decay"},
        {"training.schedule.type", "the learning-rate schedule"},
        {"training.regularization.l2", "L2 regularization"},
        {"training.clip_norm", "gradient clipping"},
        {"training.early_stopping.enabled", "early stopping"},
        {"training.early_stopping.monitor", "early stopping's metric"},
        {"training.early_stopping.patience", "early stopping's patience"},
    };
    return kLocks;
}

}  // namespace neurite
