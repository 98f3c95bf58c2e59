// The backend self-test: one table of ops, each a function of a backend that uploads the same
// host inputs, runs the op and downloads its outputs; the harness runs it on both backends and
// compares. Errors are normwise: max |a - b| / max |b| per output (1e-4 for fp32 ops, exact for
// dropout masks and gathers), so values near zero do not inflate them.
#include "devices/backend_selftest.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>

#include "core/error.h"

namespace neurite {

namespace {

using Outputs = std::vector<std::vector<float>>;
using OpFn = std::function<Outputs(Backend&)>;

constexpr double kTol = 1e-4;

class Harness {
public:
    Harness(Backend& device, Backend& cpu, uint64_t seed) : m_dev(device), m_cpu(cpu), m_rng(seed) {}

    std::vector<float> random(int64_t n, float lo = -1.f, float hi = 1.f) {
        std::uniform_real_distribution<float> d(lo, hi);
        std::vector<float> v(static_cast<std::size_t>(n));
        for (float& x : v) x = d(m_rng);
        return v;
    }
    std::vector<int32_t> randomInts(int64_t n, int32_t hiExclusive) {
        std::uniform_int_distribution<int32_t> d(0, hiExclusive - 1);
        std::vector<int32_t> v(static_cast<std::size_t>(n));
        for (int32_t& x : v) x = d(m_rng);
        return v;
    }

    void run(const std::string& op, double tol, const OpFn& fn) {
        SelftestRow row;
        row.op = op;
        row.tolerance = tol;
        try {
            const Outputs a = fn(m_dev);
            const Outputs b = fn(m_cpu);
            if (a.size() != b.size()) throwInternal("the backends returned different outputs");
            for (std::size_t k = 0; k < a.size(); ++k)
                row.maxRelError = std::max(row.maxRelError, relError(a[k], b[k]));
            row.pass = row.maxRelError <= tol;
        } catch (const std::exception& e) {
            row.error = e.what();
            row.maxRelError = std::numeric_limits<double>::infinity();
            row.pass = false;
        }
        m_rows.push_back(std::move(row));
    }

    std::vector<SelftestRow> rows() { return std::move(m_rows); }

private:
    static double relError(const std::vector<float>& a, const std::vector<float>& ref) {
        if (a.size() != ref.size()) return std::numeric_limits<double>::infinity();
        double worst = 0.0, scale = 0.0;
        for (std::size_t i = 0; i < a.size(); ++i) {
            if (!std::isfinite(a[i]) != !std::isfinite(ref[i]))
                return std::numeric_limits<double>::infinity();
            if (!std::isfinite(ref[i])) continue;
            worst = std::max(worst, std::fabs(double(a[i]) - double(ref[i])));
            scale = std::max(scale, std::fabs(double(ref[i])));
        }
        if (worst == 0.0) return 0.0;
        return worst / std::max(scale, 1e-30);
    }

    Backend& m_dev;
    Backend& m_cpu;
    std::mt19937_64 m_rng;
    std::vector<SelftestRow> m_rows;
};

Tensor upload(Backend& b, const Shape& s, const std::vector<float>& v) {
    Tensor t = Tensor::empty(b, s);
    b.copyFromHost(t, v.data());
    return t;
}

Tensor uploadInts(Backend& b, const Shape& s, const std::vector<int32_t>& v) {
    Tensor t = Tensor::empty(b, s, DType::I32);
    b.copyFromHost(t, v.data());
    return t;
}

std::vector<float> download(Backend& b, const Tensor& t) {
    std::vector<float> v(static_cast<std::size_t>(t.numel()));
    if (t.dtype() == DType::I32) {
        std::vector<int32_t> ints(v.size());
        b.copyToHost(ints.data(), t);
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(ints[i]);
    } else {
        b.copyToHost(v.data(), t);
    }
    return v;
}

void denseOps(Harness& h) {
    const DenseDesc d{64, 100, 30, true, DType::F32};
    const auto x = h.random(d.batch * d.inputs), w = h.random(d.outputs * d.inputs, -0.3f, 0.3f);
    const auto bias = h.random(d.outputs), dy = h.random(d.batch * d.outputs);
    auto run = [=](Backend& b, int which) -> Outputs {
        auto plan = b.makeDense(d);
        Tensor tx = upload(b, {d.batch, d.inputs}, x), tw = upload(b, {d.outputs, d.inputs}, w);
        Tensor tb = upload(b, {d.outputs}, bias), tdy = upload(b, {d.batch, d.outputs}, dy);
        if (which == 0) {
            Tensor y = Tensor::empty(b, {d.batch, d.outputs});
            plan->forward(tx, tw, &tb, y);
            return {download(b, y)};
        }
        if (which == 1) {
            Tensor dx = Tensor::empty(b, {d.batch, d.inputs});
            plan->backwardData(tdy, tw, dx);
            return {download(b, dx)};
        }
        Tensor dw = Tensor::empty(b, {d.outputs, d.inputs}), db = Tensor::empty(b, {d.outputs});
        plan->backwardWeights(tx, tdy, dw, &db);
        return {download(b, dw), download(b, db)};
    };
    h.run("dense forward", kTol, [=](Backend& b) { return run(b, 0); });
    h.run("dense backward data", kTol, [=](Backend& b) { return run(b, 1); });
    h.run("dense backward weights", kTol, [=](Backend& b) { return run(b, 2); });
}

void convOps(Harness& h, const ConvDesc& d, const std::string& label) {
    const Shape xs = d.channelsLast ? Shape{d.batch, d.height, d.width, d.inChannels}
                                    : Shape{d.batch, d.inChannels, d.height, d.width};
    const Shape ws{d.outChannels, d.groupIn(), d.kernelH, d.kernelW};
    const Shape ys = d.channelsLast ? Shape{d.batch, d.outHeight(), d.outWidth(), d.outChannels}
                                    : Shape{d.batch, d.outChannels, d.outHeight(), d.outWidth()};
    const auto x = h.random(xs.numel()), w = h.random(ws.numel(), -0.3f, 0.3f);
    const auto bias = h.random(d.outChannels), dy = h.random(ys.numel());
    auto run = [=](Backend& b, int which) -> Outputs {
        auto plan = b.makeConv(d);
        Tensor tx = upload(b, xs, x), tw = upload(b, ws, w), tb = upload(b, {d.outChannels}, bias);
        Tensor tdy = upload(b, ys, dy);
        if (which == 0) {
            Tensor y = Tensor::empty(b, ys);
            plan->forward(tx, tw, &tb, y);
            return {download(b, y)};
        }
        if (which == 1) {
            Tensor dx = Tensor::empty(b, xs);
            plan->backwardData(tdy, tw, dx);
            return {download(b, dx)};
        }
        Tensor dw = Tensor::empty(b, ws), db = Tensor::empty(b, {d.outChannels});
        plan->backwardWeights(tx, tdy, dw, &db);
        return {download(b, dw), download(b, db)};
    };
    h.run("conv forward" + label, kTol, [=](Backend& b) { return run(b, 0); });
    h.run("conv backward data" + label, kTol, [=](Backend& b) { return run(b, 1); });
    h.run("conv backward weights" + label, kTol, [=](Backend& b) { return run(b, 2); });
}

void poolOps(Harness& h, const PoolDesc& d, const std::string& label) {
    const Shape xs{d.batch, d.channels, d.height, d.width};
    const Shape ys{d.batch, d.channels, d.outHeight(), d.outWidth()};
    const auto x = h.random(xs.numel()), dy = h.random(ys.numel());
    h.run(label, kTol, [=](Backend& b) -> Outputs {
        auto plan = b.makePool(d);
        Tensor tx = upload(b, xs, x), y = Tensor::empty(b, ys);
        Tensor tdy = upload(b, ys, dy), dx = Tensor::empty(b, xs);
        plan->forward(tx, y, true);
        plan->backward(tdy, dx);
        Tensor yi = Tensor::empty(b, ys);
        plan->forward(tx, yi, false);
        return {download(b, y), download(b, dx), download(b, yi)};
    });
}

void batchNormOps(Harness& h) {
    const BatchNormDesc d{16, 6, 25, 1e-5f};
    const Shape xs{d.batch, d.channels, 5, 5};
    const auto x = h.random(xs.numel(), -2.f, 3.f), dy = h.random(xs.numel());
    const auto gamma = h.random(d.channels, 0.5f, 1.5f), beta = h.random(d.channels);
    const auto rm = h.random(d.channels), rv = h.random(d.channels, 0.5f, 2.f);
    h.run("batch norm forward/backward", kTol, [=](Backend& b) -> Outputs {
        auto plan = b.makeBatchNorm(d);
        Tensor tx = upload(b, xs, x), tg = upload(b, {d.channels}, gamma);
        Tensor tb = upload(b, {d.channels}, beta), trm = upload(b, {d.channels}, rm);
        Tensor trv = upload(b, {d.channels}, rv), y = Tensor::empty(b, xs);
        plan->forwardTraining(tx, tg, tb, y, trm, trv, 0.1f);
        Tensor tdy = upload(b, xs, dy), dx = Tensor::empty(b, xs);
        Tensor dg = Tensor::empty(b, {d.channels}), db = Tensor::empty(b, {d.channels});
        plan->backward(tx, tdy, tg, dx, dg, db);
        Tensor yi = Tensor::empty(b, xs);
        plan->forwardInference(tx, tg, tb, trm, trv, yi);
        return {download(b, y),  download(b, trm), download(b, trv), download(b, dx),
                download(b, dg), download(b, db),  download(b, yi)};
    });
}

// Rows of D = 1, 96 and 1000 (wider than a CUDA block; one row with a mean of 1e3 and a spread
// of 1 catches a float mean's cancellation), forward then backward.
void layerNormOps(Harness& h) {
    for (const LayerNormDesc d : {LayerNormDesc{5, 1, 1e-5f}, LayerNormDesc{37, 96, 1e-5f},
                                  LayerNormDesc{3, 1000, 1e-3f}}) {
        const Shape xs{d.rows, d.features}, ps{d.features};
        auto x = h.random(xs.numel(), -2.f, 3.f);
        if (d.features == 1000)
            for (int64_t j = 0; j < d.features; ++j) x[std::size_t(j)] += 1000.f;
        const auto dy = h.random(xs.numel()), gamma = h.random(d.features, 0.5f, 1.5f);
        const auto beta = h.random(d.features);
        h.run("layer norm forward/backward [" + std::to_string(d.rows) + ", " +
                  std::to_string(d.features) + "]",
              kTol, [=](Backend& b) -> Outputs {
                  auto plan = b.makeLayerNorm(d);
                  Tensor tx = upload(b, xs, x), tg = upload(b, ps, gamma), tb = upload(b, ps, beta);
                  Tensor y = Tensor::empty(b, xs), tdy = upload(b, xs, dy);
                  plan->forward(tx, tg, tb, y);
                  Tensor dx = Tensor::empty(b, xs), dg = Tensor::empty(b, ps);
                  Tensor db = Tensor::empty(b, ps);
                  plan->backward(tx, tdy, tg, dx, dg, db);
                  return {download(b, y), download(b, dx), download(b, dg), download(b, db)};
              });
    }
}

void eltwiseOps(Harness& h) {
    const Shape s{32, 10, 7};
    const auto x = h.random(s.numel(), -3.f, 3.f), dy = h.random(s.numel());
    for (const ActivationInfo& info : kActivations) {  // every row of backend/activations.h
        const Activation act = info.kind;
        h.run(std::string(info.name) + " forward/backward", kTol, [=](Backend& b) -> Outputs {
            Tensor tx = upload(b, s, x), y = Tensor::empty(b, s);
            b.activationForward(act, 0.2f, tx, y);
            Tensor tdy = upload(b, s, dy), dx = Tensor::empty(b, s);
            b.activationBackward(act, 0.2f, tx, y, tdy, dx);
            return {download(b, y), download(b, dx)};
        });
    }
    for (bool log : {false, true})
        h.run(log ? "log-softmax forward/backward" : "softmax forward/backward", kTol, [=](Backend& b) -> Outputs {
            Tensor tx = upload(b, s, x), y = Tensor::empty(b, s);
            b.softmaxForward(tx, y, log);
            Tensor tdy = upload(b, s, dy), dx = Tensor::empty(b, s);
            b.softmaxBackward(y, tdy, dx, log);
            return {download(b, y), download(b, dx)};
        });
    std::vector<std::vector<float>> parts;
    for (int k = 0; k < 11; ++k) parts.push_back(h.random(s.numel()));
    for (int count : {3, 11}) {
        h.run("addN of " + std::to_string(count), kTol, [=](Backend& b) -> Outputs {
            std::vector<Tensor> ts;
            for (int k = 0; k < count; ++k) ts.push_back(upload(b, s, parts[std::size_t(k)]));
            std::vector<const Tensor*> ptrs;
            for (const Tensor& t : ts) ptrs.push_back(&t);
            Tensor y = Tensor::empty(b, s);
            b.addN(ptrs, y);
            b.addN(ptrs, ts[0]);  // dst aliasing srcs[0]
            return {download(b, y), download(b, ts[0])};
        });
    }
    h.run("axpy, scale, multiply, fill", kTol, [=](Backend& b) -> Outputs {
        Tensor tx = upload(b, s, x), ty = upload(b, s, dy), z = Tensor::empty(b, s);
        b.axpy(0.7f, tx, ty);
        b.scale(ty, -1.5f);
        b.multiply(tx, ty, z);
        Tensor f = Tensor::empty(b, s);
        b.fill(f, 0.25f);
        return {download(b, ty), download(b, z), download(b, f)};
    });
}

void dataOps(Harness& h) {
    const auto a = h.random(4 * 3 * 5), c = h.random(4 * 6 * 5);
    h.run("concat/split", 0.0, [=](Backend& b) -> Outputs {
        Tensor ta = upload(b, {4, 3, 5}, a), tc = upload(b, {4, 6, 5}, c);
        Tensor whole = Tensor::empty(b, {4, 9, 5});
        const Tensor* srcs[] = {&ta, &tc};
        b.concat(srcs, whole);
        Tensor sa = Tensor::empty(b, {4, 3, 5}), sc = Tensor::empty(b, {4, 6, 5});
        Tensor* dsts[] = {&sa, &sc};
        b.split(whole, dsts);
        return {download(b, whole), download(b, sa), download(b, sc)};
    });
    const auto x = h.random(1000);
    h.run("dropout mask (bit for bit)", 0.0, [=](Backend& b) -> Outputs {
        Tensor tx = upload(b, {1000}, x), y = Tensor::empty(b, {1000}), m = Tensor::empty(b, {1000});
        b.dropoutForward(tx, y, m, 0.3f, 0x1234abcdull);
        return {download(b, y), download(b, m)};
    });
    std::vector<uint8_t> bytes(50 * 12);
    const auto rawBytes = h.randomInts(static_cast<int64_t>(bytes.size()), 256);
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(rawBytes[i]);
    const auto idx = h.randomInts(20, 50), labels = h.randomInts(50, 7);
    const auto mean = h.random(12, 0.f, 1.f), invStd = h.random(12, 0.5f, 2.f);
    const auto rows = h.random(50 * 12);
    h.run("gatherRows (u8, standardized; f32) and gatherLabels", kTol, [=](Backend& b) -> Outputs {
        Tensor src = Tensor::empty(b, {50, 12}, DType::U8);
        b.copyFromHost(src, bytes.data());
        Tensor ti = uploadInts(b, {20}, idx), tm = upload(b, {12}, mean);
        Tensor ts = upload(b, {12}, invStd), y = Tensor::empty(b, {20, 12});
        b.gatherRows(src, ti, 20, 1.f / 255.f, &tm, &ts, y);
        Tensor fsrc = upload(b, {50, 12}, rows), fy = Tensor::empty(b, {20, 12});
        b.gatherRows(fsrc, ti, 20, 2.f, nullptr, nullptr, fy);
        Tensor tl = uploadInts(b, {50}, labels), gl = Tensor::empty(b, {20}, DType::I32);
        b.gatherLabels(tl, ti, 20, gl);
        return {download(b, y), download(b, fy), download(b, gl)};
    });
    h.run("gatherRows rejects a bad index", 0.0, [=](Backend& b) -> Outputs {
        Tensor fsrc = upload(b, {50, 12}, rows), fy = Tensor::empty(b, {2, 12});
        Tensor ti = uploadInts(b, {2}, {3, 50});
        try {
            b.gatherRows(fsrc, ti, 2, 1.f, nullptr, nullptr, fy);
            download(b, fy);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::BadInput) return {{1.f}};
        }
        return {{0.f}};
    });
}

void lossOps(Harness& h) {
    const int64_t n = 48, c = 7;
    const auto z = h.random(n * c, -4.f, 4.f), w = h.random(c, 0.2f, 2.f);
    const auto labels = h.randomInts(n, static_cast<int32_t>(c));
    const auto x1 = h.random(n, -5.f, 5.f), t1 = h.random(n, 0.f, 1.f);
    const auto p = h.random(n * 3, -2.f, 2.f), t = h.random(n * 3, -2.f, 2.f);
    auto classification = [=](Backend& b, int kind) -> Outputs {
        Tensor tz = upload(b, {n, c}, z), ty = uploadInts(b, {n}, labels);
        Tensor g = Tensor::empty(b, {n, c}), tw = upload(b, {c}, w);
        float loss = 0.f;
        if (kind == 0) loss = b.softmaxCrossEntropy(tz, ty, nullptr, 0.f, g);
        if (kind == 1) loss = b.softmaxCrossEntropy(tz, ty, &tw, 0.1f, g);
        if (kind == 2) loss = b.focalLoss(tz, ty, 2.f, 0.25f, g);
        return {{loss}, download(b, g)};
    };
    h.run("cross-entropy", kTol, [=](Backend& b) { return classification(b, 0); });
    h.run("cross-entropy (class weights, smoothing)", kTol,
          [=](Backend& b) { return classification(b, 1); });
    h.run("focal loss", kTol, [=](Backend& b) { return classification(b, 2); });
    h.run("binary cross-entropy", kTol, [=](Backend& b) -> Outputs {
        Tensor tx = upload(b, {n, 1}, x1), tt = upload(b, {n, 1}, t1), g = Tensor::empty(b, {n, 1});
        const float loss = b.binaryCrossEntropy(tx, tt, 1.7f, g);
        return {{loss}, download(b, g)};
    });
    h.run("mse and huber", kTol, [=](Backend& b) -> Outputs {
        Tensor tp = upload(b, {n, 3}, p), tt = upload(b, {n, 3}, t), g = Tensor::empty(b, {n, 3});
        const float mse = b.mseLoss(tp, tt, g);
        Tensor gh = Tensor::empty(b, {n, 3});
        const float huber = b.huberLoss(tp, tt, 0.8f, gh);
        return {{mse}, download(b, g), {huber}, download(b, gh)};
    });
    // A training step's loss and correct count kept on the device (Backend::lossInto, countCorrect).
    h.run("losses and correct counts kept on the device", kTol, [=](Backend& b) -> Outputs {
        Tensor tz = upload(b, {n, c}, z), ty = uploadInts(b, {n}, labels), tw = upload(b, {c}, w);
        Tensor tx = upload(b, {n, 1}, x1), tp = upload(b, {n, 3}, p), tt = upload(b, {n, 3}, t);
        std::vector<float> binary(t1.size());
        for (std::size_t i = 0; i < t1.size(); ++i) binary[i] = t1[i] > 0.5f ? 1.f : 0.f;
        Tensor tb = upload(b, {n, 1}, binary), slots = Tensor::empty(b, {8});
        b.fill(slots, 0.f);
        Tensor g = Tensor::empty(b, {n, c}), g1 = Tensor::empty(b, {n, 1}), g3 = Tensor::empty(b, {n, 3});
        LossArgs a;
        a.classWeights = &tw;
        a.labelSmoothing = 0.1f;
        b.lossInto(a, tz, ty, g, slots, 0);
        a = LossArgs{LossOp::Focal};
        b.lossInto(a, tz, ty, g, slots, 1);
        a = LossArgs{LossOp::BinaryCrossEntropy};
        a.posWeight = 1.7f;
        b.lossInto(a, tx, tb, g1, slots, 2);
        a = LossArgs{LossOp::Huber};
        a.delta = 0.8f;
        b.lossInto(a, tp, tt, g3, slots, 3);
        b.countCorrect(tz, ty, slots, 4);
        b.countCorrect(tz, ty, slots, 4);  // adds
        b.countCorrect(tx, tb, slots, 5);
        return {download(b, slots), download(b, g), download(b, g1), download(b, g3)};
    });
    h.run("a loss kept on the device reports a bad label", 0.0, [=](Backend& b) -> Outputs {
        std::vector<int32_t> bad = labels;
        bad[7] = -1;
        Tensor tz = upload(b, {n, c}, z), ty = uploadInts(b, {n}, bad), g = Tensor::empty(b, {n, c});
        Tensor slots = Tensor::empty(b, {2});
        try {
            b.lossInto(LossArgs{}, tz, ty, g, slots, 0);
            download(b, slots);  // the GPU reports it here
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::BadInput) return {{1.f}};
        }
        return {{0.f}};
    });
    h.run("cross-entropy rejects a label outside the classes", 0.0, [=](Backend& b) -> Outputs {
        std::vector<int32_t> bad = labels;
        bad[5] = static_cast<int32_t>(c);
        Tensor tz = upload(b, {n, c}, z), ty = uploadInts(b, {n}, bad), g = Tensor::empty(b, {n, c});
        try {
            b.softmaxCrossEntropy(tz, ty, nullptr, 0.f, g);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::BadInput) return {{1.f}};
        }
        return {{0.f}};
    });
}

void optimizerOps(Harness& h) {
    const int64_t n = 5000;
    const auto w = h.random(n), g = h.random(n), s1 = h.random(n), s2 = h.random(n, 0.f, 0.5f);
    auto run = [=](Backend& b, int kind) -> Outputs {
        Tensor tw = upload(b, {n}, w), tg = upload(b, {n}, g);
        Tensor a = upload(b, {n}, s1), v = upload(b, {n}, s2);
        for (int step = 1; step <= 3; ++step) {
            if (kind == 0) b.sgdStep(tw, tg, a, SgdParams{0.05f, 0.9f, 1e-3f, true});
            if (kind == 1) {
                AdamParams p;
                p.weightDecay = 0.01f;
                p.step = step;
                b.adamStep(tw, tg, a, v, p);
            }
            if (kind == 2) {
                AdamParams p;
                p.weightDecay = 0.01f;
                p.decoupled = true;
                p.step = step;
                b.adamStep(tw, tg, a, v, p);
            }
            if (kind == 3) b.rmspropStep(tw, tg, v, a, RmspropParams{0.01f, 0.9f, 1e-8f, 0.5f, 1e-3f});
            if (kind == 4) b.regularize(tw, tg, 1e-3f, 1e-2f);
        }
        return {download(b, tw), download(b, tg), download(b, a), download(b, v)};
    };
    h.run("sgd (nesterov, weight decay)", kTol, [=](Backend& b) { return run(b, 0); });
    h.run("adam", kTol, [=](Backend& b) { return run(b, 1); });
    h.run("adamw", kTol, [=](Backend& b) { return run(b, 2); });
    h.run("rmsprop (momentum)", kTol, [=](Backend& b) { return run(b, 3); });
    h.run("regularize (l1, l2)", kTol, [=](Backend& b) { return run(b, 4); });
    const auto big = h.random(300000);
    h.run("sumSquares and allFinite", kTol, [=](Backend& b) -> Outputs {
        Tensor t = upload(b, {300000}, big);
        const double ss = b.sumSquares(t);
        const bool finite = b.allFinite(t);
        std::vector<float> withNan = big;
        withNan[123457] = std::numeric_limits<float>::quiet_NaN();
        Tensor tn = upload(b, {300000}, withNan);
        const bool nanFinite = b.allFinite(tn);
        return {{static_cast<float>(ss)}, {finite ? 1.f : 0.f, nanFinite ? 1.f : 0.f}};
    });
}

// LSTM and GRU over one and two directions (concatenated, summed), with and without biases:
// a training forward with both outputs, backward with both gradients, then an inference forward;
// and a layer read through its final state alone (no sequence output, no gradient of it). An
// inference forward between forward and backward must not change the gradients.
void recurrentOps(Harness& h) {
    struct Case {
        RnnCell cell;
        RnnMerge merge;
        bool bias, sequence;
        const char* label;
    };
    for (const Case c : {Case{RnnCell::Lstm, RnnMerge::None, true, true, "LSTM"},
                         Case{RnnCell::Lstm, RnnMerge::Concat, true, true, "LSTM bidirectional (concat)"},
                         Case{RnnCell::Lstm, RnnMerge::None, true, false, "LSTM final state only"},
                         Case{RnnCell::Gru, RnnMerge::None, true, true, "GRU"},
                         Case{RnnCell::Gru, RnnMerge::Sum, false, true, "GRU bidirectional (sum, no bias)"}}) {
        RnnDesc d;
        d.cell = c.cell, d.merge = c.merge, d.bias = c.bias;
        d.batch = 5, d.steps = 7, d.inputs = 6, d.hidden = 8;
        const int64_t gh = d.directions() * d.gates() * d.hidden, o = d.outputs();
        const Shape xs{d.batch, d.steps, d.inputs}, ys{d.batch, d.steps, o}, ls{d.batch, o};
        const Shape wis{gh, d.inputs}, whs{gh, d.hidden}, bs{gh};
        const auto x = h.random(xs.numel()), wih = h.random(wis.numel(), -0.4f, 0.4f);
        const auto whh = h.random(whs.numel(), -0.4f, 0.4f), bih = h.random(gh, -0.2f, 0.2f);
        const auto bhh = h.random(gh, -0.2f, 0.2f), dy = h.random(ys.numel()), dl = h.random(ls.numel());
        h.run(std::string(c.label) + " forward/backward", kTol, [=](Backend& b) -> Outputs {
            auto plan = b.makeRnn(d);
            Tensor tx = upload(b, xs, x), twi = upload(b, wis, wih), twh = upload(b, whs, whh);
            Tensor tbi = upload(b, bs, bih), tbh = upload(b, bs, bhh);
            const RnnWeights w{&twi, &twh, d.bias ? &tbi : nullptr, d.bias ? &tbh : nullptr};
            Tensor y = Tensor::empty(b, ys), last = Tensor::empty(b, ls);
            plan->forward(tx, w, c.sequence ? &y : nullptr, &last, true);
            Tensor yi = Tensor::empty(b, ys);  // an inference forward between: backward uses
            plan->forward(tx, w, &yi, nullptr, false);  // the training forward's results
            Tensor tdy = upload(b, ys, dy), tdl = upload(b, ls, dl), dx = Tensor::empty(b, xs);
            Tensor gwi = Tensor::empty(b, wis), gwh = Tensor::empty(b, whs);
            Tensor gbi = Tensor::empty(b, bs), gbh = Tensor::empty(b, bs);
            const RnnGrads g{&gwi, &gwh, d.bias ? &gbi : nullptr, d.bias ? &gbh : nullptr};
            plan->backward(tx, w, c.sequence ? &tdy : nullptr, &tdl, &dx, g);
            Outputs out{download(b, last), download(b, dx), download(b, gwi), download(b, gwh),
                        download(b, yi)};
            if (c.sequence) out.push_back(download(b, y));
            if (d.bias) out.insert(out.end(), {download(b, gbi), download(b, gbh)});
            return out;
        });
    }
}

// Embedding lookup and gradient over repeated ids and a padding id, then a bad id.
void embeddingOps(Harness& h) {
    const int64_t vocabulary = 50, dim = 16, count = 300, padding = 3;
    std::vector<float> ids;
    for (int32_t id : h.randomInts(count, static_cast<int32_t>(vocabulary))) ids.push_back(float(id));
    ids[7] = ids[100] = float(padding);
    const auto w = h.random(vocabulary * dim), dy = h.random(count * dim);
    h.run("embedding forward/backward (repeated ids, padding)", kTol, [=](Backend& b) -> Outputs {
        Tensor tid = upload(b, {count}, ids), tw = upload(b, {vocabulary, dim}, w);
        Tensor y = Tensor::empty(b, {count, dim}), tdy = upload(b, {count, dim}, dy);
        Tensor dw = Tensor::empty(b, {vocabulary, dim});
        b.embeddingForward(tid, tw, padding, y);
        b.embeddingBackward(tid, tdy, padding, dw);
        Tensor y2 = Tensor::empty(b, {count, dim});
        b.embeddingForward(tid, tw, -1, y2);
        return {download(b, y), download(b, dw), download(b, y2)};
    });
    h.run("embedding rejects an id outside the vocabulary", 0.0, [=](Backend& b) -> Outputs {
        std::vector<float> bad = ids;
        bad[9] = float(vocabulary);
        Tensor tid = upload(b, {count}, bad), tw = upload(b, {vocabulary, dim}, w);
        Tensor y = Tensor::empty(b, {count, dim});
        try {
            b.embeddingForward(tid, tw, padding, y);
            download(b, y);
        } catch (const Error& e) {
            if (e.kind() == ErrorKind::BadInput) return {{1.f}};
        }
        return {{0.f}};
    });
}

}  // namespace

std::vector<SelftestRow> runBackendSelftest(Backend& device, Backend& cpu, uint64_t seed) {
    Harness h(device, cpu, seed);
    denseOps(h);
    ConvDesc conv;
    conv.batch = 4, conv.inChannels = 3, conv.height = 12, conv.width = 11;
    conv.outChannels = 8, conv.kernelH = 3, conv.kernelW = 3;
    conv.padTop = conv.padLeft = conv.padBottom = conv.padRight = 1;
    convOps(h, conv, "");
    conv.strideH = conv.strideW = 2;
    conv.padTop = conv.padLeft = 0;
    conv.kernelH = 4, conv.kernelW = 2;
    convOps(h, conv, " (stride 2, asymmetric pad)");
    ConvDesc grouped = conv;  // grouped (2 groups) and depthwise, dilated
    grouped.inChannels = 4, grouped.outChannels = 6, grouped.groups = 2;
    grouped.dilationH = 2;
    convOps(h, grouped, " (2 groups, dilated)");
    grouped.outChannels = grouped.groups = 4;
    grouped.kernelH = grouped.kernelW = 3, grouped.strideH = grouped.strideW = 1, grouped.dilationH = 1;
    grouped.padTop = grouped.padLeft = grouped.padBottom = grouped.padRight = 1;
    convOps(h, grouped, " (depthwise 3x3)");
    ConvDesc seq;  // Conv1D: [N, T, C] channels-last, dilated and causal (all padding before)
    seq.channelsLast = true;
    seq.batch = 3, seq.inChannels = 5, seq.height = 1, seq.width = 20;
    seq.outChannels = 7, seq.kernelH = 1, seq.kernelW = 3, seq.dilationW = 2;
    seq.padLeft = 4;
    convOps(h, seq, " (1-D [N,T,C], dilated, causal)");
    seq.padLeft = seq.padRight = 2;
    seq.dilationW = 1, seq.kernelW = 5;
    convOps(h, seq, " (1-D [N,T,C], same)");
    PoolDesc pool;
    pool.batch = 3, pool.channels = 4, pool.height = 9, pool.width = 8;
    poolOps(h, pool, "max pool 2x2");
    pool.kind = PoolKind::Avg;
    pool.kernelH = pool.kernelW = 3;
    pool.strideH = pool.strideW = 2;
    pool.padTop = pool.padLeft = 1;
    poolOps(h, pool, "avg pool 3x3 stride 2 (asymmetric pad, excluded)");
    pool.kind = PoolKind::Max;
    pool.padBottom = pool.padRight = 0;
    poolOps(h, pool, "max pool 3x3 stride 2 (asymmetric pad)");
    // The 1-D pools' form: [N, T, C] as [N, 1, T, C], a window 3 x 1 along time ("same").
    PoolDesc seqPool;
    seqPool.batch = 3, seqPool.channels = 1, seqPool.height = 11, seqPool.width = 6;
    seqPool.kernelH = 3, seqPool.kernelW = 1, seqPool.strideH = 2, seqPool.strideW = 1;
    seqPool.padTop = seqPool.padBottom = 1;
    poolOps(h, seqPool, "max pool 1-D [N,T,C] 3 stride 2");
    seqPool.kind = PoolKind::Avg;
    poolOps(h, seqPool, "avg pool 1-D [N,T,C] 3 stride 2");
    batchNormOps(h);
    layerNormOps(h);
    recurrentOps(h);
    embeddingOps(h);
    eltwiseOps(h);
    dataOps(h);
    lossOps(h);
    optimizerOps(h);
    return h.rows();
}

}  // namespace neurite
