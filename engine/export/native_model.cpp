// Writing and reading the native model file. The reader checks every piece against every other
// (metadata against the project, shapes against the resolved graph, tensors against the model's
// parameters), so a damaged file is refused with a message rather than loaded wrong.
#include "export/native_model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file_read.h"
#include "core/file_write.h"
#include "io/safetensors.h"
#include "io/json_text.h"

namespace neurite {

namespace {

using Json = nlohmann::ordered_json;

std::vector<int64_t> dimsOf(const Shape& s) { return {s.begin(), s.end()}; }

// A per-sample shape as JSON (the batch dimension left out).
Json sampleDims(const Shape& s) { return std::vector<int64_t>(s.begin() + 1, s.end()); }

Json paramToJson(const ParamValue& v) {
    return std::visit([](const auto& x) { return Json(x); }, v);
}

SafeTensor floatTensor(std::string name, const std::vector<int64_t>& shape, const float* data,
                       std::size_t count) {
    SafeTensor t;
    t.name = std::move(name);
    t.shape = shape;
    t.bytes.resize(count * sizeof(float));
    std::memcpy(t.bytes.data(), data, t.bytes.size());
    return t;
}

Json modelJson(const ExportSource& src, const ResolvedGraph& g) {
    Json nodes = Json::array();
    for (int i : g.order) {
        const auto idx = static_cast<std::size_t>(i);
        const Node& n = src.project.nodes[idx];
        Json params = Json::object();
        for (const auto& [k, v] : g.params[idx].values()) params[k] = paramToJson(v);
        nodes.push_back({{"id", n.id},
                         {"op", n.op},
                         {"params", params},
                         {"inputs", n.inputs},
                         {"shape", sampleDims(g.shapes[idx])}});
    }
    const Preprocessing& pre = src.preprocessing;
    return {{"name", src.project.name},
            {"task", src.classNames.empty() ? "regression" : "classification"},
            {"class_names", src.classNames},
            {"input", {{"shape", dimsOf(sampleShapeOf(src.model))}, {"dtype", nameOf(pre.rawDType)}}},
            {"preprocessing", {{"scale", pre.scale},
                               {"standardized", pre.standardized()},
                               {"target_scaling", pre.target.active() ? "standardize" : "none"}}},
            {"output", {{"node", src.project.nodes[static_cast<std::size_t>(g.output)].id},
                        {"shape", sampleDims(src.model.outputShape())}}},
            {"nodes", nodes}};
}

// A text model's vocabulary and tokenizer settings (data/text/text_vocabulary.h): predict takes
// raw text with them.
Json textJson(const TextVocabulary& v) {
    return {{"level", v.settings.characters ? "char" : "word"},
            {"lowercase", v.settings.lowercase},
            {"length", v.settings.length},
            {"padding_id", kTextPaddingId},
            {"unknown_id", kTextUnknownId},
            {"tokens", v.tokens}};
}

}  // namespace

std::string textVocabularyJson(const TextVocabulary& vocabulary) { return io::dumpJson(textJson(vocabulary)); }

std::vector<uint8_t> encodeNativeModel(const ExportSource& src, const Int8Plan* int8) {
    const ResolvedGraph g = resolveExported(src);
    SafeTensorsFile file;
    file.metadata["format"] = kNativeModelFormat;
    // Version 2 only where it matters: a version-1 reader would refuse the target-scaling tensors
    // as "not belonging to the model"; told the version, it asks for a newer Neurite instead.
    const bool targetScaled = src.classNames.empty() && src.preprocessing.target.active();
    const bool text = src.preprocessing.text.fitted();
    file.metadata["format_version"] = std::to_string(int8 ? 4 : text ? 3 : targetScaled ? 2 : 1);
    Json model = modelJson(src, g);
    if (text) model["text"] = textJson(src.preprocessing.text);
    std::map<std::string, const std::vector<float>*> weightScales;  // node id -> its scales
    if (int8) {
        Json activations = Json::array();
        for (const auto& [node, a] : int8->activations)
            activations.push_back({{"node", src.project.nodes[static_cast<std::size_t>(node)].id},
                                   {"scale", a.scale},
                                   {"zero_point", a.zeroPoint}});
        model["int8"] = {{"calibration_samples", int8->calibrationSamples}, {"activations", activations}};
        for (const auto& [node, scales] : int8->weightScales)
            weightScales[src.project.nodes[static_cast<std::size_t>(node)].id] = &scales;
    }
    file.metadata["model"] = io::dumpJson(model);
    file.metadata["project"] = projectToJson(src.project);
    // A file that could not be loaded must not be written: the loader parses this project.
    parseProject(file.metadata["project"], "the project to export", nullptr);

    const std::vector<float> snap = src.model.snapshot();  // values, then buffers
    const int64_t buffersAt = src.model.values().numel();
    for (const ParamInfo& p : src.model.params()) {
        const int64_t at = p.offset + (p.trainable ? 0 : buffersAt);
        const auto scales = p.name == "weight" ? weightScales.find(p.node) : weightScales.end();
        if (scales == weightScales.end()) {
            file.tensors.push_back(floatTensor(p.node + "." + p.name, dimsOf(p.shape), snap.data() + at,
                                               static_cast<std::size_t>(p.shape.numel())));
            continue;
        }
        const std::vector<float>& s = *scales->second;
        NEURITE_CHECK(static_cast<int64_t>(s.size()) == p.shape[0], "int8 weight scales do not match " + p.node);
        SafeTensor q;
        q.name = p.node + ".weight";
        q.dtype = "I8";
        q.shape = dimsOf(p.shape);
        const auto count = static_cast<std::size_t>(p.shape.numel()), per = count / s.size();
        q.bytes.resize(count);
        for (std::size_t k = 0; k < count; ++k)
            q.bytes[k] = static_cast<uint8_t>(quantizeI8(snap[static_cast<std::size_t>(at) + k], s[k / per]));
        file.tensors.push_back(std::move(q));
        file.tensors.push_back(floatTensor(p.node + ".weight_scale", {p.shape[0]}, s.data(), s.size()));
    }
    const Preprocessing& pre = src.preprocessing;
    if (pre.standardized()) {
        const auto n = static_cast<int64_t>(pre.mean.size());
        NEURITE_CHECK(pre.invStd.size() == pre.mean.size(), "preprocessing mean/invStd sizes differ");
        file.tensors.push_back(floatTensor("preprocessing.mean", {n}, pre.mean.data(), pre.mean.size()));
        file.tensors.push_back(
            floatTensor("preprocessing.inv_std", {n}, pre.invStd.data(), pre.invStd.size()));
    }
    if (targetScaled) {
        const int64_t n = pre.target.columns();
        NEURITE_CHECK(pre.target.stddev.size() == pre.target.mean.size() &&
                          n == src.model.outputShape().numelFrom(1),
                      "target scaling does not match the model's outputs");
        file.tensors.push_back(
            floatTensor("preprocessing.target_mean", {n}, pre.target.mean.data(), pre.target.mean.size()));
        file.tensors.push_back(
            floatTensor("preprocessing.target_std", {n}, pre.target.stddev.data(), pre.target.stddev.size()));
    }
    return encodeSafeTensors(file);
}

void saveNativeModel(const ExportSource& source, const std::string& path) {
    const std::vector<uint8_t> bytes = encodeNativeModel(source);
    writeFileAtomic(path, bytes.data(), bytes.size());
}

namespace {

[[noreturn]] void bad(const std::string& what, const std::string& message) {
    throwBadInput(what + ": " + message);
}

// Files people give by mistake, recognized (once they failed to parse as safetensors) by their
// name or first bytes, so the message says what the file is rather than that its header length
// is absurd.
void refuseOtherFormats(const std::vector<uint8_t>& bytes, const std::string& what) {
    const auto endsWith = [&](const char* ext) {
        const std::string e(ext);
        return what.size() >= e.size() && what.compare(what.size() - e.size(), e.size(), e) == 0;
    };
    std::size_t first = 0;
    while (first < bytes.size() && std::isspace(bytes[first])) ++first;
    // An ONNX ModelProto starts with field 1 (ir_version, a small varint: 08 03..0A) followed by
    // the tag of field 2..8 (producer_name 0x12 ... opset_import 0x42).
    const bool onnxBytes = bytes.size() > 3 && bytes[0] == 0x08 && bytes[1] >= 3 &&
                           bytes[1] <= 10 && bytes[2] >= 0x12 && bytes[2] <= 0x42;
    if (endsWith(".onnx") || onnxBytes)
        bad(what, "this is an ONNX model; Neurite loads its native model files (export "
                  "--format native); run ONNX models with an ONNX runtime (onnxruntime, OpenCV dnn)");
    if (first < bytes.size() && (bytes[first] == '{' || bytes[first] == '['))
        bad(what, "this is a JSON file (a project?), not a model file; train it and export it "
                  "with: neurite-cli export PROJECT --format native -o MODEL.nmodel");
}

Shape shapeFrom(const Json& v, const std::string& what, const char* key) {
    if (!v.is_array() || v.size() + 1 > std::size_t(Shape::kMaxRank))
        bad(what, std::string("model metadata: ") + key + " is not a shape");
    Shape s;
    double values = 1;  // in double, so that absurd sizes cannot overflow
    for (const Json& d : v) {
        if (!d.is_number_integer() || d.get<int64_t>() < 1 || d.get<int64_t>() > (1 << 30))
            bad(what, std::string("model metadata: ") + key + " has an invalid size " + io::dumpJson(d));
        s.push(d.get<int64_t>());
        values *= static_cast<double>(d.get<int64_t>());
    }
    if (values > double(int64_t{1} << 28))
        bad(what, std::string("model metadata: ") + key + " " + io::dumpJson(v) + " is implausibly large");
    return s;
}

template <class T>
T field(const Json& obj, const char* key, const std::string& what) {
    if (!obj.is_object() || !obj.contains(key))
        bad(what, std::string("model metadata: missing \"") + key + "\"");
    try {
        return obj.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        bad(what, std::string("model metadata: \"") + key + "\" has the wrong type");
    }
}

std::vector<float> floatsOf(const SafeTensor& t, const std::string& what) {
    if (t.dtype != "F32") bad(what, "tensor " + t.name + " is " + t.dtype + ", expected F32");
    std::vector<float> v(t.bytes.size() / sizeof(float));
    if (!v.empty()) std::memcpy(v.data(), t.bytes.data(), v.size() * sizeof(float));
    return v;
}

// Every parameter the graph declares must be in the file with its shape. Checked from the layers'
// parameter specs before the Model allocates anything, so a damaged header cannot make it
// allocate a huge store.
void checkTensorsFit(const std::vector<Node>& nodes, const ResolvedGraph& g,
                     const SafeTensorsFile& file, const std::string& what) {
    for (int i : g.order) {
        const auto idx = static_cast<std::size_t>(i);
        const LayerType* type = findLayerType(nodes[idx].op);
        NEURITE_CHECK(type, "resolved graph with an unknown op");
        std::vector<Shape> src;
        for (int p : g.inputs[idx]) src.push_back(g.shapes[static_cast<std::size_t>(p)]);
        for (const ParamSpec& spec : type->create(g.params[idx])->paramSpecs(src)) {
            const std::string name = nodes[idx].id + "." + spec.name;
            const SafeTensor* t = file.find(name);
            if (!t) bad(what, "tensor " + name + " is missing");
            if (t->shape != dimsOf(spec.shape))
                bad(what, "tensor " + name + " has shape " +
                              Shape(t->shape.begin(), t->shape.end()).str() + ", the model needs " +
                              spec.shape.str());
        }
    }
}

// The "int8" object: activation quantization by node id; which layers have int8 weights comes
// from the tensors (int8Weight fills weightScales).
Model::Int8Spec readInt8(const Json& j, const std::vector<Node>& nodes, const ResolvedGraph& g, const std::string& what,
                         int64_t& calibrationSamples) {
    Model::Int8Spec spec;
    calibrationSamples = field<int64_t>(j, "calibration_samples", what);
    const Json activations = field<Json>(j, "activations", what);
    if (!activations.is_array()) bad(what, "model metadata: int8.activations is not a list");
    for (const Json& a : activations) {
        const std::string id = field<std::string>(a, "node", what);
        const auto it = std::find_if(nodes.begin(), nodes.end(), [&](const Node& n) { return n.id == id; });
        if (it == nodes.end()) bad(what, "model metadata: int8.activations names no node \"" + id + "\"");
        const auto node = static_cast<int>(it - nodes.begin());
        if (node == g.output) bad(what, "model metadata: int8.activations quantizes the output node " + id);
        const float scale = field<float>(a, "scale", what);
        const int64_t zeroPoint = field<int64_t>(a, "zero_point", what);
        if (!std::isfinite(scale) || !(scale > 0.f))
            bad(what, "model metadata: int8 scale of " + id + " must be positive and finite");
        if (zeroPoint < 0 || zeroPoint > 255)
            bad(what, "model metadata: int8 zero_point of " + id + " must be in 0..255, got " + std::to_string(zeroPoint));
        spec.outputs[node] = InferQuant{true, scale, static_cast<int32_t>(zeroPoint)};
    }
    return spec;
}

// An I8 weight and its "<node>.weight_scale" [O] scaled back to floats; records the scales.
std::vector<float> int8Weight(const SafeTensor& t, const SafeTensorsFile& file, Model::Int8Spec* spec,
                              const std::vector<Node>& nodes, const std::string& what) {
    const std::string id = t.name.substr(0, t.name.size() - std::string(".weight").size());
    if (!spec) bad(what, "tensor " + t.name + " is I8 but the model metadata has no int8 quantization");
    const auto it = std::find_if(nodes.begin(), nodes.end(), [&](const Node& n) { return n.id == id; });
    const LayerType* type = it == nodes.end() ? nullptr : findLayerType(it->op);
    if (!type || !type->quantizeWeight) bad(what, "tensor " + t.name + " is I8, but only Dense and Conv2D weights can be");
    const SafeTensor* s = file.find(id + ".weight_scale");
    if (!s) bad(what, "tensor " + id + ".weight_scale is missing (the int8 weight's scales)");
    if (s->shape != std::vector<int64_t>{t.shape.at(0)})
        bad(what, "tensor " + id + ".weight_scale has shape " + Shape(s->shape.begin(), s->shape.end()).str() +
                      ", the weight needs [" + std::to_string(t.shape.at(0)) + "] (one scale per output channel)");
    const std::vector<float> scales = floatsOf(*s, what);
    for (std::size_t c = 0; c < scales.size(); ++c)
        if (!std::isfinite(scales[c]) || !(scales[c] > 0.f))
            bad(what, "tensor " + id + ".weight_scale: scale " + std::to_string(c) + " must be positive and finite");
    std::vector<float> w(t.bytes.size());
    const std::size_t per = w.size() / scales.size();
    for (std::size_t k = 0; k < w.size(); ++k)
        w[k] = dequantize(static_cast<int8_t>(t.bytes[k]), scales[k / per], 0);
    spec->weightScales[static_cast<int>(it - nodes.begin())] = scales;
    return w;
}

}  // namespace

NativeModel decodeNativeModel(const std::vector<uint8_t>& bytes, const std::string& what,
                              Backend& backend) {
    SafeTensorsFile file;
    try {
        file = decodeSafeTensors(bytes, what);
    } catch (const Error&) {
        refuseOtherFormats(bytes, what);
        throw;
    }
    const auto meta = [&](const char* key) -> const std::string* {
        auto it = file.metadata.find(key);
        return it == file.metadata.end() ? nullptr : &it->second;
    };
    if (!meta("format") || *meta("format") != kNativeModelFormat)
        bad(what, "a safetensors file without Neurite's metadata (__metadata__.format \"" +
                      std::string(kNativeModelFormat) +
                      "\"): it holds tensors, not a Neurite model");
    int version = 0;
    if (const std::string* v = meta("format_version"); v && !v->empty() && v->size() < 9 &&
                                                        v->find_first_not_of("0123456789") ==
                                                            std::string::npos)
        version = std::stoi(*v);
    if (version < 1) bad(what, "model metadata: format_version is missing or not a number");
    if (version > kNativeModelVersion)
        bad(what, "this model file has format version " + std::to_string(version) +
                      ", but this Neurite reads version " + std::to_string(kNativeModelVersion) +
                      " at most; open it with a newer Neurite");
    if (!meta("model") || !meta("project")) bad(what, "model metadata: model or project missing");
    const Json m = io::parseJson<Json>(*meta("model"), what + ": model metadata \"model\"");
    if (!m.is_object()) bad(what, "model metadata: \"model\" is not a JSON object");

    NativeModel out;
    out.project = parseProject(*meta("project"), what + " (embedded project)", nullptr);
    out.classNames = field<std::vector<std::string>>(m, "class_names", what);
    const Json input = field<Json>(m, "input", what);
    const Shape sample = shapeFrom(field<Json>(input, "shape", what), what, "input.shape");
    const std::string rawType = field<std::string>(input, "dtype", what);
    if (rawType != "u8" && rawType != "fp32")
        bad(what, "model metadata: input.dtype must be u8 or fp32, got \"" + rawType + "\"");
    out.preprocessing.rawDType = rawType == "u8" ? DType::U8 : DType::F32;
    const Json pre = field<Json>(m, "preprocessing", what);
    out.preprocessing.scale = field<float>(pre, "scale", what);
    const Json output = field<Json>(m, "output", what);
    const Shape outSample = shapeFrom(field<Json>(output, "shape", what), what, "output.shape");
    if (m.contains("text")) {
        const Json t = field<Json>(m, "text", what);
        TextSettings ts;
        const std::string level = field<std::string>(t, "level", what);
        if (level != "word" && level != "char") bad(what, "model metadata: text.level must be word or char");
        ts.characters = level == "char";
        ts.lowercase = field<bool>(t, "lowercase", what);
        ts.length = field<int64_t>(t, "length", what);
        if (field<int64_t>(t, "padding_id", what) != kTextPaddingId || field<int64_t>(t, "unknown_id", what) != kTextUnknownId)
            bad(what, "model metadata: text ids other than 0 for padding and 1 for unknown tokens");
        try {
            out.preprocessing.text = TextVocabulary::restore(ts, field<std::vector<std::string>>(t, "tokens", what));
        } catch (const Error& e) {
            bad(what, std::string("model metadata: ") + e.what());
        }
        out.preprocessing.text.settings.maxVocabulary = out.preprocessing.text.size();
        if (sample != Shape{ts.length}) bad(what, "model metadata: text.length does not match input.shape");
    }

    DataInfo info;
    info.sampleShape = sample;
    info.outputUnits = out.classNames.empty() ? static_cast<int>(outSample.numel())
                                              : static_cast<int>(out.classNames.size());
    if (out.preprocessing.text.fitted()) info.vocabularySize = out.preprocessing.text.size();
    out.graph = resolveGraph(out.project.nodes, out.project.output, info);
    if (!out.graph.ok()) bad(what, "the embedded model has errors: " + out.graph.firstError());
    const Shape resolvedOut = out.graph.shapes[static_cast<std::size_t>(out.graph.output)];
    if (Shape(resolvedOut.begin() + 1, resolvedOut.end()) != outSample)
        bad(what, "model metadata: output shape " + outSample.str() +
                      " does not match the embedded project's " + resolvedOut.str());
    checkTensorsFit(out.project.nodes, out.graph, file, what);
    out.model = std::make_unique<Model>(backend, out.project.nodes, out.graph, 0);

    std::vector<float> snap = out.model->snapshot();
    const int64_t buffersAt = out.model->values().numel();
    std::size_t used = 0;
    if (m.contains("int8")) {
        if (version < 4) bad(what, "model metadata: int8 quantization in a format version " + std::to_string(version) + " file");
        out.int8 = readInt8(field<Json>(m, "int8", what), out.project.nodes, out.graph, what, out.int8CalibrationSamples);
    }
    for (const ParamInfo& p : out.model->params()) {
        const SafeTensor* t = file.find(p.node + "." + p.name);
        NEURITE_CHECK(t && t->shape == dimsOf(p.shape), "checked tensor changed");
        const std::vector<float> v = t->dtype == "I8" && p.name == "weight"
                                         ? int8Weight(*t, file, out.int8 ? &*out.int8 : nullptr, out.project.nodes, what)
                                         : floatsOf(*t, what);
        std::copy(v.begin(), v.end(), snap.begin() + p.offset + (p.trainable ? 0 : buffersAt));
        used += t->dtype == "I8" ? 2 : 1;
    }
    if (out.int8 && out.int8->weightScales.empty())
        bad(what, "model metadata: an int8 model without any I8 weight");
    const auto sampleValues = static_cast<int64_t>(sample.numel());
    if (const SafeTensor* mean = file.find("preprocessing.mean")) {
        const SafeTensor* inv = file.find("preprocessing.inv_std");
        if (!inv) bad(what, "tensor preprocessing.inv_std is missing");
        out.preprocessing.mean = floatsOf(*mean, what);
        out.preprocessing.invStd = floatsOf(*inv, what);
        if (static_cast<int64_t>(out.preprocessing.mean.size()) != sampleValues ||
            out.preprocessing.invStd.size() != out.preprocessing.mean.size())
            bad(what, "preprocessing tensors need " + std::to_string(sampleValues) +
                          " values (one per input value)");
        used += 2;
    }
    // Files from before target scaling (and classifiers) have none: the identity.
    const SafeTensor* targetMean = file.find("preprocessing.target_mean");
    const SafeTensor* targetStd = file.find("preprocessing.target_std");
    if (targetMean || targetStd) {
        if (!targetMean || !targetStd)
            bad(what, std::string("tensor preprocessing.target_") + (targetMean ? "std" : "mean") +
                          " is missing");
        if (out.isClassifier()) bad(what, "a classifier with regression target scaling");
        TargetScaling& t = out.preprocessing.target;
        t.mean = floatsOf(*targetMean, what);
        t.stddev = floatsOf(*targetStd, what);
        if (static_cast<int64_t>(t.mean.size()) != outSample.numel() || t.stddev.size() != t.mean.size())
            bad(what, "target scaling tensors need " + std::to_string(outSample.numel()) +
                          " values (one per output)");
        for (std::size_t i = 0; i < t.stddev.size(); ++i)
            if (!std::isfinite(t.mean[i]) || !std::isfinite(t.stddev[i]) || !(t.stddev[i] > 0))
                bad(what, "target scaling: output " + std::to_string(i) + " has mean " +
                              std::to_string(t.mean[i]) + " and std " + std::to_string(t.stddev[i]) +
                              "; std must be positive and both finite");
        used += 2;
    }
    if (used != file.tensors.size())
        bad(what, std::to_string(file.tensors.size() - used) +
                      " tensors do not belong to the model; the file does not match its project");
    out.model->restore(snap);
    return out;
}

NativeModel loadNativeModel(const std::string& path, Backend& backend) {
    return decodeNativeModel(readRegularFileBytes(path, kMaxModelBytes, "a model file"), path, backend);
}

}  // namespace neurite
