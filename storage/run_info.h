// What the store keeps about a run's inputs, built from the prepared run: the project as
// trained, its settings as flat "training.optimizer.lr" keys (what `runs compare` diffs) and a
// data summary.
#pragma once

#include <string>

#include "run_store.h"
#include "train/run_setup.h"

namespace neurite::storage {

NewRun describeRun(const RunSetup& setup);

}  // namespace neurite::storage
