// What the run store keeps as JSON text, as C++ types, with the one reader and writer of each:
// evaluations (an EvaluationReport, written by metricsJson and read back here), the data
// description (DataSummary), the flat settings (RunSettings) and the differences between runs
// (settings and networks), computed here once for `neurite-cli runs show/compare/export` and
// the GUI's runs view alike. The stored text is the user's file: anything damaged or edited is
// Error{BadInput} naming the run and the value ("runs.db: run 3 test evaluation: \"accuracy\" is
// \"x\", expected a number or null"), never a crash or a silently empty plot.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "data/target_scaling.h"
#include "metrics/evaluation.h"
#include "run_store.h"

namespace neurite::storage {

// "FILE: run ID WHAT": how errors about a stored run's JSON name it.
std::string storedWhere(const RunStore& store, int64_t id, const std::string& what);

// ---- Evaluations -------------------------------------------------------------------------------

// The inverse of metricsJson (metrics_json.h): metricsJson(parseEvaluation(metricsJson(r))) is
// metricsJson(r). What the text does not hold stays empty: a report stored without curves has
// summary areas but no points; one without details has no per-class table or confusion counts.
EvaluationReport parseEvaluation(const std::string& text, const std::string& what);

// The evaluation a run is judged by, and what it is: the final test evaluation ("test"), else the
// final validation one ("validation"), else the newest epoch's validation metrics ("validation
// (epoch 7)"); nullopt when none is stored yet. `first` names a split to take before those when
// the run has it (an experiment's confusion view pools the split its objective scores).
struct StoredEvaluation {
    std::string title;
    EvaluationReport report;
};
std::optional<StoredEvaluation> finalEvaluation(RunStore& store, int64_t id, const std::string& first = "");

// ---- The data description ----------------------------------------------------------------------

struct DataSummary {
    std::string source;       // the data spec as trained ("builtin:iris", "csv:/data/prices.csv")
    std::string sampleShape;  // "[2]", "[1, 28, 28]"
    int64_t train = 0, validation = 0, test = 0;
    std::vector<std::string> classes;       // empty for regression
    std::vector<int64_t> trainClassCounts;  // per class, the training split
    int targets = 0;                        // regression outputs (0 for classifiers)
    // The regression target scaling the weights were trained with; identity for classifiers and
    // for runs recorded before target scaling existed.
    TargetScaling targetScaling;

    // Two features with classes: a run whose model has a decision map.
    bool planar() const { return sampleShape == "[2]" && !classes.empty(); }
};
std::string dataSummaryJson(const DataSummary& d);
// Keys absent from older runs read as empty; damaged ones throw, and so does a target scaling that
// is not `targets` means and positive standard deviations.
DataSummary parseDataSummary(const std::string& text, const std::string& what);

// ---- Settings and differences ------------------------------------------------------------------

// One setting: `json` is its JSON text ("0.01", "\"adam\"", "[1,2]"), compared as such; `text`
// is how it reads (strings without quotes).
struct SettingValue {
    std::string json, text;
    bool operator==(const SettingValue& o) const { return json == o.json; }
};
// "training.optimizer.lr" -> 0.01, plus "device" (where the run trained).
using RunSettings = std::map<std::string, SettingValue>;
RunSettings parseSettings(const std::string& settingsJson, const std::string& what);
// The run's settings, its device and, when it was changed while paused, kChangedWhilePaused.
RunSettings settingsOf(const RunDetails& run, const RunStore& store);
inline constexpr const char* kChangedWhilePaused = "training.changed_while_paused";

// A number setting, when there is one under `key`.
std::optional<double> numberSetting(const RunSettings& s, const std::string& key);

// Setting rows for runs side by side, in the order people tune (learning rate, optimizer, batch
// size, epochs, data, seed), then by name. values[i] is run i's value, nullopt where it has none.
struct SettingRow {
    std::string key;
    std::vector<std::optional<SettingValue>> values;
    bool differs = false;
};
std::vector<SettingRow> settingRows(const std::vector<RunSettings>& runs, bool differingOnly);
// "lr", "batch", "data", else the last part of the key ("momentum").
std::string shortSettingName(const std::string& key);
// Per run, the first `most` settings in which the runs differ as short "name value" pairs: "lr
// 0.01, epochs 2", "sgd, batch 64", "data moons". Empty when they agree (or one run is given).
std::vector<std::string> distinguishingSettings(const std::vector<RunSettings>& runs, int most = 2);

// Layers added, removed or changed from project a to project b (by node id), one line each:
// "added conv2 (Conv2D)", "changed d1: units 8 -> 16". Positions on the canvas do not count.
std::vector<std::string> networkDiff(const std::string& projectA, const std::string& projectB,
                                     const std::string& what);

}  // namespace neurite::storage
