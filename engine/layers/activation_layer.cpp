// The activation registry entries (one per row of backend/activations.h) and their shared layer.
#include "layers/activation_layer.h"

#include <cctype>

#include "core/error.h"
#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

bool ActivationLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    (void)srcShapes;
    op.kind = InferKind::Activation;
    op.act = m_act;
    op.alpha = m_alpha;
    return true;
}

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

// torch.nn's module of each activation (alpha: its parameter, where it has one).
std::string torchModule(Activation act, double alpha) {
    switch (act) {
    case Activation::Relu: return "nn.ReLU()";
    case Activation::LeakyRelu: return "nn.LeakyReLU(" + pyFloat(alpha) + ")";
    case Activation::Elu: return "nn.ELU(" + pyFloat(alpha) + ")";
    case Activation::Sigmoid: return "nn.Sigmoid()";
    case Activation::Tanh: return "nn.Tanh()";
    case Activation::Gelu: return "nn.GELU()";
    case Activation::Relu6: return "nn.ReLU6()";
    case Activation::GeluTanh: return "nn.GELU(approximate=\"tanh\")";
    case Activation::Silu: return "nn.SiLU()";
    }
    throwInternal("no torch module for activation " + std::to_string(static_cast<int>(act)));
}

LayerType describeActivation(const ActivationInfo& a) {
    LayerType t;
    t.name = a.name;
    t.category = "Activation";
    t.help = a.help;
    const bool hasAlpha = a.hasAlpha();
    if (hasAlpha) t.params = {layers::floatParam("alpha", a.defaultAlpha, 0.0, 1e6, a.alphaHelp)};
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        return ShapeResult{srcShapes[0], {}};
    };
    const Activation act = a.kind;
    t.create = [act, hasAlpha](const LayerParams& p) {
        return std::make_unique<ActivationLayer>(act,
                                                 hasAlpha ? static_cast<float>(p.f("alpha")) : 0.f);
    };
    const std::string formula = a.onnx;
    t.onnx = [formula](OnnxSink& s, const OnnxLayer& l) { emitOnnxFormula(s, l, formula); };
    t.torch = [act, hasAlpha](const TorchLayer& l) {
        return TorchCode{torchModule(act, hasAlpha ? l.params.f("alpha") : 0.0), "{m}({0})", {}};
    };
    const std::string name = a.name;
    t.summary = [name, hasAlpha](const LayerParams& p) {
        return hasAlpha ? name + " " + toString(p.get("alpha")) : name;
    };
    // Binary cross-entropy takes logits: a Sigmoid at the end would apply it twice.
    if (act == Activation::Sigmoid) t.appliedByLoss = "sigmoid";
    // Functions with a kink at 0 are checked away from it; ELU's alpha off its default.
    const bool kinked = act == Activation::Relu || act == Activation::LeakyRelu || act == Activation::Elu ||
                        act == Activation::Relu6;
    const auto check = kinked ? LayerExample::Check::Kinked : LayerExample::Check::Smooth;
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    t.examples = {{lower, {}, layers::matrixDims(2, 4, 3, 8), 1, -1, check},
                  {lower + " 4-D", {}, layers::imageDims(2, 3, 2, 3), 1, -1, check}};
    if (hasAlpha)
        t.examples.push_back({lower + " alpha " + toString(ParamValue(a.defaultAlpha * 0.5 + 0.05)),
                              {{"alpha", a.defaultAlpha * 0.5 + 0.05}},
                              layers::matrixDims(2, 4, 3, 8), 1, -1, check});
    return t;
}

} // namespace

// One layer type per row of the activation table (backend/activations.h).
std::vector<LayerType> describeActivations() {
    std::vector<LayerType> types;
    for (const ActivationInfo& a : kActivations) types.push_back(describeActivation(a));
    return types;
}

} // namespace neurite
