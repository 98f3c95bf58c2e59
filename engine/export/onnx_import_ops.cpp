// The ONNX importer's elementwise and weighted operators: activations and arithmetic (kept as
// expressions, onnx_import_expr.cpp), Gemm, MatMul, Conv, BatchNormalization,
// LayerNormalization and its decomposition. Each handler maps the current node onto Neurite
// layers, a constant or an alias, or throws Refuse with the reason.
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include "export/onnx_import_internal.h"

namespace neurite::onnximport {

namespace {

using V = Value::Kind;
using L = std::vector<int64_t>;

// ---- elementwise ----------------------------------------------------------------------------

void unary(Converter& c, const OnnxNode& n) {
    const Value& x = c.in(0);
    auto e = std::make_shared<Expr>();
    e->kind = Expr::Kind::Unary;
    e->fn = n.op;
    if (n.op == "LeakyRelu") e->alpha = decimal(n.f("alpha", 0.01f));
    if (n.op == "Elu") e->alpha = decimal(n.f("alpha", 1.0f));
    if (n.op == "Clip") {
        double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
        if (c.g.opset < 11) {
            lo = n.f("min", -std::numeric_limits<float>::max());
            hi = n.f("max", std::numeric_limits<float>::max());
        } else {
            if (c.hasInput(1)) lo = c.constIn(1, "the minimum").at(0);
            if (c.hasInput(2)) hi = c.constIn(2, "the maximum").at(0);
        }
        if (lo <= -3e38) lo = -std::numeric_limits<double>::infinity();
        if (hi >= 3e38) hi = std::numeric_limits<double>::infinity();
        e->alpha = lo;
        e->beta = hi;
    }
    if (x.kind == V::Constant) {
        Constant out = x.c;
        if (out.integer && n.op != "Relu" && n.op != "Abs" && n.op != "Neg" && n.op != "Clip") {
            out.integer = false;
            out.f = floatsOf(x.c);
            out.i.clear();
        }
        auto arg = std::make_shared<Expr>();
        e->a = arg;
        for (std::size_t k = 0; k < static_cast<std::size_t>(out.numel()); ++k) {
            const double r = evalExpr(*e, x.c.at(k));
            if (out.integer) out.i[k] = static_cast<int64_t>(r);
            else out.f[k] = static_cast<float>(r);
        }
        c.setOut(0, constant(out));
        return;
    }
    e->a = leaf(x);
    c.setOut(0, exprLike(x, e, n));
}

bool sameX(const Value& a, const Value& b) {
    return isNonConst(a) && isNonConst(b) && a.node == b.node && a.shape == b.shape && a.hiddenOnes == b.hiddenOnes;
}

// Add or Sub of a per-channel constant into the Dense or Conv2D before it, as its bias; onnxIn
// is the tensor's ONNX value, which this node must be the only reader of.
bool foldBias(Converter& c, const Value& x, const Constant& k, double sign, const std::string& onnxIn) {
    if (x.kind != V::Tensor || x.hiddenOnes != 0 || c.consumersOf(onnxIn) != 1) return false;
    Node* producer = c.node(x.node);
    if (!producer || (producer->op != "Dense" && producer->op != "Conv2D")) return false;
    Constant* w = c.param(x.node, "weight");
    if (!w || k.numel() != w->dims[0] || int(k.dims.size()) > x.shape.rank()) return false;
    // [O] / [1,O] for Dense; [K,1,1] / [1,K,1,1] for Conv2D: every dimension but the channel's is 1
    const bool dense = producer->op == "Dense";
    if (k.dims.empty() || (!dense && k.dims.size() < 3)) return false;
    const std::size_t channelAxis = dense ? k.dims.size() - 1 : k.dims.size() - 3;
    for (std::size_t d = 0; d < k.dims.size(); ++d)
        if (d != channelAxis && k.dims[d] != 1) return false;
    const int64_t units = w->dims[0];
    Constant bias;
    bias.dims = {units};
    bias.f.assign(static_cast<std::size_t>(units), 0.f);
    if (Constant* old = c.param(x.node, "bias")) bias.f = old->f;
    const std::vector<float> add = floatsOf(k);
    for (std::size_t j = 0; j < bias.f.size(); ++j) bias.f[j] += static_cast<float>(sign * add[j]);
    producer->params["bias"] = true;
    c.setParam(x.node, "bias", bias);
    c.folded(producer->op + " " + x.node + " (its bias)");
    c.setOut(0, x);
    return true;
}

void binary(Converter& c, const OnnxNode& n) {
    const Value& a = c.in(0);
    const Value& b = c.in(1);
    static const std::map<std::string, std::function<double(double, double)>> fns{
        {"Add", [](double p, double q) { return p + q; }},
        {"Sub", [](double p, double q) { return p - q; }},
        {"Mul", [](double p, double q) { return p * q; }},
        {"Div", [](double p, double q) { return p / q; }},
        {"Pow", [](double p, double q) { return std::pow(p, q); }}};
    if (a.kind == V::Constant && b.kind == V::Constant) {
        const bool integer = a.c.integer && b.c.integer && n.op != "Pow";
        auto f = fns.at(n.op);
        if (integer && n.op == "Div")
            f = [](double p, double q) { return q == 0 ? 0.0 : std::trunc(p / q); };
        c.setOut(0, constant(broadcast(a.c, b.c, f, integer)));
        return;
    }
    const bool aScalar = a.kind == V::Constant && a.c.numel() == 1, bScalar = b.kind == V::Constant && b.c.numel() == 1;
    if ((isNonConst(a) && (bScalar || sameX(a, b))) || (aScalar && isNonConst(b))) {
        auto e = std::make_shared<Expr>();
        e->kind = Expr::Kind::Binary;
        e->fn = n.op;
        e->a = leaf(a);
        e->b = leaf(b);
        c.setOut(0, exprLike(isNonConst(a) ? a : b, e, n));
        return;
    }
    if (isNonConst(a) && isNonConst(b)) {
        if (n.op != "Add") throw Refuse{n.op + " of two different tensors: Neurite's merge layers add or concatenate"};
        const Value p = c.full(c.tensorIn(0)), q = c.full(c.tensorIn(1));
        if (p.shape != q.shape) throw Refuse{"Add of shapes that differ (broadcasting): Neurite's Add takes equal shapes"};
        const Value out = c.addNode(c.idFor(), "Add", {p, q}, {});
        c.mapped("Add", out.node);
        c.setOut(0, out);
        return;
    }
    // a tensor and a constant that is not a scalar: a bias, or nothing Neurite computes
    const bool tensorFirst = isNonConst(a);
    if ((n.op == "Add" || (n.op == "Sub" && tensorFirst))) {
        const Value x = c.tensorIn(tensorFirst ? 0 : 1);
        if (foldBias(c, x, (tensorFirst ? b : a).c, n.op == "Sub" ? -1.0 : 1.0, n.inputs[tensorFirst ? 0 : 1]))
            return;
    }
    throw Refuse{n.op + " with a constant tensor of shape [" + [&] {
        std::string s;
        for (int64_t d : (tensorFirst ? b : a).c.dims) s += (s.empty() ? "" : ",") + std::to_string(d);
        return s;
    }() + "]: only a scalar, or a bias after a Gemm, MatMul or Conv, is expressible"};
}

// ---- layers with weights ------------------------------------------------------------------

void transposeInto(const Constant& b, Constant& w) {  // [I,O] -> [O,I]
    const int64_t rows = b.dims[0], cols = b.dims[1];
    const std::vector<float> src = floatsOf(b);
    w.dims = {cols, rows};
    w.f.resize(src.size());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t k = 0; k < cols; ++k) w.f[std::size_t(k * rows + r)] = src[std::size_t(r * cols + k)];
}

void gemm(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    const Constant& b = c.constIn(1, "the weight B");
    if (n.i("transA", 0) != 0) throw Refuse{"transA = 1 transposes the batch into the features"};
    if (b.dims.size() != 2) throw Refuse{"the weight B is not a matrix"};
    if (x.shape.rank() != 2) throw Refuse{"Gemm's input must be 2-D [N, features]"};
    Constant w;
    if (n.i("transB", 0)) {
        w.dims = b.dims;
        w.f = floatsOf(b);
    } else {
        transposeInto(b, w);
    }
    const float alpha = n.f("alpha", 1.f), beta = n.f("beta", 1.f);
    for (float& v : w.f) v *= alpha;
    const int64_t units = w.dims[0];
    if (w.dims[1] != x.shape[1])
        throw Refuse{"the weight has " + std::to_string(w.dims[1]) + " inputs, the input has " + std::to_string(x.shape[1])};
    const bool bias = c.hasInput(2);
    const std::string id = c.idFor(n.inputs[1]);
    Value out = c.addNode(id, "Dense", {x}, {{"units", units}, {"bias", bias}});
    c.setParam(out.node, "weight", w);
    if (bias) {
        const Constant& k = c.constIn(2, "the bias C");
        if (k.numel() != units && k.numel() != 1) throw Refuse{"the bias C does not broadcast to [" + std::to_string(units) + "]"};
        Constant bb;
        bb.dims = {units};
        const std::vector<float> kv = floatsOf(k);
        for (int64_t j = 0; j < units; ++j) bb.f.push_back(beta * kv[k.numel() == 1 ? 0 : std::size_t(j)]);
        c.setParam(out.node, "bias", bb);
    }
    c.mapped("Dense", out.node);
    c.setOut(0, out);
}

void matmul(Converter& c, const OnnxNode& n) {
    if (c.in(0).kind == V::Constant) throw Refuse{"a constant times the model's values: Neurite's Dense computes x W"};
    const Value x = c.full(c.tensorIn(0));
    const Constant& b = c.constIn(1, "the weight");
    if (b.dims.size() != 2) throw Refuse{"the weight is not a matrix (a batched MatMul)"};
    if (x.shape[x.shape.rank() - 1] != b.dims[0])
        throw Refuse{"the weight has " + std::to_string(b.dims[0]) + " rows, the input's last dimension is " +
                     std::to_string(x.shape[x.shape.rank() - 1])};
    Constant w;
    transposeInto(b, w);
    Value out = c.addNode(c.idFor(n.inputs[1]), "Dense", {x}, {{"units", b.dims[1]}, {"bias", false}});
    c.setParam(out.node, "weight", w);
    c.mapped("Dense", out.node);
    c.setOut(0, out);
}

void conv(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    const Constant& w = c.constIn(1, "the weight W");
    if (x.shape.rank() == 3) throw Refuse{"1-D convolution over [N, C, L]: Neurite's Conv1D takes sequences [N, T, C]"};
    if (x.shape.rank() != 4 || w.dims.size() != 4)
        throw Refuse{"only 2-D convolutions over [N, C, H, W] are mapped (this is rank " + std::to_string(x.shape.rank()) + ")"};
    const int64_t groups = n.i("group", 1);
    if (groups < 1 || w.dims[1] * groups != x.shape[1])
        throw Refuse{"the weight's " + std::to_string(w.dims[1]) + " channels times group " + std::to_string(groups) +
                     " do not make the input's " + std::to_string(x.shape[1])};
    const L kernel{w.dims[2], w.dims[3]};
    if (n.has("kernel_shape") && n.ints("kernel_shape") != kernel) throw Refuse{"kernel_shape disagrees with the weight"};
    const L strides = twoInts(n, "strides", {1, 1}), dilations = twoInts(n, "dilations", {1, 1});
    const L extent{dilations[0] * (kernel[0] - 1) + 1, dilations[1] * (kernel[1] - 1) + 1};
    const L pads = windowPads(n, x.shape, extent, strides);
    std::map<std::string, ParamValue> p{{"filters", w.dims[0]}, {"kernel_size", kernel}, {"strides", strides},
                                        {"bias", c.hasInput(2)}};
    paddingParams(p, pads, x.shape, extent, strides);
    if (dilations != L{1, 1}) p["dilation"] = dilations;
    if (groups != 1) p["groups"] = groups;
    Value out = c.addNode(c.idFor(n.inputs[1]), "Conv2D", {x}, p);
    Constant weight = w;
    weight.f = floatsOf(w);
    weight.integer = false;
    c.setParam(out.node, "weight", weight);
    if (c.hasInput(2)) {
        const Constant& b = c.constIn(2, "the bias B");
        if (b.numel() != w.dims[0]) throw Refuse{"the bias has " + std::to_string(b.numel()) + " values for " + std::to_string(w.dims[0]) + " filters"};
        Constant bias;
        bias.dims = {w.dims[0]};
        bias.f = floatsOf(b);
        c.setParam(out.node, "bias", bias);
    }
    c.mapped("Conv2D", out.node);
    c.setOut(0, out);
}

void batchNorm(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    for (std::size_t k = 1; k < n.outputs.size(); ++k)
        if (c.outputUsed(k)) throw Refuse{"its training outputs (the updated running statistics) are used"};
    if (n.i("training_mode", 0) != 0) throw Refuse{"training_mode = 1: an inference model is imported, then trained"};
    const int64_t channels = x.shape.rank() >= 2 ? x.shape[1] : 0;
    std::vector<std::vector<float>> v;
    for (std::size_t k = 1; k <= 4; ++k) {
        const Constant& t = c.constIn(k, k == 1 ? "the scale" : k == 2 ? "the bias" : k == 3 ? "the mean" : "the variance");
        if (t.numel() != channels) throw Refuse{"its statistics have " + std::to_string(t.numel()) + " values for " + std::to_string(channels) + " channels"};
        v.push_back(floatsOf(t));
    }
    const float eps = n.f("epsilon", 1e-5f);
    Node* producer = x.kind == V::Tensor ? c.node(x.node) : nullptr;
    if (c.opt.foldBatchNorm && producer && (producer->op == "Conv2D" || producer->op == "Dense") && x.hiddenOnes == 0 &&
        c.consumersOf(n.inputs[0]) == 1 && c.param(x.node, "weight")) {
        Constant& w = *c.param(x.node, "weight");
        const int64_t units = w.dims[0];
        if (units == channels) {
            const std::size_t per = w.f.size() / std::size_t(units);
            Constant bias;
            bias.dims = {units};
            bias.f.assign(std::size_t(units), 0.f);
            if (Constant* old = c.param(x.node, "bias")) bias.f = old->f;
            for (std::size_t j = 0; j < std::size_t(units); ++j) {
                const double scale = v[0][j] / std::sqrt(double(v[3][j]) + eps);
                for (std::size_t q = 0; q < per; ++q) w.f[j * per + q] = static_cast<float>(w.f[j * per + q] * scale);
                bias.f[j] = static_cast<float>((bias.f[j] - v[2][j]) * scale + v[1][j]);
            }
            producer->params["bias"] = true;
            c.setParam(x.node, "bias", bias);
            c.folded(producer->op + " " + x.node + " (scale and shift folded into its weights)");
            c.setOut(0, x);
            return;
        }
    }
    const double momentum = std::clamp(decimal(float(1.0 - decimal(n.f("momentum", 0.9f)))), 0.0, 1.0);
    Value out = c.addNode(c.idFor(n.inputs[1]), "BatchNorm", {x}, {{"epsilon", decimal(eps)}, {"momentum", momentum}});
    const char* names[] = {"gamma", "beta", "running_mean", "running_var"};
    for (std::size_t k = 0; k < 4; ++k) {
        Constant t;
        t.dims = {channels};
        t.f = v[k];
        c.setParam(out.node, names[k], t);
    }
    c.mapped("BatchNorm", out.node);
    c.setOut(0, out);
}

void layerNorm(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    const int rank = x.shape.rank();
    if (normAxis(n.i("axis", -1), rank) != rank - 1) throw Refuse{"normalizes over more than the last axis"};
    for (std::size_t k = 1; k < n.outputs.size(); ++k)
        if (c.outputUsed(k)) throw Refuse{"its mean or inverse deviation output is used"};
    const int64_t d = x.shape[rank - 1];
    const Constant& scale = c.constIn(1, "the scale");
    if (scale.numel() != d) throw Refuse{"the scale has " + std::to_string(scale.numel()) + " values for " + std::to_string(d) + " features"};
    Constant gamma, beta;
    gamma.dims = beta.dims = {d};
    gamma.f = floatsOf(scale);
    beta.f.assign(std::size_t(d), 0.f);
    if (c.hasInput(2)) {
        const Constant& b = c.constIn(2, "the bias");
        if (b.numel() != d) throw Refuse{"the bias has " + std::to_string(b.numel()) + " values for " + std::to_string(d) + " features"};
        beta.f = floatsOf(b);
    }
    Value out = c.addNode(c.idFor(n.inputs[1]), "LayerNorm", {x}, {{"epsilon", decimal(n.f("epsilon", 1e-5f))}});
    c.setParam(out.node, "gamma", gamma);
    c.setParam(out.node, "beta", beta);
    c.mapped("LayerNorm", out.node);
    c.setOut(0, out);
}

// The layer normalization exporters write before opset 17, matched whole from its first
// ReduceMean: mean = ReduceMean(x), d = Sub(x, mean), var = ReduceMean(Pow(d, 2)),
// y = Div(d, Sqrt(Add(var, eps))), then optionally Mul(y, gamma) and Add(., beta), over the last
// axis, every intermediate read only inside the pattern (the square may be Mul(d, d), as
// Neurite's own export writes it). It becomes one LayerNorm layer.
// ReduceMean / ReduceMax over the time axis of a sequence [N, T, C]: the 1-D global pools.
bool globalPoolOverTime(Converter& c, const OnnxNode& n, const Value& x, bool max) {
    std::vector<int64_t> axes = n.ints("axes");
    if (axes.empty() && n.inputs.size() > 1 && !n.inputs[1].empty())
        if (const Constant* k = c.constantValue(n.inputs[1])) axes = intsOf(*k);
    if (x.shape.rank() != 3 || axes.size() != 1 || normAxis(axes[0], 3) != 1) return false;
    const char* op = max ? "GlobalMaxPool1D" : "GlobalAvgPool1D";
    Value out = c.addNode(c.idFor(), op, {x}, {});
    c.mapped(op, out.node);
    c.setOut(0, n.i("keepdims", 1) ? c.reshapeTo(out, Shape{Shape::kBatch, 1, x.shape[2]}) : out);
    return true;
}

void reduceMax(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    if (!globalPoolOverTime(c, n, x, true))
        throw Refuse{"ReduceMax is mapped only over the time axis of a sequence [N, T, C] (GlobalMaxPool1D)"};
}

void reduceMean(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    if (globalPoolOverTime(c, n, x, false)) return;
    const int rank = x.shape.rank();
    const std::string refusal = "ReduceMean is mapped only over the time axis of a sequence [N, T, C] "
                                "(GlobalAvgPool1D) or as part of a layer normalization (ReduceMean, Sub, Pow, "
                                "ReduceMean, Add, Sqrt, Div, Mul, Add over the last axis)";
    auto lastAxisOnly = [&](const OnnxNode& r) {
        std::vector<int64_t> axes = r.ints("axes");
        if (axes.empty() && r.inputs.size() > 1 && !r.inputs[1].empty())
            if (const Constant* k = c.constantValue(r.inputs[1])) axes = intsOf(*k);
        return axes.size() == 1 && normAxis(axes[0], rank) == rank - 1 && r.i("keepdims", 1) == 1;
    };
    // the single reader of `value` with op `op` whose other input is `other` (or a constant when other is "")
    auto only = [&](const std::string& value, const char* op, std::size_t readers = 1) -> const OnnxNode* {
        const auto& rs = c.readersOf(value);
        if (rs.size() != readers) return nullptr;
        for (const OnnxNode* r : rs)
            if (r->op == op) return r;
        return nullptr;
    };
    auto scalar = [&](const OnnxNode* node, std::size_t k, double* out) {
        if (!node || k >= node->inputs.size()) return false;
        const Constant* v = c.constantValue(node->inputs[k]);
        if (!v || v->numel() != 1) return false;
        *out = v->at(0);
        return true;
    };
    if (!lastAxisOnly(n) || c.consumersOf(n.outputs[0]) != 1) throw Refuse{refusal};
    const std::string& xName = n.inputs[0];
    const OnnxNode* subNode = only(n.outputs[0], "Sub");
    if (!subNode || subNode->inputs[0] != xName || subNode->inputs[1] != n.outputs[0]) throw Refuse{refusal};
    const std::string& d = subNode->outputs[0];
    // the square: Pow(d, 2) (PyTorch) or Mul(d, d) (Neurite's own export)
    const std::set<const OnnxNode*> dReaders(c.readersOf(d).begin(), c.readersOf(d).end());
    const OnnxNode *pow = nullptr, *div = nullptr;
    double exponent = 0, eps = 0;
    for (const OnnxNode* r : dReaders) {
        if (r->op == "Pow" && r->inputs[0] == d && scalar(r, 1, &exponent) && exponent == 2) pow = r;
        if (r->op == "Mul" && r->inputs.size() == 2 && r->inputs[0] == d && r->inputs[1] == d) pow = r;
        if (r->op == "Div" && r->inputs[0] == d) div = r;
    }
    if (dReaders.size() != 2 || !pow || !div) throw Refuse{refusal};
    const OnnxNode* varNode = only(pow->outputs[0], "ReduceMean");
    if (!varNode || !lastAxisOnly(*varNode)) throw Refuse{refusal};
    const OnnxNode* addEps = only(varNode->outputs[0], "Add");
    if (!addEps || !scalar(addEps, 1, &eps) || eps <= 0) throw Refuse{refusal};
    const OnnxNode* sqrtNode = only(addEps->outputs[0], "Sqrt");
    if (!sqrtNode || only(sqrtNode->outputs[0], "Div") != div || div->inputs[1] != sqrtNode->outputs[0]) throw Refuse{refusal};
    std::vector<const OnnxNode*> pattern{&n, subNode, pow, varNode, addEps, sqrtNode, div};
    const int64_t features = x.shape[rank - 1];
    Constant gamma, beta;
    gamma.dims = beta.dims = {features};
    gamma.f.assign(std::size_t(features), 1.f);
    beta.f.assign(std::size_t(features), 0.f);
    const OnnxNode* last = div;
    auto perFeature = [&](const OnnxNode* node) -> const Constant* {  // either operand order
        if (!node || node->inputs.size() != 2) return nullptr;
        const std::size_t self = node->inputs[0] == last->outputs[0] ? 0 : 1;
        if (node->inputs[self] != last->outputs[0]) return nullptr;
        const Constant* k = c.constantValue(node->inputs[1 - self]);
        return k && k->numel() == features ? k : nullptr;
    };
    std::string gammaName;  // names the layer ("encoder.norm1" from "encoder.norm1.weight")
    if (const OnnxNode* mul = only(last->outputs[0], "Mul"); const Constant* k = perFeature(mul)) {
        gamma.f = floatsOf(*k);
        gammaName = mul->inputs[mul->inputs[0] == last->outputs[0] ? 1 : 0];
        pattern.push_back(mul);
        last = mul;
    }
    if (const OnnxNode* add = only(last->outputs[0], "Add"); const Constant* k = perFeature(add)) {
        beta.f = floatsOf(*k);
        pattern.push_back(add);
        last = add;
    }
    Value out = c.addNode(c.idFor(gammaName), "LayerNorm", {x}, {{"epsilon", decimal(static_cast<float>(eps))}});
    c.setParam(out.node, "gamma", gamma);
    c.setParam(out.node, "beta", beta);
    for (const OnnxNode* p : pattern) c.absorb(p);
    c.setValue(last->outputs[0], out);
    c.folded("LayerNorm " + out.node + " (with " + std::to_string(pattern.size() - 1) + " more nodes)");
}

}  // namespace

void addLayerHandlers(std::map<std::string, Handler>& table) {
    table.insert({{"Abs", unary}, {"Add", binary}, {"BatchNormalization", batchNorm}, {"Clip", unary},
                  {"Conv", conv}, {"Div", binary}, {"Elu", unary}, {"Erf", unary}, {"Exp", unary},
                  {"Gemm", gemm}, {"LayerNormalization", layerNorm}, {"LeakyRelu", unary}, {"MatMul", matmul},
                  {"Mul", binary}, {"Neg", unary}, {"Pow", binary}, {"Reciprocal", unary},
                  {"ReduceMax", reduceMax}, {"ReduceMean", reduceMean}, {"Relu", unary}, {"Sigmoid", unary}, {"Sqrt", unary},
                  {"Sub", binary}, {"Tanh", unary}});
}

}  // namespace neurite::onnximport
