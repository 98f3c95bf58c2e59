// A stored run's model back in memory, for export (`neurite-cli export --run ID`) and the GUI:
// the run's project is prepared again (same data, so the same fitted preprocessing:
// Dataset::scale, mean, invStd) and the chosen weights are restored into its Model. The target
// scaling is the run's own, as recorded (identity for runs recorded before it existed).
// loadRunModels loads several of a run's models (final and best) preparing the run once; it and
// runDecisionMap are what the GUI's workers call, with a stop token and a stage callback.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "data/data_description.h"
#include "export/decision_map.h"
#include "export/export_source.h"
#include "run_store.h"
#include "run/run_setup.h"
#include "train/events.h"

namespace neurite::storage {

// kind: Final (after training, restored best included) or Best (the best epoch's weights).
// Throws Error{BadInput} when the run has no such model (an interrupted run has no final one:
// use Best, or resume it) or its blob fails its checksum or does not fit the model.
RunSetup loadRunModel(RunStore& store, int64_t runId, CheckpointKind kind);
// The final model, else (an interrupted run) the best one: a run's model as a teacher or a
// variant takes it.
RunSetup loadRunModelFinalElseBest(RunStore& store, int64_t runId);

// Which of a run's models loadRunModels loads.
enum class RunModelChoice {
    FinalAndBest,   // each of the two the run has (export offers both)
    FinalElseBest,  // the final model, else the best one (Try it, the Runs tab's decision map)
};

struct LoadedModel {
    CheckpointKind kind = CheckpointKind::Final;
    int epoch = 0;  // the epoch the weights are from
    std::unique_ptr<Model> model;
};

// A stored run's models, sharing one prepared run. ExportSources point into it (the project, the
// models): keep it in one place (a shared_ptr) while they are used.
struct RunModels {
    RunDetails run;
    RunSetup setup;                   // the run prepared again; setup.model is null (see models)
    std::vector<LoadedModel> models;  // final first, then best; never empty
    std::string missing;              // why a model the choice asked for is not there, if one is not

    // The model at `index` with the data's preprocessing and class names, as export takes it.
    ExportSource exportSource(std::size_t index);
};

// Called on the loading thread with what the load does next ("loading the data ...").
using LoadStage = std::function<void(const std::string& stage)>;

// Reads the chosen models' weights (checksums checked) before preparing the run once (its data
// loaded; the part that takes time), then restores each into a Model of its own on the run's
// device. Throws Error{BadInput} when the run has none of the chosen models or a blob is damaged
// or does not fit, Error{Cancelled} when `stop` asks (checked between the steps), and whatever
// preparing the run throws.
RunModels loadRunModels(RunStore& store, int64_t runId, RunModelChoice choice,
                        const StopToken* stop = nullptr, const LoadStage& stage = {});

// A stored two-feature classifier's decision map, as the Training tab drew it at the end: its
// final model (else its best) over the plane around its training points.
struct RunDecisionMap {
    CheckpointKind kind = CheckpointKind::Final;  // the model drawn
    DecisionMap map;
    DataDescription data;  // the training points and class names it is drawn over
};

// Throws Error{BadInput} when the run's data is not two features with classes, and what
// loadRunModels throws.
RunDecisionMap runDecisionMap(RunStore& store, int64_t runId, const StopToken* stop = nullptr,
                              const LoadStage& stage = {});

}  // namespace neurite::storage
