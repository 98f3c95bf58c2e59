// Distillation's teacher (docs/distillation.md): its logits on every sample of the student's
// training split, computed once before training (Trainer::setTeacher), from raw samples through
// the teacher's own preprocessing, so a teacher trained with other scaling still sees what it
// was trained on.
#pragma once

#include <string>
#include <vector>

#include "export/export_source.h"

namespace neurite {

// [train.count x classes] logits (a teacher ending in Softmax gives log-probabilities, which
// differ from its logits by a constant per sample: the same soft targets). Throws Error{BadInput}
// when the teacher is not a classifier, or its classes or sample shape differ from the student's.
std::vector<float> teacherLogits(const ExportSource& teacher, const Dataset& student,
                                 const std::string& teacherName);

}  // namespace neurite
