// The ONNX interpreter's elementwise operators, Clip, Cast, Softmax/LogSoftmax and the reductions
// (onnx_run_internal.h). Binary operators broadcast as numpy does; integer tensors stay integer.
#include <cmath>
#include <limits>
#include <type_traits>

#include "export/onnx_run_internal.h"

namespace neurite::onnxrun {

namespace {

// out[o] = f(a[ia], b[ib]) over the broadcast shape, walking both inputs with broadcast strides.
template <class TA, class TB, class TO, class F>
void broadcastLoop(const std::vector<TA>& a, const std::vector<int64_t>& sa,
                   const std::vector<TB>& b, const std::vector<int64_t>& sb, std::vector<TO>& out,
                   const std::vector<int64_t>& dims, F f) {
    const std::size_t rank = dims.size();
    std::vector<int64_t> index(rank, 0);
    int64_t ia = 0, ib = 0;
    for (std::size_t o = 0; o < out.size(); ++o) {
        out[o] = f(a[static_cast<std::size_t>(ia)], b[static_cast<std::size_t>(ib)]);
        for (std::size_t d = rank; d-- > 0;) {
            ia += sa[d], ib += sb[d];
            if (++index[d] < dims[d]) break;
            ia -= sa[d] * dims[d], ib -= sb[d] * dims[d];
            index[d] = 0;
        }
    }
}

enum class Binary { Add, Sub, Mul, Div, Pow };

template <Binary kOp> std::vector<Tensor> binary(const OpContext& ctx) {
    const Tensor& a = ctx.in(0);
    const Tensor& b = ctx.in(1);
    if (kOp != Binary::Pow && a.integer != b.integer)
        ctx.fail("its inputs mix an integer and a float tensor; ONNX requires one type");
    const std::vector<int64_t> dims = ctx.broadcast(a.dims, b.dims);
    const auto sa = broadcastStrides(a.dims, dims), sb = broadcastStrides(b.dims, dims);
    Tensor out = ctx.likeTensor(a, dims); // Pow's result has its base's type
    if (!a.integer) {
        auto run = [&](const auto& bv) {
            broadcastLoop(a.f, sa, bv, sb, out.f, dims, [](float x, auto y) -> float {
                const float v = static_cast<float>(y);
                switch (kOp) {
                case Binary::Add:
                    return x + v;
                case Binary::Sub:
                    return x - v;
                case Binary::Mul:
                    return x * v;
                case Binary::Div:
                    return x / v;
                case Binary::Pow:
                    return std::pow(x, v);
                }
                return 0.f;
            });
        };
        if (b.integer)
            run(b.i);
        else
            run(b.f);
        return {std::move(out)};
    }
    if (kOp == Binary::Div)
        for (int64_t v : b.i)
            if (v == 0) ctx.fail("integer division by zero");
    if (kOp == Binary::Pow && !b.integer) {
        broadcastLoop(a.i, sa, b.f, sb, out.i, dims, [](int64_t x, float y) {
            return static_cast<int64_t>(std::pow(double(x), double(y)));
        });
        return {std::move(out)};
    }
    // Integer arithmetic wraps as the fixed-width types do; unsigned avoids signed overflow.
    broadcastLoop(a.i, sa, b.i, sb, out.i, dims, [](int64_t x, int64_t y) -> int64_t {
        const auto ux = static_cast<uint64_t>(x), uy = static_cast<uint64_t>(y);
        switch (kOp) {
        case Binary::Add:
            return static_cast<int64_t>(ux + uy);
        case Binary::Sub:
            return static_cast<int64_t>(ux - uy);
        case Binary::Mul:
            return static_cast<int64_t>(ux * uy);
        case Binary::Div:
            return (x == std::numeric_limits<int64_t>::min() && y == -1) ? x : x / y;
        case Binary::Pow:
            return static_cast<int64_t>(std::pow(double(x), double(y)));
        }
        return 0;
    });
    return {std::move(out)};
}

float sigmoid(float x) {
    return 1.f / (1.f + std::exp(-x));
}

// A float-only unary operator; integerOk ops (Relu, Abs, Neg) also map integers.
template <class F> std::vector<Tensor> unary(const OpContext& ctx, F f, bool integerOk = false) {
    const Tensor& x = ctx.in(0);
    Tensor out = ctx.likeTensor(x, x.dims);
    if (x.integer) {
        if (!integerOk)
            ctx.fail(
                "its input is an integer tensor; this operator is evaluated on float tensors only");
        for (std::size_t k = 0; k < x.i.size(); ++k)
            out.i[k] = static_cast<int64_t>(f(x.i[k]));
        return {std::move(out)};
    }
    for (std::size_t k = 0; k < x.f.size(); ++k)
        out.f[k] = static_cast<float>(f(x.f[k]));
    return {std::move(out)};
}

// Negation that wraps for the most negative integer (as two's complement does) instead of
// overflowing.
template <class T> T negate(T x) {
    if constexpr (std::is_integral_v<T>)
        return static_cast<T>(0 - static_cast<uint64_t>(x));
    else
        return -x;
}

std::vector<Tensor> relu(const OpContext& c) {
    return unary(
        c, [](auto x) { return x > 0 ? x : decltype(x)(0); }, true);
}
std::vector<Tensor> absOp(const OpContext& c) {
    return unary(
        c, [](auto x) { return x < 0 ? negate(x) : x; }, true);
}
std::vector<Tensor> neg(const OpContext& c) {
    return unary(
        c, [](auto x) { return negate(x); }, true);
}
std::vector<Tensor> leakyRelu(const OpContext& c) {
    const float alpha = c.node().f("alpha", 0.01f);
    return unary(c, [alpha](float x) { return x < 0 ? alpha * x : x; });
}
std::vector<Tensor> elu(const OpContext& c) {
    const float alpha = c.node().f("alpha", 1.f);
    return unary(c, [alpha](float x) { return x < 0 ? alpha * (std::exp(x) - 1.f) : x; });
}
std::vector<Tensor> sigmoidOp(const OpContext& c) {
    return unary(c, [](float x) { return sigmoid(x); });
}
std::vector<Tensor> tanhOp(const OpContext& c) {
    return unary(c, [](float x) { return std::tanh(x); });
}
std::vector<Tensor> erfOp(const OpContext& c) {
    return unary(c, [](float x) { return std::erf(x); });
}
std::vector<Tensor> sqrtOp(const OpContext& c) {
    return unary(c, [](float x) { return std::sqrt(x); });
}
std::vector<Tensor> expOp(const OpContext& c) {
    return unary(c, [](float x) { return std::exp(x); });
}
std::vector<Tensor> reciprocal(const OpContext& c) {
    return unary(c, [](float x) { return 1.f / x; });
}

// Clip: min and max are attributes before opset 11, optional scalar inputs from it.
std::vector<Tensor> clip(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    double lo = -std::numeric_limits<double>::infinity(),
           hi = std::numeric_limits<double>::infinity();
    if (ctx.opset() < 11) {
        lo = ctx.node().f("min", std::numeric_limits<float>::lowest());
        hi = ctx.node().f("max", std::numeric_limits<float>::max());
    } else {
        for (std::size_t k = 1; k <= 2; ++k)
            if (const Tensor* t = ctx.optional(k)) {
                if (t->numel() != 1)
                    ctx.fail(std::string(k == 1 ? "min" : "max") + " must be a scalar");
                if (t->integer != x.integer) ctx.fail("min and max must have the input's type");
                (k == 1 ? lo : hi) = t->at(0);
            }
    }
    // min(max(x, lo), hi): when lo > hi every value becomes hi, as the specification says.
    // Compared as doubles: an unset bound is infinite, which no integer type can hold.
    return unary(
        ctx,
        [lo, hi](auto v) {
            using T = decltype(v);
            if (double(v) < lo) v = T(lo);
            if (double(v) > hi) v = T(hi);
            return v;
        },
        true);
}

// A float truncated toward zero as an int64 (NaN as 0 and out-of-range values saturated: the
// specification leaves them undefined, and C++ would too).
int64_t truncate(float v) {
    if (std::isnan(v)) return 0;
    if (v >= 9.2233720368547758e18f) return std::numeric_limits<int64_t>::max();
    if (v <= -9.2233720368547758e18f) return std::numeric_limits<int64_t>::min();
    return static_cast<int64_t>(v);
}

std::vector<Tensor> cast(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const int64_t to = ctx.node().i("to", -1);
    // TensorProto.DataType: FLOAT 1, UINT8 2, INT8 3, UINT16 4, INT16 5, INT32 6, INT64 7, BOOL 9,
    // DOUBLE 11 (held as float), UINT32 12, UINT64 13 (held as int64).
    if (to == 1 || to == 11) {
        Tensor out = ctx.floatTensor(x.dims);
        if (x.integer)
            for (std::size_t k = 0; k < x.i.size(); ++k)
                out.f[k] = static_cast<float>(x.i[k]);
        else
            out.f = x.f;
        return {std::move(out)};
    }
    auto narrow = [to](int64_t v) -> int64_t {
        switch (to) {
        case 2:
            return static_cast<uint8_t>(v);
        case 3:
            return static_cast<int8_t>(v);
        case 4:
            return static_cast<uint16_t>(v);
        case 5:
            return static_cast<int16_t>(v);
        case 6:
            return static_cast<int32_t>(v);
        case 9:
            return v != 0;
        case 12:
            return static_cast<uint32_t>(v);
        default:
            return v;
        }
    };
    if (to < 2 || to > 13 || to == 8 || to == 10)
        ctx.fail(
            "cast to ONNX type " + std::to_string(to) +
            " is not evaluated (the interpreter casts to float, double and integer or bool types)");
    Tensor out = ctx.intTensor(x.dims);
    for (std::size_t k = 0; k < out.i.size(); ++k) {
        if (x.integer)
            out.i[k] = narrow(x.i[k]);
        else
            out.i[k] = to == 9 ? int64_t(x.f[k] != 0.f) : narrow(truncate(x.f[k]));
    }
    return {std::move(out)};
}

// Softmax and LogSoftmax: before opset 13 the input is coerced to 2-D at `axis` (default 1) and
// each row normalized; from 13 the one axis (default -1) is normalized.
template <bool kLog> std::vector<Tensor> softmax(const OpContext& ctx) {
    const Tensor& x = ctx.floatIn(0);
    const auto rank = static_cast<int64_t>(x.dims.size());
    const bool coerce = ctx.opset() < 13;
    int64_t axis = ctx.node().i("axis", coerce ? 1 : -1);
    if (coerce) {
        if (axis < -rank || axis > rank)
            ctx.fail("axis " + std::to_string(axis) + " is out of range");
        axis = axis < 0 ? axis + rank : axis;
    } else {
        axis = ctx.axis(axis, rank);
    }
    const auto a = static_cast<std::size_t>(axis);
    const int64_t outer = product(x.dims, 0, a);
    const int64_t len = coerce ? product(x.dims, a) : x.dims[a];
    const int64_t inner = coerce ? 1 : product(x.dims, a + 1);
    Tensor out = ctx.floatTensor(x.dims);
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t in = 0; in < inner; ++in) {
            const int64_t base = o * len * inner + in;
            auto at = [&](int64_t j) { return static_cast<std::size_t>(base + j * inner); };
            float m = -std::numeric_limits<float>::infinity();
            for (int64_t j = 0; j < len; ++j)
                m = std::max(m, x.f[at(j)]);
            double sum = 0;
            for (int64_t j = 0; j < len; ++j)
                sum += std::exp(double(x.f[at(j)]) - m);
            for (int64_t j = 0; j < len; ++j) {
                const double shifted = double(x.f[at(j)]) - m;
                out.f[at(j)] =
                    static_cast<float>(kLog ? shifted - std::log(sum) : std::exp(shifted) / sum);
            }
        }
    return {std::move(out)};
}

// ReduceMean and ReduceMax: axes an attribute through opset 17 (an input from 18, also read here),
// all axes when none are given, reduced axes kept as 1 when keepdims (default 1).
template <bool kMax> std::vector<Tensor> reduce(const OpContext& ctx) {
    const Tensor& x = ctx.floatIn(0);
    const auto rank = static_cast<int64_t>(x.dims.size());
    std::vector<int64_t> axes = ctx.node().ints("axes");
    if (const Tensor* t = ctx.optional(1)) axes = ctx.ints(*t, "axes");
    std::vector<bool> reduced(x.dims.size(), axes.empty());
    for (int64_t a : axes) {
        const auto k = static_cast<std::size_t>(ctx.axis(a, rank, "axes entry"));
        if (reduced[k]) ctx.fail("axes names axis " + std::to_string(a) + " twice");
        reduced[k] = true;
    }
    const bool keep = ctx.node().i("keepdims", 1) != 0;
    std::vector<int64_t> keptDims, outDims; // keptDims: rank of x, 1 on reduced axes
    for (std::size_t k = 0; k < x.dims.size(); ++k) {
        keptDims.push_back(reduced[k] ? 1 : x.dims[k]);
        if (!reduced[k] || keep) outDims.push_back(keptDims.back());
    }
    const std::vector<int64_t> so = broadcastStrides(keptDims, x.dims);
    Tensor out = ctx.floatTensor(outDims, kMax ? -std::numeric_limits<float>::infinity() : 0.f);
    std::vector<double> sum(out.f.size(), 0.0);
    std::vector<int64_t> index(x.dims.size(), 0);
    int64_t at = 0;
    for (std::size_t k = 0; k < x.f.size(); ++k) {
        const float v = x.f[k];
        float& m = out.f[static_cast<std::size_t>(at)];
        if (kMax)
            m = (v > m || std::isnan(v)) && !std::isnan(m) ? v : m;
        else
            sum[static_cast<std::size_t>(at)] += v;
        for (std::size_t d = x.dims.size(); d-- > 0;) {
            at += so[d];
            if (++index[d] < x.dims[d]) break;
            at -= so[d] * x.dims[d];
            index[d] = 0;
        }
    }
    if (!kMax) {
        const double count =
            double(product(x.dims)) / double(std::max<int64_t>(1, product(outDims)));
        for (std::size_t k = 0; k < out.f.size(); ++k)
            out.f[k] = static_cast<float>(sum[k] / count);
    }
    return {std::move(out)};
}

} // namespace

void addMathOps(OpTable& t) {
    t["Add"] = binary<Binary::Add>;
    t["Sub"] = binary<Binary::Sub>;
    t["Mul"] = binary<Binary::Mul>;
    t["Div"] = binary<Binary::Div>;
    t["Pow"] = binary<Binary::Pow>;
    t["Relu"] = relu;
    t["LeakyRelu"] = leakyRelu;
    t["Elu"] = elu;
    t["Sigmoid"] = sigmoidOp;
    t["Tanh"] = tanhOp;
    t["Erf"] = erfOp;
    t["Sqrt"] = sqrtOp;
    t["Exp"] = expOp;
    t["Neg"] = neg;
    t["Abs"] = absOp;
    t["Reciprocal"] = reciprocal;
    t["Clip"] = clip;
    t["Cast"] = cast;
    t["Softmax"] = softmax<false>;
    t["LogSoftmax"] = softmax<true>;
    t["ReduceMean"] = reduce<false>;
    t["ReduceMax"] = reduce<true>;
}

} // namespace neurite::onnxrun
