// Rebuilding goes through prepareRun, the same path training took, so the model's layout and
// the preprocessing cannot drift from what the weights were trained with.
#include "run_model.h"

#include "core/error.h"
#include "io/project.h"
#include "recorder.h"
#include "run_info.h"
#include "train/checkpoint.h"

namespace neurite::storage {

RunSetup loadRunModel(RunStore& store, int64_t runId, CheckpointKind kind) {
    NEURITE_CHECK(kind != CheckpointKind::Latest, "loadRunModel takes Best or Final");
    const RunDetails run = store.requireRun(runId);
    const std::string what = store.path() + ": run " + std::to_string(runId);
    const auto blob = store.checkpoint(runId, kind);
    if (!blob)
        throwBadInput(what + " has no " + nameOf(kind) + " model (status " + run.status + ")" +
                      (kind == CheckpointKind::Final ? "; use its best model or resume it" : ""));
    const std::vector<float> weights = weightsFromBlob(blob->data, what);
    RunSetup setup = prepareRun(parseProject(run.projectJson, what + " project", nullptr));
    restoreTargetScaling(run, setup, what);
    checkWeights(*setup.model, weights, what + ": the stored " + nameOf(kind) + " model");
    setup.model->restore(weights);
    return setup;
}

}  // namespace neurite::storage
