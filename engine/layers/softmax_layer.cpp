// Softmax and LogSoftmax: registry entries and the layer they share.
#include "layers/softmax_layer.h"

#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

bool SoftmaxLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    (void)srcShapes;
    op.kind = InferKind::Softmax;
    op.log = m_log;
    return true;
}

void SoftmaxLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    ctx.backend.softmaxForward(*src[0], dst, m_log);
}

void SoftmaxLayer::backward(LayerContext& ctx, std::span<const Tensor* const>, const Tensor& dst,
                            const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    if (diffSrc[0]) ctx.backend.softmaxBackward(dst, diffDst, *diffSrc[0], m_log);
}

namespace {

LayerType describe(bool log) {
    LayerType t;
    t.name = log ? "LogSoftmax" : "Softmax";
    t.category = "Activation";
    t.help = log ? "The logarithm of Softmax over the channels (dimension 1): log-probabilities, as a PyTorch "
                   "model trained with NLLLoss ends. Cross-entropy training gives the same result with or without it."
                 : "Turns scores into probabilities that sum to 1 over the channels (dimension 1).";
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        if (srcShapes[0].rank() < 2)
            return ShapeResult::fail("expects input [N,C,...] with at least 2 dimensions, got " +
                                     srcShapes[0].str());
        return ShapeResult{srcShapes[0], {}};
    };
    t.create = [log](const LayerParams&) { return std::make_unique<SoftmaxLayer>(log); };
    t.onnx = [log](OnnxSink& s, const OnnxLayer& l) {
        s.node(log ? "LogSoftmax" : "Softmax", {l.inputs[0]}, l.output, l.id, {{"axis", int64_t{1}}});
    };
    t.torch = [log](const TorchLayer&) {
        return TorchCode{std::string(log ? "nn.LogSoftmax" : "nn.Softmax") + "(dim=1)", "{m}({0})", {}};
    };
    if (!log) t.appliedByLoss = "softmax";
    t.examples = {
        {log ? "log-softmax 2-D" : "softmax 2-D", {}, layers::matrixDims(2, 4, 2, 6)},
        {log ? "log-softmax 4-D" : "softmax 4-D", {}, layers::imageDims(2, 3, 1, 3, 4)},
    };
    t.summary = [log](const LayerParams&) { return std::string(log ? "LogSoftmax" : "Softmax"); };
    return t;
}

} // namespace

LayerType describeSoftmax() { return describe(false); }
LayerType describeLogSoftmax() { return describe(true); }

} // namespace neurite
