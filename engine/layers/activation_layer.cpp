// The six activation registry entries and their shared layer.
#include "layers/activation_layer.h"

#include "layers/layer_types.h"
#include "layers/layer_util.h"

namespace neurite {

void ActivationLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    ctx.backend.activationForward(m_act, m_alpha, *src[0], dst);
}

void ActivationLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src,
                               const Tensor& dst, const Tensor& diffDst,
                               std::span<Tensor* const> diffSrc) {
    if (diffSrc[0])
        ctx.backend.activationBackward(m_act, m_alpha, *src[0], dst, diffDst, *diffSrc[0]);
}

namespace {

LayerType describeActivation(std::string name, Activation act, std::string help, std::string onnxOp,
                             double defaultAlpha) {
    LayerType t;
    t.name = name;
    t.category = "Activation";
    t.help = std::move(help);
    const bool hasAlpha = act == Activation::LeakyRelu || act == Activation::Elu;
    if (hasAlpha)
        t.params = {layers::floatParam("alpha", defaultAlpha, 0.0, 1e6,
                                       act == Activation::Elu
                                           ? "Scale of the negative part: alpha (e^x - 1)."
                                           : "Slope for negative inputs.")};
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        return ShapeResult{srcShapes[0], {}};
    };
    t.create = [act, hasAlpha](const LayerParams& p) {
        return std::make_unique<ActivationLayer>(act,
                                                 hasAlpha ? static_cast<float>(p.f("alpha")) : 0.f);
    };
    t.onnxOp = std::move(onnxOp);
    t.summary = [name, hasAlpha](const LayerParams& p) {
        return hasAlpha ? name + " " + toString(p.get("alpha")) : name;
    };
    return t;
}

} // namespace

std::vector<LayerType> describeActivations() {
    return {
        describeActivation("ReLU", Activation::Relu,
                           "max(x, 0): the default activation for hidden layers.", "Relu", 0),
        describeActivation("LeakyReLU", Activation::LeakyRelu,
                           "Like ReLU but lets a small slope (alpha) through for negative inputs.",
                           "LeakyRelu", 0.01),
        describeActivation("ELU", Activation::Elu,
                           "Exponential linear unit: x for x > 0, alpha (e^x - 1) below.", "Elu",
                           1.0),
        describeActivation("Sigmoid", Activation::Sigmoid, "Squashes values into (0, 1).",
                           "Sigmoid", 0),
        describeActivation("Tanh", Activation::Tanh, "Squashes values into (-1, 1).", "Tanh", 0),
        // ONNX Gelu needs opset 20; the exporter decomposes it (Erf, Mul, Add) for lower opsets.
        describeActivation("GELU", Activation::Gelu,
                           "Gaussian error linear unit x Phi(x), the smooth ReLU of transformers.",
                           "Gelu", 0),
    };
}

} // namespace neurite
