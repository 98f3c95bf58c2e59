// Dropout: registry entry and layer.
#include "layers/dropout_layer.h"

#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

uint64_t DropoutLayer::maskSeed(const LayerContext& ctx) const {
    return dropoutHash(dropoutHash(ctx.seed, static_cast<uint64_t>(ctx.step)), salt());
}

Tensor& DropoutLayer::mask(LayerContext& ctx, const Tensor& src) {
    return m_masks.get(layers::batchOf(src), [&] {
        return std::make_unique<Tensor>(Tensor::empty(ctx.backend, src.shape()));
    });
}

bool DropoutLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    (void)srcShapes;
    op.kind = InferKind::Identity;
    return true;
}

void DropoutLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    if (!ctx.training || m_rate == 0.f) {
        ctx.backend.copy(*src[0], dst);
        return;
    }
    ctx.backend.dropoutForward(*src[0], dst, mask(ctx, *src[0]), m_rate, maskSeed(ctx));
}

void DropoutLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                            const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    if (!diffSrc[0]) return;
    if (!ctx.training || m_rate == 0.f) {
        ctx.backend.copy(diffDst, *diffSrc[0]);
        return;
    }
    ctx.backend.multiply(diffDst, mask(ctx, *src[0]), *diffSrc[0]);
}

LayerType describeDropout() {
    LayerType t;
    t.name = "Dropout";
    t.category = "Regularization";
    t.help =
        "During training, zeroes a random fraction (rate) of the values to reduce overfitting.";
    ParamSchema rate =
        layers::floatParam("rate", 0.5, 0.0, 1.0, "Fraction of values dropped in training.");
    rate.maxExclusive = true;
    t.params = {rate};
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        return ShapeResult{srcShapes[0], {}};
    };
    t.create = [](const LayerParams& p) {
        return std::make_unique<DropoutLayer>(static_cast<float>(p.f("rate")));
    };
    // Dropout-13 without ratio and training_mode inputs is the identity, as in inference.
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) { s.node("Dropout", {l.inputs[0]}, l.output, l.id); };
    t.torch = [](const TorchLayer& l) {
        return TorchCode{"nn.Dropout(" + pyFloat(l.params.f("rate")) + ")", "{m}({0})", {}};
    };
    t.examples = {
        {"dropout fixed seed", {{"rate", 0.4}}, layers::matrixDims(2, 4, 3, 9)},
        {"dropout inference", {{"rate", 0.4}}, layers::matrixDims(2, 4, 3, 9), 1, -1, LayerExample::Check::Inference},
    };
    t.summary = [](const LayerParams& p) { return "Dropout " + toString(p.get("rate")); };
    return t;
}

} // namespace neurite
