// Embedding: registry entry and layer.
#include "layers/embedding_layer.h"

#include "core/error.h"
#include "layers/layer_util.h"
#include "layers/onnx_sink.h"
#include "layers/registry.h"

namespace neurite {

std::vector<ParamSpec> EmbeddingLayer::paramSpecs(std::span<const Shape> srcShapes) const {
    NEURITE_CHECK(srcShapes.size() == 1 && srcShapes[0].rank() == 2, "Embedding: bad input shape");
    return {{"weight", Shape{m_vocabulary, m_dimension}, Init::StandardNormal, m_vocabulary, m_dimension,
             true, true, /*lookup=*/true}};
}

void EmbeddingLayer::bindParams(std::span<Param> params) {
    NEURITE_CHECK(params.size() == 1, "Embedding: wrong number of parameters");
    m_weight = params[0];
}

void EmbeddingLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    ctx.backend.embeddingForward(*src[0], m_weight.value, m_paddingIdx, dst);
}

void EmbeddingLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                              const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    ctx.backend.embeddingBackward(*src[0], diffDst, m_paddingIdx, m_weight.grad);
    if (diffSrc[0]) ctx.backend.fill(*diffSrc[0], 0.f);  // ids are not differentiable
}

namespace {

int64_t paddingOf(const LayerParams& p) { return p.b("padding") ? p.i("padding_index") : -1; }

}  // namespace

LayerType describeEmbedding() {
    LayerType t;
    t.name = "Embedding";
    t.category = "Recurrent";
    t.needs = Op::Embedding;
    t.help = "Looks up a learned vector for each token id of a sequence [N,T] of whole numbers, giving "
             "[N,T,dimension] (as torch.nn.Embedding); the first layer of a text model.";
    ParamSchema vocabulary = layers::intParam(
        "vocabulary_size", 0, 1,
        "Number of token ids (ids 0..size-1); auto = the text source's vocabulary, padding and "
        "out-of-vocabulary ids included.");
    vocabulary.defaultValue = std::string("auto");
    vocabulary.autoFrom = AutoFrom::Vocabulary;
    t.params = {vocabulary,
                layers::intParam("dimension", 64, 1, "Length of each token's vector."),
                layers::boolParam("padding", true,
                                  "Treat one id as padding: its vector is always zero and never learned."),
                layers::intParam("padding_index", 0, 0,
                                 "The padding id (a text source pads with 0).")};
    t.params[3].appliesWhen = "padding";
    t.inferShape = [](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty()) return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() != 2)
            return ShapeResult::fail("expects token ids [N,T] (2-D), got " + in.str() +
                                     (in.rank() == 3 && in[2] == 1 ? "; a Reshape to [T] drops the last axis" : ""));
        if (p.isAuto("vocabulary_size"))
            return ShapeResult::fail("vocabulary_size is \"auto\" but the data has no vocabulary; use a text: "
                                     "source or set vocabulary_size");
        if (p.b("padding") && p.i("padding_index") >= p.i("vocabulary_size"))
            return ShapeResult::fail("padding_index " + std::to_string(p.i("padding_index")) +
                                     " is not an id of a vocabulary of " + std::to_string(p.i("vocabulary_size")));
        return ShapeResult{Shape{in[0], in[1], p.i("dimension")}, {}};
    };
    t.create = [](const LayerParams& p) -> std::unique_ptr<Layer> {
        if (p.isAuto("vocabulary_size"))
            throwBadInput("Embedding: vocabulary_size is still \"auto\"; set it or use a text: source");
        return std::make_unique<EmbeddingLayer>(p.i("vocabulary_size"), p.i("dimension"), paddingOf(p));
    };
    // Gather of the rows named by the ids (cast to int64: ids are whole numbers), after the
    // padding row is zeroed by a constant mask (folded by a runtime), so the padding id gives
    // zeros whatever its row holds, as in Neurite.
    t.onnx = [](OnnxSink& s, const OnnxLayer& l) {
        const int64_t vocabulary = l.weightDims[0][0];
        const int64_t pad = paddingOf(l.params);
        std::string table = s.weight(0);
        if (pad >= 0) {
            std::vector<float> keep(static_cast<std::size_t>(vocabulary), 1.f);
            keep[static_cast<std::size_t>(pad)] = 0.f;
            const std::string mask = s.floats(s.unique(l.id + "_padding_mask"), {vocabulary, 1}, keep);
            const std::string masked = s.unique(l.id + "_table");
            s.node("Mul", {table, mask}, masked, l.id + "_zero_padding");
            table = masked;
        }
        const std::string ids = s.unique(l.id + "_ids");
        s.node("Cast", {l.inputs[0]}, ids, l.id + "_to_int64", {{"to", int64_t{7}}});  // INT64
        s.node("Gather", {table, ids}, l.output, l.id, {{"axis", int64_t{0}}});
    };
    auto example = [](const char* name, int64_t vocabulary, int64_t dimension, bool padding) {
        LayerExample e{name, {{"vocabulary_size", vocabulary}, {"dimension", dimension}, {"padding", padding}},
                       layers::matrixDims(1, 3, 2, 6)};
        e.ids = vocabulary;
        return e;
    };
    // Ids arrive as floats (whole numbers); the padding id reads zeros whatever its row holds.
    t.torch = [](const TorchLayer& l) {
        const int64_t pad = paddingOf(l.params);
        std::string m = "nn.Embedding(" + std::to_string(l.params.i("vocabulary_size")) + ", " +
                        std::to_string(l.params.i("dimension"));
        if (pad >= 0) m += ", padding_idx=" + std::to_string(pad);
        return TorchCode{m + ")", pad >= 0 ? "embed({m}, {0}, " + std::to_string(pad) + ")" : "embed({m}, {0})",
                         {{"weight", "weight"}}};
    };
    t.examples = {example("embedding with padding", 7, 3, true), example("embedding no padding", 5, 4, false)};
    t.summary = [](const LayerParams& p) {
        return "Embedding " + toString(p.get("vocabulary_size")) + " x " + std::to_string(p.i("dimension"));
    };
    return t;
}

}  // namespace neurite
