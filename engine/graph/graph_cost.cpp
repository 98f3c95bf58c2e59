// Cost estimate from the registry alone: each inferred node's layer is created (cheap, no device)
// only to ask its paramSpecs(), exactly as Model does, so counts and FLOPs agree with Model's.
#include "graph/graph_cost.h"

#include <exception>

namespace neurite {

GraphCost estimateCost(const std::vector<Node>& nodes, const ResolvedGraph& graph) {
    GraphCost cost;
    const std::size_t n = nodes.size();
    cost.params.assign(n, 0);
    cost.buffers.assign(n, 0);
    cost.activations.assign(n, 0);
    cost.complete = graph.ok();
    if (graph.shapes.size() != n || graph.inputs.size() != n || graph.params.size() != n)
        return cost;
    for (int i : graph.order) {
        const auto u = static_cast<std::size_t>(i);
        const Shape& out = graph.shapes[u];
        if (out.rank() == 0) continue;  // not inferred (an error here or upstream)
        cost.activations[u] = out.numel();
        const LayerType* type = findLayerType(nodes[u].op);
        if (!type || !type->create) continue;
        std::vector<Shape> src;
        for (int p : graph.inputs[u])
            src.push_back(graph.shapes[static_cast<std::size_t>(p)]);
        std::vector<ParamSpec> specs;
        try {
            specs = type->create(graph.params[u])->paramSpecs(src);
        } catch (const std::exception&) {
            continue;  // an estimate: a layer that cannot describe itself counts as free
        }
        for (const ParamSpec& spec : specs) {
            (spec.trainable ? cost.params[u] : cost.buffers[u]) += spec.shape.numel();
            if (spec.trainable && spec.name == "weight" && out.rank() >= 2 && out[1] > 0)
                cost.flopsPerSample += 2.0 * static_cast<double>(spec.shape.numel()) *
                                       static_cast<double>(out.numelFrom(2));
        }
        cost.totalParams += cost.params[u];
        cost.totalBuffers += cost.buffers[u];
    }
    return cost;
}

int64_t estimateTrainingBytes(const GraphCost& cost, int64_t batch, const OptimizerConfig& opt) {
    int64_t states = 0;
    switch (opt.kind) {
    case OptimizerKind::Adam:
    case OptimizerKind::AdamW:
        states = 2;
        break;
    case OptimizerKind::Sgd:
        states = opt.momentum > 0.f ? 1 : 0;
        break;
    case OptimizerKind::Rmsprop:
        states = opt.momentum > 0.f ? 2 : 1;
        break;
    }
    int64_t activations = 0;
    for (int64_t a : cost.activations)
        activations += a;
    const int64_t floats =
        cost.totalParams * (2 + states) + cost.totalBuffers + 2 * activations * batch;
    return floats * static_cast<int64_t>(sizeof(float));
}

}  // namespace neurite
