// A stored run's model back in memory, for export (`neurite-cli export --run ID`) and the GUI:
// the run's project is prepared again (same data, so the same fitted preprocessing:
// Dataset::scale, mean, invStd) and the chosen weights are restored into its Model. The target
// scaling is the run's own, as recorded (identity for runs recorded before it existed).
#pragma once

#include <cstdint>

#include "run_store.h"
#include "run/run_setup.h"

namespace neurite::storage {

// kind: Final (after training, restored best included) or Best (the best epoch's weights).
// Throws Error{BadInput} when the run has no such model (an interrupted run has no final one:
// use Best, or resume it) or its blob fails its checksum or does not fit the model.
RunSetup loadRunModel(RunStore& store, int64_t runId, CheckpointKind kind);

}  // namespace neurite::storage
