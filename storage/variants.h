// A stored run's compression variants (docs/compression.md): the run itself, the runs branched
// from it (a pruning or quantization-aware fine-tune, or any other branch), and the runs distilled
// from it (training.distillation.teacher = "run:ID"), for `neurite-cli compress report` and the
// Runs tab's Compare Variants.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "run_store.h"

namespace neurite::storage {

struct RunVariant {
    int64_t id = 0;
    std::string name;
    std::string relation;  // "the run" | "branched after epoch 5" | "distilled from it"
    std::string settings;  // the runs list's settings ("adam, lr 0.001, batch 64, pruned structured 30%")
};

// The run first, then its variants by id. Throws Error{BadInput} when there is no run `id`.
std::vector<RunVariant> runVariants(RunStore& store, int64_t id);

}  // namespace neurite::storage
