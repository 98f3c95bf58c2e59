// Rebuilding goes through prepareRun, the same path training took, so the model's layout and
// the preprocessing cannot drift from what the weights were trained with.
#include "run_model.h"

#include <optional>

#include "core/error.h"
#include "io/project.h"
#include "recorder.h"
#include "run_info.h"
#include "train/checkpoint.h"

namespace neurite::storage {

namespace {

struct StoredWeights {
    CheckpointKind kind;
    int epoch;
    std::vector<float> weights;
};

std::string describeRunPath(const RunStore& store, int64_t runId) {
    return store.path() + ": run " + std::to_string(runId);
}

// The run prepared again from its stored project, with its own target scaling.
RunSetup prepareStored(const RunDetails& run, const std::string& what) {
    ProjectDocument project = parseProject(run.projectJson, what + " project", nullptr);
    project.weights.clear();  // the checkpoint holds every weight: the starting ones are not needed
    RunSetup setup = prepareRun(project);
    restoreTargetScaling(run, setup, what);
    return setup;
}

}  // namespace

RunSetup loadRunModelFinalElseBest(RunStore& store, int64_t runId) {
    try {
        return loadRunModel(store, runId, CheckpointKind::Final);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput || !store.run(runId)) throw;
        return loadRunModel(store, runId, CheckpointKind::Best);
    }
}

RunSetup loadRunModel(RunStore& store, int64_t runId, CheckpointKind kind) {
    NEURITE_CHECK(kind != CheckpointKind::Latest, "loadRunModel takes Best or Final");
    const RunDetails run = store.requireRun(runId);
    const std::string what = describeRunPath(store, runId);
    const auto blob = store.checkpoint(runId, kind);
    if (!blob)
        throwBadInput(what + " has no " + nameOf(kind) + " model (status " + run.status + ")" +
                      (kind == CheckpointKind::Final ? "; use its best model or resume it" : ""));
    const std::vector<float> weights = weightsFromBlob(blob->data, what);
    RunSetup setup = prepareStored(run, what);
    checkWeights(*setup.model, weights, what + ": the stored " + nameOf(kind) + " model");
    setup.model->restore(weights);
    return setup;
}

ExportSource RunModels::exportSource(std::size_t index) {
    NEURITE_CHECK(index < models.size() && models[index].model, "RunModels: no model at this index");
    return ExportSource{setup.project, *models[index].model, preprocessingOf(setup.data),
                        classNamesOf(setup.data)};
}

RunModels loadRunModels(RunStore& store, int64_t runId, RunModelChoice choice, const StopToken* stop,
                        const LoadStage& stage) {
    const auto step = [&](const std::string& text) {
        if (stop && stop->stopRequested())
            throw Error(ErrorKind::Cancelled, "loading run " + std::to_string(runId) + " was cancelled");
        if (stage) stage(text);
    };
    step("reading run " + std::to_string(runId));
    RunModels out;
    out.run = store.requireRun(runId);
    const std::string what = describeRunPath(store, runId);
    std::vector<StoredWeights> stored;
    for (CheckpointKind kind : {CheckpointKind::Final, CheckpointKind::Best}) {
        if (choice == RunModelChoice::FinalElseBest && !stored.empty()) break;
        const std::optional<Checkpoint> blob = store.checkpoint(runId, kind);
        if (!blob) {
            if (choice == RunModelChoice::FinalAndBest && out.missing.empty())
                out.missing = what + " has no " + nameOf(kind) + " model (status " + out.run.status + ")";
            continue;
        }
        stored.push_back({kind, blob->epoch, weightsFromBlob(blob->data, what)});
    }
    if (stored.empty())
        throwBadInput(what + " has no model: neither a final nor a best one (status " + out.run.status + ")");
    step("loading the data and building the model");
    out.setup = prepareStored(out.run, what);
    for (StoredWeights& w : stored) {
        step(std::string("restoring the ") + nameOf(w.kind) + " model");
        // The first model is the one prepareRun built; each further one gets its own.
        std::unique_ptr<Model> model = std::move(out.setup.model);
        if (!model) {
            model = std::make_unique<Model>(*out.setup.backend, out.setup.project.nodes, out.setup.graph,
                                            out.setup.project.training.seed);
            if (out.setup.project.training.precision == Precision::Bf16) model->setCompute(DType::BF16);
        }
        checkWeights(*model, w.weights, what + ": the stored " + nameOf(w.kind) + " model");
        model->restore(w.weights);
        out.models.push_back({w.kind, w.epoch, std::move(model)});
    }
    return out;
}

RunDecisionMap runDecisionMap(RunStore& store, int64_t runId, const StopToken* stop, const LoadStage& stage) {
    RunModels loaded = loadRunModels(store, runId, RunModelChoice::FinalElseBest, stop, stage);
    RunDecisionMap out;
    out.data = describeData(loaded.setup.data, false);
    if (!out.data.twoDimensional || out.data.pointX.empty())
        throwBadInput(describeRunPath(store, runId) + " did not train on two features with classes (samples " +
                      out.data.sampleShape.str() + "): it has no decision map");
    if (stage) stage("drawing the decision map");
    const LoadedModel& m = loaded.models.front();
    out.kind = m.kind;
    out.map = decisionMap(*m.model, preprocessingOf(loaded.setup.data), loaded.setup.data.numClasses,
                          paddedPlane(out.data.pointX, out.data.pointY));
    return out;
}

}  // namespace neurite::storage
