#include "experiment/definition.h"

#include <cmath>
#include <filesystem>
#include <limits>

#include "core/error.h"
#include "core/file_read.h"
#include "core/suggest.h"
#include "experiment/objective.h"
#include "io/json_text.h"
#include "layers/registry.h"

namespace neurite {

namespace {

using nlohmann::json;

constexpr int kMaxRepeats = 1000;
constexpr int kMaxFolds = 1000;
constexpr int kMaxTrials = 1000000;

// Errors name the file and the entry, as the project reader's do.
class Reader {
public:
    explicit Reader(std::string fileName) : m_file(std::move(fileName)) {}

    [[noreturn]] void fail(const std::string& where, const std::string& what) const {
        throwBadInput(m_file + ": " + where + ": " + what);
    }

    void onlyKeys(const json& obj, const std::string& where,
                  std::initializer_list<std::string> keys) const {
        const std::vector<std::string> known(keys);
        for (const auto& [key, value] : obj.items()) {
            (void)value;
            bool found = false;
            for (const std::string& k : known) found = found || k == key;
            if (!found) fail(where + "." + key, "unknown key" + didYouMean(key, known));
        }
    }

    const json& object(const json& obj, const std::string& key, const std::string& where) const {
        const json& v = obj.at(key);
        if (!v.is_object()) fail(where + "." + key, "expected an object, got " + shown(v));
        return v;
    }

    std::string text(const json& obj, const std::string& key, const std::string& where,
                     std::string fallback) const {
        if (!obj.contains(key)) return fallback;
        const json& v = obj.at(key);
        if (!v.is_string() || v.get<std::string>().empty())
            fail(where + "." + key, "expected a non-empty string, got " + shown(v));
        return v.get<std::string>();
    }

    int64_t integer(const json& obj, const std::string& key, const std::string& where,
                    int64_t fallback, int64_t low, int64_t high) const {
        if (!obj.contains(key)) return fallback;
        const json& v = obj.at(key);
        if (!v.is_number_integer() || v.get<int64_t>() < low || v.get<int64_t>() > high)
            fail(where + "." + key, "expected an integer from " + std::to_string(low) + " to " +
                                        std::to_string(high) + ", got " + shown(v));
        return v.get<int64_t>();
    }

    double number(const json& v, const std::string& where) const {
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            fail(where, "expected a finite number, got " + shown(v));
        return v.get<double>();
    }

    static std::string shown(const json& v) {
        std::string s = io::dumpJson(v);
        return s.size() > 60 ? s.substr(0, 57) + "..." : s;
    }

    const std::string& file() const { return m_file; }

private:
    std::string m_file;
};

// A parameter path: keys, and "[id]" for the node of that id in an array of nodes.
struct Step {
    std::string key;
    bool byId = false;
};

std::vector<Step> splitPath(const std::string& path) {
    std::vector<Step> steps;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '[') {
            const std::size_t close = path.find(']', i);
            if (close == std::string::npos || close == i + 1)
                throwBadInput("an unclosed or empty [id] in \"" + path + "\"");
            steps.push_back({path.substr(i + 1, close - i - 1), true});
            i = close + 1;
            if (i < path.size() && path[i] == '.') ++i;
            continue;
        }
        const std::size_t end = path.find_first_of(".[", i);
        const std::string key = path.substr(i, end == std::string::npos ? end : end - i);
        if (key.empty()) throwBadInput("an empty name in \"" + path + "\"");
        steps.push_back({key, false});
        if (end == std::string::npos) break;
        i = path[end] == '.' ? end + 1 : end;
        if (path[end] == '.' && i == path.size()) throwBadInput("\"" + path + "\" ends with '.'");
    }
    if (steps.empty()) throwBadInput("the path is empty");
    if (steps.back().byId) throwBadInput("\"" + path + "\" ends at a node, not at a value");
    return steps;
}

// Sets `value` at `path` in the project JSON, creating missing objects on the way (a key the
// project leaves at its default); the parse that follows rejects keys the format lacks.
void setAtPath(json& project, const std::string& path, const json& value) {
    const std::vector<Step> steps = splitPath(path);
    json* at = &project;
    std::string walked = "$";
    for (std::size_t i = 0; i < steps.size(); ++i) {
        const Step& s = steps[i];
        if (s.byId) {
            if (!at->is_array())
                throwBadInput(walked + " is not a list of nodes, so [" + s.key + "] finds nothing");
            json* found = nullptr;
            std::vector<std::string> ids;
            for (json& item : *at) {
                if (!item.is_object() || !item.contains("id") || !item["id"].is_string()) continue;
                ids.push_back(item["id"].get<std::string>());
                if (ids.back() == s.key) found = &item;
            }
            if (!found)
                throwBadInput(walked + " has no node with id \"" + s.key + "\"" + didYouMean(s.key, ids));
            at = found;
            walked += "[" + s.key + "]";
            continue;
        }
        if (at->is_null()) *at = json::object();
        if (!at->is_object())
            throwBadInput(walked + " is " + Reader::shown(*at) + ", not an object with \"" + s.key + "\"");
        walked += "." + s.key;
        if (i + 1 == steps.size()) {
            (*at)[s.key] = value;
            return;
        }
        at = &(*at)[s.key];
    }
}

// The node a layer-parameter path points at ("model.nodes[fc1].params.units"), if it is one.
struct LayerParamPath {
    std::string node, param;
};
std::optional<LayerParamPath> layerParam(const std::string& path) {
    const std::vector<Step> s = splitPath(path);
    if (s.size() == 5 && s[0].key == "model" && !s[0].byId && s[1].key == "nodes" && s[2].byId &&
        s[3].key == "params" && !s[4].byId)
        return LayerParamPath{s[2].key, s[4].key};
    return std::nullopt;
}

// The project path as the project reader writes it in its messages ("$.training.optimizer.lr",
// "$.model.nodes[2].foo": a node by its index in the list).
std::string projectPathPrefix(const json& project, const std::string& path) {
    std::string out = "$";
    const json* at = &project;
    for (const Step& s : splitPath(path)) {
        if (!s.byId) {
            out.append(".").append(s.key);
            at = at && at->is_object() && at->contains(s.key) ? &(*at)[s.key] : nullptr;
            continue;
        }
        std::size_t index = 0;
        const json* found = nullptr;
        if (at && at->is_array())
            for (std::size_t i = 0; i < at->size() && !found; ++i)
                if ((*at)[i].is_object() && (*at)[i].value("id", json()).is_string() &&
                    (*at)[i]["id"].get<std::string>() == s.key) {
                    index = i;
                    found = &(*at)[i];
                }
        out.append("[").append(std::to_string(index)).append("]");
        at = found;
    }
    return out;
}

ProjectDocument parseWithValue(const ExperimentDefinition& def, json project,
                               const std::vector<std::pair<std::string, json>>& values) {
    for (const auto& [path, value] : values) setAtPath(project, path, value);
    std::vector<std::string> warnings;
    ProjectDocument doc = parseProject(io::dumpJson(project), def.projectPath, &warnings);
    for (const auto& [path, value] : values) {
        (void)value;
        // the warning names the first key the format lacks: the path or one of its ancestors
        const std::string full = projectPathPrefix(project, path);
        for (std::size_t end = full.size(); end > 1; end = full.find_last_of(".[", end - 1)) {
            const std::string prefix = full.substr(0, end) + ":";
            for (const std::string& w : warnings)
                if (w.find(prefix) != std::string::npos)
                    throwBadInput("the project has no such setting (" + w + ")");
        }  // the full path starts "$.", so the last ancestor tried is "$.key" (end stops at 1)
        const std::optional<LayerParamPath> lp = layerParam(path);
        if (!lp) continue;
        for (const Node& node : doc.nodes) {
            if (node.id != lp->node) continue;
            const LayerType* type = findLayerType(node.op);
            if (!type) continue;  // the graph check reports unknown layer types
            const ParamCheck check = checkParams(*type, node.params);
            for (const std::string& w : check.warnings)
                if (w.find("\"" + lp->param + "\"") != std::string::npos)
                    throwBadInput(node.id + ": " + w);
            for (const std::string& e : check.errors)
                if (e.rfind(lp->param + ":", 0) == 0) throwBadInput(node.id + ": " + e);
        }
    }
    return doc;
}

SearchParam readParameter(const Reader& r, const json& entry, const std::string& where) {
    if (!entry.is_object()) r.fail(where, "expected an object with \"path\" and a range");
    r.onlyKeys(entry, where, {"path", "values", "uniform", "log_uniform", "integer"});
    SearchParam p;
    p.path = r.text(entry, "path", where, "");
    if (p.path.empty()) r.fail(where, "missing \"path\" (e.g. \"training.optimizer.lr\")");
    try {
        splitPath(p.path);
    } catch (const Error& e) {
        r.fail(where + ".path", e.what());
    }
    int ranges = 0;
    for (const char* k : {"values", "uniform", "log_uniform", "integer"}) ranges += entry.contains(k);
    if (ranges != 1)
        r.fail(where, "give exactly one of \"values\", \"uniform\", \"log_uniform\", \"integer\"");
    if (entry.contains("values")) {
        const json& v = entry["values"];
        if (!v.is_array()) r.fail(where + ".values", "expected a list of values");
        p.kind = SearchParam::Kind::Choice;
        for (const json& item : v) p.values.push_back(item);
        return p;
    }
    const char* key = entry.contains("uniform") ? "uniform"
                      : entry.contains("log_uniform") ? "log_uniform" : "integer";
    const json& range = entry[key];
    const std::string at = where + "." + key;
    if (!range.is_array() || range.size() != 2) r.fail(at, "expected [low, high]");
    p.kind = std::string(key) == "uniform" ? SearchParam::Kind::Uniform
             : std::string(key) == "log_uniform" ? SearchParam::Kind::LogUniform
                                                 : SearchParam::Kind::Integer;
    if (p.kind == SearchParam::Kind::Integer) {
        for (int i = 0; i < 2; ++i)
            if (!range[i].is_number_integer())
                r.fail(at + "[" + std::to_string(i) + "]", "expected an integer, got " + Reader::shown(range[i]));
    }
    p.low = r.number(range[0], at + "[0]");
    p.high = r.number(range[1], at + "[1]");
    return p;
}

// Every value a parameter can take, or its bounds, must be one the project accepts.
void checkValues(const Reader& r, const ExperimentDefinition& def, std::size_t i) {
    const SearchParam& p = def.space[i];
    const std::string where = "$.parameters[" + std::to_string(i) + "]";
    std::vector<std::pair<std::string, json>> probes;
    if (p.kind == SearchParam::Kind::Choice) {
        for (std::size_t k = 0; k < p.values.size(); ++k)
            probes.emplace_back(where + ".values[" + std::to_string(k) + "]", p.values[k]);
    } else if (p.kind == SearchParam::Kind::Integer) {
        probes.emplace_back(where + ".integer[0]", json(static_cast<int64_t>(p.low)));
        probes.emplace_back(where + ".integer[1]", json(static_cast<int64_t>(p.high)));
    } else {
        const std::string key = p.kind == SearchParam::Kind::Uniform ? ".uniform" : ".log_uniform";
        probes.emplace_back(where + key + "[0]", json(p.low));
        // the open end: the largest value a draw can give
        probes.emplace_back(where + key + "[1]", json(std::nextafter(p.high, p.low)));
    }
    for (const auto& [at, value] : probes) {
        try {
            parseWithValue(def, def.project, {{p.path, value}});
        } catch (const Error& e) {
            std::string what = e.what();
            // the project reader names the project file; keep it, the entry comes first
            r.fail(at, "\"" + p.path + "\" = " + Reader::shown(value) + ": " + what);
        }
    }
}

}  // namespace

ExperimentDefinition parseExperiment(std::string_view text, const std::string& fileName,
                                     const std::string& baseDir) {
    const Reader r(fileName);
    // the shared reader: a depth limit, and every parse error as bad input with line and column
    const json doc = io::parseJson(text, fileName);
    if (!doc.is_object()) r.fail("$", "expected an object");
    r.onlyKeys(doc, "$", {"format", "version", "name", "description", "project", "project_path", "parameters",
                          "strategy", "repeats", "folds", "objective", "constraints", "pruner", "budget"});
    if (r.text(doc, "format", "$", "neurite-experiment") != "neurite-experiment")
        r.fail("$.format", "expected \"neurite-experiment\"");
    const int64_t version = r.integer(doc, "version", "$", 1, 1, 1000000);
    if (version != ExperimentDefinition::kVersion)
        r.fail("$.version", "this Neurite reads experiment files of version 1, this one is version " +
                                std::to_string(version));
    ExperimentDefinition def;
    def.fileName = fileName;
    def.name = r.text(doc, "name", "$", std::filesystem::path(fileName).stem().stem().string());

    // "project": a file (relative to the experiment file's folder), or the project itself
    // (what the run store keeps, so a resumed experiment trains what it started with).
    if (!doc.contains("project")) r.fail("$", "missing \"project\": the *.neurite.json file to train");
    if (doc["project"].is_object()) {
        def.project = doc["project"];
        def.projectPath = r.text(doc, "project_path", "$", fileName);
    } else {
        const std::string project = r.text(doc, "project", "$", "");
        std::filesystem::path projectPath(project);
        if (projectPath.is_relative() && !baseDir.empty())
            projectPath = std::filesystem::path(baseDir) / projectPath;
        def.projectPath = std::filesystem::absolute(projectPath).lexically_normal().string();
        try {
            def.project = io::parseJson(readRegularFile(def.projectPath, kMaxProjectBytes, "a project file"),
                                        def.projectPath);
        } catch (const Error& e) {
            r.fail("$.project", e.what());
        }
    }
    try {
        std::vector<std::string> warnings;
        parseProject(io::dumpJson(def.project), def.projectPath, &warnings);
    } catch (const Error& e) {
        r.fail("$.project", e.what());
    }

    // Read first: without parameters, repeats or folds are the experiment (one trial).
    def.repeats = static_cast<int>(r.integer(doc, "repeats", "$", 1, 1, kMaxRepeats));
    def.folds = static_cast<int>(r.integer(doc, "folds", "$", 0, 0, kMaxFolds));
    if (def.folds == 1) r.fail("$.folds", "cross-validation needs at least 2 folds (0: the project's own splits)");
    const json params = doc.contains("parameters") ? doc["parameters"] : json::array();
    if (!params.is_array()) r.fail("$.parameters", "expected a list of parameters to vary");
    if (params.empty() && def.repeats == 1 && def.folds == 0)
        r.fail("$", "nothing to vary: give \"parameters\", or \"repeats\" or \"folds\" to train the project "
                    "several times as it is");
    for (std::size_t i = 0; i < params.size(); ++i)
        def.space.push_back(readParameter(r, params[i], "$.parameters[" + std::to_string(i) + "]"));
    for (std::size_t i = 0; i < def.space.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (def.space[j].path == def.space[i].path)
                r.fail("$.parameters[" + std::to_string(i) + "].path",
                       "\"" + def.space[i].path + "\" is already varied by parameters[" + std::to_string(j) + "]");
    try {
        checkSpace(def.space);
    } catch (const Error& e) {
        r.fail("$.parameters", e.what());
    }
    for (std::size_t i = 0; i < def.space.size(); ++i) checkValues(r, def, i);

    if (doc.contains("strategy")) {
        const json& s = r.object(doc, "strategy", "$");
        r.onlyKeys(s, "$.strategy", {"type", "shuffle", "seed", "trials", "startup_trials"});
        const std::string type = r.text(s, "type", "$.strategy", "grid");
        if (type == "grid") def.strategy = SearchStrategy::Grid;
        else if (type == "random") def.strategy = SearchStrategy::Random;
        else if (type == "bayesian") def.strategy = SearchStrategy::Bayesian;
        else r.fail("$.strategy.type", "expected \"grid\", \"random\" or \"bayesian\", got \"" + type + "\"");
        if (s.contains("shuffle")) {
            if (!s["shuffle"].is_boolean()) r.fail("$.strategy.shuffle", "expected true or false");
            def.shuffle = s["shuffle"].get<bool>();
            if (def.shuffle && def.strategy != SearchStrategy::Grid)
                r.fail("$.strategy.shuffle", "only a grid is shuffled (random draws are in random order)");
        }
        def.seed = static_cast<uint64_t>(r.integer(s, "seed", "$.strategy", 0, 0, int64_t{1} << 62));
        def.trials = static_cast<int>(r.integer(s, "trials", "$.strategy", 0, 1, kMaxTrials));
        def.startupTrials = static_cast<int>(r.integer(s, "startup_trials", "$.strategy", 0, 1, kMaxTrials));
        if (def.startupTrials > 0 && def.strategy != SearchStrategy::Bayesian)
            r.fail("$.strategy.startup_trials", "only a Bayesian search has startup trials");
    }
    if (def.strategy != SearchStrategy::Grid && def.trials == 0)
        r.fail("$.strategy", std::string("a ") + (def.strategy == SearchStrategy::Random ? "random" : "Bayesian") +
                                 " search needs \"trials\": how many settings to try");
    if (def.strategy == SearchStrategy::Bayesian && def.startupTrials == 0)
        def.startupTrials = std::min(10, std::max(3, def.trials / 4));
    if (def.strategy == SearchStrategy::Grid)
        for (std::size_t i = 0; i < def.space.size(); ++i)
            if (!def.space[i].finite())
                r.fail("$.parameters[" + std::to_string(i) + "]",
                       "a grid needs \"values\" or \"integer\" for \"" + def.space[i].path +
                           "\"; use \"strategy\": {\"type\": \"random\"} for a continuous range");

    if (doc.contains("objective")) {
        const json& o = r.object(doc, "objective", "$");
        r.onlyKeys(o, "$.objective", {"metric", "direction"});
        def.objective = r.text(o, "metric", "$.objective", def.objective);
        if (!isKnownMetric(def.objective))
            r.fail("$.objective.metric", "unknown metric \"" + def.objective + "\"; known: " + knownMetrics());
        const std::string dir = r.text(o, "direction", "$.objective",
                                       largerIsBetter(def.objective) ? "maximize" : "minimize");
        if (dir != "maximize" && dir != "minimize")
            r.fail("$.objective.direction", "expected \"maximize\" or \"minimize\", got \"" + dir + "\"");
        def.maximize = dir == "maximize";
    }
    if (def.folds > 0 && def.objective.rfind("test_", 0) == 0)
        r.fail("$.objective.metric", "with folds the objective is measured on each validation fold; "
                                     "use val_" + def.objective.substr(5));

    if (doc.contains("constraints")) {
        if (!doc["constraints"].is_array()) r.fail("$.constraints", "expected a list");
        for (std::size_t i = 0; i < doc["constraints"].size(); ++i) {
            const std::string at = "$.constraints[" + std::to_string(i) + "]";
            const json& c = doc["constraints"][i];
            if (!c.is_object()) r.fail(at, "expected {\"metric\": ..., \"max\": ...}");
            r.onlyKeys(c, at, {"metric", "min", "max"});
            Constraint k;
            k.metric = r.text(c, "metric", at, "");
            if (k.metric.empty()) r.fail(at, "missing \"metric\"");
            if (!isKnownMetric(k.metric))
                r.fail(at + ".metric", "unknown metric \"" + k.metric + "\"; known: " + knownMetrics());
            if (c.contains("min")) k.min = r.number(c["min"], at + ".min");
            if (c.contains("max")) k.max = r.number(c["max"], at + ".max");
            if (!k.min && !k.max) r.fail(at, "give \"min\", \"max\" or both");
            if (k.min && k.max && *k.min > *k.max) r.fail(at, "min is larger than max");
            def.constraints.push_back(k);
        }
    }

    if (doc.contains("pruner")) {
        const json& p = r.object(doc, "pruner", "$");
        r.onlyKeys(p, "$.pruner", {"type", "warmup_epochs", "min_trials", "min_epochs", "reduction_factor"});
        const std::string type = r.text(p, "type", "$.pruner", "none");
        PrunerConfig& c = def.pruner;
        if (type == "none") c.kind = PrunerConfig::Kind::None;
        else if (type == "median") c.kind = PrunerConfig::Kind::Median;
        else if (type == "halving") c.kind = PrunerConfig::Kind::Halving;
        else r.fail("$.pruner.type", "expected \"none\", \"median\" or \"halving\", got \"" + type + "\"");
        const bool median = c.kind == PrunerConfig::Kind::Median, halving = c.kind == PrunerConfig::Kind::Halving;
        for (const char* key : {"warmup_epochs", "min_trials"})
            if (p.contains(key) && !median) r.fail(std::string("$.pruner.") + key, "only the median rule has it");
        for (const char* key : {"min_epochs", "reduction_factor"})
            if (p.contains(key) && !halving) r.fail(std::string("$.pruner.") + key, "only successive halving has it");
        c.warmupEpochs = static_cast<int>(r.integer(p, "warmup_epochs", "$.pruner", c.warmupEpochs, 1, 1000000));
        c.minTrials = static_cast<int>(r.integer(p, "min_trials", "$.pruner", c.minTrials, 1, kMaxTrials));
        c.minEpochs = static_cast<int>(r.integer(p, "min_epochs", "$.pruner", c.minEpochs, 1, 1000000));
        c.reductionFactor = static_cast<int>(r.integer(p, "reduction_factor", "$.pruner", c.reductionFactor, 2, 1000));
        if (c.kind != PrunerConfig::Kind::None && def.objective.rfind("val_", 0) != 0 &&
            def.objective.rfind("train_", 0) != 0)
            r.fail("$.pruner", "a pruner reads the objective after each epoch, which only val_* and "
                               "train_* metrics have; the objective is " + def.objective);
    }

    if (doc.contains("budget")) {
        const json& b = r.object(doc, "budget", "$");
        r.onlyKeys(b, "$.budget", {"trials", "minutes"});
        def.maxTrials = static_cast<int>(r.integer(b, "trials", "$.budget", 0, 1, kMaxTrials));
        if (b.contains("minutes")) {
            def.maxMinutes = r.number(b["minutes"], "$.budget.minutes");
            if (def.maxMinutes <= 0) r.fail("$.budget.minutes", "expected a positive number of minutes");
        }
    }
    try {
        plannedTrials(def);  // a grid past its cap is refused here, not at the first trial
    } catch (const Error& e) {
        r.fail("$.parameters", e.what());
    }
    return def;
}

ExperimentDefinition loadExperiment(const std::string& path) {
    const std::string text = readRegularFile(path, kMaxProjectBytes, "an experiment file");
    return parseExperiment(text, path, std::filesystem::path(path).parent_path().string());
}

json experimentToJson(const ExperimentDefinition& def) {
    json params = json::array();
    for (const SearchParam& p : def.space) {
        json e{{"path", p.path}};
        switch (p.kind) {
        case SearchParam::Kind::Choice: e["values"] = p.values; break;
        case SearchParam::Kind::Uniform: e["uniform"] = {p.low, p.high}; break;
        case SearchParam::Kind::LogUniform: e["log_uniform"] = {p.low, p.high}; break;
        case SearchParam::Kind::Integer:
            e["integer"] = {static_cast<int64_t>(p.low), static_cast<int64_t>(p.high)};
            break;
        }
        params.push_back(e);
    }
    const char* type = def.strategy == SearchStrategy::Grid     ? "grid"
                       : def.strategy == SearchStrategy::Random ? "random"
                                                                : "bayesian";
    json strategy{{"type", type}, {"seed", def.seed}};
    if (def.strategy == SearchStrategy::Grid) strategy["shuffle"] = def.shuffle;
    if (def.trials > 0) strategy["trials"] = def.trials;
    if (def.strategy == SearchStrategy::Bayesian) strategy["startup_trials"] = def.startupTrials;
    json out{{"format", "neurite-experiment"},
             {"version", ExperimentDefinition::kVersion},
             {"name", def.name},
             {"project", def.project},
             {"project_path", def.projectPath},
             {"parameters", params},
             {"strategy", strategy},
             {"repeats", def.repeats},
             {"folds", def.folds},
             {"objective", {{"metric", def.objective}, {"direction", def.maximize ? "maximize" : "minimize"}}}};
    if (!def.constraints.empty()) {
        json cs = json::array();
        for (const Constraint& c : def.constraints) {
            json e{{"metric", c.metric}};
            if (c.min) e["min"] = *c.min;
            if (c.max) e["max"] = *c.max;
            cs.push_back(e);
        }
        out["constraints"] = cs;
    }
    const PrunerConfig& pc = def.pruner;
    if (pc.kind == PrunerConfig::Kind::Median)
        out["pruner"] = {{"type", "median"}, {"warmup_epochs", pc.warmupEpochs}, {"min_trials", pc.minTrials}};
    else if (pc.kind == PrunerConfig::Kind::Halving)
        out["pruner"] = {{"type", "halving"}, {"min_epochs", pc.minEpochs}, {"reduction_factor", pc.reductionFactor}};
    json budget = json::object();
    if (def.maxTrials > 0) budget["trials"] = def.maxTrials;
    if (def.maxMinutes > 0) budget["minutes"] = def.maxMinutes;
    if (!budget.empty()) out["budget"] = budget;
    return out;
}

ProjectDocument projectWithValues(const ExperimentDefinition& def, const Assignment& values) {
    NEURITE_CHECK(values.size() == def.space.size(), "one value per parameter");
    std::vector<std::pair<std::string, json>> set;
    for (std::size_t i = 0; i < values.size(); ++i) set.emplace_back(def.space[i].path, values[i]);
    try {
        return parseWithValue(def, def.project, set);
    } catch (const Error& e) {
        throwBadInput(def.fileName + ": the trial " + describeValues(def, values) + ": " + e.what());
    }
}

int plannedTrialCount(const ExperimentDefinition& def) {
    std::size_t n = def.strategy == SearchStrategy::Bayesian ? static_cast<std::size_t>(def.trials)
                                                             : plannedTrials(def).size();
    if (def.maxTrials > 0) n = std::min(n, static_cast<std::size_t>(def.maxTrials));
    return static_cast<int>(n);
}

std::vector<Assignment> plannedTrials(const ExperimentDefinition& def) {
    if (def.strategy == SearchStrategy::Bayesian) return {};
    if (def.strategy == SearchStrategy::Grid) {
        std::vector<Assignment> grid = gridTrials(def.space, def.shuffle, def.seed);
        if (def.trials > 0 && grid.size() > static_cast<std::size_t>(def.trials))
            grid.resize(static_cast<std::size_t>(def.trials));
        return grid;
    }
    return randomTrials(def.space, def.trials, def.seed);
}

std::string describeValues(const ExperimentDefinition& def, const Assignment& values) {
    std::string s;
    for (std::size_t i = 0; i < values.size() && i < def.space.size(); ++i) {
        const std::vector<Step> steps = splitPath(def.space[i].path);
        if (i) s += ", ";
        s.append(steps.back().key).append("=").append(io::dumpJson(values[i]));
    }
    return s;
}

json valuesToJson(const ExperimentDefinition& def, const Assignment& values) {
    json out = json::object();
    for (std::size_t i = 0; i < values.size() && i < def.space.size(); ++i)
        out[def.space[i].path] = values[i];
    return out;
}

}  // namespace neurite
