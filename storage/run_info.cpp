// Settings are flattened from the project writer's own JSON, so every key of the project file
// (docs/project-format.md) appears under its documented name without a second list here.
#include "run_info.h"

#include <map>
#include <nlohmann/json.hpp>

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

}  // namespace

NewRun describeRun(const RunSetup& setup) {
    const ProjectDocument& p = setup.project;
    NewRun r;
    r.name = p.name.empty() ? "run" : p.name;
    r.projectJson = projectToJson(p);
    const auto doc = io::parseJson(r.projectJson, "the project as trained");
    nlohmann::json flat = nlohmann::json::object();
    if (doc.contains("data")) flatten(doc["data"], "data", flat);
    if (doc.contains("training")) flatten(doc["training"], "training", flat);
    flat["model.nodes"] = p.nodes.size();
    flat["model.parameters"] = setup.model ? setup.model->parameterCount() : 0;
    r.settingsJson = io::dumpJson(flat);

    const Dataset& d = setup.data;
    std::vector<int64_t> counts(static_cast<std::size_t>(std::max(d.numClasses, 0)), 0);
    for (int32_t label : d.train.labels)
        if (label >= 0 && label < d.numClasses) ++counts[static_cast<std::size_t>(label)];
    nlohmann::json data{{"source", d.source},
                        {"sample_shape", d.sampleShape.str()},
                        {"train", d.train.count},
                        {"validation", d.validation.count},
                        {"test", d.test.count},
                        {"classes", d.classNames},
                        {"train_class_counts", counts}};
    if (d.numClasses == 0) data["targets"] = d.targetDim;
    r.dataJson = io::dumpJson(data);
    r.device = setup.backend ? setup.backend->name() : p.training.device;
    r.threads = p.training.threads;
    r.precision = nameOf(p.training.precision);
    r.seed = p.training.seed;
    r.epochsPlanned = p.training.epochs;
    return r;
}

}  // namespace neurite::storage
