// The ONNX importer's recurrent layers and the axis shuffles around them. PyTorch writes a
// batch-first nn.LSTM or nn.GRU as Transpose [N,T,C] -> [T,N,C], the LSTM/GRU node (gates in
// ONNX's order, output Y [T, D, N, H]), then Squeeze or Transpose+Reshape and a Transpose back,
// with its zero initial state built by Shape/Gather/Concat/ConstantOfShape (and Slice, per layer
// of a stacked one). Those Transposes have no Neurite layer: a value in another axis order is
// kept as a view of the Neurite node's output (Value::view, perm) until it is back in order or
// reaches the recurrent node, which reads [T, N, C] as Neurite's [N, T, C]. Taking the last step
// of a layer's sequence (y[:, -1, :] as Gather or Slice) turns it to return its final state.
#include <algorithm>
#include <set>

#include "export/onnx_import_internal.h"

namespace neurite::onnximport {

namespace {

using V = Value::Kind;
using L = std::vector<int64_t>;

L dimsOf(const Shape& s) {
    L d;
    for (int64_t x : s) d.push_back(x == Shape::kBatch ? kBatchDim : x);
    return d;
}

Shape shapeOf(const L& d) {
    if (d.size() > std::size_t(Shape::kMaxRank))
        throw Refuse{"more than " + std::to_string(Shape::kMaxRank) + " dimensions"};
    Shape s;
    for (int64_t x : d) s.push(x == kBatchDim ? Shape::kBatch : x);
    return s;
}

std::vector<int> identityPerm(std::size_t n) {
    std::vector<int> p(n);
    for (std::size_t k = 0; k < n; ++k) p[k] = int(k);
    return p;
}

// v's view and order: a plain tensor is a view of itself (its ONNX shape, with any hidden ones).
struct ViewOf {
    L view;
    std::vector<int> perm;
};
ViewOf viewOf(const Value& v) {
    if (!v.perm.empty()) return {dimsOf(v.view), v.perm};
    return {dimsOf(v.shape), identityPerm(std::size_t(v.shape.rank()))};
}

// The Tensor value of ONNX dims `dims` seen as a view of base's node, in its simplest form:
// plain when the order is the identity and the view is the node's output (or it with trailing ones).
Value makeView(Converter& c, const Value& base, const L& dims, const L& view, const std::vector<int>& perm,
               const std::string& recurrent, int timeAxis) {
    Value out = tensorValue(base.node, shapeOf(dims));
    out.recurrent = recurrent;
    out.timeAxis = recurrent.empty() ? -1 : timeAxis;
    if (perm == identityPerm(perm.size())) {
        const L own = dimsOf(c.shapeOf(base.node));
        bool onesOnly = view.size() >= own.size() && std::equal(own.begin(), own.end(), view.begin());
        for (std::size_t k = own.size(); onesOnly && k < view.size(); ++k) onesOnly = view[k] == 1;
        if (onesOnly) {
            out.hiddenOnes = int(view.size() - own.size());
            return out;
        }
    }
    out.view = shapeOf(view);
    out.perm = perm;
    return out;
}

// The mark of a recurrent layer's steps passes on only while its values have one reader.
std::string markOf(Converter& c, const Value& v, std::size_t input) {
    if (v.recurrent.empty() || c.consumersOf(c.current->inputs[input]) != 1) return {};
    return v.recurrent;
}

// ---- reshapes of views ----------------------------------------------------------------------

// The groups of a reshape from dims a to dims b: each group of a's axes holds the values of its
// group of b's. The batch is a group of its own; a unit axis may stand alone.
struct Group {
    std::vector<int> from, to;
};
std::vector<Group> reshapeGroups(const L& a, const L& b) {
    std::vector<Group> groups;
    std::size_t i = 0, j = 0;
    while (i < a.size() || j < b.size()) {
        if (i < a.size() && a[i] == 1) {
            groups.push_back({{int(i++)}, {}});
            continue;
        }
        if (j < b.size() && b[j] == 1) {
            groups.push_back({{}, {int(j++)}});
            continue;
        }
        if (i == a.size() || j == b.size()) throw Refuse{"the shape does not hold the input's values"};
        if (a[i] == kBatchDim || b[j] == kBatchDim) {
            if (a[i] != b[j]) throw Refuse{"reshapes across the batch dimension"};
            groups.push_back({{int(i++)}, {int(j++)}});
            continue;
        }
        Group g{{int(i)}, {int(j)}};
        int64_t p = a[i++], q = b[j++];
        while (p != q) {
            if (p > (int64_t{1} << 40) || q > (int64_t{1} << 40)) throw Refuse{"an absurdly large shape"};
            if (p < q) {
                if (i == a.size() || a[i] == kBatchDim) throw Refuse{"the shape does not hold the input's values"};
                p *= a[i];
                g.from.push_back(int(i++));
            } else {
                if (j == b.size() || b[j] == kBatchDim) throw Refuse{"the shape does not hold the input's values"};
                q *= b[j];
                g.to.push_back(int(j++));
            }
        }
        groups.push_back(std::move(g));
    }
    return groups;
}

// 0 (copy the input's dimension) and -1 (the rest) resolved against the input's ONNX dims; a
// fixed-batch export's literal batch size becomes the batch.
L resolveTarget(Converter& c, const L& in, L target) {
    for (std::size_t k = 0; k < target.size(); ++k)
        if (target[k] == 0) {
            if (k >= in.size()) throw Refuse{"a 0 in the shape copies a dimension the input lacks"};
            target[k] = in[k];
        }
    const auto batchAt = std::find(in.begin(), in.end(), kBatchDim) - in.begin();
    const auto& fileDims = c.g.inputs.front().dims;
    if (std::find(target.begin(), target.end(), kBatchDim) == target.end() && std::size_t(batchAt) < target.size() &&
        !fileDims.empty() && fileDims[0] > 0 && target[std::size_t(batchAt)] == fileDims[0])
        target[std::size_t(batchAt)] = kBatchDim;
    int64_t total = 1, known = 1;
    for (int64_t d : in)
        if (d != kBatchDim) total *= d;
    int open = -1;
    for (std::size_t k = 0; k < target.size(); ++k) {
        if (target[k] == -1) {
            if (open >= 0) throw Refuse{"two -1 entries in the shape"};
            open = int(k);
        } else if (target[k] != kBatchDim) {
            if (target[k] < 0) throw Refuse{"a negative entry in the shape"};
            known *= target[k];
        }
    }
    if (open >= 0) {
        if (known == 0 || total % known) throw Refuse{"the shape does not divide the values of a sample"};
        target[std::size_t(open)] = total / known;
    }
    return target;
}

// ---- Transpose, Slice, Gather ---------------------------------------------------------------

void transpose(Converter& c, const OnnxNode& n) {
    const Value& in = c.in(0);
    const int rank = in.kind == V::Constant ? int(in.c.dims.size()) : in.shape.rank();
    std::vector<int64_t> p = n.ints("perm");
    if (p.empty())
        for (int k = rank - 1; k >= 0; --k) p.push_back(k);
    std::vector<bool> seen(std::size_t(rank), false);
    if (int(p.size()) != rank) throw Refuse{"perm does not name every axis"};
    for (int64_t a : p) {
        if (a < 0 || a >= rank || seen[std::size_t(a)]) throw Refuse{"perm is not a permutation of the axes"};
        seen[std::size_t(a)] = true;
    }
    if (in.kind == V::Constant) {
        const L& d = in.c.dims;
        L outDims;
        for (int64_t a : p) outDims.push_back(d[std::size_t(a)]);
        Constant out;
        out.integer = in.c.integer;
        out.dims = outDims;
        std::vector<int64_t> stride(d.size(), 1);
        for (int k = rank - 2; k >= 0; --k) stride[std::size_t(k)] = stride[std::size_t(k + 1)] * d[std::size_t(k + 1)];
        for (int64_t flat = 0; flat < in.c.numel(); ++flat) {
            int64_t rest = flat, from = 0;
            for (int k = rank - 1; k >= 0; --k) {
                const int64_t size = outDims[std::size_t(k)];
                from += (rest % size) * stride[std::size_t(p[std::size_t(k)])];
                rest /= size;
            }
            if (out.integer) out.i.push_back(in.c.i[std::size_t(from)]);
            else out.f.push_back(in.c.f[std::size_t(from)]);
        }
        return c.setOut(0, constant(out));
    }
    if (in.kind == V::Filled) {
        L outDims;
        for (int64_t a : p) outDims.push_back(dimsOf(in.shape)[std::size_t(a)]);
        return c.setOut(0, filled(outDims, in.c));
    }
    const Value x = in.kind == V::Expr ? c.plain(in) : in;
    const ViewOf w = viewOf(x);
    const L dims = dimsOf(x.shape);
    L outDims;
    std::vector<int> perm;
    for (int64_t a : p) {
        outDims.push_back(dims[std::size_t(a)]);
        perm.push_back(w.perm[std::size_t(a)]);
    }
    c.dropped("reorders the axes; the recurrent layers read sequences in either order");
    c.setOut(0, makeView(c, x, outDims, w.view, perm, markOf(c, x, 0), x.timeAxis));
}

// Turns the recurrent layer marked in x to give its final state instead of every step; the
// view's time axis becomes a unit axis.
Value lastStep(Converter& c, const Value& x, int axis, ViewOf& w) {
    Node* r = c.node(x.recurrent);
    if (std::get<bool>(r->params.at("bidirectional")))
        throw Refuse{"takes the last step of a bidirectional layer's outputs, where the reverse direction has read only "
                     "that step; Neurite's layer gives its final states (the reverse one after the whole sequence): "
                     "take the mean or maximum over time, or the final states (h_n), instead"};
    c.retune(x.recurrent, "return_sequences", false);
    c.folded(r->op + " " + x.recurrent + " (gives its final state, not every step)");
    w.view[std::size_t(x.timeAxis)] = 1;
    L dims = dimsOf(x.shape);
    dims[std::size_t(axis)] = 1;
    return makeView(c, x, dims, w.view, w.perm, "", -1);
}

// One axis of a tensor cut to [start, start + count): whole (nothing to do), the batch (refused),
// a recurrent layer's last step, or refused. Returns the value with that axis count long.
Value cutAxis(Converter& c, const Value& x, int axis, int64_t start, int64_t count) {
    const L dims = dimsOf(x.shape);
    const int64_t size = dims[std::size_t(axis)];
    if (size == kBatchDim) {
        if (start == 0 && count < 0) return x;
        throw Refuse{"takes part of the batch"};
    }
    if (start == 0 && count == size) return x;
    ViewOf w = viewOf(x);
    if (!x.recurrent.empty() && w.perm[std::size_t(axis)] == x.timeAxis && count == 1 && start == size - 1)
        return lastStep(c, x, axis, w);
    throw Refuse{"takes part of the model's values along axis " + std::to_string(axis) +
                 " (Neurite has no layer for that; only a recurrent layer's last step is mapped)"};
}

struct SliceAxis {
    int axis = 0;
    int64_t start = 0, count = 0, step = 1;
};

// Slice's starts, ends, axes and steps (attributes before opset 10, inputs since) over dims.
std::vector<SliceAxis> sliceAxes(Converter& c, const OnnxNode& n, const L& dims) {
    L starts, ends, axes, steps;
    if (c.g.opset < 10) {
        starts = n.ints("starts"), ends = n.ints("ends"), axes = n.ints("axes");
    } else {
        starts = intsOf(c.constIn(1, "the starts")), ends = intsOf(c.constIn(2, "the ends"));
        if (c.hasInput(3)) axes = intsOf(c.constIn(3, "the axes"));
        if (c.hasInput(4)) steps = intsOf(c.constIn(4, "the steps"));
    }
    if (axes.empty())
        for (std::size_t k = 0; k < starts.size(); ++k) axes.push_back(int64_t(k));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
        throw Refuse{"starts, ends, axes and steps of different lengths"};
    std::vector<SliceAxis> out;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        SliceAxis s;
        s.axis = int(normAxis(axes[k], int(dims.size())));
        const int64_t d = dims[std::size_t(s.axis)];
        s.step = steps[k];
        if (s.step == 0) throw Refuse{"a step of 0"};
        if (d == kBatchDim) {  // the batch: only the whole of it
            if (starts[k] != 0 || s.step != 1 || ends[k] < (int64_t{1} << 30)) throw Refuse{"takes part of the batch"};
            s.start = 0, s.count = -1;
            out.push_back(s);
            continue;
        }
        int64_t b = starts[k], e = ends[k];
        if (b < 0) b += d;
        if (e < 0) e += d;
        if (s.step > 0) {
            b = std::clamp<int64_t>(b, 0, d), e = std::clamp<int64_t>(e, 0, d);
            s.count = e > b ? (e - b + s.step - 1) / s.step : 0;
        } else {
            b = std::clamp<int64_t>(b, 0, d - 1), e = std::clamp<int64_t>(e, -1, d - 1);
            s.count = b > e ? (b - e - s.step - 1) / -s.step : 0;
        }
        s.start = b;
        out.push_back(s);
    }
    return out;
}

void slice(Converter& c, const OnnxNode& n) {
    const Value& in = c.in(0);
    if (in.kind == V::Constant) {
        const L& d = in.c.dims;
        if (d.empty()) throw Refuse{"Slice of a scalar"};
        std::vector<SliceAxis> cuts = sliceAxes(c, n, d);
        std::vector<SliceAxis> full(d.size());
        for (std::size_t a = 0; a < d.size(); ++a) full[a] = {int(a), 0, d[a], 1};
        for (const SliceAxis& s : cuts) full[std::size_t(s.axis)] = s;
        Constant out;
        out.integer = in.c.integer;
        for (const SliceAxis& s : full) out.dims.push_back(s.count);
        if (product(out.dims) > kMaxFolded) throw Refuse{"a folded constant would have more than 2^24 values"};
        std::vector<int64_t> stride(d.size(), 1);
        for (std::size_t k = d.size() - 1; k-- > 0;) stride[k] = stride[k + 1] * d[k + 1];
        for (int64_t flat = 0; flat < product(out.dims); ++flat) {
            int64_t rest = flat, from = 0;
            for (std::size_t k = d.size(); k-- > 0;) {
                const int64_t at = rest % out.dims[k];
                rest /= out.dims[k];
                from += (full[k].start + at * full[k].step) * stride[k];
            }
            if (out.integer) out.i.push_back(in.c.i[std::size_t(from)]);
            else out.f.push_back(in.c.f[std::size_t(from)]);
        }
        return c.setOut(0, constant(out));
    }
    L dims = dimsOf(in.shape);
    const std::vector<SliceAxis> cuts = sliceAxes(c, n, dims);
    if (in.kind == V::Filled) {
        for (const SliceAxis& s : cuts)
            if (s.count >= 0) dims[std::size_t(s.axis)] = s.count;
        return c.setOut(0, filled(dims, in.c));
    }
    Value x = in.kind == V::Expr ? c.plain(in) : in;
    x.recurrent = markOf(c, x, 0);
    for (const SliceAxis& s : cuts) {
        if (s.step != 1 && s.count > 1) throw Refuse{"a step other than 1 on the model's values"};
        x = cutAxis(c, x, s.axis, s.start, s.count);
    }
    if (x.node == in.node && x.recurrent == in.recurrent && x.shape == in.shape) c.dropped("takes every value");
    c.setOut(0, x);
}

// ---- LSTM and GRU ---------------------------------------------------------------------------

bool allZero(const Value& v) {
    if (v.kind == V::Filled) return v.c.at(0) == 0;
    if (v.kind != V::Constant) return false;
    for (std::size_t k = 0; k < std::size_t(v.c.numel()); ++k)
        if (v.c.at(k) != 0) return false;
    return true;
}

// ONNX's weights [D, G*H, cols] (or biases [D, G*H]) in torch's layout [D*G*H, cols]: torch's
// gate block t is ONNX's block from[t] (LSTM: ONNX i o f c, torch i f g o; GRU: z r h, r z n).
Constant torchGates(const std::vector<float>& w, int64_t D, int64_t G, int64_t H, int64_t cols, int64_t offset,
                    int64_t rowStride) {
    static const int64_t lstmFrom[4] = {0, 2, 3, 1}, gruFrom[3] = {1, 0, 2};
    const int64_t* from = G == 4 ? lstmFrom : gruFrom;
    Constant out;
    out.dims = cols == 1 ? L{D * G * H} : L{D * G * H, cols};
    for (int64_t d = 0; d < D; ++d)
        for (int64_t t = 0; t < G; ++t)
            for (int64_t j = 0; j < H; ++j) {
                const auto row = std::size_t(d * rowStride + offset + (from[t] * H + j) * cols);
                out.f.insert(out.f.end(), w.begin() + long(row), w.begin() + long(row) + cols);
            }
    return out;
}

// Expand of a constant: folded, or, to a shape with the batch, a Filled value when every entry
// is the same (a fixed-batch export's zero initial state). Of the model's values, only to the
// shape they have.
void expand(Converter& c, const OnnxNode&) {
    const L shape = intsOf(c.constIn(1, "the shape"));
    const Value& in = c.in(0);
    const L from = in.kind == V::Constant ? in.c.dims : dimsOf(in.shape);
    L out(std::max(from.size(), shape.size()), 1);
    const auto& fileDims = c.g.inputs.front().dims;
    const int64_t fixedBatch = fileDims.empty() ? -1 : fileDims[0];
    for (std::size_t k = 0; k < out.size(); ++k) {
        const std::size_t back = out.size() - 1 - k;
        const int64_t a = k < from.size() ? from[from.size() - 1 - k] : 1, b = k < shape.size() ? shape[shape.size() - 1 - k] : 1;
        if (b == kBatchDim && (a == 1 || a == fixedBatch || a == kBatchDim)) out[back] = kBatchDim;
        else if (a == kBatchDim && b != 1) throw Refuse{"expands the batch to a fixed size"};
        else if (a == b || b == 1) out[back] = a;
        else if (a == 1 && b > 0) out[back] = b;
        else throw Refuse{"the shape does not broadcast with the input's"};
    }
    if (in.kind == V::Constant) {
        if (std::find(out.begin(), out.end(), kBatchDim) != out.end()) {
            for (std::size_t k = 1; k < std::size_t(in.c.numel()); ++k)
                if (in.c.at(k) != in.c.at(0)) throw Refuse{"expands a constant of different values to the batch's size"};
            Constant one = in.c;
            one.dims = {};
            one.f.resize(one.integer ? 0 : 1), one.i.resize(one.integer ? 1 : 0);
            return c.setOut(0, filled(out, one));
        }
        if (product(out) > kMaxFolded) throw Refuse{"a folded constant would have more than 2^24 values"};
        Constant ones = ints({}, {});
        ones.dims = out;
        ones.i.assign(std::size_t(product(out)), 0);
        return c.setOut(0, constant(broadcast(in.c, ones, [](double p, double) { return p; }, in.c.integer)));
    }
    if (in.kind == V::Filled) return c.setOut(0, filled(out, in.c));
    if (out != from) throw Refuse{"broadcasts the model's values to a larger shape (Neurite has no layer for that)"};
    c.dropped("the values have that shape already");
    c.setOut(0, in);
}

void recurrent(Converter& c, const OnnxNode& n) {
    const bool lstm = n.op == "LSTM";
    const int64_t G = lstm ? 4 : 3;
    const bool batchFirst = n.i("layout", 0) == 1;
    const std::string direction = n.s("direction", "forward");
    if (direction == "reverse")
        throw Refuse{"direction = reverse: Neurite's recurrent layers read forward, or both ways (bidirectional)"};
    if (direction != "forward" && direction != "bidirectional") throw Refuse{"direction = " + direction};
    const int64_t D = direction == "bidirectional" ? 2 : 1;
    if (n.has("clip")) throw Refuse{"clip: Neurite's cells do not clip their gates"};
    if (lstm && n.i("input_forget", 0) != 0) throw Refuse{"input_forget = 1 (coupled input and forget gates)"};
    if (!lstm && n.i("linear_before_reset", 0) != 1)
        throw Refuse{"linear_before_reset = 0: Neurite's GRU is torch's, which applies the reset gate after the "
                     "recurrent weights (linear_before_reset = 1)"};
    if (n.has("activations")) {
        std::vector<std::string> plainOnes;
        for (int64_t d = 0; d < D; ++d)
            for (const char* a : lstm ? std::vector<const char*>{"Sigmoid", "Tanh", "Tanh"} : std::vector<const char*>{"Sigmoid", "Tanh"})
                plainOnes.push_back(a);
        if (n.attrs.at("activations").strings != plainOnes)
            throw Refuse{"activations other than sigmoid and tanh (Neurite's cells are torch's)"};
    }
    // X: [T, N, C] (or [N, T, C] with layout = 1) as Neurite's [N, T, C]
    const Value& xv = c.in(0);
    if (!isNonConst(xv)) throw Refuse{"its input X is not computed from the model's input"};
    if (xv.shape.rank() != 3) throw Refuse{"its input X is not 3-D"};
    if (xv.shape[batchFirst ? 0 : 1] != Shape::kBatch)
        throw Refuse{batchFirst ? "its input X [N, T, C] (layout = 1) does not have the batch first"
                                : "its input X is read as [T, N, C], but its axis 1 is not the batch: Neurite's batch "
                                  "is the first axis of the model's input"};
    Value x = xv.kind == V::Expr ? c.plain(xv) : xv;
    if (!batchFirst) {
        const ViewOf w = viewOf(x);
        x = makeView(c, x, {kBatchDim, dimsOf(x.shape)[0], dimsOf(x.shape)[2]}, w.view, {w.perm[1], w.perm[0], w.perm[2]},
                     "", -1);
    }
    x = c.plain(x);
    const int64_t T = x.shape[1], C = x.shape[2];
    // weights and the initial state
    const Constant& W = c.constIn(1, "W");
    const Constant& R = c.constIn(2, "R");
    if (W.dims.size() != 3 || W.dims[0] != D || W.dims[1] % G || W.dims[2] != C)
        throw Refuse{"W is not [" + std::to_string(D) + ", " + std::to_string(G) + "*H, " + std::to_string(C) + "]"};
    const int64_t H = W.dims[1] / G;
    if (n.has("hidden_size") && n.i("hidden_size", 0) != H) throw Refuse{"hidden_size does not match W"};
    if (R.dims != L{D, G * H, H}) throw Refuse{"R is not [D, G*H, H]"};
    const bool bias = c.hasInput(3);
    if (bias && c.constIn(3, "B").dims != L{D, 2 * G * H}) throw Refuse{"B is not [D, 2*G*H]"};
    if (c.hasInput(4)) {
        const Constant& lens = c.constIn(4, "sequence_lens");
        for (int64_t len : intsOf(lens))
            if (len != T) throw Refuse{"sequence_lens shorter than the sequence (Neurite reads every step)"};
    }
    const char* stateNames[3] = {"initial_h", "initial_c", "P (peepholes)"};
    for (std::size_t k = 5; k < (lstm ? 8u : 6u); ++k)
        if (c.hasInput(k) && !allZero(c.in(k)))
            throw Refuse{std::string(stateNames[k - 5]) + " is not zero: Neurite's recurrent layers start from a zero state"
                         + (k == 7 ? " and have no peepholes" : "")};
    // outputs: every step (Y) or the final state (Y_h)
    const bool steps = c.outputUsed(0), final = c.outputUsed(1);
    if (lstm && c.outputUsed(2)) throw Refuse{"its final cell state Y_c is used; Neurite's LSTM gives its states only"};
    if (steps && final)
        throw Refuse{"both its steps (Y) and its final state (Y_h) are used; a Neurite layer gives one of them"};
    std::map<std::string, ParamValue> p{{"units", H}, {"return_sequences", steps}, {"bidirectional", D == 2},
                                        {"bias", bias}};
    std::string id = c.idFor();  // "/rnn/LSTM" -> "rnn": the module's name
    if (const std::string tail = "." + n.op; id.size() > tail.size() && id.ends_with(tail)) id.resize(id.size() - tail.size());
    Value out = c.addNode(id, n.op, {x}, p);
    const std::vector<float> w = floatsOf(W), r = floatsOf(R);
    c.setParam(out.node, "weight_ih", torchGates(w, D, G, H, C, 0, G * H * C));
    c.setParam(out.node, "weight_hh", torchGates(r, D, G, H, H, 0, G * H * H));
    if (bias) {
        const std::vector<float> b = floatsOf(c.in(3).c);
        c.setParam(out.node, "bias_ih", torchGates(b, D, G, H, 1, 0, 2 * G * H));
        c.setParam(out.node, "bias_hh", torchGates(b, D, G, H, 1, G * H, 2 * G * H));
    }
    c.mapped(n.op, out.node);
    if (steps) {  // Y [T, D, N, H] (layout 1: [N, T, D, H]) of Neurite's [N, T, D*H]
        const L view{kBatchDim, T, D, H};
        const L dims = batchFirst ? view : L{T, D, kBatchDim, H};
        const std::vector<int> perm = batchFirst ? std::vector<int>{0, 1, 2, 3} : std::vector<int>{1, 2, 0, 3};
        const bool sole = c.consumersOf(n.outputs[0]) == 1;
        c.setOut(0, makeView(c, out, dims, view, perm, sole ? out.node : "", 1));
    }
    if (final) {  // Y_h [D, N, H] (layout 1: [N, D, H]) of Neurite's [N, D*H]
        const L view{kBatchDim, D, H};
        const L dims = batchFirst ? view : L{D, kBatchDim, H};
        c.setOut(1, makeView(c, out, dims, view, batchFirst ? std::vector<int>{0, 1, 2} : std::vector<int>{1, 0, 2}, "", -1));
    }
}

}  // namespace

bool isView(const Value& v) {
    return v.kind == V::Tensor && (!v.perm.empty() || !v.recurrent.empty());
}

bool takesViews(const std::string& op) {
    static const std::set<std::string> ops{"Transpose", "Squeeze", "Unsqueeze", "Reshape", "Gather",
                                           "Slice",     "LSTM",    "GRU",       "Identity", "Shape",
                                           "Expand"};
    return ops.count(op) != 0;
}

Value filled(const std::vector<int64_t>& dims, const Constant& fill) {
    Value v;
    v.kind = V::Filled;
    v.shape = shapeOf(dims);
    v.c = fill;
    return v;
}

Value reshapeView(Converter& c, const Value& x, std::vector<int64_t> target) {
    const L in = dimsOf(x.shape);
    target = resolveTarget(c, in, std::move(target));
    const std::vector<Group> groups = reshapeGroups(in, target);
    const ViewOf w = viewOf(x);
    // the group of each view axis; a group of several axes must be consecutive in the view
    std::vector<int> owner(w.view.size(), -1);
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const std::vector<int>& from = groups[gi].from;
        for (std::size_t k = 0; k < from.size(); ++k) {
            const int va = w.perm[std::size_t(from[k])];
            if (k > 0 && va != w.perm[std::size_t(from[k - 1])] + 1)
                throw Refuse{"merges axes that are not next to each other in the values' own order"};
            owner[std::size_t(va)] = int(gi);
        }
    }
    L view;
    std::vector<int> newPos(target.size(), -1);
    for (std::size_t va = 0; va < w.view.size(); ++va) {
        const Group& g = groups[std::size_t(owner[va])];
        if (w.perm[std::size_t(g.from.front())] != int(va)) continue;  // not the group's first view axis
        for (int o : g.to) newPos[std::size_t(o)] = int(view.size()), view.push_back(target[std::size_t(o)]);
    }
    for (const Group& g : groups)
        if (g.from.empty())
            for (int o : g.to) newPos[std::size_t(o)] = int(view.size()), view.push_back(1);
    // the time axis stays marked while it is its own group
    std::string mark = markOf(c, x, 0);
    int time = -1;
    if (!mark.empty()) {
        const Group& g = groups[std::size_t(owner[std::size_t(x.timeAxis)])];
        if (g.from.size() == 1 && g.to.size() == 1) time = newPos[std::size_t(g.to.front())];
        else mark.clear();
    }
    c.dropped("changes the shape only");
    return makeView(c, x, target, view, newPos, mark, time);
}

void gatherTensor(Converter& c, const OnnxNode& n) {
    const Value& in = c.in(0);
    if (in.kind == V::Filled) throw Refuse{"Gather from a value filled with one number"};
    const Constant& idx = c.constIn(1, "the indices");
    if (idx.numel() != 1)
        throw Refuse{"Gather of several entries of the model's values (Neurite has no layer for indexing)"};
    Value x = in.kind == V::Expr ? c.plain(in) : in;
    x.recurrent = markOf(c, x, 0);
    const L dims = dimsOf(x.shape);
    const int axis = int(normAxis(n.i("axis", 0), int(dims.size())));
    const int64_t size = dims[std::size_t(axis)];
    if (size == kBatchDim) throw Refuse{"takes one sample of the batch"};
    int64_t at = intsOf(idx)[0];
    if (at < -size || at >= size) throw Refuse{"index " + std::to_string(at) + " is out of range"};
    if (at < 0) at += size;
    x = cutAxis(c, x, axis, at, 1);
    if (idx.dims.empty()) {  // a scalar index drops the axis
        L target = dimsOf(x.shape);
        target.erase(target.begin() + axis);
        x = reshapeView(c, x, target);
    }
    c.setOut(0, x);
}

void addSequenceHandlers(std::map<std::string, Handler>& table) {
    table["Transpose"] = transpose;
    table["Slice"] = slice;
    table["Expand"] = expand;
    table["LSTM"] = recurrent;
    table["GRU"] = recurrent;
}

}  // namespace neurite::onnximport
