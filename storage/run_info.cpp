// Settings are flattened from the project writer's own JSON, so every key of the project file
// (docs/project-format.md) appears under its documented name without a second list here.
#include "run_info.h"
#include "run_records.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "io/project.h"
#include "io/json_text.h"

namespace neurite::storage {

namespace {

void flatten(const nlohmann::json& j, const std::string& prefix, nlohmann::json& out) {
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end(); ++it)
            flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
        return;
    }
    out[prefix] = j;
}

// An unnamed project's runs are named after their data ("spiral run", "prices.csv run"), so a
// list of them is not a column of "run".
std::string unnamedRunName(const std::string& source) {
    std::string s = source.substr(0, source.find('?'));
    if (const auto colon = s.find(':'); colon != std::string::npos) s = s.substr(colon + 1);
    while (!s.empty() && s.back() == '/') s.pop_back();
    if (const auto slash = s.rfind('/'); slash != std::string::npos) s = s.substr(slash + 1);
    return s.empty() ? std::string("run") : s + " run";
}

}  // namespace

NewRun describeProject(const ProjectDocument& p) {
    NewRun r;
    r.name = p.name.empty() ? unnamedRunName(p.data.source) : p.name;
    // The starting weights as an absolute path: the stored project has no folder of its own, and
    // `runs resume` reads them again (for training.pretrained_lr_scale) from wherever it runs.
    ProjectDocument stored = p;
    if (!stored.weights.empty())
        stored.weights = std::filesystem::absolute(weightsPath(p)).lexically_normal().string();
    r.projectJson = projectToJson(stored);
    const auto doc = io::parseJson(r.projectJson, "the project as trained");
    nlohmann::json flat = nlohmann::json::object();
    if (doc.contains("data")) flatten(doc["data"], "data", flat);
    if (!p.data.points.empty()) {  // points edited by hand: their count, not every coordinate
        flat.erase("data.points.add");
        flat.erase("data.points.remove");
        flat["data.points"] = std::to_string(p.data.points.add.size()) + " added, " +
                              std::to_string(p.data.points.remove.size()) + " removed";
    }
    if (doc.contains("training")) flatten(doc["training"], "training", flat);
    flat["model.nodes"] = p.nodes.size();
    r.settingsJson = io::dumpJson(flat);
    r.device = p.training.device;
    r.threads = p.training.threads;
    r.precision = nameOf(p.training.precision);
    r.seed = p.training.seed;
    r.epochsPlanned = p.training.epochs;
    return r;
}

NewRun describeRun(const RunSetup& setup) {
    const ProjectDocument& p = setup.project;
    NewRun r = describeProject(p);
    {
        auto flat = io::parseJson(r.settingsJson, "the run's settings");
        flat["model.parameters"] = setup.model ? setup.model->parameterCount() : 0;
        r.settingsJson = io::dumpJson(flat);
    }

    const Dataset& d = setup.data;
    DataSummary data;
    data.source = d.source;
    data.sampleShape = d.sampleShape.str();
    data.train = d.train.count;
    data.validation = d.validation.count;
    data.test = d.test.count;
    data.classes = d.classNames;
    data.trainClassCounts.assign(static_cast<std::size_t>(std::max(d.numClasses, 0)), 0);
    for (int32_t label : d.train.labels)
        if (label >= 0 && label < d.numClasses) ++data.trainClassCounts[static_cast<std::size_t>(label)];
    if (d.numClasses == 0) {
        data.targets = d.targetDim;
        data.targetScaling = d.targetScaling;
    }
    r.dataJson = dataSummaryJson(data);
    if (setup.backend) r.device = setup.backend->name();
    return r;
}

TargetScaling storedTargetScaling(const std::string& dataJson, int targetDim, const std::string& what) {
    const DataSummary data = parseDataSummary(dataJson, what + ": data description");
    if (data.targetScaling.active() && data.targetScaling.columns() != targetDim)
        throwBadInput(what + ": data description: the target scaling needs " + std::to_string(targetDim) +
                      " means and positive standard deviations, not " +
                      std::to_string(data.targetScaling.columns()));
    return data.targetScaling;
}

void restoreTargetScaling(const RunDetails& run, RunSetup& setup, const std::string& what) {
    if (setup.data.numClasses > 0) return;
    setup.data.targetScaling = storedTargetScaling(run.dataJson, setup.data.targetDim, what);
}

std::string epochList(const std::vector<int>& epochs) {
    std::string out;
    for (std::size_t i = 0; i < epochs.size(); ++i) {
        if (i == 12 && epochs.size() > 16) {
            out += ", ...";
            i = epochs.size() - 3;
        }
        out += (out.empty() ? "" : ", ") + std::to_string(epochs[i]);
    }
    return out;
}

TrainerState branchState(RunStore& store, RunSetup& setup, BranchPoint from, std::vector<std::string>& notes) {
    const RunDetails parent = store.requireRun(from.run);
    const std::string what = "run " + std::to_string(from.run) + " after epoch " + std::to_string(from.epoch);
    const std::optional<std::vector<uint8_t>> blob = store.epochState(from.run, from.epoch);
    if (!blob) {
        const std::vector<int> kept = store.epochStates(from.run);
        throwBadInput("run " + std::to_string(from.run) + " has no state kept after epoch " +
                      std::to_string(from.epoch) +
                      (kept.empty() ? std::string("; it keeps none (a run keeps its epochs' states when "
                                                  "they fit the store's budget, docs/run-store.md)")
                                    : "; it can branch from epoch " + epochList(kept)));
    }
    TrainerState state = deserializeCheckpoint(*blob, store.path() + ": " + what);
    Model& model = *setup.model;
    const auto have = static_cast<std::size_t>(model.values().numel() + model.buffers().numel());
    if (state.model.size() != have)
        throwBadInput(what + " has " + std::to_string(state.model.size()) + " weights, and this "
                      "network has " + std::to_string(have) + ": a branch keeps the network (only "
                      "layers without weights, such as Dropout, may be added or removed)");
    checkWeights(model, state.model, what);
    if (setup.project.training.epochs <= from.epoch)
        throwBadInput("the project trains " + std::to_string(setup.project.training.epochs) +
                      " epochs; a branch from epoch " + std::to_string(from.epoch) +
                      " needs more (raise training.epochs)");
    std::vector<std::string> ignored;
    const ProjectDocument before = parseProject(parent.projectJson, what + " project", &ignored);
    const OptimizerKind was = before.training.optimizer.kind, now = setup.project.training.optimizer.kind;
    if (was != now)
        notes.push_back(std::string("the optimizer changed (") + nameOf(was) + " to " + nameOf(now) +
                        "): its state starts afresh");
    restoreTargetScaling(parent, setup, store.path() + ": run " + std::to_string(from.run));
    state.branch = true;
    return state;
}

NewRun describeBranch(const RunSetup& setup, BranchPoint from) {
    NewRun run = describeRun(setup);
    run.name += ", from run " + std::to_string(from.run) + " epoch " + std::to_string(from.epoch);
    return run;
}

}  // namespace neurite::storage
