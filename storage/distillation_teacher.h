// training.distillation.teacher resolved for a run about to train (docs/distillation.md): "run:ID"
// is a stored run's final model (else its best) from the run store; a *.neurite.json project is
// its model with its starting weights (an imported ONNX model: neurite-cli import writes one);
// anything else a native model file (*.nmodel). Paths are relative to the project's folder. The
// teacher's logits on the student's training split go to Trainer::setTeacher.
#pragma once

#include <string>
#include <vector>

#include "data/dataset.h"
#include "io/project.h"

namespace neurite::storage {

// Throws Error{BadInput} for a teacher that cannot be read or does not fit the student (other
// classes or sample shape), naming it. dbPath: the run store for "run:ID" teachers.
std::vector<float> distillationTeacher(const ProjectDocument& project, const Dataset& student,
                                       const std::string& dbPath);

}  // namespace neurite::storage
