// Unit maps: every node's output over a grid of the input plane, through a forward hook.
#include "export/unit_maps.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "core/error.h"
#include "export/node_outputs.h"

namespace neurite {

const UnitMap* UnitMaps::find(const std::string& id) const {
    for (const UnitMap& m : nodes)
        if (m.node == id) return &m;
    return nullptr;
}

UnitMaps unitMaps(Model& model, const std::vector<Node>& nodes, const Preprocessing& preprocessing,
                  const PlaneRange& plane, int side, int64_t maxUnits) {
    if (side < 1) throwBadInput("unit maps need at least one cell per side, got " + std::to_string(side));
    if (sampleShapeOf(model) != Shape{2})
        throwBadInput("unit maps need a model of two input features, this one reads " + sampleShapeOf(model).str());
    const auto cells = static_cast<int64_t>(side) * side;
    const std::vector<float> raw = planeGrid(plane, side);

    // Each node's output [cells, units] as the forward pass leaves it.
    std::map<int, NodeOutput> outputs = nodeOutputs(model, preprocessing, raw.data(), cells, [&](const Shape& s) {
        return s.numel() / cells <= maxUnits;
    });

    UnitMaps maps;
    maps.side = side;
    maps.range = plane;
    std::vector<float> store;  // the parameters, read once when a Dense node needs them
    for (auto& [index, out] : outputs) {
        if (static_cast<std::size_t>(index) >= nodes.size()) continue;
        const std::vector<float>& host = out.values;
        const Node& node = nodes[static_cast<std::size_t>(index)];
        UnitMap m;
        m.node = node.id;
        m.op = node.op;
        m.units = static_cast<int64_t>(host.size()) / cells;
        m.values.resize(host.size());
        for (int64_t c = 0; c < cells; ++c)
            for (int64_t u = 0; u < m.units; ++u) {
                const float v = host[static_cast<std::size_t>(c * m.units + u)];
                m.values[static_cast<std::size_t>(u * cells + c)] = v;
                if (std::isfinite(v)) m.maxAbs = std::max(m.maxAbs, std::abs(v));
            }
        if (node.inputs.size() == 1) m.input = node.inputs.front();
        if (node.op == "Dense") {
            if (store.empty()) store = model.snapshot();
            m.weight = parameterOf(model, store, node.id, "weight");
            m.bias = parameterOf(model, store, node.id, "bias");
        }
        maps.nodes.push_back(std::move(m));
    }
    return maps;
}

}  // namespace neurite
