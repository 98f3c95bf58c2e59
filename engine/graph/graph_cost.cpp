// Cost estimate from the registry alone: each inferred node's layer is created (cheap, no device)
// only to ask its paramSpecs(), exactly as Model does, so counts and FLOPs agree with Model's.
#include "graph/graph_cost.h"

#include <exception>

namespace neurite {

namespace {

// Absurd sizes (Dense units 1e11 after another 1e11) overflow int64: counts saturate instead, so
// the memory check before allocating sees "too much", not a wrapped-around small number.
constexpr double kMaxCount = 9.0e18;

int64_t saturate(double v) { return v >= kMaxCount ? static_cast<int64_t>(kMaxCount) : static_cast<int64_t>(v); }

// Shape::numel in double: the batch placeholder counts 1.
int64_t elements(const Shape& s) {
    double n = 1;
    for (int64_t d : s) n *= d == Shape::kBatch ? 1.0 : static_cast<double>(d);
    return saturate(n);
}

void add(int64_t& total, int64_t v) { total = saturate(static_cast<double>(total) + static_cast<double>(v)); }

}  // namespace

double weightFlopsPerSample(const Shape& weight, const Shape& out) {
    if (weight.rank() < 1 || weight[0] <= 0 || out.rank() < 2) return 0;
    for (int i = 1; i < out.rank(); ++i)
        if (out[i] <= 0) return 0;
    const double positions = static_cast<double>(out.numelFrom(1)) / static_cast<double>(weight[0]);
    return 2.0 * static_cast<double>(weight.numel()) * positions;
}

double paramFlopsPerSample(const ParamSpec& spec, const Shape& src, const Shape& out) {
    if (!spec.trainable || spec.lookup) return 0;
    if (spec.name == "weight") return weightFlopsPerSample(spec.shape, out);
    if ((spec.name == "weight_ih" || spec.name == "weight_hh") && src.rank() == 3 && src[1] > 0)
        return 2.0 * static_cast<double>(spec.shape.numel()) * static_cast<double>(src[1]);
    return 0;
}

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
        cost.activations[u] = elements(out);
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
            add(spec.trainable ? cost.params[u] : cost.buffers[u], elements(spec.shape));
            cost.flopsPerSample += paramFlopsPerSample(spec, src.empty() ? Shape{} : src[0], out);
        }
        add(cost.totalParams, cost.params[u]);
        add(cost.totalBuffers, cost.buffers[u]);
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
    double activations = 0;
    for (int64_t a : cost.activations)
        activations += static_cast<double>(a);
    const double floats = static_cast<double>(cost.totalParams) * static_cast<double>(2 + states) +
                          static_cast<double>(cost.totalBuffers) +
                          2 * activations * static_cast<double>(batch);
    return saturate(floats * sizeof(float));
}

}  // namespace neurite
