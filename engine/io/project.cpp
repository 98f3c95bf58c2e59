// Parsing and loading *.neurite.json project files: top level, data and model sections.
// The training section lives in project_training.cpp, writing in project_writer.cpp.
#include "io/project.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/error.h"
#include "core/file_read.h"
#include "io/json_text.h"
#include "io/project_sections.h"

namespace neurite {

using io::Json;
using io::ObjectReader;
using io::ReadContext;

namespace {

const std::string kFormat = "neurite-project";

// A PNG, a model file or another binary picked by mistake: say so instead of a parser message.
bool looksBinary(std::string_view text) {
    const std::string_view head = text.substr(0, 4096);
    return std::any_of(head.begin(), head.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f';
    });
}

DataConfig readData(const Json& value, const ReadContext& ctx) {
    ObjectReader r(value, "$.data", ctx,
                   {"source", "validation_split", "test_split", "scaling", "target_scaling", "target", "stratify",
                    "balance", "smote_k", "class_weights", "augment", "reconstruct", "points"});
    DataConfig data;
    if (!r.readString("source", data.source))
        r.fail("source", "missing; name the data, for example \"builtin:fashion-mnist\", "
                         "\"idx:/path/to/dir\" or \"synthetic:spiral?classes=3\"");
    if (data.source.empty()) r.fail("source", "must not be empty");
    const io::Range split = io::between(0, 1, true);
    r.readDouble("validation_split", data.validationSplit, split);
    r.readDouble("test_split", data.testSplit, split);
    if (data.validationSplit + data.testSplit >= 1)
        io::fail(ctx, "$.data",
                 "validation_split + test_split must be < 1 to leave training data, got " +
                     io::formatNumber(data.validationSplit) + " + " +
                     io::formatNumber(data.testSplit));
    static const std::string kScalings[] = {"auto", "none", "unit", "standardize", "minmax"};
    r.readChoice("scaling", data.scaling, kScalings, "scaling");
    static const std::string kTargetScalings[] = {"standardize", "none"};
    r.readChoice("target_scaling", data.targetScaling, kTargetScalings, "target scaling");
    r.readString("target", data.target);
    r.readBool("stratify", data.stratify);
    static const std::string kBalance[] = {"none", "oversample", "undersample", "smote"};
    r.readChoice("balance", data.balance, kBalance, "balance");
    r.readInt("smote_k", data.smoteK, io::between(1, 100));
    static const std::string kWeights[] = {"none", "balanced"};
    r.readChoice("class_weights", data.classWeights, kWeights, "class weights");
    r.readBool("reconstruct", data.reconstruct);
    if (const Json* p = r.find("points")) data.points = io::readPointEdits(*p, r.pathOf("points"), ctx);
    if (const Json* a = r.find("augment")) {
        ObjectReader ar(*a, r.pathOf("augment"), ctx,
                        {"horizontal_flip", "vertical_flip", "shift", "rotation", "zoom", "shear",
                         "brightness", "noise", "cutout", "mixup"});
        AugmentConfig& g = data.augment;
        ar.readBool("horizontal_flip", g.horizontalFlip);
        ar.readBool("vertical_flip", g.verticalFlip);
        ar.readFloat("shift", g.shift, io::between(0, 1));
        ar.readFloat("rotation", g.rotation, io::between(0, 180));
        ar.readFloat("zoom", g.zoom, io::between(0, 1, true));
        ar.readFloat("shear", g.shear, io::between(0, 80));
        ar.readFloat("brightness", g.brightness, io::between(0, 10));
        ar.readFloat("noise", g.noise, io::between(0, 10));
        ar.readFloat("cutout", g.cutout, io::between(0, 1));
        ar.readFloat("mixup", g.mixup, io::between(0, 100));
        ar.finish();
    }
    r.finish();
    return data;
}

ParamValue readParam(const Json& v, const std::string& path, const ReadContext& ctx) {
    int64_t i = 0;
    if (io::asInt64(v, i)) return i;
    if (v.is_number_float()) return v.get<double>();
    if (v.is_number()) io::fail(ctx, path, "integer out of range, got " + io::describe(v));
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_string()) return v.get<std::string>();
    if (v.is_array()) {
        std::vector<int64_t> list;
        for (std::size_t k = 0; k < v.size(); ++k) {
            if (!io::asInt64(v[k], i))
                io::fail(ctx, path + "[" + std::to_string(k) + "]",
                         "expected an integer in a parameter list, got " + io::describe(v[k]));
            list.push_back(i);
        }
        return list;
    }
    io::fail(ctx, path,
             "expected a number, true/false, a string or a list of integers, got " +
                 io::describe(v));
}

Node readNode(const Json& value, const std::string& path, const ReadContext& ctx) {
    ObjectReader r(value, path, ctx, {"id", "op", "params", "inputs", "position", "trainable"});
    Node node;
    r.readBool("trainable", node.trainable);
    if (!r.readString("id", node.id)) r.fail("id", "missing; every node needs a unique \"id\"");
    if (node.id.empty()) r.fail("id", "must not be empty");
    if (!r.readString("op", node.op))
        r.fail("op", "missing; say which layer this is, for example \"op\": \"Dense\"");
    if (node.op.empty()) r.fail("op", "must not be empty");
    if (const Json* params = r.find("params")) {
        if (!params->is_object())
            r.fail("params", "expected an object, got " + io::describe(*params));
        for (auto it = params->begin(); it != params->end(); ++it)
            node.params[it.key()] = readParam(it.value(), r.pathOf("params") + "." + it.key(), ctx);
    }
    if (const Json* inputs = r.find("inputs")) {
        if (!inputs->is_array())
            r.fail("inputs", "expected a list of node ids, got " + io::describe(*inputs));
        for (std::size_t k = 0; k < inputs->size(); ++k) {
            const Json& in = (*inputs)[k];
            if (!in.is_string())
                io::fail(ctx, r.pathOf("inputs") + "[" + std::to_string(k) + "]",
                         "expected a node id (string), got " + io::describe(in));
            node.inputs.push_back(in.get<std::string>());
        }
    }
    if (const Json* pos = r.find("position")) {
        if (!pos->is_array() || pos->size() != 2 || !(*pos)[0].is_number() ||
            !(*pos)[1].is_number())
            r.fail("position", "expected [x, y] (two numbers), got " + io::describe(*pos));
        node.x = (*pos)[0].get<double>();
        node.y = (*pos)[1].get<double>();
    }
    r.finish();
    return node;
}

void readModel(const Json& value, const ReadContext& ctx, ProjectDocument& doc) {
    ObjectReader r(value, "$.model", ctx, {"output", "nodes", "weights"});
    r.readString("output", doc.output);
    if (r.readString("weights", doc.weights) && doc.weights.empty())
        r.fail("weights", "empty; name a safetensors file of the model's weights, or leave the key out");
    const Json* nodes = r.find("nodes");
    if (!nodes) r.fail("nodes", "missing; the model needs a list of nodes, starting with an Input");
    if (!nodes->is_array())
        r.fail("nodes", "expected a list of nodes, got " + io::describe(*nodes));
    std::map<std::string, std::size_t> seen;
    for (std::size_t k = 0; k < nodes->size(); ++k) {
        std::string path = r.pathOf("nodes") + "[" + std::to_string(k) + "]";
        Node node = readNode((*nodes)[k], path, ctx);
        auto [it, fresh] = seen.emplace(node.id, k);
        if (!fresh)
            io::fail(ctx, path + ".id",
                     "duplicate node id \"" + node.id + "\" (also used by $.model.nodes[" +
                         std::to_string(it->second) + "]); give each node a unique id");
        doc.nodes.push_back(std::move(node));
    }
    r.finish();
}

void readHeader(const ObjectReader& r, ProjectDocument& doc) {
    std::string format = kFormat;
    if (r.readString("format", format) && format != kFormat)
        r.fail("format",
               "not a Neurite project (format \"" + format + "\"); expected \"" + kFormat + "\"");
    int64_t version = ProjectDocument::kVersion;
    r.readInt64("version", version, io::atLeast(1));
    if (version > ProjectDocument::kVersion)
        r.fail("version", "this file has format version " + std::to_string(version) +
                              ", but this Neurite reads version " +
                              std::to_string(ProjectDocument::kVersion) +
                              " at most; open it with a newer Neurite");
    doc.version = static_cast<int>(version);
    r.readString("name", doc.name);
    r.readString("description", doc.description);
}

void crossCheck(const ProjectDocument& doc, const ReadContext& ctx) {
    const EarlyStoppingConfig& es = doc.training.earlyStopping;
    if (es.enabled && es.monitor.rfind("val_", 0) == 0 && doc.data.validationSplit <= 0)
        io::fail(ctx, "$.training.early_stopping.monitor",
                 "\"" + es.monitor +
                     "\" needs validation data, but data.validation_split is 0; "
                     "set validation_split > 0 or monitor \"train_loss\"");
}

} // namespace

ProjectDocument parseProject(std::string_view json, const std::string& fileName,
                             std::vector<std::string>* warnings) {
    ReadContext ctx{fileName, warnings};
    if (looksBinary(json))
        throwBadInput(fileName + ": this is not a Neurite project: the file holds binary data, not "
                                 "JSON text (a project is a *.neurite.json file)");
    if (const std::size_t first = json.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
        first != std::string_view::npos && json[first] != '{' && json[first] != '[')
        throwBadInput(fileName + ": this is not a Neurite project: a project is a JSON file that "
                                 "starts with '{' (*.neurite.json)");
    const Json root = io::parseJson<Json>(json, fileName);
    ObjectReader r(root, "$", ctx,
                   {"format", "version", "name", "description", "data", "model", "training", "lesson"});
    ProjectDocument doc;
    readHeader(r, doc);
    const Json* data = r.find("data");
    if (!data)
        r.fail("data", "missing; say where the data comes from: \"data\": {\"source\": ...}");
    doc.data = readData(*data, ctx);
    const Json* model = r.find("model");
    if (!model) r.fail("model", "missing; a project needs \"model\": {\"nodes\": [...]}");
    readModel(*model, ctx, doc);
    if (const Json* training = r.find("training"))
        doc.training = io::readTraining(*training, "$.training", ctx);
    if (const Json* lesson = r.find("lesson")) doc.lesson = io::readLesson(*lesson, ctx);
    r.finish();
    crossCheck(doc, ctx);
    return doc;
}

ProjectDocument loadProject(const std::string& path, std::vector<std::string>* warnings) {
    ProjectDocument doc = parseProject(readRegularFile(path, kMaxProjectBytes, "a project file"), path, warnings);
    doc.folder = std::filesystem::path(path).parent_path().string();
    return doc;
}

std::string weightsPath(const ProjectDocument& doc) {
    const std::filesystem::path w(doc.weights);
    if (doc.weights.empty() || w.is_absolute() || doc.folder.empty()) return doc.weights;
    return (std::filesystem::path(doc.folder) / w).lexically_normal().string();
}

} // namespace neurite
