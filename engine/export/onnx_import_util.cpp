// The ONNX importer's helpers shared by its operator handlers (onnx_import_internal.h):
// constants and their folding, elementwise expressions, and the 2-D window rules.
#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "export/onnx_import_internal.h"

namespace neurite::onnximport {

using V = Value::Kind;
using L = std::vector<int64_t>;
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

int64_t product(const std::vector<int64_t>& d, std::size_t from, std::size_t to) {
    int64_t p = 1;
    for (std::size_t k = from; k < d.size() && k < to; ++k)
        if (__builtin_mul_overflow(p, d[k], &p)) return std::numeric_limits<int64_t>::max();  // absurd: refused by its caller
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

}  // namespace neurite::onnximport
