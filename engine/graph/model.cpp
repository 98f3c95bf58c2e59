// Model instantiation, initialization and the forward/backward sweeps over the DAG.
#include "graph/model.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/random.h"
#include "graph/graph_cost.h"

namespace neurite {

// Activations and gradients for one concrete batch size. diff[i] is dLoss/d(out[i]); nodes with
// several consumers get an extra scratch tensor so later consumers can add into diff[i], and a
// node that takes the same input twice (Add(x, x)) gets one per repeated edge.
struct Model::Workspace {
    int64_t batch = 0;
    std::vector<Tensor> out, diff, scratch;
    std::vector<std::vector<Tensor>> edgeScratch; // per node, per input position (repeats only)
    std::vector<char> diffWritten;
};

Model::Model(Backend& backend, const std::vector<Node>& nodes, const ResolvedGraph& graph,
             uint64_t seed)
    : m_backend(backend), m_graph(graph) {
    NEURITE_CHECK(graph.ok(), "Model built from a graph with errors: " + graph.firstError());
    const std::size_t n = nodes.size();
    m_ids.resize(n);
    m_ops.resize(n);
    m_layers.resize(n);
    m_layerParams.resize(n);
    m_specs.resize(n);
    m_needsGrad.assign(n, 0);
    m_consumers.assign(n, 0);

    int64_t trainable = 0, buffered = 0;
    for (int i : graph.order) {
        const auto& node = nodes[static_cast<std::size_t>(i)];
        const LayerType* type = findLayerType(node.op);
        NEURITE_CHECK(type != nullptr, "unknown op " + node.op);
        m_ids[static_cast<std::size_t>(i)] = node.id;
        m_ops[static_cast<std::size_t>(i)] = node.op;
        m_layers[static_cast<std::size_t>(i)] =
            type->create(graph.params[static_cast<std::size_t>(i)]);
        m_layers[static_cast<std::size_t>(i)]->setSalt(layerSalt(node.id));
        if (!node.trainable) m_layers[static_cast<std::size_t>(i)]->setFrozen(true);

        std::vector<Shape> srcShapes;
        bool anyInputNeedsGrad = false;
        for (int p : graph.inputs[static_cast<std::size_t>(i)]) {
            srcShapes.push_back(graph.shapes[static_cast<std::size_t>(p)]);
            anyInputNeedsGrad |= m_needsGrad[static_cast<std::size_t>(p)] != 0;
            ++m_consumers[static_cast<std::size_t>(p)];
        }
        auto specs = m_layers[static_cast<std::size_t>(i)]->paramSpecs(srcShapes);
        bool hasTrainable = false;
        const Shape& outShape = graph.shapes[static_cast<std::size_t>(i)];
        for (const auto& spec : specs) {
            ParamInfo info{node.id,        spec.name,
                           spec.shape,     spec.trainable ? trainable : buffered,
                           spec.trainable, spec.decay, node.trainable ? 1.f : 0.f};
            (spec.trainable ? trainable : buffered) += spec.shape.numel();
            hasTrainable |= spec.trainable && node.trainable;  // a frozen layer needs no gradient
            m_params.push_back(info);
            m_flopsPerSample += paramFlopsPerSample(spec, srcShapes.empty() ? Shape{} : srcShapes[0], outShape);
        }
        m_specs[static_cast<std::size_t>(i)] = std::move(specs);
        m_needsGrad[static_cast<std::size_t>(i)] = (hasTrainable || anyInputNeedsGrad) ? 1 : 0;
    }

    m_values = Tensor::empty(backend, Shape{std::max<int64_t>(trainable, 1)});
    m_grads = Tensor::empty(backend, Shape{std::max<int64_t>(trainable, 1)});
    m_buffers = Tensor::empty(backend, Shape{std::max<int64_t>(buffered, 1)});
    backend.fill(m_grads, 0.f);
    backend.fill(m_buffers, 0.f); // a model without buffers still has the 1-element placeholder

    std::size_t k = 0;
    for (int i : graph.order) {
        auto& views = m_layerParams[static_cast<std::size_t>(i)];
        for (const auto& spec : m_specs[static_cast<std::size_t>(i)]) {
            const ParamInfo& info = m_params[k++];
            Param p{spec.name, {}, {}};
            if (info.trainable) {
                p.value = m_values.slice(info.offset, spec.shape);
                p.grad = m_grads.slice(info.offset, spec.shape);
            } else {
                p.value = m_buffers.slice(info.offset, spec.shape);
            }
            views.push_back(p);
        }
        m_layers[static_cast<std::size_t>(i)]->bindParams(views);
    }
    initialize(seed);
}

Model::~Model() = default;

void Model::setLrScale(std::size_t k, float scale) {
    NEURITE_CHECK(k < m_params.size(), "parameter index out of range");
    if (m_params[k].lrScale != 0.f) m_params[k].lrScale = scale;
}

const Shape& Model::inputShape() const {
    return m_graph.shapes[static_cast<std::size_t>(m_graph.input)];
}

const Shape& Model::outputShape() const {
    return m_graph.shapes[static_cast<std::size_t>(m_graph.output)];
}

// Host-side initialization from one seeded stream per parameter (stable when others change).
void Model::initialize(uint64_t seed) {
    std::vector<float> host;
    std::size_t k = 0;
    for (int i : m_graph.order) {
        for (const auto& spec : m_specs[static_cast<std::size_t>(i)]) {
            ParamInfo& info = m_params[k++];
            const int64_t count = spec.shape.numel();
            host.assign(static_cast<std::size_t>(count), 0.f);
            Rng rng(seed ^ (0x51ED27u + 0x9E3779B97F4A7C15ull * k));
            const double fanIn = static_cast<double>(std::max<int64_t>(spec.fanIn, 1));
            const double fanOut = static_cast<double>(std::max<int64_t>(spec.fanOut, 1));
            for (auto& v : host) {
                switch (spec.init) {
                case Init::Zeros:
                    v = 0.f;
                    break;
                case Init::Ones:
                    v = 1.f;
                    break;
                case Init::HeUniform:
                    v = static_cast<float>((2.0 * rng.uniform() - 1.0) * std::sqrt(6.0 / fanIn));
                    break;
                case Init::HeNormal:
                    v = static_cast<float>(rng.normal() * std::sqrt(2.0 / fanIn));
                    break;
                case Init::GlorotUniform:
                    v = static_cast<float>((2.0 * rng.uniform() - 1.0) *
                                           std::sqrt(6.0 / (fanIn + fanOut)));
                    break;
                case Init::GlorotNormal:
                    v = static_cast<float>(rng.normal() * std::sqrt(2.0 / (fanIn + fanOut)));
                    break;
                case Init::UniformFanIn:
                    v = static_cast<float>((2.0 * rng.uniform() - 1.0) / std::sqrt(fanIn));
                    break;
                case Init::StandardNormal:
                    v = static_cast<float>(rng.normal());
                    break;
                }
            }
            Tensor dst = (info.trainable ? m_values : m_buffers).slice(info.offset, spec.shape);
            m_backend.copyFromHost(dst, host.data());
        }
    }
}

Model::Workspace& Model::workspace(int64_t batch) {
    for (auto& ws : m_workspaces)
        if (ws->batch == batch) return *ws;
    auto ws = std::make_unique<Workspace>();
    ws->batch = batch;
    const std::size_t n = m_ids.size();
    ws->out.resize(n);
    ws->diff.resize(n);
    ws->scratch.resize(n);
    ws->edgeScratch.resize(n);
    ws->diffWritten.assign(n, 0);
    for (int i : m_graph.order) {
        const auto idx = static_cast<std::size_t>(i);
        const Shape shape = m_graph.shapes[idx].withBatch(batch);
        if (i != m_graph.input) ws->out[idx] = Tensor::empty(m_backend, shape);
        if (m_needsGrad[idx]) {
            ws->diff[idx] = Tensor::empty(m_backend, shape);
            if (m_consumers[idx] > 1) ws->scratch[idx] = Tensor::empty(m_backend, shape);
        }
        const auto& inputs = m_graph.inputs[idx];
        for (std::size_t k = 1; k < inputs.size(); ++k) {
            const auto pi = static_cast<std::size_t>(inputs[k]);
            if (!m_needsGrad[pi] ||
                std::find(inputs.begin(), inputs.begin() + static_cast<std::ptrdiff_t>(k),
                          inputs[k]) == inputs.begin() + static_cast<std::ptrdiff_t>(k))
                continue;
            ws->edgeScratch[idx].resize(inputs.size());
            ws->edgeScratch[idx][k] = Tensor::empty(m_backend, m_graph.shapes[pi].withBatch(batch));
        }
    }
    m_workspaces.push_back(std::move(ws));
    return *m_workspaces.back();
}

const Tensor& Model::forward(const Tensor& input, bool training, int64_t step, uint64_t seed) {
    const int64_t batch = input.shape()[0];
    NEURITE_CHECK(input.shape() == inputShape().withBatch(batch),
                  "model input " + input.shape().str() + ", expected " + inputShape().str());
    Workspace& ws = workspace(batch);
    m_last = &ws;
    ws.out[static_cast<std::size_t>(m_graph.input)] = input;
    if (m_hook) m_hook(m_graph.input, ws.out[static_cast<std::size_t>(m_graph.input)]);
    LayerContext ctx{m_backend, training, seed, step, m_compute};
    std::vector<const Tensor*>& src = m_srcScratch;
    for (int i : m_graph.order) {
        if (i == m_graph.input) continue;
        const auto idx = static_cast<std::size_t>(i);
        src.clear();
        for (int p : m_graph.inputs[idx])
            src.push_back(&ws.out[static_cast<std::size_t>(p)]);
        m_layers[idx]->forward(ctx, src, ws.out[idx]);
        if (m_hook) m_hook(i, ws.out[idx]);
    }
    return ws.out[static_cast<std::size_t>(m_graph.output)];
}

int64_t Model::activationValuesPerSample() const {
    int64_t values = 0;
    for (int i : m_graph.order)
        values += m_graph.shapes[static_cast<std::size_t>(i)].numelFrom(1);
    return values;
}

std::unique_ptr<InferencePlan> Model::compileInference(int64_t batch, std::string* whyNot, const Int8Spec* int8) {
    NEURITE_CHECK(batch > 0, "compileInference: the batch size must be positive");
    InferenceDesc desc;
    desc.input = inputShape().withBatch(batch);
    const auto quantOf = [&](int node) {
        if (!int8) return InferQuant{};
        auto it = int8->outputs.find(node);
        return it == int8->outputs.end() ? InferQuant{} : it->second;
    };
    desc.quantizeInput = quantOf(m_graph.input);
    std::vector<int> opOf(m_ids.size(), -1);
    std::vector<Shape> srcShapes;
    for (int i : m_graph.order) {
        if (i == m_graph.input) continue;
        const auto idx = static_cast<std::size_t>(i);
        InferOp op;
        srcShapes.clear();
        for (int p : m_graph.inputs[idx]) {
            srcShapes.push_back(m_graph.shapes[static_cast<std::size_t>(p)].withBatch(batch));
            op.inputs.push_back(p == m_graph.input ? -1 : opOf[static_cast<std::size_t>(p)]);
        }
        if (!m_layers[idx]->inferenceOp(srcShapes, op)) {
            if (whyNot) *whyNot = m_ids[idx] + " has no compiled form";
            return nullptr;
        }
        op.node = m_ids[idx];
        op.dst = m_graph.shapes[idx].withBatch(batch);
        op.output = quantOf(i);
        if (int8)
            if (auto it = int8->weightScales.find(i); it != int8->weightScales.end()) {
                if (op.kind != InferKind::Dense && op.kind != InferKind::Conv) {
                    if (whyNot) *whyNot = m_ids[idx] + " has int8 weight scales but is not a Dense or Conv2D layer";
                    return nullptr;
                }
                op.weightScales = it->second;
            }
        opOf[idx] = static_cast<int>(desc.ops.size());
        desc.ops.push_back(std::move(op));
    }
    if (m_graph.output == m_graph.input) {
        if (whyNot) *whyNot = "the model is only its input";
        return nullptr;
    }
    desc.output = opOf[static_cast<std::size_t>(m_graph.output)];
    return m_backend.makeInference(desc, whyNot);
}

void Model::backward(const Tensor& diffOutput, int64_t step, uint64_t seed) {
    NEURITE_CHECK(m_last != nullptr, "backward before forward");
    Workspace& ws = *m_last;
    std::fill(ws.diffWritten.begin(), ws.diffWritten.end(), 0);
    const auto out = static_cast<std::size_t>(m_graph.output);
    if (!m_needsGrad[out]) return;
    m_backend.copy(diffOutput, ws.diff[out]);
    ws.diffWritten[out] = 1;

    LayerContext ctx{m_backend, true, seed, step, m_compute};
    std::vector<const Tensor*>& src = m_srcScratch;
    std::vector<Tensor*>& diffSrc = m_diffScratch;
    for (auto it = m_graph.order.rbegin(); it != m_graph.order.rend(); ++it) {
        const auto idx = static_cast<std::size_t>(*it);
        if (*it == m_graph.input || !m_needsGrad[idx]) continue;
        if (!ws.diffWritten[idx]) {
            // Not on a path to the output: its gradient is zero, so are its parameters'.
            for (auto& p : m_layerParams[idx])
                if (p.grad.defined()) m_backend.fill(p.grad, 0.f);
            continue;
        }
        src.clear();
        diffSrc.clear();
        const auto& inputs = m_graph.inputs[idx];
        const auto& repeats = ws.edgeScratch[idx];
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            const auto pi = static_cast<std::size_t>(inputs[k]);
            src.push_back(&ws.out[pi]);
            if (!m_needsGrad[pi])
                diffSrc.push_back(nullptr);
            else if (k < repeats.size() && repeats[k].defined())
                diffSrc.push_back(&ws.edgeScratch[idx][k]);
            else
                diffSrc.push_back(ws.diffWritten[pi] ? &ws.scratch[pi] : &ws.diff[pi]);
        }
        m_layers[idx]->backward(ctx, src, ws.out[idx], ws.diff[idx], diffSrc);
        // The first write into diff[p] overwrote it; every other contribution is added.
        for (std::size_t k = 0; k < inputs.size(); ++k) {
            const auto pi = static_cast<std::size_t>(inputs[k]);
            if (!diffSrc[k]) continue;
            if (diffSrc[k] != &ws.diff[pi]) m_backend.axpy(1.f, *diffSrc[k], ws.diff[pi]);
            ws.diffWritten[pi] = 1;
        }
    }
}

std::vector<float> Model::snapshot() {
    std::vector<float> host(static_cast<std::size_t>(m_values.numel() + m_buffers.numel()));
    m_backend.copyToHost(host.data(), m_values);
    m_backend.copyToHost(host.data() + m_values.numel(), m_buffers);
    return host;
}

void Model::restore(const std::vector<float>& snapshot) {
    NEURITE_CHECK(snapshot.size() == static_cast<std::size_t>(m_values.numel() + m_buffers.numel()),
                  "snapshot size does not match the model");
    m_backend.copyFromHost(m_values, snapshot.data());
    m_backend.copyFromHost(m_buffers, snapshot.data() + m_values.numel());
}

} // namespace neurite
