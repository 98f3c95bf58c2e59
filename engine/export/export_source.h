// ExportSource: what every exporter (native file, ONNX) takes: a trained model, the project it
// was built from, the preprocessing fitted on its training split and its class names. The CLI
// builds it from a finished training run; a caller holding a checkpoint from the run store builds
// it the same way from the loaded model.
#pragma once

#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"
#include "data/dataset.h"
#include "graph/model.h"
#include "io/project.h"

namespace neurite {

struct RunSetup;

// feature[i] = (raw[i] * scale - mean[i]) * invStd[i], as Dataset and Backend::gatherRows
// define it; mean/invStd empty = no standardization, else one entry per sample value.
// target: a regression model's output map back to the target's units, y = z * std + mean (one
// entry per output unit; empty = identity, also for models saved before target scaling).
struct Preprocessing {
    float scale = 1.f;
    std::vector<float> mean, invStd;
    DType rawDType = DType::F32;  // what the data delivers: U8 for 8-bit images, else F32
    TargetScaling target;
    TextVocabulary text;  // a text model's tokenizer and vocabulary: raw text -> ids; else not fitted

    bool standardized() const { return !mean.empty(); }
};

struct ExportSource {
    const ProjectDocument& project;  // nodes, output node id, name
    Model& model;                    // trained weights (any backend)
    Preprocessing preprocessing;
    std::vector<std::string> classNames;  // empty: a regression model
};

Preprocessing preprocessingOf(const Dataset& data);
// Class names of a classification dataset ("0".."K-1" when the source has none), empty for
// regression.
std::vector<std::string> classNamesOf(const Dataset& data);
// The finished run's model with its data's preprocessing and class names.
ExportSource exportSourceOf(RunSetup& setup);

// The model's sample shape (its input shape without the batch): [2], [1,28,28].
Shape sampleShapeOf(const Model& model);

// The project's graph resolved against the model's sample shape and output units, checked to
// describe the same parameters as `model` (Error{Internal} otherwise; Error{BadInput} when the
// project no longer resolves).
ResolvedGraph resolveExported(const ExportSource& source);

}  // namespace neurite
