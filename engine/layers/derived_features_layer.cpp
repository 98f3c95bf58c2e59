// DerivedFeatures: the registry entry and the host computation.
#include "layers/derived_features_layer.h"

#include <cmath>
#include <string>

#include "layers/layer_util.h"
#include "layers/registry.h"

namespace neurite {

namespace {

struct FeatureInfo {
    DerivedFeature feature;
    const char* param;  // the layer's parameter that selects it
    const char* label;  // summary and docs
    bool byDefault;
};

constexpr FeatureInfo kFeatures[] = {
    {DerivedFeature::X, "x", "x", true},           {DerivedFeature::Y, "y", "y", true},
    {DerivedFeature::XSquared, "x_squared", "x²", false}, {DerivedFeature::YSquared, "y_squared", "y²", false},
    {DerivedFeature::XY, "xy", "xy", false},       {DerivedFeature::SinX, "sin_x", "sin x", false},
    {DerivedFeature::SinY, "sin_y", "sin y", false},
};

std::vector<DerivedFeature> chosen(const LayerParams& p) {
    std::vector<DerivedFeature> out;
    for (const FeatureInfo& f : kFeatures)
        if (p.b(f.param)) out.push_back(f.feature);
    return out;
}

}  // namespace

float DerivedFeaturesLayer::value(DerivedFeature f, float x, float y) {
    switch (f) {
        case DerivedFeature::X: return x;
        case DerivedFeature::Y: return y;
        case DerivedFeature::XSquared: return x * x;
        case DerivedFeature::YSquared: return y * y;
        case DerivedFeature::XY: return x * y;
        case DerivedFeature::SinX: return std::sin(x);
        case DerivedFeature::SinY: return std::sin(y);
    }
    return 0;
}

void DerivedFeaturesLayer::gradient(DerivedFeature f, float x, float y, float& dx, float& dy) {
    dx = dy = 0;
    switch (f) {
        case DerivedFeature::X: dx = 1; break;
        case DerivedFeature::Y: dy = 1; break;
        case DerivedFeature::XSquared: dx = 2 * x; break;
        case DerivedFeature::YSquared: dy = 2 * y; break;
        case DerivedFeature::XY: dx = y; dy = x; break;
        case DerivedFeature::SinX: dx = std::cos(x); break;
        case DerivedFeature::SinY: dy = std::cos(y); break;
    }
}

void DerivedFeaturesLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    const int64_t n = src[0]->shape()[0];
    const auto k = static_cast<int64_t>(m_features.size());
    m_in.resize(static_cast<std::size_t>(2 * n));
    m_out.resize(static_cast<std::size_t>(k * n));
    ctx.backend.copyToHost(m_in.data(), *src[0]);
    for (int64_t i = 0; i < n; ++i) {
        const float x = m_in[static_cast<std::size_t>(2 * i)], y = m_in[static_cast<std::size_t>(2 * i + 1)];
        for (int64_t j = 0; j < k; ++j)
            m_out[static_cast<std::size_t>(i * k + j)] = value(m_features[static_cast<std::size_t>(j)], x, y);
    }
    ctx.backend.copyFromHost(dst, m_out.data());
}

void DerivedFeaturesLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                                    const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    if (!diffSrc[0]) return;  // reading the data directly: nothing before it learns
    const int64_t n = src[0]->shape()[0];
    const auto k = static_cast<int64_t>(m_features.size());
    m_in.resize(static_cast<std::size_t>(2 * n));
    m_out.resize(static_cast<std::size_t>(k * n));
    m_diff.assign(static_cast<std::size_t>(2 * n), 0.f);
    ctx.backend.copyToHost(m_in.data(), *src[0]);
    ctx.backend.copyToHost(m_out.data(), diffDst);
    for (int64_t i = 0; i < n; ++i) {
        const float x = m_in[static_cast<std::size_t>(2 * i)], y = m_in[static_cast<std::size_t>(2 * i + 1)];
        for (int64_t j = 0; j < k; ++j) {
            float dx = 0, dy = 0;
            gradient(m_features[static_cast<std::size_t>(j)], x, y, dx, dy);
            const float g = m_out[static_cast<std::size_t>(i * k + j)];
            m_diff[static_cast<std::size_t>(2 * i)] += g * dx;
            m_diff[static_cast<std::size_t>(2 * i + 1)] += g * dy;
        }
    }
    ctx.backend.copyFromHost(*diffSrc[0], m_diff.data());
}

LayerType describeDerivedFeatures() {
    LayerType t;
    t.name = "DerivedFeatures";
    t.category = "Core";
    t.help = "Playground's input features for 2-D data: from x and y it makes the chosen ones of x, y, x², y², "
             "xy, sin x and sin y, so that one neuron can separate a circle (x² + y²) or XOR (xy).";
    for (const FeatureInfo& f : kFeatures)
        t.params.push_back(layers::boolParam(f.param, f.byDefault, std::string("Feed ") + f.label + " to the next layer."));
    t.inferShape = [](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty()) return ShapeResult::fail(e);
        if (srcShapes[0].rank() != 2 || srcShapes[0][1] != 2)
            return ShapeResult::fail("reads the two features (x, y) of 2-D data, input [N,2], got " + srcShapes[0].str());
        const auto k = static_cast<int64_t>(chosen(p).size());
        if (k == 0) return ShapeResult::fail("no feature chosen: turn on at least one of x, y, x_squared, y_squared, xy, sin_x, sin_y");
        return ShapeResult{Shape{srcShapes[0][0], k}, {}};
    };
    t.create = [](const LayerParams& p) { return std::make_unique<DerivedFeaturesLayer>(chosen(p)); };
    // Slice out x and y, compute each feature, Concat them in order.
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        const std::string axes = s.int64s(s.unique(l.id + "_axes"), {1}, std::vector<int64_t>{1});
        std::string column[2];
        for (int c = 0; c < 2; ++c) {
            const std::string starts = s.int64s(s.unique(l.id + "_start"), {1}, std::vector<int64_t>{c});
            const std::string ends = s.int64s(s.unique(l.id + "_end"), {1}, std::vector<int64_t>{c + 1});
            column[c] = s.unique(l.id + (c == 0 ? "_x" : "_y"));
            s.node("Slice", {l.inputs[0], starts, ends, axes}, column[c], column[c]);
        }
        std::vector<std::string> parts;
        for (const FeatureInfo& f : kFeatures) {
            if (!l.params.b(f.param)) continue;
            const std::string& x = column[0];
            const std::string& y = column[1];
            if (f.feature == DerivedFeature::X || f.feature == DerivedFeature::Y) {
                parts.push_back(f.feature == DerivedFeature::X ? x : y);
                continue;
            }
            const std::string out = s.unique(l.id + "_" + f.param);
            if (f.feature == DerivedFeature::XSquared) s.node("Mul", {x, x}, out, out);
            if (f.feature == DerivedFeature::YSquared) s.node("Mul", {y, y}, out, out);
            if (f.feature == DerivedFeature::XY) s.node("Mul", {x, y}, out, out);
            if (f.feature == DerivedFeature::SinX) s.node("Sin", {x}, out, out);
            if (f.feature == DerivedFeature::SinY) s.node("Sin", {y}, out, out);
            parts.push_back(out);
        }
        s.node("Concat", parts, l.output, l.id, {{"axis", int64_t{1}}});
    };
    const std::map<std::string, ParamValue> all{{"x", true},  {"y", true},     {"x_squared", true}, {"y_squared", true},
                                                {"xy", true}, {"sin_x", true}, {"sin_y", true}};
    t.torch = [](const TorchLayer& l) {
        std::string names;
        for (const FeatureInfo& f : kFeatures)
            if (l.params.b(f.param)) names += std::string(names.empty() ? "" : ", ") + "\"" + f.param + "\"";
        return TorchCode{"", "derived_features({0}, [" + names + "])", {}};
    };
    t.examples = {
        {"all seven features", all, layers::matrixDims(1, 3, 2, 2)},
        {"xy and x² only", {{"x", false}, {"y", false}, {"x_squared", true}, {"xy", true}}, layers::matrixDims(1, 3, 2, 2)},
    };
    t.summary = [](const LayerParams& p) {
        std::string s;
        for (const FeatureInfo& f : kFeatures)
            if (p.b(f.param)) s += (s.empty() ? "" : ", ") + std::string(f.label);
        return s.empty() ? std::string("no feature") : s;
    };
    return t;
}

}  // namespace neurite
