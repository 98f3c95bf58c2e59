// Reshape and Flatten: registry entries and the shared copy layer.
#include "layers/reshape_layer.h"

#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

bool ReshapeLayer::inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
    (void)srcShapes;
    op.kind = InferKind::Reshape;
    return true;
}

void ReshapeLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    ctx.backend.copy(*src[0], dst);
}

void ReshapeLayer::backward(LayerContext& ctx, std::span<const Tensor* const>, const Tensor&,
                            const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    if (diffSrc[0]) ctx.backend.copy(diffDst, *diffSrc[0]);
}

LayerType describeFlatten() {
    LayerType t;
    t.name = "Flatten";
    t.category = "Core";
    t.help = "Turns each sample into a flat vector: [N,C,H,W] becomes [N,C*H*W].";
    t.inferShape = [](const LayerParams&, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() < 1)
            return ShapeResult::fail("expects an input with a batch dimension, got " + in.str());
        return ShapeResult{Shape{in[0], in.numelFrom(1)}, {}};
    };
    t.create = [](const LayerParams&) { return std::make_unique<ReshapeLayer>(); };
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        s.node("Flatten", {l.inputs[0]}, l.output, l.id, {{"axis", int64_t{1}}});
    };
    t.torch = [](const TorchLayer&) { return TorchCode{"", "torch.flatten({0}, 1)", {}}; };
    t.examples = {{"flatten", {}, layers::imageDims(1, 3, 1, 3)}};
    t.summary = [](const LayerParams&) { return std::string("Flatten"); };
    return t;
}

LayerType describeReshape() {
    LayerType t;
    t.name = "Reshape";
    t.category = "Core";
    t.help = "Gives each sample a new shape with the same number of values; one entry may be -1.";
    t.params = {layers::intListParam(
        "shape", {-1}, 0, -1,
        "Shape of one sample without the batch, e.g. [1,28,28]; -1 = inferred.")};
    t.inferShape = [](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty())
            return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        const std::vector<int64_t>& dims = p.list("shape");
        const std::string target = toString(ParamValue(dims));
        if (in.rank() < 1)
            return ShapeResult::fail("expects an input with a batch dimension, got " + in.str());
        if (dims.empty() || dims.size() >= std::size_t(Shape::kMaxRank))
            return ShapeResult::fail("shape must have 1 to " + std::to_string(Shape::kMaxRank - 1) +
                                     " dimensions, got " + target);
        int64_t known = 1, inferred = 0;
        for (int64_t d : dims) {
            if (d == 0) return ShapeResult::fail("shape " + target + " has a 0 dimension");
            if (d == -1)
                ++inferred;
            else
                known *= d;
        }
        if (inferred > 1) return ShapeResult::fail("shape " + target + " has more than one -1");
        const int64_t values = in.numelFrom(1);
        if ((inferred ? values % known != 0 : values != known))
            return ShapeResult::fail("cannot reshape " + in.str() + " (" + std::to_string(values) +
                                     " values per sample) to " + target);
        Shape out{in[0]};
        for (int64_t d : dims)
            out.push(d == -1 ? values / known : d);
        return ShapeResult{out, {}};
    };
    t.create = [](const LayerParams&) { return std::make_unique<ReshapeLayer>(); };
    // The resolved per-sample shape is concrete; the batch stays dynamic (-1).
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        std::vector<int64_t> dims{-1};
        for (int i = 1; i < l.outputShape.rank(); ++i) dims.push_back(l.outputShape[i]);
        const std::string shape = s.int64s(l.id + ".shape", {static_cast<int64_t>(dims.size())}, dims);
        s.node("Reshape", {l.inputs[0], shape}, l.output, l.id);
    };
    t.torch = [](const TorchLayer& l) {
        std::vector<int64_t> dims{-1};
        for (int i = 1; i < l.outputShape.rank(); ++i) dims.push_back(l.outputShape[i]);
        return TorchCode{"", "{0}.reshape" + pyTuple(dims), {}};
    };
    t.examples = {{"reshape", {{"shape", std::vector<int64_t>{6, -1}}}, {{1, 3}, {2, 2}, {3, 3}, {4, 4}}}};
    t.summary = [](const LayerParams& p) { return "Reshape " + toString(p.get("shape")); };
    return t;
}

} // namespace neurite
