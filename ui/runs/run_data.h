// Stored runs' curves for the views, as plain vectors on an epoch axis (so runs with different
// batch sizes line up). The rest of a stored run (its evaluation, settings and the differences
// between runs) is read by storage/run_records.h, as the CLI reads it.
#pragma once

#include <QString>

#include <vector>

#include "run_store.h"

namespace neurite {

struct RunSeries {
    int64_t id = 0;
    QString label;   // "#12 Spiral": tables, CSV, the curves' identity
    QString legend;  // the label and what sets the run apart from the others shown: "#12 Spiral (lr 0.1)"
    double stepsPerEpoch = 1;
    // Appended by loadNew(); x values are epochs (fractional for steps).
    std::vector<double> stepX, stepLoss, stepLr;
    std::vector<double> epochX, trainLoss, trainAcc, valLoss, valAcc;
    int64_t lastStep = 0;
    int lastEpoch = 0;
};

// "#12 Spiral": how plots, legends and tables name a run.
QString runLabel(const storage::RunSummary& run);
// Sizes and labels the series from the run's settings; then loadNew() reads what is stored.
// Throws Error{BadInput} when the run's settings or data description are damaged.
RunSeries makeSeries(const storage::RunStore& store, const storage::RunDetails& run);
// Appends the steps and epochs stored since the last call; returns how many points arrived.
int64_t loadNew(storage::RunStore& store, RunSeries& s);

}  // namespace neurite
