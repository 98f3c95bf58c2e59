// Activation maps of one sample, and the arithmetic of one convolution output.
#include "export/activation_maps.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "core/error.h"
#include "export/node_outputs.h"
#include "layers/convolution_layer.h"
#include "layers/registry.h"

namespace neurite {

const ActivationMap* ActivationMaps::find(const std::string& id) const {
    for (const ActivationMap& m : nodes)
        if (m.node == id) return &m;
    return nullptr;
}

ActivationMaps activationMaps(Model& model, const std::vector<Node>& nodes, const ResolvedGraph& graph,
                              const Preprocessing& preprocessing, const std::vector<float>& raw, int64_t maxValues) {
    const Shape sample = sampleShapeOf(model);
    if (static_cast<int64_t>(raw.size()) != sample.numel()) {
        std::ostringstream why;
        why << "activation maps need one sample of " << sample.str() << " (" << sample.numel() << " values), got "
            << raw.size();
        throwBadInput(why.str());
    }
    std::map<int, NodeOutput> outputs = nodeOutputs(model, preprocessing, raw.data(), 1, [&](const Shape& s) {
        return s.rank() >= 2 && s.numel() <= maxValues;
    });

    ActivationMaps maps;
    maps.sample = raw;
    std::vector<float> store;
    for (auto& [index, out] : outputs) {
        if (static_cast<std::size_t>(index) >= nodes.size()) continue;
        const Shape& shape = out.shape;
        const std::vector<float>& host = out.values;
        const Node& node = nodes[static_cast<std::size_t>(index)];
        ActivationMap m;
        m.node = node.id;
        m.op = node.op;
        m.channels = shape[1];
        m.height = shape.rank() >= 3 ? shape[2] : 1;
        m.width = shape.rank() >= 4 ? shape[3] : 1;
        if (m.channels * m.height * m.width != static_cast<int64_t>(host.size())) continue;  // [N,T,C] and the like
        m.values = host;
        for (float v : host)
            if (std::isfinite(v)) m.maxAbs = std::max(m.maxAbs, std::abs(v));
        if (node.inputs.size() == 1) m.input = node.inputs.front();
        if (node.op == "Conv2D" && static_cast<std::size_t>(index) < graph.params.size() && graph.inputs[static_cast<std::size_t>(index)].size() == 1) {
            const std::unique_ptr<Layer> layer = findLayerType("Conv2D")->create(graph.params[static_cast<std::size_t>(index)]);
            const Shape in = graph.shapes[static_cast<std::size_t>(graph.inputs[static_cast<std::size_t>(index)].front())];
            if (auto* conv = dynamic_cast<ConvolutionLayer*>(layer.get()); conv && in.rank() == 4) {
                m.conv = conv->describe(Shape{1, in[1], in[2], in[3]});
                m.isConv = true;
                if (store.empty()) store = model.snapshot();
                m.weight = parameterOf(model, store, node.id, "weight");
                m.bias = parameterOf(model, store, node.id, "bias");
            }
        }
        maps.nodes.push_back(std::move(m));
    }
    return maps;
}

ConvArithmetic convArithmetic(const ActivationMaps& maps, const std::string& conv, int64_t channel, int64_t y,
                              int64_t x) {
    const ActivationMap* c = maps.find(conv);
    std::ostringstream why;
    if (!c || !c->isConv) {
        why << '"' << conv << "\" is not a Conv2D of these activation maps";
        throwBadInput(why.str());
    }
    const ActivationMap* in = maps.find(c->input);
    if (!in) {
        why << "the input of \"" << conv << "\" (\"" << c->input << "\") has no activation map";
        throwBadInput(why.str());
    }
    if (channel < 0 || channel >= c->channels || y < 0 || y >= c->height || x < 0 || x >= c->width) {
        why << '(' << channel << ", " << y << ", " << x << ") is outside " << conv << "'s output [" << c->channels
            << ", " << c->height << ", " << c->width << ']';
        throwBadInput(why.str());
    }
    const ConvDesc& d = c->conv;
    ConvArithmetic a;
    a.inChannels = d.groupIn();
    a.firstChannel = (channel / d.groupOut()) * d.groupIn();
    a.kernelH = d.kernelH;
    a.kernelW = d.kernelW;
    a.top = y * d.strideH - d.padTop;
    a.left = x * d.strideW - d.padLeft;
    a.bias = c->bias.empty() ? 0.f : c->bias[static_cast<std::size_t>(channel)];
    a.sum = a.bias;
    const int64_t taps = d.kernelH * d.kernelW;
    for (int64_t ci = 0; ci < a.inChannels; ++ci)
        for (int64_t r = 0; r < d.kernelH; ++r)
            for (int64_t s = 0; s < d.kernelW; ++s) {
                const float w = c->weight[static_cast<std::size_t>((channel * a.inChannels + ci) * taps + r * d.kernelW + s)];
                const int64_t iy = a.top + r * d.dilationH, ix = a.left + s * d.dilationW;
                const bool inside = iy >= 0 && iy < in->height && ix >= 0 && ix < in->width;
                const float v = inside ? in->values[static_cast<std::size_t>(((a.firstChannel + ci) * in->height + iy) * in->width + ix)]
                                       : 0.f;
                a.kernel.push_back(w);
                a.patch.push_back(v);
                a.sum += static_cast<double>(w) * v;
            }
    return a;
}

}  // namespace neurite
