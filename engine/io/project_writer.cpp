// Writing project files: the document as JSON in a stable key order, pretty-printed with short
// lists on one line, and saved atomically (temporary file + rename) so a crash never leaves a
// half-written project behind.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "core/error.h"
#include "core/file_write.h"
#include "io/project_sections.h"
#include "io/json_text.h"

namespace neurite {

using io::Json;

namespace {

Json paramToJson(const ParamValue& v) {
    return std::visit([](const auto& x) { return Json(x); }, v);
}

Json coordinate(double v) {
    if (std::nearbyint(v) == v && std::fabs(v) < 1e15) return Json(static_cast<int64_t>(v));
    return Json(v);
}

Json nodeToJson(const Node& node) {
    Json out = Json::object();
    out["id"] = node.id;
    out["op"] = node.op;
    if (!node.params.empty()) {
        Json params = Json::object();
        for (const auto& [key, value] : node.params)
            params[key] = paramToJson(value);
        out["params"] = params;
    }
    if (!node.inputs.empty()) out["inputs"] = node.inputs;
    if (!node.trainable) out["trainable"] = false;
    out["position"] = Json::array({coordinate(node.x), coordinate(node.y)});
    return out;
}

bool isScalar(const Json& v) {
    return !v.is_object() && !v.is_array();
}

void pretty(const Json& v, int indent, std::string& out) {
    const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
    if (v.is_object() && !v.empty()) {
        out += "{\n";
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {
            out += first ? "" : ",\n";
            first = false;
            out += pad;
            out += io::dumpJson(Json(it.key()));
            out += ": ";
            pretty(it.value(), indent + 2, out);
        }
        out += '\n';
        out.append(static_cast<std::size_t>(indent), ' ');
        out += '}';
    } else if (v.is_array() && !v.empty()) {
        bool inline_ = std::all_of(v.begin(), v.end(), isScalar);
        out += inline_ ? "[" : "[\n";
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (k) out += inline_ ? ", " : ",\n";
            if (!inline_) out += pad;
            pretty(v[k], indent + 2, out);
        }
        if (!inline_) {
            out += '\n';
            out.append(static_cast<std::size_t>(indent), ' ');
        }
        out += ']';
    } else {
        out += io::dumpJson(v);
    }
}

} // namespace

namespace io {

std::string toPrettyJson(const Json& value) {
    std::string out;
    pretty(value, 0, out);
    return out + "\n";
}

Json dataSection(const DataConfig& d, bool withDefaults) {
    const DataConfig defaults;
    // Keys at their defaults stay out of project files, so older files round-trip unchanged.
    const auto keep = [withDefaults](bool differs) { return withDefaults || differs; };
    Json data = Json::object();
    data["source"] = d.source;
    data["validation_split"] = d.validationSplit;
    data["test_split"] = d.testSplit;
    data["scaling"] = d.scaling;
    if (keep(d.targetScaling != defaults.targetScaling)) data["target_scaling"] = d.targetScaling;
    if (keep(d.target != defaults.target)) data["target"] = d.target;
    if (keep(d.stratify != defaults.stratify)) data["stratify"] = d.stratify;
    if (keep(d.balance != defaults.balance)) data["balance"] = d.balance;
    if (keep(d.smoteK != defaults.smoteK)) data["smote_k"] = d.smoteK;
    if (keep(d.classWeights != defaults.classWeights)) data["class_weights"] = d.classWeights;
    if (keep(d.reconstruct != defaults.reconstruct)) data["reconstruct"] = d.reconstruct;
    if (!d.points.empty()) data["points"] = writePointEdits(d.points);  // with defaults too: an empty one says nothing
    if (keep(d.augment.any())) {
        const AugmentConfig& g = d.augment;
        Json a = Json::object();
        if (keep(g.horizontalFlip)) a["horizontal_flip"] = g.horizontalFlip;
        if (keep(g.verticalFlip)) a["vertical_flip"] = g.verticalFlip;
        for (auto [key, v] : {std::pair<const char*, float>{"shift", g.shift}, {"rotation", g.rotation},
                              {"zoom", g.zoom}, {"shear", g.shear}, {"brightness", g.brightness},
                              {"noise", g.noise}, {"cutout", g.cutout}, {"mixup", g.mixup}})
            if (keep(v > 0)) a[key] = io::floatToJson(v);
        data["augment"] = a;
    }
    return data;
}

} // namespace io

std::string projectToJson(const ProjectDocument& doc) {
    Json root = Json::object();
    root["format"] = "neurite-project";
    root["version"] = doc.version;
    root["name"] = doc.name;
    root["description"] = doc.description;
    root["data"] = io::dataSection(doc.data, false);
    Json model = Json::object();
    if (!doc.output.empty()) model["output"] = doc.output;
    if (!doc.weights.empty()) model["weights"] = doc.weights;
    Json nodes = Json::array();
    for (const Node& node : doc.nodes)
        nodes.push_back(nodeToJson(node));
    model["nodes"] = nodes;
    root["model"] = model;
    root["training"] = io::writeTraining(doc.training);
    if (doc.lesson) root["lesson"] = io::writeLesson(*doc.lesson);
    return io::toPrettyJson(root);
}

std::string dataToJson(const DataConfig& data, bool withDefaults) {
    return io::toPrettyJson(io::dataSection(data, withDefaults));
}

std::string dataKey(const DataConfig& data, uint64_t seed) {
    // Compact, every key in the writer's fixed order: one text per setting.
    return "seed=" + std::to_string(seed) + " data=" + io::dumpJson(io::dataSection(data, true));
}

void saveProject(const ProjectDocument& doc, const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path folder = fs::path(path).parent_path();
    std::string text;
    if (!doc.weights.empty() && !fs::path(doc.weights).is_absolute() &&
        fs::absolute(doc.folder.empty() ? fs::path(".") : fs::path(doc.folder)).lexically_normal() !=
            fs::absolute(folder.empty() ? fs::path(".") : folder).lexically_normal()) {
        ProjectDocument moved = doc;  // the same weights file, seen from the new folder
        moved.weights = fs::absolute(weightsPath(doc))
                            .lexically_normal()
                            .lexically_relative(fs::absolute(folder.empty() ? fs::path(".") : folder).lexically_normal())
                            .string();
        text = projectToJson(moved);
    } else {
        text = projectToJson(doc);
    }
    writeFileAtomic(path, text.data(), text.size());
}

} // namespace neurite
