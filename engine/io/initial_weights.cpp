// Starting weights from a safetensors file: matched by "<node>.<param>" and shape.
#include "io/initial_weights.h"

#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/file_read.h"

namespace neurite {

namespace {

std::string dims(const std::vector<int64_t>& d) {
    std::string s = "[";
    for (std::size_t i = 0; i < d.size(); ++i) {
        if (i) s += ',';
        s += std::to_string(d[i]);
    }
    s += ']';
    return s;
}

std::string joinNames(const std::vector<std::string>& names, std::size_t most) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < most; ++i) {
        if (i) s += ", ";
        s += names[i];
    }
    if (names.size() > most) s += " and " + std::to_string(names.size() - most) + " more";
    return s;
}

}  // namespace

std::string WeightsReport::summary() const {
    if (file.empty()) return {};
    const std::size_t total = static_cast<std::size_t>(loaded) + fresh.size() + reshaped.size();
    std::string s = "starting weights from " + file + ": " + std::to_string(loaded) + " of " +
                    std::to_string(total) + " tensors";
    if (!fresh.empty()) s += "; not in the file, from their initializer: " + joinNames(fresh, 6);
    if (!reshaped.empty()) s += "; another shape in the file, from their initializer: " + joinNames(reshaped, 4);
    if (unused > 0) s += "; " + std::to_string(unused) + " tensors of the file unused";
    return s;
}

WeightsReport applyWeights(Model& model, const SafeTensorsFile& file, const std::string& what) {
    WeightsReport report;
    report.file = what;
    std::vector<float> snap = model.snapshot();
    const int64_t buffersAt = model.values().numel();
    for (const ParamInfo& p : model.params()) {
        const std::string name = p.node + "." + p.name;
        const SafeTensor* t = file.find(name);
        if (!t) {
            report.fresh.push_back(name);
            continue;
        }
        const std::vector<int64_t> want(p.shape.begin(), p.shape.end());
        if (t->shape != want) {
            report.reshaped.push_back(name + " " + dims(t->shape) + " in the file, " + dims(want) + " here");
            continue;
        }
        if (t->dtype != "F32")
            throwBadInput(what + ": tensor " + name + " is " + t->dtype +
                          "; starting weights must be F32 (float32)");
        std::memcpy(snap.data() + p.offset + (p.trainable ? 0 : buffersAt), t->bytes.data(), t->bytes.size());
        ++report.loaded;
        report.loadedParams.push_back(static_cast<std::size_t>(&p - model.params().data()));
    }
    if (report.loaded == 0 && !model.params().empty())
        throwBadInput(what + ": none of its " + std::to_string(file.tensors.size()) +
                      " tensors is a parameter of this model with its shape (names are "
                      "\"<node>.<param>\", e.g. " + model.params().front().node + "." +
                      model.params().front().name + "); is it the weights file of another model?");
    report.unused = static_cast<int>(file.tensors.size()) - report.loaded -
                    static_cast<int>(report.reshaped.size());
    for (const SafeTensor& t : file.tensors)  // preprocessing.* of a *.nmodel file is not a parameter
        if (t.name.rfind("preprocessing.", 0) == 0) --report.unused;
    if (report.unused < 0) report.unused = 0;
    model.restore(snap);
    return report;
}

WeightsReport applyInitialWeights(Model& model, const ProjectDocument& doc) {
    if (doc.weights.empty()) return {};
    const std::string path = weightsPath(doc);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throwBadInput("model.weights: " + path + " does not exist. It holds the weights the model starts from: "
                      "export the model they come from there as a native model (*.nmodel), choose another file "
                      "(Start from, in the training settings), or remove model.weights to start from the "
                      "layers' initializers");
    const std::vector<uint8_t> bytes = readRegularFileBytes(path, kMaxWeightsBytes, "a weights file");
    return applyWeights(model, decodeSafeTensors(bytes, path), path);
}

}  // namespace neurite
