// Concat: registry entry and layer.
#include "layers/concat_layer.h"

#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

bool ConcatLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    (void)srcShapes;
    op.kind = InferKind::Concat;
    return true;
}

void ConcatLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    ctx.backend.concat(src, dst);
}

void ConcatLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                           const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    Scratch& scratch = m_scratch.get(layers::batchOf(diffDst), [&] {
        auto s = std::make_unique<Scratch>();
        for (std::size_t i = 0; i < src.size(); ++i)
            s->blocks.push_back(diffSrc[i] ? Tensor()
                                           : Tensor::empty(ctx.backend, src[i]->shape()));
        return s;
    });
    scratch.targets.assign(diffSrc.begin(), diffSrc.end());
    for (std::size_t i = 0; i < scratch.targets.size(); ++i)
        if (!scratch.targets[i]) scratch.targets[i] = &scratch.blocks[i];
    ctx.backend.split(diffDst, scratch.targets);
}

LayerType describeConcat() {
    LayerType t;
    t.name = "Concat";
    t.category = "Merge";
    t.help = "Joins two or more inputs along the channel (or feature) dimension.";
    t.minInputs = 2;
    t.maxInputs = -1;
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (srcShapes.size() < 2)
            return ShapeResult::fail("expects at least 2 inputs, got " +
                                     std::to_string(srcShapes.size()));
        const Shape& first = srcShapes[0];
        if (first.rank() < 2)
            return ShapeResult::fail("expects inputs [N,C,...] with at least 2 dimensions, got " +
                                     first.str());
        Shape out = first;
        for (std::size_t i = 1; i < srcShapes.size(); ++i) {
            const Shape& s = srcShapes[i];
            bool match = s.rank() == first.rank();
            for (int d = 0; match && d < s.rank(); ++d)
                match = d == 1 || s[d] == first[d];
            if (!match)
                return ShapeResult::fail(
                    "expects inputs that match in every dimension but 1, got " + first.str() +
                    " (input 1) and " + s.str() + " (input " + std::to_string(i + 1) + ")");
            out[1] += s[1];
        }
        return ShapeResult{out, {}};
    };
    t.create = [](const LayerParams&) { return std::make_unique<ConcatLayer>(); };
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        s.node("Concat", l.inputs, l.output, l.id, {{"axis", int64_t{1}}});
    };
    t.torch = [](const TorchLayer&) { return TorchCode{"", "torch.cat([{all}], dim=1)", {}}; };
    // Inputs that differ in channels only.
    t.examples = {
        {"concat 2 inputs 2-D", {}, {{1, 3}, {1, 4}}, 2, 1},
        {"concat 3 inputs 4-D", {}, {{1, 3}, {1, 3}, {2, 4}, {2, 4}}, 3, 1},
    };
    t.summary = [](const LayerParams&) { return std::string("Concat"); };
    return t;
}

} // namespace neurite
