#include "deploy/decision_grid.h"

#include <algorithm>

#include "export/predictor.h"

namespace neurite {

plot::DecisionGrid decisionGridOf(Model& model, const Preprocessing& preprocessing, int classes,
                                  double xMin, double xMax, double yMin, double yMax, int side) {
    plot::DecisionGrid g;
    g.nx = g.ny = side;
    g.xMin = xMin;
    g.xMax = xMax;
    g.yMin = yMin;
    g.yMax = yMax;
    const auto cells = static_cast<std::size_t>(side) * static_cast<std::size_t>(side);
    std::vector<float> raw(2 * cells);
    for (int j = 0; j < side; ++j)
        for (int i = 0; i < side; ++i) {
            const auto k = static_cast<std::size_t>(j * side + i);
            raw[2 * k] = static_cast<float>(xMin + (i + 0.5) * (xMax - xMin) / side);
            raw[2 * k + 1] = static_cast<float>(yMin + (j + 0.5) * (yMax - yMin) / side);
        }
    Predictor predictor(model, preprocessing, static_cast<int64_t>(cells));
    const std::vector<float> probs =
        probabilitiesOf(predictor.outputs(raw.data(), static_cast<int64_t>(cells)), predictor.units());
    const auto k = static_cast<std::size_t>(std::max(classes, 2));
    if (probs.size() != cells * k) return {};  // the model is not a classifier of `classes`
    g.cls.resize(cells);
    g.confidence.resize(cells);
    const double chance = 1.0 / static_cast<double>(k);
    for (std::size_t c = 0; c < cells; ++c) {
        const float* p = probs.data() + c * k;
        const auto best = std::max_element(p, p + k) - p;
        g.cls[c] = static_cast<int>(best);
        g.confidence[c] = static_cast<float>(std::clamp((p[best] - chance) / (1 - chance), 0.0, 1.0));
    }
    return g;
}

}  // namespace neurite
