// Add: registry entry and layer.
#include "layers/add_layer.h"

#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

bool AddLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    (void)srcShapes;
    op.kind = InferKind::Add;
    return true;
}

void AddLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    ctx.backend.addN(src, dst);
}

void AddLayer::backward(LayerContext& ctx, std::span<const Tensor* const>, const Tensor&,
                        const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    for (Tensor* d : diffSrc)
        if (d) ctx.backend.copy(diffDst, *d);
}

LayerType describeAdd() {
    LayerType t;
    t.name = "Add";
    t.category = "Merge";
    t.help = "Adds two or more inputs of the same shape element by element (residual connections).";
    t.minInputs = 2;
    t.maxInputs = -1;
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (srcShapes.size() < 2)
            return ShapeResult::fail("expects at least 2 inputs, got " +
                                     std::to_string(srcShapes.size()));
        for (std::size_t i = 1; i < srcShapes.size(); ++i)
            if (srcShapes[i] != srcShapes[0])
                return ShapeResult::fail(
                    "expects inputs of equal shape, got " + srcShapes[0].str() + " (input 1) and " +
                    srcShapes[i].str() + " (input " + std::to_string(i + 1) + ")");
        return ShapeResult{srcShapes[0], {}};
    };
    t.create = [](const LayerParams&) { return std::make_unique<AddLayer>(); };
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) { s.node("Sum", l.inputs, l.output, l.id); };
    t.torch = [](const TorchLayer&) { return TorchCode{"", "add({all})", {}}; };
    t.examples = {
        {"add 2 inputs", {}, layers::matrixDims(2, 4, 3, 6), 2},
        {"add 3 inputs", {}, layers::imageDims(2, 3, 2, 3), 3},
    };
    t.summary = [](const LayerParams&) { return std::string("Add"); };
    return t;
}

} // namespace neurite
