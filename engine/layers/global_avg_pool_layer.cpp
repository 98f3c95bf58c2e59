// GlobalAvgPool: registry entry and layer.
#include "layers/global_avg_pool_layer.h"

#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

PoolPlan& GlobalAvgPoolLayer::plan(LayerContext& ctx, const Tensor& src) {
    return m_plans.get(layers::batchOf(src), [&] {
        const Shape& s = src.shape();
        PoolDesc d;
        d.kind = PoolKind::Avg;
        d.batch = s[0];
        d.channels = s[1];
        d.height = d.kernelH = d.strideH = s[2];
        d.width = d.kernelW = d.strideW = s[3];
        return ctx.backend.makePool(d);
    });
}

// The op's dst is [N, C]: the compiled plan pools into [N, C, 1, 1], the same values.
bool GlobalAvgPoolLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    const Shape& s = srcShapes[0];
    op.kind = InferKind::Pool;
    op.pool.kind = PoolKind::Avg;
    op.pool.batch = s[0];
    op.pool.channels = s[1];
    op.pool.height = op.pool.kernelH = op.pool.strideH = s[2];
    op.pool.width = op.pool.kernelW = op.pool.strideW = s[3];
    return true;
}

// The plan sees dst as [N,C,1,1]; the layer's output is the same memory as [N,C].
void GlobalAvgPoolLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src,
                                 Tensor& dst) {
    Tensor out = dst.reshaped(Shape{dst.shape()[0], dst.shape()[1], 1, 1});
    plan(ctx, *src[0]).forward(*src[0], out, ctx.training);
}

void GlobalAvgPoolLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src,
                                  const Tensor&, const Tensor& diffDst,
                                  std::span<Tensor* const> diffSrc) {
    if (!diffSrc[0]) return;
    Tensor dy = diffDst.reshaped(Shape{diffDst.shape()[0], diffDst.shape()[1], 1, 1});
    plan(ctx, *src[0]).backward(dy, *diffSrc[0]);
}

LayerType describeGlobalAvgPool() {
    LayerType t;
    t.name = "GlobalAvgPool";
    t.category = "Pooling";
    t.help = "Averages each channel over the whole image: [N,C,H,W] becomes [N,C].";
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() != 4)
            return ShapeResult::fail("expects 4-D input [N,C,H,W], got " + in.str());
        return ShapeResult{Shape{in[0], in[1]}, {}};
    };
    t.create = [](const LayerParams&) { return std::make_unique<GlobalAvgPoolLayer>(); };
    // GlobalAveragePool keeps [N,C,1,1]; the layer gives [N,C].
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        const std::string pooled = s.unique(l.id + "_pooled");
        s.node("GlobalAveragePool", {l.inputs[0]}, pooled, l.id);
        s.node("Flatten", {pooled}, l.output, l.id + "_flatten", {{"axis", int64_t{1}}});
    };
    t.torch = [](const TorchLayer&) { return TorchCode{"", "{0}.mean(dim=(2, 3))", {}}; };
    t.examples = {{"global avg pool", {}, layers::imageDims(1, 5, 1, 6, 4)}};
    t.summary = [](const LayerParams&) { return std::string("GlobalAvgPool"); };
    return t;
}

} // namespace neurite
