// Knowledge distillation's soft-target term (TrainConfig::distillation, docs/distillation.md):
// for student logits z and teacher logits v of a batch, (1 - alpha) * T^2 * KL(softmax(v / T) ||
// softmax(z / T)) averaged over the batch, and its gradient with respect to z,
// (1 - alpha) * T * (softmax(z / T) - softmax(v / T)) / n (Hinton et al., 2015).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace neurite {

// logits: the batch's student logits [n x classes]; teacher: the teacher's logits of every
// training sample [samples x classes]; samples: the batch's training-sample indices (n of them).
// Writes the gradient into grad (resized to n x classes) and returns the term's value.
double distillationTerm(std::span<const float> logits, std::span<const float> teacher,
                        std::span<const int32_t> samples, int64_t classes, double alpha,
                        double temperature, std::vector<float>& grad);

}  // namespace neurite
