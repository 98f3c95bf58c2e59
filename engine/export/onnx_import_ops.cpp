// The ONNX importer's operator handlers: one function per ONNX operator, each mapping the
// current node onto Neurite layers, a constant, an alias, or an elementwise expression (see
// onnx_import_internal.h). A handler throws Refuse with the reason when the node's attributes
// or inputs are outside what the layers compute.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <set>

#include "export/onnx_import_internal.h"

namespace neurite::onnximport {

namespace {

using V = Value::Kind;
using L = std::vector<int64_t>;
constexpr int64_t kMaxFolded = int64_t{1} << 24;  // values in one folded constant

// A float attribute as the decimal number it was written as (0.9f is 0.899999976 in double;
// the project file and the inspector should say 0.9).
double decimal(float f) {
    char text[32];
    std::snprintf(text, sizeof text, "%.7g", double(f));
    return std::strtod(text, nullptr);
}

int64_t normAxis(int64_t axis, int rank) {
    const int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) throw Refuse{"axis " + std::to_string(axis) + " is outside a rank-" + std::to_string(rank) + " value"};
    return a;
}

int64_t product(const std::vector<int64_t>& d, std::size_t from = 0, std::size_t to = SIZE_MAX) {
    int64_t p = 1;
    for (std::size_t k = from; k < d.size() && k < to; ++k) p *= d[k];
    return p;
}

Constant ints(std::vector<int64_t> values, std::vector<int64_t> dims) {
    Constant c;
    c.integer = true;
    c.i = std::move(values);
    c.dims = std::move(dims);
    return c;
}

Value constant(Constant c) {
    Value v;
    v.kind = V::Constant;
    v.c = std::move(c);
    return v;
}

std::vector<int64_t> intsOf(const Constant& c) {
    std::vector<int64_t> out;
    for (std::size_t k = 0; k < static_cast<std::size_t>(c.numel()); ++k)
        out.push_back(c.integer ? c.i[k] : static_cast<int64_t>(c.f[k]));
    return out;
}

std::vector<float> floatsOf(const Constant& c) {
    if (!c.integer) return c.f;
    return std::vector<float>(c.i.begin(), c.i.end());
}

bool isNonConst(const Value& v) { return v.kind == V::Tensor || v.kind == V::Expr; }

// numpy broadcasting of two constants, elementwise f
Constant broadcast(const Constant& a, const Constant& b, const std::function<double(double, double)>& f, bool integer) {
    const std::size_t rank = std::max(a.dims.size(), b.dims.size());
    std::vector<int64_t> da(rank, 1), db(rank, 1), out(rank, 1);
    std::copy(a.dims.begin(), a.dims.end(), da.begin() + long(rank - a.dims.size()));
    std::copy(b.dims.begin(), b.dims.end(), db.begin() + long(rank - b.dims.size()));
    for (std::size_t k = 0; k < rank; ++k) {
        if (da[k] != db[k] && da[k] != 1 && db[k] != 1) throw Refuse{"constant shapes do not broadcast"};
        out[k] = std::max(da[k], db[k]);
    }
    const int64_t n = product(out);
    if (n > kMaxFolded) throw Refuse{"a folded constant would have more than 2^24 values"};
    Constant c;
    c.dims = out;
    c.integer = integer;
    std::vector<int64_t> idx(rank, 0);
    for (int64_t k = 0; k < n; ++k) {
        int64_t ia = 0, ib = 0;
        for (std::size_t d = 0; d < rank; ++d) {
            ia = ia * da[d] + (da[d] == 1 ? 0 : idx[d]);
            ib = ib * db[d] + (db[d] == 1 ? 0 : idx[d]);
        }
        const double r = f(a.at(std::size_t(ia)), b.at(std::size_t(ib)));
        if (integer) c.i.push_back(static_cast<int64_t>(r));
        else c.f.push_back(static_cast<float>(r));
        for (std::size_t d = rank; d-- > 0;)
            if (++idx[d] < out[d]) break;
            else idx[d] = 0;
    }
    return c;
}

ExprP leaf(const Value& v) {
    if (v.kind == V::Expr) return v.expr;
    auto e = std::make_shared<Expr>();
    if (v.kind == V::Constant) {
        e->kind = Expr::Kind::Const;
        e->c = v.c.at(0);
    }
    return e;
}

// An Expr value over the same x as `base` (a Tensor or Expr).
Value exprLike(const Value& base, ExprP e, const OnnxNode& n) {
    Value out;
    out.kind = V::Expr;
    out.node = base.node;
    out.shape = base.shape;
    out.hiddenOnes = base.hiddenOnes;
    if (base.kind == V::Expr) out.exprOps = base.exprOps;
    out.exprOps.push_back(n.op + " " + n.name);
    out.lastName = n.name;
    out.expr = std::move(e);
    return out;
}

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

// ONNX pads for one spatial axis: [begin, end] from auto_pad or the pads attribute.
std::pair<int64_t, int64_t> axisPads(const std::string& autoPad, int64_t in, int64_t extent, int64_t stride,
                                     int64_t begin, int64_t end) {
    if (autoPad == "VALID") return {0, 0};
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
        const int64_t out = (in + stride - 1) / stride;
        const int64_t total = std::max<int64_t>((out - 1) * stride + extent - in, 0);
        const int64_t small = total / 2;
        return autoPad == "SAME_UPPER" ? std::pair{small, total - small} : std::pair{total - small, small};
    }
    if (autoPad != "NOTSET" && !autoPad.empty()) throw Refuse{"auto_pad " + autoPad + " is not an ONNX value"};
    return {begin, end};
}

// The padding parameters for pads [top, left, bottom, right]: valid, same when they are what
// Neurite's same gives, else explicit.
void paddingParams(std::map<std::string, ParamValue>& p, const L& pads, const Shape& in, const L& extent,
                   const L& stride) {
    if (pads == L{0, 0, 0, 0}) {
        p["padding"] = std::string("valid");
        return;
    }
    L same(4);
    for (int k = 0; k < 2; ++k) {
        const int64_t size = in[2 + k], out = (size + stride[k] - 1) / stride[k];
        const int64_t total = std::max<int64_t>((out - 1) * stride[k] + extent[k] - size, 0);
        same[k] = total / 2;
        same[k + 2] = total - total / 2;
    }
    if (pads == same) {
        p["padding"] = std::string("same");
        return;
    }
    p["padding"] = std::string("explicit");
    p["pads"] = pads;
}

L twoInts(const OnnxNode& n, const char* name, L def) {
    L v = n.ints(name, def);
    if (v.size() != 2) throw Refuse{std::string(name) + " has " + std::to_string(v.size()) + " entries; 2-D windows need 2"};
    for (int64_t x : v)
        if (x < 1) throw Refuse{std::string(name) + " must be positive"};
    return v;
}

L windowPads(const OnnxNode& n, const Shape& in, const L& extent, const L& stride) {
    L raw = n.ints("pads", {0, 0, 0, 0});
    if (raw.size() != 4) throw Refuse{"pads has " + std::to_string(raw.size()) + " entries; 2-D windows need 4"};
    for (int64_t x : raw)
        if (x < 0) throw Refuse{"negative pads crop the input"};
    const std::string autoPad = n.s("auto_pad", "NOTSET");
    const auto h = axisPads(autoPad, in[2], extent[0], stride[0], raw[0], raw[2]);
    const auto w = axisPads(autoPad, in[3], extent[1], stride[1], raw[1], raw[3]);
    return {h.first, w.first, h.second, w.second};
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
void reduceMean(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    const int rank = x.shape.rank();
    const std::string refusal = "ReduceMean is mapped only as part of a layer normalization (ReduceMean, Sub, Pow, "
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

// ---- windows, shapes, merges ----------------------------------------------------------------

void pool(Converter& c, const OnnxNode& n) {
    const bool max = n.op == "MaxPool";
    const Value x = c.full(c.tensorIn(0));
    if (x.shape.rank() != 4) throw Refuse{"only 2-D pooling over [N, C, H, W] is mapped"};
    if (max && c.outputUsed(1)) throw Refuse{"its indices output is used"};
    if (n.i("storage_order", 0) != 0) throw Refuse{"storage_order = 1"};
    const L kernel = twoInts(n, "kernel_shape", {});
    const L strides = twoInts(n, "strides", {1, 1});
    if (twoInts(n, "dilations", {1, 1}) != L{1, 1}) throw Refuse{"dilated pooling"};
    L pads = windowPads(n, x.shape, kernel, strides);
    if (n.i("ceil_mode", 0)) {  // the last window may start past the end: extra padding at the end
        for (int k = 0; k < 2; ++k) {
            const int64_t in = x.shape[2 + k], before = pads[std::size_t(k)], after = pads[std::size_t(k + 2)];
            const int64_t span = in + before + after - kernel[std::size_t(k)];
            if (span < 0) continue;
            int64_t out = (span + strides[std::size_t(k)] - 1) / strides[std::size_t(k)] + 1;
            if ((out - 1) * strides[std::size_t(k)] >= in + before) --out;  // a window must start inside
            const int64_t need = (out - 1) * strides[std::size_t(k)] + kernel[std::size_t(k)] - (in + before + after);
            if (need > 0) pads[std::size_t(k + 2)] += need;
        }
    }
    if (!max && n.i("count_include_pad", 0) != 0 && pads != L{0, 0, 0, 0})
        throw Refuse{"count_include_pad = 1 with padding: Neurite's AvgPool2D leaves padding out of the divisor"};
    std::map<std::string, ParamValue> p{{"pool_size", kernel}, {"strides", strides}};
    paddingParams(p, pads, x.shape, kernel, strides);
    Value out = c.addNode(c.idFor(), max ? "MaxPool2D" : "AvgPool2D", {x}, p);
    c.mapped(max ? "MaxPool2D" : "AvgPool2D", out.node);
    c.setOut(0, out);
}

void globalAvgPool(Converter& c, const OnnxNode& n) {
    (void)n;
    const Value x = c.full(c.tensorIn(0));
    if (x.shape.rank() != 4) throw Refuse{"only [N, C, H, W] inputs are mapped"};
    Value out = c.addNode(c.idFor(), "GlobalAvgPool", {x}, {});
    out.shape = Shape{Shape::kBatch, x.shape[1], 1, 1};
    out.hiddenOnes = 2;
    c.mapped("GlobalAvgPool", out.node);
    c.setOut(0, out);
}

Shape batchShape(const std::vector<int64_t>& sample) {
    Shape s{Shape::kBatch};
    for (int64_t d : sample) s.push(d);
    return s;
}

void flatten(Converter& c, const OnnxNode& n) {
    const Value& in = c.in(0);
    if (in.kind == V::Constant) {
        const int64_t a = normAxis(n.i("axis", 1), int(in.c.dims.size()) + (in.c.dims.empty() ? 1 : 0));
        Constant out = in.c;
        out.dims = {product(in.c.dims, 0, std::size_t(a)), product(in.c.dims, std::size_t(a))};
        c.setOut(0, constant(out));
        return;
    }
    const Value x = c.tensorIn(0);
    const int64_t a = normAxis(n.i("axis", 1), x.shape.rank());
    if (a == 0) throw Refuse{"axis 0 flattens the batch into the features"};
    for (int64_t k = 1; k < a; ++k)
        if (x.shape[k] != 1) throw Refuse{"axis " + std::to_string(a) + " folds features into the batch"};
    const std::vector<int64_t> dims(x.shape.begin() + 1, x.shape.end());
    const Value out = c.reshapeTo(x, batchShape({product(dims)}));
    if (out.node != x.node) c.mapped(c.node(out.node)->op, out.node);
    else c.dropped("the values are already flat");
    c.setOut(0, out);
}

// Reshape and the other pure shape changes of a tensor.
void reshapeTensor(Converter& c, const Value& x, std::vector<int64_t> target, bool allowZero) {
    for (std::size_t k = 0; k < target.size(); ++k)
        if (target[k] == 0 && !allowZero) {
            if (k >= static_cast<std::size_t>(x.shape.rank())) throw Refuse{"a 0 in the shape copies a dimension the input lacks"};
            target[k] = k == 0 ? kBatchDim : x.shape[int(k)];
        }
    if (target.empty()) throw Refuse{"reshapes to a scalar, across the batch"};
    const std::vector<int64_t> dims(x.shape.begin() + 1, x.shape.end());
    const int64_t per = product(dims);
    std::vector<int64_t> rest(target.begin() + 1, target.end());
    bool batchFirst = target[0] == kBatchDim;
    const auto& fileDims = c.g.inputs.front().dims;
    if (!batchFirst && target[0] == -1 && std::find(rest.begin(), rest.end(), -1) == rest.end()) batchFirst = true;
    if (!batchFirst && !fileDims.empty() && fileDims[0] > 0 && target[0] == fileDims[0]) batchFirst = true;  // a fixed-batch export
    if (!batchFirst) throw Refuse{"reshapes across the batch dimension (its first entry is " + std::to_string(target[0]) + ")"};
    int64_t known = 1, open = -1;
    for (std::size_t k = 0; k < rest.size(); ++k) {
        if (rest[k] == kBatchDim) throw Refuse{"the batch moves to another axis"};
        if (rest[k] == -1) {
            if (open >= 0) throw Refuse{"two -1 entries in the shape"};
            open = int64_t(k);
        } else if (rest[k] < 0) {
            throw Refuse{"a negative entry in the shape"};
        } else {
            known *= rest[k];
        }
    }
    if (open >= 0) {
        if (known == 0 || per % known) throw Refuse{"the shape does not divide the values of a sample"};
        rest[std::size_t(open)] = per / known;
    } else if (known != per) {
        throw Refuse{"the shape holds " + std::to_string(known) + " values a sample, the input " + std::to_string(per)};
    }
    if (rest.size() + 1 > std::size_t(Shape::kMaxRank)) throw Refuse{"more than " + std::to_string(Shape::kMaxRank) + " dimensions"};
    const Value out = c.reshapeTo(x, batchShape(rest));
    if (out.node != x.node) c.mapped(c.node(out.node)->op, out.node);
    else c.dropped("the shape does not change the values' layout");
    c.setOut(0, out);
}

void reshape(Converter& c, const OnnxNode& n) {
    const std::vector<int64_t> target = intsOf(c.constIn(1, "the target shape"));
    if (c.in(0).kind == V::Constant) {
        Constant out = c.in(0).c;
        std::vector<int64_t> t = target;
        int64_t known = 1, open = -1;
        for (std::size_t k = 0; k < t.size(); ++k) {
            if (t[k] == 0 && !n.i("allowzero", 0) && k < out.dims.size()) t[k] = out.dims[k];
            if (t[k] == -1) open = int64_t(k);
            else known *= t[k];
        }
        if (open >= 0 && known > 0) t[std::size_t(open)] = out.numel() / known;
        if (product(t) != out.numel()) throw Refuse{"the constant does not fit the shape"};
        out.dims = t;
        c.setOut(0, constant(out));
        return;
    }
    reshapeTensor(c, c.tensorIn(0), target, n.i("allowzero", 0) != 0);
}

std::vector<int64_t> axesOf(Converter& c, const OnnxNode& n) {
    if (c.g.opset >= 13 && n.op != "Unsqueeze" ? c.hasInput(1) : c.g.opset >= 13) {
        if (!c.hasInput(1)) return {};
        return intsOf(c.constIn(1, "the axes"));
    }
    return n.ints("axes");
}

void squeezeOrUnsqueeze(Converter& c, const OnnxNode& n) {
    const bool unsq = n.op == "Unsqueeze";
    std::vector<int64_t> axes = axesOf(c, n);
    const Value& in = c.in(0);
    std::vector<int64_t> dims;
    if (in.kind == V::Constant) dims = in.c.dims;
    else for (int k = 0; k < in.shape.rank(); ++k) dims.push_back(in.shape[k] == Shape::kBatch ? kBatchDim : in.shape[k]);
    const int outRank = int(dims.size()) + (unsq ? int(axes.size()) : -int(axes.size()));
    std::vector<int64_t> out;
    if (unsq) {
        std::vector<bool> inserted(std::size_t(std::max(outRank, 0)), false);
        for (int64_t a : axes) inserted[std::size_t(normAxis(a, outRank))] = true;
        std::size_t from = 0;
        for (int k = 0; k < outRank; ++k) out.push_back(inserted[std::size_t(k)] ? 1 : dims[from++]);
    } else {
        std::vector<bool> drop(dims.size(), false);
        if (axes.empty())
            for (std::size_t k = 0; k < dims.size(); ++k) drop[k] = dims[k] == 1;
        for (int64_t a : axes) {
            const auto k = std::size_t(normAxis(a, int(dims.size())));
            if (dims[k] == kBatchDim) throw Refuse{"squeezes the batch dimension"};
            if (dims[k] != 1) throw Refuse{"squeezes an axis of size " + std::to_string(dims[k]) + " (not 1)"};
            drop[k] = true;
        }
        for (std::size_t k = 0; k < dims.size(); ++k)
            if (!drop[k]) out.push_back(dims[k]);
    }
    if (in.kind == V::Constant) {
        Constant cst = in.c;
        cst.dims = out;
        c.setOut(0, constant(cst));
        return;
    }
    if (out.empty() || out[0] != kBatchDim) throw Refuse{"moves the batch dimension"};
    reshapeTensor(c, c.tensorIn(0), out, true);
}

void shapeOf(Converter& c, const OnnxNode& n) {
    const Value& in = c.in(0);
    std::vector<int64_t> dims;
    if (in.kind == V::Constant) dims = in.c.dims;
    else for (int k = 0; k < in.shape.rank(); ++k) dims.push_back(in.shape[k] == Shape::kBatch ? kBatchDim : in.shape[k]);
    const auto rank = int64_t(dims.size());
    int64_t start = n.i("start", 0), end = n.i("end", rank);
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, start, rank);
    std::vector<int64_t> out(dims.begin() + start, dims.begin() + end);
    const auto count = int64_t(out.size());
    c.setOut(0, constant(ints(std::move(out), {count})));
}

void gather(Converter& c, const OnnxNode& n) {
    if (c.in(0).kind != V::Constant)
        throw Refuse{"Gather from the model's values (an embedding lookup or indexing) is not mapped"};
    const Constant& data = c.in(0).c;
    const Constant& idx = c.constIn(1, "the indices");
    if (data.dims.empty()) throw Refuse{"Gather from a scalar"};
    const auto axis = std::size_t(normAxis(n.i("axis", 0), int(data.dims.size())));
    const int64_t outer = product(data.dims, 0, axis), inner = product(data.dims, axis + 1), size = data.dims[axis];
    Constant out;
    out.integer = data.integer;
    out.dims.assign(data.dims.begin(), data.dims.begin() + long(axis));
    out.dims.insert(out.dims.end(), idx.dims.begin(), idx.dims.end());
    out.dims.insert(out.dims.end(), data.dims.begin() + long(axis) + 1, data.dims.end());
    if (product(out.dims) > kMaxFolded) throw Refuse{"a folded constant would have more than 2^24 values"};
    const std::vector<int64_t> indices = intsOf(idx);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t j : indices) {
            if (j < -size || j >= size) throw Refuse{"index " + std::to_string(j) + " is out of range"};
            const int64_t at = j < 0 ? j + size : j;
            for (int64_t q = 0; q < inner; ++q) {
                const auto from = std::size_t((o * size + at) * inner + q);
                if (out.integer) out.i.push_back(data.i[from]);
                else out.f.push_back(data.f[from]);
            }
        }
    c.setOut(0, constant(out));
}

void concat(Converter& c, const OnnxNode& n) {
    bool allConst = true, anyConst = false;
    for (std::size_t k = 0; k < n.inputs.size(); ++k) {
        const bool isConst = c.in(k).kind == V::Constant;
        allConst = allConst && isConst;
        anyConst = anyConst || isConst;
    }
    if (allConst) {
        const Constant& first = c.in(0).c;
        const auto axis = std::size_t(normAxis(n.i("axis", 0), int(std::max<std::size_t>(first.dims.size(), 1))));
        Constant out;
        out.integer = true;
        for (std::size_t k = 0; k < n.inputs.size(); ++k) out.integer = out.integer && c.in(k).c.integer;
        out.dims = first.dims.empty() ? std::vector<int64_t>{0} : first.dims;
        out.dims[axis] = 0;
        const int64_t outer = product(out.dims, 0, axis);
        std::vector<std::vector<double>> rows(static_cast<std::size_t>(outer));
        for (std::size_t k = 0; k < n.inputs.size(); ++k) {
            const Constant& t = c.in(k).c;
            const int64_t chunk = t.dims.empty() ? 1 : product(t.dims, axis);
            if (t.numel() != outer * chunk) throw Refuse{"constant inputs of mismatched shapes"};
            out.dims[axis] += t.dims.empty() ? 1 : t.dims[axis];
            for (int64_t o = 0; o < outer; ++o)
                for (int64_t q = 0; q < chunk; ++q) rows[std::size_t(o)].push_back(t.at(std::size_t(o * chunk + q)));
        }
        for (const auto& r : rows)
            for (double v : r) {
                if (out.integer) out.i.push_back(static_cast<int64_t>(v));
                else out.f.push_back(static_cast<float>(v));
            }
        c.setOut(0, constant(out));
        return;
    }
    if (anyConst) throw Refuse{"concatenates the model's values with a constant"};
    std::vector<Value> parts;
    for (std::size_t k = 0; k < n.inputs.size(); ++k) parts.push_back(c.full(c.tensorIn(k)));
    if (normAxis(n.i("axis", 1), parts[0].shape.rank()) != 1)
        throw Refuse{"Neurite's Concat joins along axis 1 (channels or features)"};
    Value out = c.addNode(c.idFor(), "Concat", parts, {});
    c.mapped("Concat", out.node);
    c.setOut(0, out);
}

void cast(Converter& c, const OnnxNode& n) {
    const int64_t to = n.i("to", 1);
    const bool toFloat = to == 1 || to == 10 || to == 11 || to == 16;
    const Value& in = c.in(0);
    if (in.kind == V::Constant) {
        Constant out = in.c;
        if (toFloat && out.integer) {
            out.f = floatsOf(in.c);
            out.i.clear();
            out.integer = false;
        } else if (!toFloat && !out.integer) {
            out.i.clear();
            for (float v : in.c.f) out.i.push_back(to == 9 ? (v != 0) : static_cast<int64_t>(v));
            out.f.clear();
            out.integer = true;
        }
        c.setOut(0, constant(out));
        return;
    }
    if (!toFloat) throw Refuse{"casts the model's values to an integer type"};
    c.dropped("the values are float already");
    c.setOut(0, in);
}

void softmax(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    const int rank = x.shape.rank();
    const int64_t axis = normAxis(n.i("axis", c.g.opset >= 13 ? -1 : 1), rank);
    if (axis != 1 || (c.g.opset < 13 && rank != 2))
        throw Refuse{"softmax over axis " + std::to_string(axis) + " of a rank-" + std::to_string(rank) +
                     " value; Neurite's Softmax normalizes axis 1 only"};
    Value out = c.addNode(c.idFor(), "Softmax", {x}, {});
    c.mapped("Softmax", out.node);
    c.setOut(0, out);
}

void identity(Converter& c, const OnnxNode&) {
    if (isNonConst(c.in(0))) c.dropped("an alias of its input");
    c.setOut(0, c.in(0));
}

void dropout(Converter& c, const OnnxNode& n) {
    if (c.outputUsed(1)) throw Refuse{"its mask output is used"};
    double rate = 0.5;
    if (c.g.opset < 12) rate = decimal(n.f("ratio", 0.5f));
    else if (c.hasInput(1)) rate = decimal(static_cast<float>(c.constIn(1, "the ratio").at(0)));
    if (rate > 0 && c.hasInput(2) && c.constIn(2, "training_mode").at(0) != 0)
        throw Refuse{"training_mode = true: a model is imported in its inference form, where Dropout passes values through"};
    const Value x = c.tensorIn(0);
    if (rate <= 0) {
        c.dropped("ratio 0");
        c.setOut(0, x);
        return;
    }
    Value out = c.addNode(c.idFor(), "Dropout", {c.full(x)}, {{"rate", rate}});
    c.mapped("Dropout", out.node);
    c.setOut(0, out);
}

void constantNode(Converter& c, const OnnxNode& n) {
    Constant out;
    if (n.has("value") && n.attrs.at("value").kind == Attribute::Kind::Tensor) out = n.attrs.at("value").tensor;
    else if (n.has("value_float")) out.f = {n.f("value_float", 0)};
    else if (n.has("value_floats")) out.f = n.attrs.at("value_floats").floats, out.dims = {int64_t(out.f.size())};
    else if (n.has("value_int")) out = ints({n.i("value_int", 0)}, {});
    else if (n.has("value_ints")) out = ints(n.ints("value_ints"), {int64_t(n.ints("value_ints").size())});
    else throw Refuse{"a Constant without a value Neurite reads (value, value_float(s), value_int(s))"};
    c.setOut(0, constant(out));
}

void constantOfShape(Converter& c, const OnnxNode& n) {
    const std::vector<int64_t> dims = intsOf(c.constIn(0, "the shape"));
    for (int64_t d : dims)
        if (d < 0) throw Refuse{"a negative dimension"};
    if (product(dims) > kMaxFolded) throw Refuse{"a constant of more than 2^24 values"};
    Constant fill;
    fill.f = {0.f};
    if (n.has("value")) fill = n.attrs.at("value").tensor;
    if (fill.numel() != 1) throw Refuse{"the fill value is not one value"};
    Constant out;
    out.dims = dims;
    out.integer = fill.integer;
    if (fill.integer) out.i.assign(std::size_t(product(dims)), fill.i[0]);
    else out.f.assign(std::size_t(product(dims)), fill.f[0]);
    c.setOut(0, constant(out));
}

const std::map<std::string, Handler>& handlers() {
    static const std::map<std::string, Handler> table{
        {"Abs", unary}, {"Add", binary}, {"AveragePool", pool}, {"BatchNormalization", batchNorm},
        {"Cast", cast}, {"Clip", unary}, {"Concat", concat}, {"Constant", constantNode},
        {"ConstantOfShape", constantOfShape}, {"Conv", conv}, {"Div", binary}, {"Dropout", dropout},
        {"Elu", unary}, {"Erf", unary}, {"Exp", unary}, {"Flatten", flatten}, {"Gather", gather},
        {"Gemm", gemm}, {"GlobalAveragePool", globalAvgPool}, {"Identity", identity},
        {"LayerNormalization", layerNorm}, {"LeakyRelu", unary}, {"MatMul", matmul}, {"MaxPool", pool},
        {"Mul", binary}, {"Neg", unary}, {"Pow", binary}, {"Reciprocal", unary}, {"ReduceMean", reduceMean},
        {"Relu", unary},
        {"Reshape", reshape}, {"Shape", shapeOf}, {"Sigmoid", unary}, {"Softmax", softmax},
        {"Sqrt", unary}, {"Squeeze", squeezeOrUnsqueeze}, {"Sub", binary}, {"Tanh", unary},
        {"Unsqueeze", squeezeOrUnsqueeze}};
    return table;
}

}  // namespace

Handler handlerFor(const std::string& op) {
    auto it = handlers().find(op);
    return it == handlers().end() ? nullptr : it->second;
}

std::vector<std::string> supportedOperators() {
    std::vector<std::string> ops;
    for (const auto& [name, h] : handlers()) ops.push_back(name);
    return ops;
}

}  // namespace neurite::onnximport
