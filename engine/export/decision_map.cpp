// Decision maps over the raw feature plane.
#include "export/decision_map.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "export/predictor.h"

namespace neurite {

namespace {

constexpr double kMargin = 0.1, kMinPad = 1e-3;

void pad(double& lo, double& hi) {
    const double p = std::max(kMargin * (hi - lo), kMinPad);
    lo -= p;
    hi += p;
}

}  // namespace

PlaneRange paddedPlane(std::span<const double> x, std::span<const double> y) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    double xLo = kInf, xHi = -kInf, yLo = kInf, yHi = -kInf;
    const std::size_t n = std::min(x.size(), y.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
        xLo = std::min(xLo, x[i]);
        xHi = std::max(xHi, x[i]);
        yLo = std::min(yLo, y[i]);
        yHi = std::max(yHi, y[i]);
    }
    if (xLo > xHi) return PlaneRange{};
    pad(xLo, xHi);
    pad(yLo, yHi);
    return PlaneRange{xLo, xHi, yLo, yHi};
}

PlaneRange spreadPlane(const Preprocessing& pre) {
    PlaneRange r;
    if (!pre.standardized() || pre.mean.size() != 2 || pre.invStd.size() != 2 || !(pre.scale > 0)) return r;
    double lo[2], hi[2];
    for (std::size_t f = 0; f < 2; ++f) {
        // Features are (raw * scale - mean) * invStd: raw = (mean +- 3 sd) / scale.
        const double sd = 1.0 / std::max(static_cast<double>(pre.invStd[f]), 1e-12);
        lo[f] = (pre.mean[f] - 3 * sd) / pre.scale;
        hi[f] = (pre.mean[f] + 3 * sd) / pre.scale;
    }
    return PlaneRange{lo[0], hi[0], lo[1], hi[1]};
}

std::vector<float> planeGrid(const PlaneRange& plane, int side) {
    const auto cells = static_cast<std::size_t>(std::max(side, 0)) * static_cast<std::size_t>(std::max(side, 0));
    std::vector<float> raw(2 * cells);
    for (int j = 0; j < side; ++j)
        for (int i = 0; i < side; ++i) {
            const auto c = static_cast<std::size_t>(j) * static_cast<std::size_t>(side) + static_cast<std::size_t>(i);
            raw[2 * c] = static_cast<float>(plane.xMin + (i + 0.5) * (plane.xMax - plane.xMin) / side);
            raw[2 * c + 1] = static_cast<float>(plane.yMin + (j + 0.5) * (plane.yMax - plane.yMin) / side);
        }
    return raw;
}

DecisionMap decisionMap(Model& model, const Preprocessing& preprocessing, int classes,
                        const PlaneRange& plane, int side, const Model::Int8Spec* int8) {
    if (side < 1) throwBadInput("a decision map needs at least one cell per side, got " + std::to_string(side));
    if (sampleShapeOf(model) != Shape{2})
        throwBadInput("a decision map needs a model of two input features, this one reads " +
                      sampleShapeOf(model).str());
    const int64_t units = model.outputShape().numelFrom(1);
    const int64_t k = std::max(classes, 2);
    if (classes < 1 || !(units == classes || (units == 1 && classes == 2)))
        throwBadInput("a decision map needs a classifier's logits: the model has " + std::to_string(units) +
                      " outputs for " + std::to_string(classes) + " classes");
    DecisionMap m;
    m.side = side;
    m.range = plane;
    const auto cells = static_cast<std::size_t>(side) * static_cast<std::size_t>(side);
    const std::vector<float> raw = planeGrid(plane, side);
    Predictor predictor(model, preprocessing, static_cast<int64_t>(cells),
                        int8 ? InferencePath::Compiled : InferencePath::LayerByLayer, int8);
    const std::vector<float> probs =
        probabilitiesOf(predictor.outputs(raw.data(), static_cast<int64_t>(cells)), units);
    NEURITE_CHECK(probs.size() == cells * static_cast<std::size_t>(k), "decision map: probabilities per cell");
    m.cls.resize(cells);
    m.confidence.resize(cells);
    const double chance = 1.0 / static_cast<double>(k);
    for (std::size_t c = 0; c < cells; ++c) {
        const float* p = probs.data() + c * static_cast<std::size_t>(k);
        const auto best = std::max_element(p, p + k) - p;
        m.cls[c] = static_cast<int>(best);
        m.confidence[c] = static_cast<float>(std::clamp((p[best] - chance) / (1 - chance), 0.0, 1.0));
    }
    return m;
}

}  // namespace neurite
