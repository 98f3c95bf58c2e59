// BatchNorm: registry entry and layer.
#include "layers/batch_norm_layer.h"

#include <cmath>
#include <vector>

#include "core/error.h"
#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

std::vector<ParamSpec> BatchNormLayer::paramSpecs(std::span<const Shape> srcShapes) const {
    NEURITE_CHECK(srcShapes.size() == 1 && srcShapes[0].rank() >= 2, "BatchNorm: bad input shape");
    const Shape c{srcShapes[0][1]};
    return {{"gamma", c, Init::Ones, 0, 0, true, false},
            {"beta", c, Init::Zeros, 0, 0, true, false},
            {"running_mean", c, Init::Zeros, 0, 0, false, false},
            {"running_var", c, Init::Ones, 0, 0, false, false}};
}

void BatchNormLayer::bindParams(std::span<Param> params) {
    NEURITE_CHECK(params.size() == 4, "BatchNorm: wrong number of parameters");
    m_gamma = params[0];
    m_beta = params[1];
    m_runningMean = params[2];
    m_runningVar = params[3];
}

BatchNormPlan& BatchNormLayer::plan(LayerContext& ctx, const Tensor& src) {
    return m_plans.get(layers::batchOf(src), [&] {
        BatchNormDesc d;
        d.batch = src.shape()[0];
        d.channels = src.shape()[1];
        d.spatial = src.shape().numelFrom(2);
        d.epsilon = m_epsilon;
        return ctx.backend.makeBatchNorm(d);
    });
}

bool BatchNormLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    const int rank = srcShapes[0].rank();
    if (rank != 2 && rank != 4) return false;
    op.kind = InferKind::BatchNorm;
    op.epsilon = m_epsilon;
    op.weight = m_gamma.value;
    op.bias = m_beta.value;
    op.mean = m_runningMean.value;
    op.var = m_runningVar.value;
    return true;
}

void BatchNormLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    BatchNormPlan& p = plan(ctx, *src[0]);
    if (ctx.training && !m_frozen)
        p.forwardTraining(*src[0], m_gamma.value, m_beta.value, dst, m_runningMean.value,
                          m_runningVar.value, m_momentum);
    else
        p.forwardInference(*src[0], m_gamma.value, m_beta.value, m_runningMean.value,
                           m_runningVar.value, dst);
}

void BatchNormLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                              const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    BatchNormPlan& p = plan(ctx, *src[0]);
    if (m_frozen) {
        Tensor* dx = diffSrc[0];
        if (!dx) return;  // nothing upstream learns: no work
        const int64_t c = m_gamma.value.numel();
        std::vector<float> gamma(static_cast<std::size_t>(c)), var(static_cast<std::size_t>(c));
        ctx.backend.copyToHost(gamma.data(), m_gamma.value);
        ctx.backend.copyToHost(var.data(), m_runningVar.value);
        for (std::size_t k = 0; k < gamma.size(); ++k) gamma[k] /= std::sqrt(var[k] + m_epsilon);
        if (!m_frozenScale.defined()) {
            m_frozenScale = Tensor::empty(ctx.backend, Shape{c});
            m_zeros = Tensor::empty(ctx.backend, Shape{c});
            m_unitVar = Tensor::empty(ctx.backend, Shape{c});
            ctx.backend.fill(m_zeros, 0.f);
            ctx.backend.fill(m_unitVar, 1.f - m_epsilon);
        }
        ctx.backend.copyFromHost(m_frozenScale, gamma.data());
        p.forwardInference(diffDst, m_frozenScale, m_zeros, m_zeros, m_unitVar, *dx);
        ctx.backend.fill(m_gamma.grad, 0.f);
        ctx.backend.fill(m_beta.grad, 0.f);
        return;
    }
    p.backward(*src[0], diffDst, m_gamma.value,
               layers::diffSrcOrScratch(ctx, diffSrc[0], m_scratch, *src[0]), m_gamma.grad,
               m_beta.grad);
}

LayerType describeBatchNorm() {
    LayerType t;
    t.name = "BatchNorm";
    t.category = "Normalization";
    t.help = "Normalizes each channel over the batch, then scales and shifts it by learned gamma "
             "and beta.";
    t.params = {
        layers::floatParam(
            "momentum", 0.1, 0.0, 1.0,
            "Weight of the current batch in the running statistics (PyTorch convention)."),
        layers::floatParam("epsilon", 1e-5, 1e-12, 1.0, "Added to the variance for stability.")};
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() != 2 && in.rank() != 4)
            return ShapeResult::fail("expects 2-D input [N,C] or 4-D input [N,C,H,W], got " +
                                     in.str());
        return ShapeResult{in, {}};
    };
    t.create = [](const LayerParams& p) {
        return std::make_unique<BatchNormLayer>(static_cast<float>(p.f("momentum")),
                                                static_cast<float>(p.f("epsilon")));
    };
    // paramSpecs order: gamma, beta, running_mean, running_var = ONNX's scale, B, mean, var;
    // ONNX's momentum weighs the old statistics.
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        s.node("BatchNormalization",
               {l.inputs[0], s.weight(0), s.weight(1), s.weight(2), s.weight(3)}, l.output, l.id,
               {{"epsilon", static_cast<float>(l.params.f("epsilon"))},
                {"momentum", static_cast<float>(1.0 - l.params.f("momentum"))}});
    };
    // torch's momentum weighs the new statistics, as Neurite's; channels are axis 1 as in torch.
    t.torch = [](const TorchLayer& l) {
        const Shape& in = l.inputShapes[0];
        return TorchCode{std::string(in.rank() == 4 ? "nn.BatchNorm2d(" : "nn.BatchNorm1d(") +
                             std::to_string(in[1]) + ", eps=" + pyFloat(l.params.f("epsilon")) +
                             ", momentum=" + pyFloat(l.params.f("momentum")) + ")",
                         "{m}({0})",
                         {{"gamma", "weight"}, {"beta", "bias"}, {"running_mean", "running_mean"},
                          {"running_var", "running_var"}}};
    };
    t.examples = {
        {"batchnorm 2-D", {}, layers::matrixDims(3, 6, 1, 4), 1, -1, LayerExample::Check::FineStep},
        {"batchnorm 4-D", {{"momentum", 0.3}}, layers::imageDims(2, 4, 2, 4), 1, -1, LayerExample::Check::FineStep},
    };
    t.summary = [](const LayerParams&) { return std::string("BatchNorm"); };
    return t;
}

} // namespace neurite
