// Helpers shared by the layer files.
#include "layers/layer_util.h"

#include <algorithm>

#include "core/error.h"

namespace neurite::layers {

ParamSchema intParam(std::string name, int64_t def, double min, std::string help) {
    ParamSchema s;
    s.name = std::move(name);
    s.type = ParamType::Int;
    s.defaultValue = def;
    s.min = min;
    s.help = std::move(help);
    return s;
}

ParamSchema floatParam(std::string name, double def, double min, double max, std::string help) {
    ParamSchema s;
    s.name = std::move(name);
    s.type = ParamType::Float;
    s.defaultValue = def;
    s.min = min;
    s.max = max;
    s.help = std::move(help);
    return s;
}

ParamSchema boolParam(std::string name, bool def, std::string help) {
    ParamSchema s;
    s.name = std::move(name);
    s.type = ParamType::Bool;
    s.defaultValue = def;
    s.help = std::move(help);
    return s;
}

ParamSchema choiceParam(std::string name, std::string def, std::vector<std::string> choices,
                        std::string help) {
    ParamSchema s;
    s.name = std::move(name);
    s.type = ParamType::Choice;
    s.defaultValue = std::move(def);
    s.choices = std::move(choices);
    s.help = std::move(help);
    return s;
}

ParamSchema intListParam(std::string name, std::vector<int64_t> def, int listLength, double min,
                         std::string help) {
    ParamSchema s;
    s.name = std::move(name);
    s.type = ParamType::IntList;
    s.defaultValue = std::move(def);
    s.listLength = listLength;
    s.min = min;
    s.help = std::move(help);
    return s;
}

ParamSchema initParam(std::string def) {
    return choiceParam(
        "init", std::move(def),
        {"glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "zeros"},
        "How the weights are initialized (Glorot suits tanh/sigmoid, He suits ReLU).");
}

Init initFromName(const std::string& name) {
    if (name == "glorot_uniform") return Init::GlorotUniform;
    if (name == "glorot_normal") return Init::GlorotNormal;
    if (name == "he_uniform") return Init::HeUniform;
    if (name == "he_normal") return Init::HeNormal;
    if (name == "zeros") return Init::Zeros;
    throwInternal("unknown initializer \"" + name + "\"");
}

Window1D window1D(int64_t in, int64_t kernel, int64_t stride, bool same) {
    Window1D w;
    if (same) {
        w.out = (in + stride - 1) / stride;
        int64_t total = std::max<int64_t>((w.out - 1) * stride + kernel - in, 0);
        w.padBefore = total / 2;
        w.padAfter = total - w.padBefore;
    } else {
        w.out = in >= kernel ? (in - kernel) / stride + 1 : 0;
    }
    return w;
}

std::string inputCountError(std::span<const Shape> srcShapes, std::size_t count) {
    if (srcShapes.size() == count) return {};
    return "expects " + std::to_string(count) + (count == 1 ? " input" : " inputs") + ", got " +
           std::to_string(srcShapes.size());
}

std::string joinDims(const std::vector<int64_t>& dims, const char* sep) {
    std::string s;
    for (std::size_t i = 0; i < dims.size(); ++i) {
        if (i) s += sep;
        s += std::to_string(dims[i]);
    }
    return s;
}

std::vector<std::pair<int64_t, int64_t>> imageDims(int64_t hLo, int64_t hHi, int64_t wLo,
                                                   int64_t wHi, int64_t cHi) {
    return {{1, 2}, {1, cHi}, {hLo, hHi}, {wLo, wHi}};
}

std::vector<std::pair<int64_t, int64_t>> sequenceDims(int64_t tLo, int64_t tHi, int64_t cHi) {
    return {{1, 2}, {tLo, tHi}, {1, cHi}};
}

std::vector<std::pair<int64_t, int64_t>> matrixDims(int64_t nLo, int64_t nHi, int64_t fLo,
                                                    int64_t fHi) {
    return {{nLo, nHi}, {fLo, fHi}};
}

ParamSchema paddingParam(std::string def, std::string sameValidHelp) {
    return choiceParam("padding", std::move(def), {"same", "valid", "explicit"},
                       sameValidHelp + "; explicit: the amounts in pads.");
}

ParamSchema padsParam() {
    ParamSchema s = intListParam("pads", {0, 0, 0, 0}, 4, 0,
                                 "Zeros added [top, left, bottom, right] when padding is explicit.");
    s.appliesWhen = "padding=explicit";
    return s;
}

std::string paddingSummary(const LayerParams& p) {
    if (p.s("padding") == "explicit") return ", pads " + joinDims(p.list("pads"), ",");
    if (p.s("padding") == "same") return ", same";
    return "";
}

} // namespace neurite::layers
