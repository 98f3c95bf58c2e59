// Points added to or removed from 2-D classification data by hand (teaching: a click on the
// decision map), kept in the project's data.points (config/data_config.h). They apply to the
// training split right after splitting, so the scaling, resampling and class weights fitted on
// it see them; validation and test stay as the source gives them.
#pragma once

#include "config/data_config.h"
#include "data/dataset.h"

namespace neurite {

// Leaves out the training points at `edits.remove`'s coordinates (each at most once) and appends
// `edits.add`. Throws Error{BadInput} "data.points: ..." unless the data has two features and
// class labels and every added point's class is one of them. Adds a note of what it did,
// including removals that matched no training point (the data was regenerated since).
void applyPointEdits(Dataset& ds, const PointEdits& edits);

}  // namespace neurite
