// LSTM and GRU: registry entries and the layer they share (recurrent_layer.h).
#include "layers/recurrent_layer.h"

#include "core/error.h"
#include "layers/layer_util.h"
#include "layers/onnx_sink.h"
#include "layers/registry.h"

namespace neurite {

RnnDesc RecurrentLayer::describe(const Shape& src) const {
    RnnDesc d;
    d.cell = m_cfg.cell;
    d.merge = m_cfg.merge;
    d.batch = src[0];
    d.steps = src[1];
    d.inputs = src[2];
    d.hidden = m_cfg.units;
    d.bias = m_cfg.bias;
    return d;
}

std::vector<ParamSpec> RecurrentLayer::paramSpecs(std::span<const Shape> srcShapes) const {
    NEURITE_CHECK(srcShapes.size() == 1 && srcShapes[0].rank() == 3, "recurrent layer: bad input shape");
    const RnnDesc d = describe(srcShapes[0]);
    const int64_t rows = d.directions() * d.gates() * d.hidden, h = d.hidden;
    // torch: every parameter uniform in +-1/sqrt(hidden) (Init::UniformFanIn with fan-in H)
    std::vector<ParamSpec> specs{{"weight_ih", Shape{rows, d.inputs}, Init::UniformFanIn, h, h, true, true},
                                 {"weight_hh", Shape{rows, h}, Init::UniformFanIn, h, h, true, true}};
    if (d.bias) {
        specs.push_back({"bias_ih", Shape{rows}, Init::UniformFanIn, h, h, true, false});
        specs.push_back({"bias_hh", Shape{rows}, Init::UniformFanIn, h, h, true, false});
    }
    return specs;
}

void RecurrentLayer::bindParams(std::span<Param> params) {
    NEURITE_CHECK(params.size() == (m_cfg.bias ? 4u : 2u), "recurrent layer: wrong number of parameters");
    m_weightIh = params[0];
    m_weightHh = params[1];
    if (m_cfg.bias) {
        m_biasIh = params[2];
        m_biasHh = params[3];
    }
}

RnnPlan& RecurrentLayer::plan(LayerContext& ctx, const Tensor& src) {
    return m_plans.get(layers::batchOf(src), [&] { return ctx.backend.makeRnn(describe(src.shape())); });
}

RnnWeights RecurrentLayer::weights() const {
    RnnWeights w;
    w.weightIh = &m_weightIh.value;
    w.weightHh = &m_weightHh.value;
    if (m_cfg.bias) {
        w.biasIh = &m_biasIh.value;
        w.biasHh = &m_biasHh.value;
    }
    return w;
}

void RecurrentLayer::forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) {
    RnnPlan& p = plan(ctx, *src[0]);
    if (m_cfg.returnSequences)
        p.forward(*src[0], weights(), &dst, nullptr, ctx.training);
    else
        p.forward(*src[0], weights(), nullptr, &dst, ctx.training);
}

void RecurrentLayer::backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor&,
                              const Tensor& diffDst, std::span<Tensor* const> diffSrc) {
    RnnGrads g;
    g.weightIh = &m_weightIh.grad;
    g.weightHh = &m_weightHh.grad;
    if (m_cfg.bias) {
        g.biasIh = &m_biasIh.grad;
        g.biasHh = &m_biasHh.grad;
    }
    RnnPlan& p = plan(ctx, *src[0]);
    p.backward(*src[0], weights(), m_cfg.returnSequences ? &diffDst : nullptr,
               m_cfg.returnSequences ? nullptr : &diffDst, diffSrc[0], g);
}

namespace {

RecurrentConfig configOf(RnnCell cell, const LayerParams& p) {
    RecurrentConfig c;
    c.cell = cell;
    c.units = p.i("units");
    c.returnSequences = p.b("return_sequences");
    c.merge = !p.b("bidirectional") ? RnnMerge::None
              : p.s("merge") == "sum" ? RnnMerge::Sum
                                      : RnnMerge::Concat;
    c.bias = p.b("bias");
    return c;
}

// ONNX's LSTM and GRU: sequence-first X [T, N, C], weights W [D, G*H, C] and R [D, G*H, H] with
// the gates in ONNX's order (LSTM i o f c, GRU z r h), B [D, 2*G*H] = (W's biases, R's), output
// Y [T, D, N, H]. torch's gate blocks are reordered by a Gather over the rows (folded to a
// constant by a runtime); GRU is linear_before_reset = 1, which is torch's form. The final state
// is read from Y (the forward direction's last step, the reverse one's first), so only the
// first output is used.
void emitRecurrentOnnx(RnnCell cell, OnnxSink& s, const OnnxLayer& l, const RecurrentConfig& c) {
    const RnnDesc d = RecurrentLayer(c).describe(l.inputShapes[0]);
    const int64_t D = d.directions(), G = d.gates(), H = d.hidden, T = d.steps;
    // ONNX gate k takes torch's block order[k]
    const std::vector<int64_t> order = cell == RnnCell::Lstm ? std::vector<int64_t>{0, 3, 1, 2}
                                                             : std::vector<int64_t>{1, 0, 2};
    std::vector<int64_t> rows;
    for (int64_t g : order)
        for (int64_t j = 0; j < H; ++j) rows.push_back(g * H + j);
    const std::string perm = s.int64s(s.unique(l.id + "_gate_order"), {G * H}, rows);
    auto gates = [&](std::size_t k, const std::vector<int64_t>& shape, const std::string& what) {
        const std::string shaped = s.unique(l.id + "_" + what + "_dirs"), out = s.unique(l.id + "_" + what);
        s.node("Reshape", {s.weight(k), s.int64s(s.unique(l.id + "_" + what + "_shape"), {int64_t(shape.size())}, shape)},
               shaped, l.id + "_" + what + "_dirs");
        s.node("Gather", {shaped, perm}, out, l.id + "_" + what + "_gates", {{"axis", int64_t{1}}});
        return out;
    };
    const std::string x = s.unique(l.id + "_tnc");
    s.node("Transpose", {l.inputs[0]}, x, l.id + "_to_tnc", {{"perm", std::vector<int64_t>{1, 0, 2}}});
    std::vector<std::string> in{x, gates(0, {D, G * H, d.inputs}, "W"), gates(1, {D, G * H, H}, "R")};
    if (d.bias) {
        const std::string b = s.unique(l.id + "_B");
        s.node("Concat", {gates(2, {D, G * H}, "Wb"), gates(3, {D, G * H}, "Rb")}, b, l.id + "_B",
               {{"axis", int64_t{1}}});
        in.push_back(b);
    }
    std::vector<OnnxAttr> attrs{{"hidden_size", H},
                                {"direction", std::string(D == 2 ? "bidirectional" : "forward")}};
    if (cell == RnnCell::Gru) attrs.push_back({"linear_before_reset", int64_t{1}});
    const std::string y = s.unique(l.id + "_Y");  // [T, D, N, H]
    s.node(cell == RnnCell::Lstm ? "LSTM" : "GRU", in, y, l.id, std::move(attrs));
    auto pick = [&](const std::string& from, int64_t index, int64_t axis, const std::string& what,
                    const std::string& out) {
        const std::string name = out.empty() ? s.unique(l.id + "_" + what) : out;
        s.node("Gather", {from, s.int64s(s.unique(l.id + "_" + what + "_at"), {}, std::vector<int64_t>{index})},
               name, l.id + "_" + what, {{"axis", axis}});
        return name;
    };
    if (c.returnSequences) {
        const std::string ntdh = s.unique(l.id + "_ntdh");  // [N, T, D, H]
        s.node("Transpose", {y}, ntdh, l.id + "_to_ntdh", {{"perm", std::vector<int64_t>{2, 0, 1, 3}}});
        if (d.merge == RnnMerge::Sum) {
            s.node("Add", {pick(ntdh, 0, 2, "forward", ""), pick(ntdh, 1, 2, "reverse", "")}, l.output,
                   l.id + "_sum");
        } else {
            const std::vector<int64_t> shape{0, 0, d.outputs()};
            s.node("Reshape", {ntdh, s.int64s(s.unique(l.id + "_out_shape"), {3}, shape)}, l.output,
                   l.id + "_merge");
        }
        return;
    }
    // final states: the forward direction after step T-1, the reverse one after step 0
    const std::string fwd = pick(pick(y, T - 1, 0, "last_step", ""), 0, 0, "forward", D == 1 ? l.output : "");
    if (D == 1) return;
    const std::string rev = pick(pick(y, 0, 0, "first_step", ""), 1, 0, "reverse", "");
    if (d.merge == RnnMerge::Sum)
        s.node("Add", {fwd, rev}, l.output, l.id + "_sum");
    else
        s.node("Concat", {fwd, rev}, l.output, l.id + "_merge", {{"axis", int64_t{1}}});
}

LayerType describeRecurrent(RnnCell cell) {
    const bool lstm = cell == RnnCell::Lstm;
    LayerType t;
    t.name = lstm ? "LSTM" : "GRU";
    t.category = "Recurrent";
    t.needs = Op::Rnn;
    t.help = lstm ? "Long short-term memory over a sequence [N,T,C]: reads the steps in order, keeping a "
                    "memory cell and a state of units values (as torch.nn.LSTM)."
                  : "Gated recurrent unit over a sequence [N,T,C]: reads the steps in order, keeping a state "
                    "of units values (as torch.nn.GRU).";
    t.params = {layers::intParam("units", 64, 1, "Size of the state (hidden units)."),
                layers::boolParam("return_sequences", false,
                                  "Output the state after every step [N,T,units] (to feed another recurrent "
                                  "layer or a per-step Dense) instead of the final state [N,units]."),
                layers::boolParam("bidirectional", false,
                                  "Also read the sequence backward in time, and merge the two directions."),
                layers::choiceParam("merge", "concat", {"concat", "sum"},
                                    "How a bidirectional layer merges its two directions: concat doubles the "
                                    "output size, sum keeps it."),
                layers::boolParam("bias", true, "Add learned biases (torch's bias_ih and bias_hh).")};
    t.params[3].appliesWhen = "bidirectional";
    t.inferShape = [cell](const LayerParams& p, std::span<const Shape> srcShapes) {
        if (std::string e = layers::inputCountError(srcShapes, 1); !e.empty()) return ShapeResult::fail(e);
        const Shape& in = srcShapes[0];
        if (in.rank() != 3)
            return ShapeResult::fail("expects a sequence [N,T,C] (3-D), got " + in.str() +
                                     (in.rank() == 2 ? "; a Reshape to [T, 1] makes features a sequence"
                                                     : in.rank() == 4 ? "; a Reshape to [H, W] reads an image row by row"
                                                                      : ""));
        const RnnDesc d = RecurrentLayer(configOf(cell, p)).describe(in);
        return ShapeResult{p.b("return_sequences") ? Shape{in[0], in[1], d.outputs()} : Shape{in[0], d.outputs()}, {}};
    };
    t.create = [cell](const LayerParams& p) { return std::make_unique<RecurrentLayer>(configOf(cell, p)); };
    t.onnx = [cell](OnnxSink& s, const OnnxLayer& l) { emitRecurrentOnnx(cell, s, l, configOf(cell, l.params)); };
    // torch's nn.LSTM / nn.GRU with batch_first; Neurite stacks the directions in one tensor.
    t.torch = [cell](const TorchLayer& l) {
        const RecurrentConfig c = configOf(cell, l.params);
        const RnnDesc d = RecurrentLayer(c).describe(l.inputShapes[0]);
        const int dirs = static_cast<int>(d.directions());
        std::string m = std::string(cell == RnnCell::Lstm ? "nn.LSTM(" : "nn.GRU(") +
                        std::to_string(d.inputs) + ", " + std::to_string(d.hidden) + ", batch_first=True";
        if (dirs == 2) m += ", bidirectional=True";
        if (!c.bias) m += ", bias=False";
        TorchCode code{m + ")",
                       "rnn_output({m}, {0}, sequences=" + pyBool(c.returnSequences) + ", merge=\"" +
                           (c.merge == RnnMerge::Sum ? "sum" : "concat") + "\")",
                       {}};
        for (const char* name : {"weight_ih", "weight_hh", "bias_ih", "bias_hh"}) {
            if (!c.bias && name[0] == 'b') continue;
            for (int k = 0; k < dirs; ++k)
                code.weights.push_back({name, std::string(name) + "_l0" + (k ? "_reverse" : ""), k, dirs});
        }
        return code;
    };
    t.examples = {
        {lstm ? "lstm last state" : "gru last state", {{"units", int64_t(3)}}, layers::sequenceDims(2, 5)},
        {lstm ? "lstm sequences" : "gru sequences", {{"units", int64_t(2)}, {"return_sequences", true}},
         layers::sequenceDims(2, 4)},
        {lstm ? "lstm bidirectional concat" : "gru bidirectional concat",
         {{"units", int64_t(2)}, {"bidirectional", true}, {"return_sequences", true}}, layers::sequenceDims(2, 4)},
        {lstm ? "lstm bidirectional sum, last" : "gru bidirectional sum, last",
         {{"units", int64_t(3)}, {"bidirectional", true}, {"merge", std::string("sum")}}, layers::sequenceDims(2, 4)},
        {lstm ? "lstm no bias" : "gru no bias", {{"units", int64_t(2)}, {"bias", false}}, layers::sequenceDims(2, 4)},
    };
    t.summary = [lstm](const LayerParams& p) {
        std::string s = std::string(lstm ? "LSTM " : "GRU ") + std::to_string(p.i("units"));
        if (p.b("bidirectional")) s += ", bidirectional " + p.s("merge");
        if (p.b("return_sequences")) s += ", sequences";
        return s;
    };
    return t;
}

} // namespace

LayerType describeLSTM() { return describeRecurrent(RnnCell::Lstm); }
LayerType describeGRU() { return describeRecurrent(RnnCell::Gru); }

} // namespace neurite
