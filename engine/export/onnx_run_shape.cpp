// The ONNX interpreter's shape and data-movement operators (onnx_run_internal.h): Reshape, Flatten,
// Squeeze, Unsqueeze, Transpose, Slice, Gather, Concat, Expand, Shape, Constant, ConstantOfShape,
// Identity and Dropout. They work on float and integer tensors alike; Transpose, Slice and Expand
// are one strided copy each.
#include <algorithm>
#include <limits>

#include "export/onnx_run_internal.h"

namespace neurite::onnxrun {

namespace {

Tensor withDims(const OpContext& ctx, const Tensor& x, std::vector<int64_t> dims) {
    if (ctx.numel(dims) != x.numel())
        ctx.fail("cannot view " + std::to_string(x.numel()) + " elements as a shape of " +
                 std::to_string(ctx.numel(dims)));
    Tensor out = x;
    out.dims = std::move(dims);
    return out;
}

std::vector<Tensor> identity(const OpContext& ctx) {
    return {ctx.in(0)};
}

// Dropout at inference is the identity; its mask output (when read) is all true. Opset 12 made
// training_mode an input: a graph that trains through it is not evaluated (its output is random).
std::vector<Tensor> dropout(const OpContext& ctx) {
    if (const Tensor* training = ctx.optional(2);
        training && training->numel() == 1 && training->at(0) != 0)
        ctx.fail("training_mode is true; the interpreter evaluates inference only (Dropout's "
                 "output is random)");
    const Tensor& x = ctx.in(0);
    std::vector<Tensor> out{x};
    if (ctx.outputWanted(1)) out.push_back(ctx.intTensor(x.dims, 1));
    return out;
}

std::vector<Tensor> reshape(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const std::vector<int64_t> shape = ctx.ints(ctx.in(1), "shape");
    const bool allowZero = ctx.node().i("allowzero", 0) != 0;
    std::vector<int64_t> dims(shape.size());
    int64_t known = 1, infer = -1;
    for (std::size_t k = 0; k < shape.size(); ++k) {
        int64_t d = shape[k];
        if (d == 0 && !allowZero) {
            if (k >= x.dims.size())
                ctx.fail("shape entry " + std::to_string(k) +
                         " is 0 (copy) but the input has rank " + std::to_string(x.dims.size()));
            d = x.dims[k];
        }
        if (d == -1) {
            if (infer >= 0) ctx.fail("shape has more than one -1");
            infer = static_cast<int64_t>(k);
            continue;
        }
        if (d < 0) ctx.fail("shape entry " + std::to_string(d) + " is invalid");
        dims[k] = d;
        ctx.numel({known, d}); // refuses a product past the limit before it overflows
        known *= d;
    }
    if (infer >= 0) {
        if (allowZero && std::find(shape.begin(), shape.end(), 0) != shape.end())
            ctx.fail("shape has both 0 and -1 while allowzero is set");
        if (known == 0 || x.numel() % known != 0)
            ctx.fail("cannot infer the -1 dimension: " + std::to_string(x.numel()) +
                     " elements into blocks of " + std::to_string(known));
        dims[static_cast<std::size_t>(infer)] = x.numel() / known;
    }
    return {withDims(ctx, x, dims)};
}

std::vector<Tensor> flatten(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const auto rank = static_cast<int64_t>(x.dims.size());
    int64_t axis = ctx.node().i("axis", 1);
    if (axis < -rank || axis > rank) ctx.fail("axis " + std::to_string(axis) + " is out of range");
    const auto a = static_cast<std::size_t>(axis < 0 ? axis + rank : axis);
    return {withDims(ctx, x, {product(x.dims, 0, a), product(x.dims, a)})};
}

// Axes of Squeeze/Unsqueeze: an attribute before opset 13, an optional input from it.
std::vector<int64_t> axesOf(const OpContext& ctx) {
    if (ctx.opset() < 13) return ctx.node().ints("axes");
    if (const Tensor* t = ctx.optional(1)) return ctx.ints(*t, "axes");
    return {};
}

std::vector<Tensor> squeeze(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const auto rank = static_cast<int64_t>(x.dims.size());
    const std::vector<int64_t> axes = axesOf(ctx);
    std::vector<bool> drop(x.dims.size(), false);
    for (int64_t a : axes) {
        const auto k = static_cast<std::size_t>(ctx.axis(a, rank, "axes entry"));
        if (x.dims[k] != 1)
            ctx.fail("axis " + std::to_string(a) + " has size " + std::to_string(x.dims[k]) +
                     ", not 1");
        drop[k] = true;
    }
    std::vector<int64_t> dims;
    for (std::size_t k = 0; k < x.dims.size(); ++k)
        if (axes.empty() ? x.dims[k] != 1 : !drop[k]) dims.push_back(x.dims[k]);
    return {withDims(ctx, x, dims)};
}

std::vector<Tensor> unsqueeze(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const std::vector<int64_t> axes = axesOf(ctx);
    if (axes.empty()) ctx.fail("axes are required");
    const auto rank = static_cast<int64_t>(x.dims.size() + axes.size());
    std::vector<bool> inserted(static_cast<std::size_t>(rank), false);
    for (int64_t a : axes) {
        const auto k = static_cast<std::size_t>(ctx.axis(a, rank, "axes entry"));
        if (inserted[k]) ctx.fail("axes names axis " + std::to_string(a) + " twice");
        inserted[k] = true;
    }
    std::vector<int64_t> dims;
    std::size_t from = 0;
    for (std::size_t k = 0; k < inserted.size(); ++k)
        dims.push_back(inserted[k] ? 1 : x.dims[from++]);
    return {withDims(ctx, x, dims)};
}

std::vector<Tensor> transpose(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const std::size_t rank = x.dims.size();
    std::vector<int64_t> perm = ctx.node().ints("perm");
    if (perm.empty())
        for (std::size_t k = rank; k-- > 0;)
            perm.push_back(static_cast<int64_t>(k));
    if (perm.size() != rank)
        ctx.fail("perm has " + std::to_string(perm.size()) + " entries for rank " +
                 std::to_string(rank));
    std::vector<bool> seen(rank, false);
    const std::vector<int64_t> strides = stridesOf(x.dims);
    std::vector<int64_t> dims(rank), outStrides(rank);
    for (std::size_t k = 0; k < rank; ++k) {
        const int64_t p = perm[k];
        if (p < 0 || p >= static_cast<int64_t>(rank) || seen[static_cast<std::size_t>(p)])
            ctx.fail("perm is not a permutation of the axes");
        seen[static_cast<std::size_t>(p)] = true;
        dims[k] = x.dims[static_cast<std::size_t>(p)];
        outStrides[k] = strides[static_cast<std::size_t>(p)];
    }
    return {stridedCopy(ctx, x, dims, 0, outStrides)};
}

// Slice: starts/ends/axes attributes before opset 10, then inputs with optional axes and steps.
// Starts and ends count from the end when negative and are clamped as Python slices are.
std::vector<Tensor> slice(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const auto rank = static_cast<int64_t>(x.dims.size());
    std::vector<int64_t> starts, ends, axes, steps;
    if (ctx.opset() < 10) {
        starts = ctx.node().ints("starts"), ends = ctx.node().ints("ends"),
        axes = ctx.node().ints("axes");
    } else {
        starts = ctx.ints(ctx.in(1), "starts"), ends = ctx.ints(ctx.in(2), "ends");
        if (const Tensor* t = ctx.optional(3)) axes = ctx.ints(*t, "axes");
        if (const Tensor* t = ctx.optional(4)) steps = ctx.ints(*t, "steps");
    }
    if (ends.size() != starts.size()) ctx.fail("starts and ends differ in length");
    if (axes.empty())
        for (std::size_t k = 0; k < starts.size(); ++k)
            axes.push_back(static_cast<int64_t>(k));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (axes.size() != starts.size() || steps.size() != starts.size())
        ctx.fail("starts, ends, axes and steps differ in length");
    std::vector<int64_t> dims = x.dims, strides = stridesOf(x.dims);
    std::vector<bool> seen(x.dims.size(), false);
    int64_t start = 0;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        const auto a = static_cast<std::size_t>(ctx.axis(axes[k], rank, "axes entry"));
        if (seen[a]) ctx.fail("axes names an axis twice");
        seen[a] = true;
        const int64_t n = x.dims[a];
        if (steps[k] == 0) ctx.fail("a step of 0");
        // A step past the axis' size takes one element, as a step of n + 1 does; clamping it keeps
        // the arithmetic below from overflowing.
        const int64_t step = std::clamp<int64_t>(steps[k], -(n + 1), n + 1);
        int64_t b = starts[k], e = ends[k];
        b = b < 0 ? b + n : b; // b + n cannot overflow: n >= 0
        e = e < 0 ? e + n : e;
        if (step > 0) {
            b = std::clamp<int64_t>(b, 0, n), e = std::clamp<int64_t>(e, 0, n);
            dims[a] = e > b ? (e - b + step - 1) / step : 0;
        } else {
            b = std::clamp<int64_t>(b, -1, n - 1), e = std::clamp<int64_t>(e, -1, n - 1);
            dims[a] = b > e ? (b - e - step - 1) / -step : 0;
        }
        if (dims[a] > 0) start += b * strides[a];
        strides[a] *= step;
    }
    return {stridedCopy(ctx, x, dims, start, strides)};
}

std::vector<Tensor> gather(const OpContext& ctx) {
    const Tensor& data = ctx.in(0);
    const std::vector<int64_t> indices = ctx.ints(ctx.in(1), "indices");
    const auto rank = static_cast<int64_t>(data.dims.size());
    if (rank == 0) ctx.fail("data is a scalar");
    const auto a = static_cast<std::size_t>(ctx.axis(ctx.node().i("axis", 0), rank));
    std::vector<int64_t> dims(data.dims.begin(),
                              data.dims.begin() + static_cast<std::ptrdiff_t>(a));
    const std::vector<int64_t>& idims = ctx.in(1).dims;
    dims.insert(dims.end(), idims.begin(), idims.end());
    dims.insert(dims.end(), data.dims.begin() + static_cast<std::ptrdiff_t>(a) + 1,
                data.dims.end());
    Tensor out = ctx.likeTensor(data, dims);
    const int64_t outer = product(data.dims, 0, a), n = data.dims[a],
                  inner = product(data.dims, a + 1);
    for (int64_t index : indices)
        if (index < -n || index >= n)
            ctx.fail("index " + std::to_string(index) + " is out of range for an axis of size " +
                     std::to_string(n));
    auto copy = [&](const auto& from, auto& to) {
        std::size_t o = 0;
        for (int64_t b = 0; b < outer; ++b)
            for (int64_t index : indices) {
                const int64_t base = (b * n + (index < 0 ? index + n : index)) * inner;
                for (int64_t k = 0; k < inner; ++k)
                    to[o++] = from[static_cast<std::size_t>(base + k)];
            }
    };
    if (data.integer)
        copy(data.i, out.i);
    else
        copy(data.f, out.f);
    return {std::move(out)};
}

std::vector<Tensor> concat(const OpContext& ctx) {
    if (ctx.inputCount() == 0) ctx.fail("has no inputs");
    const Tensor& first = ctx.in(0);
    const auto rank = static_cast<int64_t>(first.dims.size());
    if (!ctx.node().has("axis")) ctx.fail("the axis attribute is required");
    const auto a = static_cast<std::size_t>(ctx.axis(ctx.node().i("axis", 0), rank));
    std::vector<int64_t> dims = first.dims;
    dims[a] = 0;
    for (std::size_t k = 0; k < ctx.inputCount(); ++k) {
        const Tensor& t = ctx.in(k);
        if (t.integer != first.integer) ctx.fail("its inputs mix integer and float tensors");
        if (t.dims.size() != first.dims.size()) ctx.fail("its inputs differ in rank");
        for (std::size_t d = 0; d < dims.size(); ++d)
            if (d != a && t.dims[d] != first.dims[d])
                ctx.fail("its inputs differ in a dimension other than the axis");
        dims[a] += t.dims[a];
    }
    Tensor out = ctx.likeTensor(first, dims);
    const int64_t outer = product(dims, 0, a), inner = product(dims, a + 1);
    auto copy = [&](auto member) {
        auto& to = out.*member;
        std::size_t o = 0;
        for (int64_t b = 0; b < outer; ++b)
            for (std::size_t k = 0; k < ctx.inputCount(); ++k) {
                const Tensor& t = ctx.in(k);
                const int64_t block = t.dims[a] * inner;
                const auto& from = t.*member;
                for (int64_t j = 0; j < block; ++j)
                    to[o++] = from[static_cast<std::size_t>(b * block + j)];
            }
    };
    if (first.integer)
        copy(&Tensor::i);
    else
        copy(&Tensor::f);
    return {std::move(out)};
}

// Expand: the input broadcast (both ways) with the given shape.
std::vector<Tensor> expand(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const std::vector<int64_t> shape = ctx.ints(ctx.in(1), "shape");
    for (int64_t d : shape)
        if (d < 0) ctx.fail("shape has the negative dimension " + std::to_string(d));
    const std::vector<int64_t> dims = ctx.broadcast(x.dims, shape);
    ctx.numel(dims);
    return {stridedCopy(ctx, x, dims, 0, broadcastStrides(x.dims, dims))};
}

// Shape, with opset 15's start and end (negative from the back, clamped to [0, rank]).
std::vector<Tensor> shapeOp(const OpContext& ctx) {
    const Tensor& x = ctx.in(0);
    const auto rank = static_cast<int64_t>(x.dims.size());
    auto clampAxis = [rank](int64_t a) {
        return std::clamp<int64_t>(a < 0 ? a + rank : a, 0, rank);
    };
    const int64_t b = clampAxis(ctx.node().i("start", 0)), e = clampAxis(ctx.node().i("end", rank));
    Tensor out = ctx.intTensor({std::max<int64_t>(0, e - b)});
    for (int64_t k = b; k < e; ++k)
        out.i[static_cast<std::size_t>(k - b)] = x.dims[static_cast<std::size_t>(k)];
    return {std::move(out)};
}

std::vector<Tensor> constant(const OpContext& ctx) {
    const auto& attrs = ctx.node().attrs;
    if (attrs.size() != 1) ctx.fail("needs exactly one value attribute");
    const auto& [name, a] = *attrs.begin();
    using Kind = onnximport::Attribute::Kind;
    Tensor out;
    if (name == "value" && a.kind == Kind::Tensor) {
        out = a.tensor;
    } else if (name == "value_float" && a.kind == Kind::Float) {
        out.f = {a.f};
    } else if (name == "value_floats" && a.kind == Kind::Floats) {
        out.f = a.floats, out.dims = {static_cast<int64_t>(a.floats.size())};
    } else if (name == "value_int" && a.kind == Kind::Int) {
        out.integer = true, out.i = {a.i};
    } else if (name == "value_ints" && a.kind == Kind::Ints) {
        out.integer = true, out.i = a.ints, out.dims = {static_cast<int64_t>(a.ints.size())};
    } else {
        ctx.fail(
            "attribute '" + name +
            "' is not evaluated (the interpreter reads value, value_float(s) and value_int(s))");
    }
    ctx.numel(out.dims);
    return {std::move(out)};
}

std::vector<Tensor> constantOfShape(const OpContext& ctx) {
    const std::vector<int64_t> dims = ctx.ints(ctx.in(0), "shape");
    if (!ctx.node().has("value")) return {ctx.floatTensor(dims)};
    const auto& a = ctx.node().attrs.at("value");
    if (a.kind != onnximport::Attribute::Kind::Tensor || a.tensor.numel() != 1)
        ctx.fail("value must be a tensor of one element");
    return {a.tensor.integer ? ctx.intTensor(dims, a.tensor.i[0])
                             : ctx.floatTensor(dims, a.tensor.f[0])};
}

} // namespace

void addShapeOps(OpTable& t) {
    t["Identity"] = identity;
    t["Dropout"] = dropout;
    t["Reshape"] = reshape;
    t["Flatten"] = flatten;
    t["Squeeze"] = squeeze;
    t["Unsqueeze"] = unsqueeze;
    t["Transpose"] = transpose;
    t["Slice"] = slice;
    t["Gather"] = gather;
    t["Concat"] = concat;
    t["Expand"] = expand;
    t["Shape"] = shapeOp;
    t["Constant"] = constant;
    t["ConstantOfShape"] = constantOfShape;
}

} // namespace neurite::onnxrun
