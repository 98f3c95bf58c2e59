// Softmax: registry entry and layer.
#include "layers/softmax_layer.h"

#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

void SoftmaxLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    ctx.backend.softmaxForward(*src[0], dst);
}

void SoftmaxLayer::backward(LayerContext& ctx, std::span<const Tensor* const>, const Tensor& dst,
                            const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    if (diffSrc[0]) ctx.backend.softmaxBackward(dst, diffDst, *diffSrc[0]);
}

LayerType describeSoftmax() {
    LayerType t;
    t.name = "Softmax";
    t.category = "Activation";
    t.help = "Turns scores into probabilities that sum to 1 over the channels (dimension 1).";
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        if (srcShapes[0].rank() < 2)
            return ShapeResult::fail("expects input [N,C,...] with at least 2 dimensions, got " +
                                     srcShapes[0].str());
        return ShapeResult{srcShapes[0], {}};
    };
    t.create = [](const LayerParams&) { return std::make_unique<SoftmaxLayer>(); };
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        s.node("Softmax", {l.inputs[0]}, l.output, l.id, {{"axis", int64_t{1}}});
    };
    t.appliedByLoss = "softmax";
    t.examples = {
        {"softmax 2-D", {}, layers::matrixDims(2, 4, 2, 6)},
        {"softmax 4-D", {}, layers::imageDims(2, 3, 1, 3, 4)},
    };
    t.summary = [](const LayerParams&) { return std::string("Softmax"); };
    return t;
}

} // namespace neurite
