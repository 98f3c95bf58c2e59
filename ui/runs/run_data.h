// Reading stored runs for the views: curves as plain vectors on an epoch axis (so runs with
// different batch sizes line up), the final evaluation as plot structs, flat settings, and the
// difference between two runs' networks.
#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "plot_data.h"
#include "run_store.h"

namespace neurite::ui {

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
// For runs shown together, per run the settings (at most `most`) in which they differ, as short
// "name value" pairs in the order people tune them: "lr 0.01, epochs 2", "sgd, batch 64",
// "data moons". Empty strings when they agree on everything (or one run is shown).
QStringList distinguishingSettings(const std::vector<QMap<QString, QString>>& settings, int most = 2);
// Sizes and labels the series from the run's settings; then loadNew() reads what is stored.
RunSeries makeSeries(const storage::RunDetails& run);
// Appends the steps and epochs stored since the last call; returns how many points arrived.
int64_t loadNew(storage::RunStore& store, RunSeries& s);

struct EvaluationPlots {
    QString split;  // "test" or "validation"
    std::vector<plot::CurveData> roc, pr;
    plot::ConfusionData confusion;
};
// The final test evaluation, else the final validation one, else the newest epoch's metrics.
std::optional<EvaluationPlots> finalEvaluation(storage::RunStore& store, int64_t id);
std::optional<EvaluationPlots> parseEvaluation(const std::string& reportJson, const QString& split);

// "training.optimizer.lr" -> "0.01" (scalars as JSON text).
QMap<QString, QString> flatSettings(const std::string& settingsJson);
// Layers added, removed or changed from a to b (by node id), one line each.
QStringList networkDiff(const std::string& projectA, const std::string& projectB);

}  // namespace neurite::ui
