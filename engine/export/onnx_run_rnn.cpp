// The ONNX interpreter's LSTM and GRU (onnx_run_internal.h), in the specification's equations with
// its default activations only (f = Sigmoid, g = h = Tanh). Each direction runs each sequence on
// its own: with sequence_lens, a sequence stops at its length (a reverse one starts there), its
// later steps of Y stay zero and Y_h/Y_c hold its state after its last valid step.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "export/onnx_run_internal.h"

namespace neurite::onnxrun {

namespace {

// The sizes of a recurrence and where each step's vectors live in X, Y and the states, in either
// layout (0: X [T, N, I], Y [T, D, N, H], states [D, N, H]; 1: X [N, T, I], Y [N, T, D, H],
// states [N, D, H]).
struct Recurrence {
    int64_t steps = 0, batch = 0, input = 0, hidden = 0, dirs = 1;
    bool batchFirst = false, reverseOnly = false;
    std::vector<int64_t> lens; // one per sequence

    std::size_t xAt(int64_t t, int64_t n) const {
        return std::size_t((batchFirst ? n * steps + t : t * batch + n) * input);
    }
    std::size_t yAt(int64_t t, int64_t d, int64_t n) const {
        return std::size_t((batchFirst ? (n * steps + t) * dirs + d : (t * dirs + d) * batch + n) *
                           hidden);
    }
    std::size_t stateAt(int64_t d, int64_t n) const {
        return std::size_t((batchFirst ? n * dirs + d : d * batch + n) * hidden);
    }
    std::vector<int64_t> yDims() const {
        return batchFirst ? std::vector<int64_t>{batch, steps, dirs, hidden}
                          : std::vector<int64_t>{steps, dirs, batch, hidden};
    }
    std::vector<int64_t> stateDims() const {
        return batchFirst ? std::vector<int64_t>{batch, dirs, hidden}
                          : std::vector<int64_t>{dirs, batch, hidden};
    }
    bool reverse(int64_t d) const { return reverseOnly || d == 1; }
};

bool sameName(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// Checks the attributes and inputs X, W, R, B, sequence_lens, initial_h shared by LSTM and GRU.
Recurrence recurrence(const OpContext& ctx, int64_t gates,
                      const std::vector<std::string>& activations) {
    const auto& node = ctx.node();
    if (node.has("clip")) ctx.fail("the clip attribute is not evaluated");
    const std::string direction = node.s("direction", "forward");
    Recurrence r;
    if (direction == "bidirectional")
        r.dirs = 2;
    else if (direction == "reverse")
        r.reverseOnly = true;
    else if (direction != "forward")
        ctx.fail("direction '" + direction + "' is not forward, reverse or bidirectional");
    if (node.has("activations")) {
        const auto& list = node.attrs.at("activations").strings;
        bool same = list.size() == activations.size() * std::size_t(r.dirs);
        for (std::size_t k = 0; same && k < list.size(); ++k)
            same = sameName(list[k], activations[k % activations.size()]);
        if (!same) ctx.fail("only the default activations are evaluated");
    }
    const int64_t layout = node.i("layout", 0);
    if (layout != 0 && layout != 1) ctx.fail("layout must be 0 or 1");
    r.batchFirst = layout == 1;
    const Tensor &x = ctx.floatIn(0), &w = ctx.floatIn(1), &rec = ctx.floatIn(2);
    if (x.dims.size() != 3 || w.dims.size() != 3 || rec.dims.size() != 3)
        ctx.fail("X, W and R must be 3-D");
    r.steps = x.dims[r.batchFirst ? 1 : 0], r.batch = x.dims[r.batchFirst ? 0 : 1],
    r.input = x.dims[2];
    r.hidden = rec.dims[2];
    if (node.has("hidden_size") && node.i("hidden_size", 0) != r.hidden)
        ctx.fail("hidden_size differs from R's last dimension " + std::to_string(r.hidden));
    const std::vector<int64_t> wDims{r.dirs, gates * r.hidden, r.input},
        rDims{r.dirs, gates * r.hidden, r.hidden};
    if (w.dims != wDims || rec.dims != rDims)
        ctx.fail("W or R does not have the shape [" + std::to_string(r.dirs) + ", " +
                 std::to_string(gates) +
                 " * hidden, input or hidden] that X, R and direction imply");
    if (const Tensor* b = ctx.optional(3);
        b && (b->integer || b->dims != std::vector<int64_t>{r.dirs, 2 * gates * r.hidden}))
        ctx.fail("B must be a float tensor of shape [directions, " + std::to_string(2 * gates) +
                 " * hidden]");
    ctx.checkWork({r.dirs, r.steps, r.batch, gates * r.hidden, r.input + r.hidden});
    r.lens.assign(static_cast<std::size_t>(r.batch), r.steps);
    if (const Tensor* lens = ctx.optional(4)) {
        r.lens = ctx.ints(*lens, "sequence_lens");
        if (lens->dims != std::vector<int64_t>{r.batch})
            ctx.fail("sequence_lens must hold one length per sequence");
        for (int64_t len : r.lens)
            if (len < 0 || len > r.steps)
                ctx.fail("sequence length " + std::to_string(len) + " is outside [0, " +
                         std::to_string(r.steps) + "]");
    }
    if (const Tensor* h0 = ctx.optional(5); h0 && (h0->integer || h0->dims != r.stateDims()))
        ctx.fail("initial_h does not have the shape of Y_h");
    return r;
}

// y[r] += M[r, :] . v over the rows of a row-major matrix.
void matVec(const float* m, const float* v, int64_t rows, int64_t cols, double* y) {
    for (int64_t r = 0; r < rows; ++r) {
        double s = 0;
        for (int64_t c = 0; c < cols; ++c)
            s += double(m[r * cols + c]) * v[c];
        y[r] += s;
    }
}

double sigmoid(double x) {
    return 1.0 / (1.0 + std::exp(-x));
}

// LSTM, gates in ONNX's order i, o, f, c:
//   i = f(Xt Wi' + Ht-1 Ri' + Pi . Ct-1 + Wbi + Rbi), f = f(... Pf . Ct-1 ...), c~ = g(... ),
//   Ct = f . Ct-1 + i . c~, o = f(... + Po . Ct + ...), Ht = o . h(Ct).
std::vector<Tensor> lstm(const OpContext& ctx) {
    if (ctx.node().i("input_forget", 0) != 0) ctx.fail("input_forget is not evaluated");
    const Recurrence r = recurrence(ctx, 4, {"Sigmoid", "Tanh", "Tanh"});
    const Tensor* c0 = ctx.optional(6);
    if (c0 && (c0->integer || c0->dims != r.stateDims()))
        ctx.fail("initial_c does not have the shape of Y_c");
    const Tensor* p = ctx.optional(7);
    if (p && (p->integer || p->dims != std::vector<int64_t>{r.dirs, 3 * r.hidden}))
        ctx.fail("P must be a float tensor of shape [directions, 3 * hidden]");
    const Tensor &x = ctx.in(0), &w = ctx.in(1), &rec = ctx.in(2);
    const Tensor *b = ctx.optional(3), *h0 = ctx.optional(5);
    const int64_t hs = r.hidden;
    Tensor y = ctx.floatTensor(r.yDims()), yh = ctx.floatTensor(r.stateDims()),
           yc = ctx.floatTensor(r.stateDims());
    std::vector<double> g(static_cast<std::size_t>(4 * hs));
    std::vector<float> h(static_cast<std::size_t>(hs)), c(h.size());
    for (int64_t d = 0; d < r.dirs; ++d) {
        const float* wd = w.f.data() + d * 4 * hs * r.input;
        const float* rd = rec.f.data() + d * 4 * hs * hs;
        for (int64_t n = 0; n < r.batch; ++n) {
            const std::size_t s0 = r.stateAt(d, n);
            for (int64_t k = 0; k < hs; ++k) {
                h[k] = h0 ? h0->f[s0 + k] : 0.f;
                c[k] = c0 ? c0->f[s0 + k] : 0.f;
            }
            const int64_t len = r.lens[static_cast<std::size_t>(n)];
            for (int64_t s = 0; s < len; ++s) {
                const int64_t t = r.reverse(d) ? len - 1 - s : s;
                for (int64_t k = 0; k < 4 * hs; ++k)
                    g[k] = b ? double(b->f[d * 8 * hs + k]) + b->f[d * 8 * hs + 4 * hs + k] : 0.0;
                matVec(wd, x.f.data() + r.xAt(t, n), 4 * hs, r.input, g.data());
                matVec(rd, h.data(), 4 * hs, hs, g.data());
                for (int64_t k = 0; k < hs; ++k) {
                    auto peep = [&](int64_t which) {
                        return p ? double(p->f[d * 3 * hs + which * hs + k]) : 0.0;
                    };
                    const double in = sigmoid(g[k] + peep(0) * c[k]);
                    const double forget = sigmoid(g[2 * hs + k] + peep(2) * c[k]);
                    const double cell = forget * c[k] + in * std::tanh(g[3 * hs + k]);
                    const double out = sigmoid(g[hs + k] + peep(1) * cell);
                    c[k] = static_cast<float>(cell);
                    h[k] = static_cast<float>(out * std::tanh(cell));
                }
                std::copy(h.begin(), h.end(),
                          y.f.begin() + static_cast<std::ptrdiff_t>(r.yAt(t, d, n)));
            }
            std::copy(h.begin(), h.end(), yh.f.begin() + static_cast<std::ptrdiff_t>(s0));
            std::copy(c.begin(), c.end(), yc.f.begin() + static_cast<std::ptrdiff_t>(s0));
        }
    }
    return {std::move(y), std::move(yh), std::move(yc)};
}

// GRU, gates in ONNX's order z, r, h:
//   z = f(Xt Wz' + Ht-1 Rz' + Wbz + Rbz), r = f(... r ...),
//   h~ = g(Xt Wh' + (r . Ht-1) Rh' + Rbh + Wbh), or with linear_before_reset
//   h~ = g(Xt Wh' + r . (Ht-1 Rh' + Rbh) + Wbh);  Ht = (1 - z) . h~ + z . Ht-1.
std::vector<Tensor> gru(const OpContext& ctx) {
    const Recurrence r = recurrence(ctx, 3, {"Sigmoid", "Tanh"});
    const bool linearBeforeReset = ctx.node().i("linear_before_reset", 0) != 0;
    const Tensor &x = ctx.in(0), &w = ctx.in(1), &rec = ctx.in(2);
    const Tensor *b = ctx.optional(3), *h0 = ctx.optional(5);
    const int64_t hs = r.hidden;
    Tensor y = ctx.floatTensor(r.yDims()), yh = ctx.floatTensor(r.stateDims());
    std::vector<double> xg(static_cast<std::size_t>(3 * hs)), hg(xg.size());
    std::vector<double> z(static_cast<std::size_t>(hs)), rgate(z.size());
    std::vector<float> h(z.size()), resetH(z.size()); // resetH: r . Ht-1
    for (int64_t d = 0; d < r.dirs; ++d) {
        const float* wd = w.f.data() + d * 3 * hs * r.input;
        const float* rd = rec.f.data() + d * 3 * hs * hs;
        const float* wb = b ? b->f.data() + d * 6 * hs : nullptr;
        for (int64_t n = 0; n < r.batch; ++n) {
            const std::size_t s0 = r.stateAt(d, n);
            for (int64_t k = 0; k < hs; ++k)
                h[k] = h0 ? h0->f[s0 + k] : 0.f;
            const int64_t len = r.lens[static_cast<std::size_t>(n)];
            for (int64_t s = 0; s < len; ++s) {
                const int64_t t = r.reverse(d) ? len - 1 - s : s;
                for (int64_t k = 0; k < 3 * hs; ++k) {
                    xg[k] = wb ? wb[k] : 0.0;
                    hg[k] = wb ? wb[3 * hs + k] : 0.0;
                }
                matVec(wd, x.f.data() + r.xAt(t, n), 3 * hs, r.input, xg.data());
                matVec(rd, h.data(), 2 * hs, hs, hg.data()); // z and r
                for (int64_t k = 0; k < hs; ++k) {
                    z[k] = sigmoid(xg[k] + hg[k]);
                    rgate[k] = sigmoid(xg[hs + k] + hg[hs + k]);
                    resetH[k] = static_cast<float>(rgate[k] * h[k]);
                }
                // The candidate's recurrent term: Rh applied to h (then gated) or to r . h.
                matVec(rd + 2 * hs * hs, linearBeforeReset ? h.data() : resetH.data(), hs, hs,
                       hg.data() + 2 * hs);
                for (int64_t k = 0; k < hs; ++k) {
                    const double recurrent =
                        linearBeforeReset ? rgate[k] * hg[2 * hs + k] : hg[2 * hs + k];
                    const double cand = std::tanh(xg[2 * hs + k] + recurrent);
                    h[k] = static_cast<float>((1.0 - z[k]) * cand + z[k] * h[k]);
                }
                std::copy(h.begin(), h.end(),
                          y.f.begin() + static_cast<std::ptrdiff_t>(r.yAt(t, d, n)));
            }
            std::copy(h.begin(), h.end(), yh.f.begin() + static_cast<std::ptrdiff_t>(s0));
        }
    }
    return {std::move(y), std::move(yh)};
}

} // namespace

void addRnnOps(OpTable& t) {
    t["LSTM"] = lstm;
    t["GRU"] = gru;
}

} // namespace neurite::onnxrun
