// What the store keeps about a run's inputs, built from the prepared run: the project as
// trained, its settings as flat "training.optimizer.lr" keys (what `runs compare` diffs) and a
// data summary, with the regression target scaling the weights were trained with.
#pragma once

#include <string>

#include "run_store.h"
#include "run/run_setup.h"

namespace neurite::storage {

NewRun describeRun(const RunSetup& setup);

// The target scaling a run's weights were trained with, from its data description
// ("target_mean", "target_std"). A run recorded before target scaling has neither: it trained on
// the raw targets, so the identity. Throws Error{BadInput} naming `what` when they are damaged
// or do not fit `targetDim`.
TargetScaling storedTargetScaling(const std::string& dataJson, int targetDim, const std::string& what);
// A stored run prepared again (export, resume): its data gets the run's own target scaling in
// place of the one just fitted, so outputs are mapped back as in training.
void restoreTargetScaling(const RunDetails& run, RunSetup& setup, const std::string& what);

}  // namespace neurite::storage
