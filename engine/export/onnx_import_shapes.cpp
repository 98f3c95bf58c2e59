// The ONNX importer's operators of windows, shapes and merges: pooling, Flatten, Reshape,
// Squeeze/Unsqueeze, Concat, Softmax and LogSoftmax, Dropout, and the shape arithmetic exporters write
// (Shape, Gather, Cast, Constant, ConstantOfShape), folded into constants; and the table of
// every handler (with addLayerHandlers, onnx_import_ops.cpp).
#include <algorithm>
#include <cmath>
#include <limits>

#include "export/onnx_import_internal.h"

namespace neurite::onnximport {

namespace {

using V = Value::Kind;
using L = std::vector<int64_t>;

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
    if (isView(c.in(0))) {
        if (n.i("allowzero", 0)) throw Refuse{"allowzero = 1 on a sequence's values"};
        c.setOut(0, reshapeView(c, c.in(0), target));
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
    if (in.kind == V::Filled) return c.setOut(0, filled(out, in.c));
    if (isView(in)) return c.setOut(0, reshapeView(c, in, out));
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

// Gather of a constant table [V, D] by token ids [N, T] is an embedding lookup. In a file Neurite
// exported, a zero first row is its padding id 0 (a text source pads with 0), kept at zero.
void embedding(Converter& c, const OnnxNode& n) {
    const Constant& table = c.in(0).c;
    if (table.dims.size() != 2 || normAxis(n.i("axis", 0), 2) != 0)
        throw Refuse{"Gather of the model's values from a constant that is not a [vocabulary, dimension] table"};
    const Value ids = c.full(c.tensorIn(1));
    if (ids.shape.rank() != 2) throw Refuse{"an embedding lookup of ids that are not [N, T]"};
    const int64_t vocabulary = table.dims[0], dimension = table.dims[1];
    Constant weight = table;
    weight.f = floatsOf(table);
    weight.integer = false;
    weight.i.clear();
    const bool padding = c.fromNeurite() && std::all_of(weight.f.begin(), weight.f.begin() + dimension, [](float v) { return v == 0; });
    const bool named = c.g.initializers.count(n.inputs[0]) != 0;  // "embed.weight": the module's name
    Value out = c.addNode(named ? c.idFor(n.inputs[0]) : c.idFor(), "Embedding", {ids},
                          {{"vocabulary_size", vocabulary}, {"dimension", dimension}, {"padding", padding}});
    c.setParam(out.node, "weight", weight);
    c.mapped("Embedding", out.node);
    c.setOut(0, out);
}

void gather(Converter& c, const OnnxNode& n) {
    if (c.in(0).kind == V::Constant && c.in(1).kind != V::Constant) return embedding(c, n);
    if (c.in(0).kind != V::Constant) return gatherTensor(c, n);
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
    if (!toFloat) {  // only token ids on their way to an embedding's Gather, held as whole floats
        const auto& readers = c.readersOf(n.outputs[0]);
        const bool idsOnly = !readers.empty() && std::all_of(readers.begin(), readers.end(), [&](const OnnxNode* r) {
            return r->op == "Gather" && r->inputs.size() == 2 && r->inputs[1] == n.outputs[0] && r->inputs[0] != n.outputs[0];
        });
        if (!idsOnly) throw Refuse{"casts the model's values to an integer type (only token ids for a Gather are)"};
        c.dropped("token ids, held as whole numbers in float");
        c.setOut(0, in);
        return;
    }
    c.dropped("the values are float already");
    c.setOut(0, in);
}

void softmax(Converter& c, const OnnxNode& n) {
    const Value x = c.full(c.tensorIn(0));
    const int rank = x.shape.rank();
    const int64_t axis = normAxis(n.i("axis", c.g.opset >= 13 ? -1 : 1), rank);
    if (axis != 1 || (c.g.opset < 13 && rank != 2))
        throw Refuse{"softmax over axis " + std::to_string(axis) + " of a rank-" + std::to_string(rank) +
                     " value; Neurite's " + n.op + " normalizes axis 1 only"};
    Value out = c.addNode(c.idFor(), n.op, {x}, {});  // Softmax or LogSoftmax
    c.mapped(n.op, out.node);
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
    bool batch = false;
    for (int64_t d : dims) {
        if (d == kBatchDim && !batch) batch = true;
        else if (d < 0) throw Refuse{"a negative dimension"};
    }
    Constant fill;
    fill.f = {0.f};
    if (n.has("value")) fill = n.attrs.at("value").tensor;
    if (fill.numel() != 1) throw Refuse{"the fill value is not one value"};
    if (batch) return c.setOut(0, filled(dims, fill));  // of the batch's size: a recurrent layer's initial state
    if (product(dims) > kMaxFolded) throw Refuse{"a constant of more than 2^24 values"};
    Constant out;
    out.dims = dims;
    out.integer = fill.integer;
    if (fill.integer) out.i.assign(std::size_t(product(dims)), fill.i[0]);
    else out.f.assign(std::size_t(product(dims)), fill.f[0]);
    c.setOut(0, constant(out));
}

const std::map<std::string, Handler>& handlers() {
    static const std::map<std::string, Handler> table = [] {
        std::map<std::string, Handler> t{
            {"AveragePool", pool}, {"Cast", cast}, {"Concat", concat}, {"Constant", constantNode},
            {"ConstantOfShape", constantOfShape}, {"Dropout", dropout}, {"Flatten", flatten}, {"Gather", gather},
            {"GlobalAveragePool", globalAvgPool}, {"Identity", identity}, {"MaxPool", pool}, {"Reshape", reshape},
            {"Shape", shapeOf}, {"Softmax", softmax}, {"LogSoftmax", softmax}, {"Squeeze", squeezeOrUnsqueeze},
            {"Unsqueeze", squeezeOrUnsqueeze}};
        addLayerHandlers(t);
        addSequenceHandlers(t);
        return t;
    }();
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
