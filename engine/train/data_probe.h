// probeData: a project's data loaded as a run would load it, and what the designer and the
// Training tab need to know of it before any run: the sizes "auto" binds to (DataInfo), what the
// trainer checks the model's output against (DataFacts) and the description the Training tab
// shows (counts, classes, 2-D points, sample pictures). The GUI calls it on a worker thread and
// caches the result by dataKey() (io/project.h).
#pragma once

#include <cstdint>

#include "config/data_config.h"
#include "data/data_description.h"
#include "train/output_check.h"

namespace neurite {

struct ProbedData {
    DataInfo info;
    DataFacts facts;
    DataDescription description;
};

// Throws what loadDataset throws (Error{BadInput} for a bad source or settings, Error{Io}).
ProbedData probeData(const DataConfig& data, uint64_t seed);

}  // namespace neurite
