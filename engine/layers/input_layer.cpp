// Input: registry entry and the (trivial) layer.
#include "layers/input_layer.h"

#include "layers/registry.h"
#include "layers/layer_util.h"

namespace neurite {

void InputLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    if (!src.empty() && src[0] && src[0]->raw() != dst.raw()) ctx.backend.copy(*src[0], dst);
}

void InputLayer::backward(LayerContext&, std::span<const Tensor* const>, const Tensor&,
                          const Tensor&, std::span<Tensor* const>) {}

LayerType describeInput() {
    LayerType t;
    t.name = "Input";
    t.category = "Core";
    t.help = "Where the data enters the model; shape is one sample's shape, without the batch.";
    t.minInputs = 0;
    t.maxInputs = 0;
    ParamSchema shape = layers::intListParam(
        "shape", {}, 0, 1,
        "Shape of one sample without the batch, e.g. [1,28,28]; auto = from the data.");
    shape.defaultValue = std::string("auto");
    shape.autoFrom = AutoFrom::SampleShape;
    t.params = {shape};
    t.dataInput = true;
    t.inferShape = [](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 0); !e.empty())
            return ShapeResult::fail(e);
        if (p.isAuto("shape"))
            return ShapeResult::fail(
                "shape is \"auto\" but the data's sample shape is unknown; set shape");
        const std::vector<int64_t>& dims = p.list("shape");
        if (dims.empty() || dims.size() >= std::size_t(Shape::kMaxRank))
            return ShapeResult::fail("shape must have 1 to " + std::to_string(Shape::kMaxRank - 1) +
                                     " dimensions, got " + toString(ParamValue(dims)));
        Shape out{Shape::kBatch};
        for (int64_t d : dims)
            out.push(d);
        return ShapeResult{out, {}};
    };
    t.create = [](const LayerParams&) { return std::make_unique<InputLayer>(); };
    // No node: the exporter writes the graph input and the preprocessing in its place.
    t.summary = [](const LayerParams& p) { return "Input " + toString(p.get("shape")); };
    return t;
}

} // namespace neurite
