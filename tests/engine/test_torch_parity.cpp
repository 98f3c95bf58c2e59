// The reference kernels and layers against PyTorch: for fixed random inputs and weights, the
// outputs and gradients of Conv2D (TF "same" padding), Conv1D (same, causal, valid; strides and
// dilation), the 1-D pools (windowed and global), Dense, BatchNorm, pools, activations, the
// five losses and the optimizers must match torch's; the layer norm plan of the reference and of
// the CPU backend must match F.layer_norm (computed in float64) within 1e-5. The torch side is
// tests/support/torch_parity.py run with /usr/bin/python3 (Debian's python3-torch); the suite
// skips with the reason when that interpreter or torch is missing.
#include <QtTest>

#include <QProcess>
#include <QTemporaryDir>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <random>
#include <sstream>

#include "backend/cpu/cpu_backend.h"
#include "layers/registry.h"
#include "support/skip_missing.h"
#include "support/gradcheck.h"
#include "support/reference_backend.h"
#include "support/test_env.h"

using namespace neurite;
using test::toBackend;
using test::toHost;

namespace {

constexpr const char* kPython = "/usr/bin/python3";
using Params = std::map<std::string, ParamValue>;
using L = std::vector<int64_t>;

struct HostTensor {
    Shape shape;
    std::vector<float> data;
};

struct Case {
    std::string name, kind;
    std::vector<std::pair<std::string, std::string>> attrs;
    std::vector<std::pair<std::string, HostTensor>> inputs;
    std::map<std::string, std::vector<float>> outputs; // the reference's results
    double atol = 1e-5, rtol = 1e-4;
};

struct LayerRun {
    std::vector<float> y;
    std::vector<std::vector<float>> diffSrc, grads, buffers;
};

// Forward then backward with diffDst = r, parameters in paramSpecs order (buffers keep their init).
LayerRun runLayer(Backend& b, const std::string& type, const Params& given,
                  const std::vector<HostTensor>& inputs,
                  const std::vector<std::vector<float>>& weights, const std::vector<float>& r) {
    const LayerType* t = findLayerType(type);
    LayerParams p = checkParams(*t, given).params;
    std::vector<Shape> symbolic;
    std::vector<Tensor> src, diffSrc;
    std::vector<const Tensor*> srcPtrs;
    std::vector<Tensor*> diffPtrs;
    for (const HostTensor& h : inputs) {
        symbolic.push_back(h.shape.withBatch(Shape::kBatch));
        src.push_back(toBackend(b, h.data, h.shape));
        diffSrc.push_back(Tensor::empty(b, h.shape));
    }
    for (std::size_t i = 0; i < src.size(); ++i) {
        srcPtrs.push_back(&src[i]);
        diffPtrs.push_back(&diffSrc[i]);
    }
    Shape out = t->inferShape(p, symbolic).shape.withBatch(inputs[0].shape[0]);
    std::unique_ptr<Layer> layer = t->create(p);
    std::vector<Param> params;
    std::size_t next = 0;
    for (const ParamSpec& s : layer->paramSpecs(symbolic)) {
        Param q{s.name, Tensor::empty(b, s.shape), {}};
        if (s.trainable) {
            b.copyFromHost(q.value, weights.at(next++).data());
            q.grad = Tensor::empty(b, s.shape);
        } else {
            b.fill(q.value, s.init == Init::Ones ? 1.f : 0.f);
        }
        params.push_back(q);
    }
    layer->bindParams(params);
    LayerContext ctx{b, true, 1, 1};
    Tensor dst = Tensor::empty(b, out);
    layer->forward(ctx, srcPtrs, dst);
    Tensor rt = toBackend(b, r, out);
    layer->backward(ctx, srcPtrs, dst, rt, diffPtrs);
    LayerRun run;
    run.y = toHost(b, dst);
    for (Tensor& d : diffSrc)
        run.diffSrc.push_back(toHost(b, d));
    for (Param& q : params)
        (q.grad.defined() ? run.grads : run.buffers)
            .push_back(toHost(b, q.grad.defined() ? q.grad : q.value));
    return run;
}

class Builder {
public:
    explicit Builder(uint64_t seed) : m_rng(seed) {}

    HostTensor random(Shape s, double lo = -1, double hi = 1) {
        return {s, test::uniform(m_rng, s.numel(), lo, hi)};
    }
    Shape outShape(const std::string& type, const Params& given, const Shape& in) {
        const LayerType* t = findLayerType(type);
        return t
            ->inferShape(checkParams(*t, given).params,
                         std::vector<Shape>{in.withBatch(Shape::kBatch)})
            .shape.withBatch(in[0]);
    }

    void conv(std::string name, Shape in, int64_t filters, L k, L stride, std::string padding,
              bool bias) {
        Params p{{"filters", filters},
                 {"kernel_size", k},
                 {"strides", stride},
                 {"padding", padding},
                 {"bias", bias}};
        HostTensor x = random(in), w = random(Shape{filters, in[1], k[0], k[1]}, -0.5, 0.5);
        HostTensor b = random(Shape{filters}), r = random(outShape("Conv2D", p, in));
        std::vector<std::vector<float>> weights{w.data};
        if (bias) weights.push_back(b.data);
        LayerRun run = runLayer(m_backend, "Conv2D", p, {x}, weights, r.data);
        Case c{name,
               "conv",
               {{"stride", join(stride)}, {"padding", padding}},
               {{"x", x}, {"w", w}, {"r", r}},
               {}};
        if (bias) c.inputs.push_back({"b", b});
        c.outputs = {{"y", run.y}, {"dx", run.diffSrc[0]}, {"dw", run.grads[0]}};
        if (bias) c.outputs["db"] = run.grads[1];
        cases.push_back(c);
    }

    // Conv1D on [N, T, C]: the weight is torch's Conv1d weight [K, C, k] as it is.
    void conv1d(std::string name, Shape in, int64_t filters, int64_t k, int64_t stride, int64_t dilation,
                std::string padding, bool bias) {
        Params p{{"filters", filters},
                 {"kernel_size", k},
                 {"strides", stride},
                 {"dilation", dilation},
                 {"padding", padding},
                 {"bias", bias}};
        HostTensor x = random(in), w = random(Shape{filters, in[2], k}, -0.5, 0.5);
        HostTensor b = random(Shape{filters}), r = random(outShape("Conv1D", p, in));
        std::vector<std::vector<float>> weights{w.data};
        if (bias) weights.push_back(b.data);
        LayerRun run = runLayer(m_backend, "Conv1D", p, {x}, weights, r.data);
        Case c{name,
               "conv1d",
               {{"stride", std::to_string(stride)}, {"dilation", std::to_string(dilation)}, {"padding", padding}},
               {{"x", x}, {"w", w}, {"r", r}},
               {}};
        if (bias) c.inputs.push_back({"b", b});
        c.outputs = {{"y", run.y}, {"dx", run.diffSrc[0]}, {"dw", run.grads[0]}};
        if (bias) c.outputs["db"] = run.grads[1];
        cases.push_back(c);
    }

    // steps > 0: a sequence [n, steps, in], the same weights at every step
    void dense(std::string name, int64_t n, int64_t in, int64_t units, int64_t steps = 0) {
        Params p{{"units", units}};
        const Shape xs = steps ? Shape{n, steps, in} : Shape{n, in}, ys = steps ? Shape{n, steps, units} : Shape{n, units};
        HostTensor x = random(xs), w = random(Shape{units, in}), b = random(Shape{units});
        HostTensor r = random(ys);
        LayerRun run = runLayer(m_backend, "Dense", p, {x}, {w.data, b.data}, r.data);
        cases.push_back(
            {name,
             "dense",
             {},
             {{"x", x}, {"w", w}, {"b", b}, {"r", r}},
             {{"y", run.y}, {"dx", run.diffSrc[0]}, {"dw", run.grads[0]}, {"db", run.grads[1]}}});
    }

    void batchNorm(std::string name, Shape in) {
        Params p{{"momentum", 0.1}, {"epsilon", 1e-5}};
        HostTensor x = random(in, -2, 3), g = random(Shape{in[1]}, 0.5, 1.5),
                   b = random(Shape{in[1]});
        HostTensor r = random(in);
        LayerRun run = runLayer(m_backend, "BatchNorm", p, {x}, {g.data, b.data}, r.data);
        Case c{name,
               "batchnorm",
               {{"momentum", "0.1"}, {"eps", "1e-05"}},
               {{"x", x}, {"gamma", g}, {"beta", b}, {"r", r}},
               {{"y", run.y},
                {"dx", run.diffSrc[0]},
                {"dgamma", run.grads[0]},
                {"dbeta", run.grads[1]},
                {"running_mean", run.buffers[0]},
                {"running_var", run.buffers[1]}}};
        c.atol = 1e-4;
        cases.push_back(c);
    }

    // The backends' LayerNormPlan (no layer yet) over the last axis of `in`, on the reference
    // and on the CPU backend with the same data: y and the three gradients for diffDst = r.
    void layerNorm(const std::string& name, Shape in, double offset) {
        const int64_t d = in[in.rank() - 1];
        const LayerNormDesc desc{in.numel() / d, d, 1e-5f};
        HostTensor x = random(in, offset - 1, offset + 1), r = random(in);
        HostTensor g = random(Shape{d}, 0.5, 1.5), b = random(Shape{d});
        std::ostringstream eps;
        eps << std::setprecision(17) << double(desc.epsilon);
        for (Backend* be : {static_cast<Backend*>(&m_backend), m_cpu.get()}) {
            auto plan = be->makeLayerNorm(desc);
            Tensor tx = toBackend(*be, x.data, in), tr = toBackend(*be, r.data, in);
            Tensor tg = toBackend(*be, g.data, Shape{d}), tb = toBackend(*be, b.data, Shape{d});
            Tensor y = Tensor::empty(*be, in), dx = Tensor::empty(*be, in);
            Tensor dg = Tensor::empty(*be, Shape{d}), db = Tensor::empty(*be, Shape{d});
            plan->forward(tx, tg, tb, y);
            plan->backward(tx, tr, tg, dx, dg, db);
            Case c{name + (be == &m_backend ? "_ref" : "_cpu"),
                   "layernorm",
                   {{"eps", eps.str()}},
                   {{"x", x}, {"gamma", g}, {"beta", b}, {"r", r}},
                   {{"y", toHost(*be, y)},
                    {"dx", toHost(*be, dx)},
                    {"dgamma", toHost(*be, dg)},
                    {"dbeta", toHost(*be, db)}}};
            c.atol = 1e-5;
            c.rtol = 1e-5;
            cases.push_back(c);
        }
    }

    // LSTM / GRU layers from torch's parameters (nn.LSTM / nn.GRU, batch_first), on the reference
    // and on the CPU backend (oneDNN's RNN primitives) with the same data.
    void rnn(const std::string& name, const std::string& type, Shape in, int64_t units, bool sequences,
             const std::string& merge, bool bias) {
        const bool bidir = merge != "none";
        Params p{{"units", units}, {"return_sequences", sequences}, {"bidirectional", bidir}, {"bias", bias}};
        if (bidir) p["merge"] = merge;
        const int64_t rows = (bidir ? 2 : 1) * (type == "LSTM" ? 4 : 3) * units;
        HostTensor x = random(in), wih = random(Shape{rows, in[2]}, -0.6, 0.6), whh = random(Shape{rows, units}, -0.6, 0.6);
        HostTensor bih = random(Shape{rows}), bhh = random(Shape{rows}), r = random(outShape(type, p, in));
        std::vector<std::vector<float>> weights{wih.data, whh.data};
        if (bias) weights.insert(weights.end(), {bih.data, bhh.data});
        for (Backend* be : {static_cast<Backend*>(&m_backend), m_cpu.get()}) {
            LayerRun run = runLayer(*be, type, p, {x}, weights, r.data);
            Case c{name + (be == &m_backend ? "_ref" : "_cpu"),
                   "rnn",
                   {{"cell", type == "LSTM" ? "lstm" : "gru"}, {"seq", sequences ? "1" : "0"}, {"merge", merge}},
                   {{"x", x}, {"wih", wih}, {"whh", whh}, {"r", r}},
                   {{"y", run.y}, {"dx", run.diffSrc[0]}, {"dwih", run.grads[0]}, {"dwhh", run.grads[1]}}};
            if (bias) {
                c.inputs.push_back({"bih", bih});
                c.inputs.push_back({"bhh", bhh});
                c.outputs["dbih"] = run.grads[2];
                c.outputs["dbhh"] = run.grads[3];
            }
            c.atol = 1e-5;
            c.rtol = 1e-5;
            cases.push_back(c);
        }
    }

    // nn.Embedding(vocabulary, dim, padding_idx) from the same weight, on the reference and the
    // CPU backend; ids drawn with repeats (gradients that add up) and the padding id among them.
    void embedding(const std::string& name, int64_t n, int64_t steps, int64_t vocabulary, int64_t dim,
                   int64_t padding) {
        Params p{{"vocabulary_size", vocabulary}, {"dimension", dim}, {"padding", padding >= 0}};
        if (padding >= 0) p["padding_index"] = padding;
        HostTensor ids{Shape{n, steps}, {}};
        std::uniform_int_distribution<int64_t> pick(0, vocabulary - 1);
        for (int64_t i = 0; i < n * steps; ++i) ids.data.push_back(float(i == 1 && padding >= 0 ? padding : pick(m_rng)));
        HostTensor w = random(Shape{vocabulary, dim}), r = random(Shape{n, steps, dim});
        for (Backend* be : {static_cast<Backend*>(&m_backend), m_cpu.get()}) {
            LayerRun run = runLayer(*be, "Embedding", p, {ids}, {w.data}, r.data);
            cases.push_back({name + (be == &m_backend ? "_ref" : "_cpu"),
                             "embedding",
                             {{"padding", std::to_string(padding)}},
                             {{"ids", ids}, {"w", w}, {"r", r}},
                             {{"y", run.y}, {"dw", run.grads[0]}}});
        }
    }

    void pool(std::string name, bool max, Shape in, L k, L stride, std::string padding) {
        const std::string type = max ? "MaxPool2D" : "AvgPool2D";
        Params p{{"pool_size", k}, {"strides", stride}, {"padding", padding}};
        HostTensor x = random(in), r = random(outShape(type, p, in));
        LayerRun run = runLayer(m_backend, type, p, {x}, {}, r.data);
        cases.push_back({name,
                         "pool",
                         {{"kind", max ? "max" : "avg"},
                          {"k", join(k)},
                          {"stride", join(stride)},
                          {"padding", padding}},
                         {{"x", x}, {"r", r}},
                         {{"y", run.y}, {"dx", run.diffSrc[0]}}});
    }

    // The 1-D pools on [N, T, C]; stride 0 = pool_size; k 0 = the global form.
    void pool1d(std::string name, bool max, Shape in, int64_t k, int64_t stride, std::string padding) {
        const bool global = k == 0;
        const std::string type = std::string(global ? "Global" : "") + (max ? "MaxPool1D" : "AvgPool1D");
        Params p;
        if (!global) p = {{"pool_size", k}, {"strides", stride}, {"padding", padding}};
        HostTensor x = random(in), r = random(outShape(type, p, in));
        LayerRun run = runLayer(m_backend, type, p, {x}, {}, r.data);
        cases.push_back({name,
                         "pool1d",
                         {{"kind", max ? "max" : "avg"},
                          {"global", global ? "1" : "0"},
                          {"k", std::to_string(k)},
                          {"stride", std::to_string(stride > 0 ? stride : k)},
                          {"padding", padding}},
                         {{"x", x}, {"r", r}},
                         {{"y", run.y}, {"dx", run.diffSrc[0]}}});
    }

    void globalAvg(std::string name, Shape in) {
        HostTensor x = random(in), r = random(Shape{in[0], in[1]});
        LayerRun run = runLayer(m_backend, "GlobalAvgPool", {}, {x}, {}, r.data);
        cases.push_back(
            {name, "global_avg", {}, {{"x", x}, {"r", r}}, {{"y", run.y}, {"dx", run.diffSrc[0]}}});
    }

    void activation(std::string type, std::string fn, Params p, std::string alpha) {
        Shape s{4, 5, 3};
        const double range = type == "ReLU6" ? 9 : 3;  // past ReLU6's upper kink at 6 too
        HostTensor x = random(s, -range, range), r = random(s);
        LayerRun run = runLayer(m_backend, type, p, {x}, {}, r.data);
        cases.push_back({fn,
                         "act",
                         {{"fn", fn}, {"alpha", alpha}},
                         {{"x", x}, {"r", r}},
                         {{"y", run.y}, {"dx", run.diffSrc[0]}}});
    }

    // Losses go straight to the backend: loss value and dLoss/dx.
    void loss(std::string name, std::vector<std::pair<std::string, std::string>> attrs, Shape shape,
              std::vector<std::pair<std::string, HostTensor>> extra,
              const std::function<float(Backend&, const Tensor&, Tensor&)>& fn) {
        HostTensor x = random(shape, -3, 3);
        Tensor xt = toBackend(m_backend, x.data, shape), diff = Tensor::empty(m_backend, shape);
        float value = fn(m_backend, xt, diff);
        extra.insert(extra.begin(), {"x", x});
        cases.push_back(
            {name, "loss", attrs, extra, {{"loss", {value}}, {"dx", toHost(m_backend, diff)}}});
    }

    // Three steps from w0 with random gradients; the reference's w after each step.
    void optimizer(std::string name, std::vector<std::pair<std::string, std::string>> attrs,
                   const std::function<void(Backend&, Tensor&, const Tensor&, Tensor&, Tensor&,
                                            int64_t)>& step) {
        const int64_t n = 6, steps = 3;
        HostTensor w0 = random(Shape{n}), grads = random(Shape{steps, n});
        Tensor w = toBackend(m_backend, w0.data, Shape{n});
        Tensor s1 = Tensor::empty(m_backend, Shape{n}), s2 = Tensor::empty(m_backend, Shape{n});
        m_backend.fill(s1, 0.f);
        m_backend.fill(s2, 0.f);
        std::vector<float> history;
        for (int64_t k = 0; k < steps; ++k) {
            std::vector<float> g(grads.data.begin() + k * n, grads.data.begin() + (k + 1) * n);
            step(m_backend, w, toBackend(m_backend, g, Shape{n}), s1, s2, k + 1);
            for (float v : toHost(m_backend, w))
                history.push_back(v);
        }
        cases.push_back({name, "opt", attrs, {{"w0", w0}, {"grads", grads}}, {{"w", history}}});
    }

    std::vector<int32_t> labels(int64_t n, int64_t classes) {
        std::vector<int32_t> y;
        for (int64_t i = 0; i < n; ++i)
            y.push_back(int32_t(std::uniform_int_distribution<int64_t>(0, classes - 1)(m_rng)));
        return y;
    }

    static std::string join(const L& v) {
        return std::to_string(v[0]) + "," + std::to_string(v[1]);
    }

    std::vector<Case> cases;
    test::ReferenceBackend m_backend;
    std::unique_ptr<Backend> m_cpu = cpu::makeCpuBackend();

private:
    std::mt19937_64 m_rng;
};

HostTensor asFloats(const std::vector<int32_t>& v) {
    return {Shape{int64_t(v.size())}, std::vector<float>(v.begin(), v.end())};
}

std::vector<Case> buildCases() {
    Builder b(20240611);
    b.conv("conv_same_s1", Shape{2, 3, 7, 6}, 4, {3, 3}, {1, 1}, "same", true);
    b.conv("conv_same_s2", Shape{2, 3, 7, 6}, 4, {3, 3}, {2, 2}, "same", true);
    b.conv("conv_same_k4_uneven", Shape{1, 2, 6, 7}, 3, {4, 4}, {1, 1}, "same", false);
    b.conv("conv_valid_k5_s2", Shape{2, 2, 9, 8}, 3, {5, 5}, {2, 2}, "valid", true);
    b.conv("conv_valid_k3x1", Shape{1, 3, 5, 4}, 2, {3, 1}, {1, 2}, "valid", true);
    b.conv1d("conv1d_same", Shape{2, 9, 3}, 4, 3, 1, 1, "same", true);
    b.pool1d("maxpool1d_2", true, Shape{2, 9, 3}, 2, 0, "valid");
    b.pool1d("maxpool1d_3_s2_same", true, Shape{2, 10, 4}, 3, 2, "same");
    b.pool1d("avgpool1d_3_s2_same", false, Shape{2, 10, 4}, 3, 2, "same");
    b.pool1d("avgpool1d_2_s1", false, Shape{1, 7, 5}, 2, 1, "valid");
    b.pool1d("globalmaxpool1d", true, Shape{3, 8, 4}, 0, 0, "valid");
    b.pool1d("globalavgpool1d", false, Shape{3, 8, 4}, 0, 0, "valid");
    b.conv1d("conv1d_same_s2_uneven", Shape{2, 10, 2}, 3, 4, 2, 1, "same", false);
    b.conv1d("conv1d_causal_d2", Shape{2, 11, 3}, 2, 3, 1, 2, "causal", true);
    b.conv1d("conv1d_valid_k5_d3_s2", Shape{1, 20, 4}, 3, 5, 2, 3, "valid", true);
    b.rnn("lstm_last", "LSTM", Shape{3, 5, 4}, 6, false, "none", true);
    b.rnn("lstm_sequences", "LSTM", Shape{2, 7, 3}, 5, true, "none", true);
    b.rnn("lstm_bidir_concat", "LSTM", Shape{2, 4, 3}, 4, true, "concat", true);
    b.rnn("lstm_bidir_sum_last_nobias", "LSTM", Shape{3, 6, 2}, 3, false, "sum", false);
    b.rnn("gru_last", "GRU", Shape{3, 5, 4}, 6, false, "none", true);
    b.rnn("gru_sequences", "GRU", Shape{2, 7, 3}, 5, true, "none", true);
    b.rnn("gru_bidir_concat_last", "GRU", Shape{2, 4, 3}, 4, false, "concat", true);
    b.rnn("gru_bidir_sum_nobias", "GRU", Shape{3, 6, 2}, 3, true, "sum", false);
    b.dense("dense", 4, 7, 5);
    b.dense("dense_per_step", 3, 6, 4, 5);
    b.embedding("embedding_padding", 3, 7, 6, 4, 0);
    b.embedding("embedding_no_padding", 4, 5, 9, 3, -1);
    b.embedding("embedding_padding_last_id", 2, 30, 5, 8, 4);
    b.batchNorm("batchnorm_2d", Shape{6, 3});
    b.batchNorm("batchnorm_4d", Shape{3, 2, 4, 5});
    b.layerNorm("layernorm_3d", Shape{4, 6, 10}, 0);
    b.layerNorm("layernorm_d1", Shape{3, 1}, 0);
    b.layerNorm("layernorm_d257", Shape{5, 257}, 0);
    b.layerNorm("layernorm_mean_1e3", Shape{3, 1000}, 1000);
    b.pool("maxpool_2x2", true, Shape{2, 3, 6, 7}, {2, 2}, {2, 2}, "valid");
    b.pool("maxpool_3x3_s2_same", true, Shape{2, 2, 7, 6}, {3, 3}, {2, 2}, "same");
    b.pool("avgpool_2x2", false, Shape{2, 3, 6, 7}, {2, 2}, {2, 2}, "valid");
    b.pool("avgpool_3x3_s2_same", false, Shape{2, 2, 7, 6}, {3, 3}, {2, 2}, "same");
    b.pool("avgpool_2x2_s1_same", false, Shape{1, 2, 5, 4}, {2, 2}, {1, 1}, "same");
    b.globalAvg("global_avg", Shape{2, 3, 5, 4});
    // Every row of the activation table (backend/activations.h): torch_parity.py must know each
    // by its layer name, so a new activation without its PyTorch counterpart fails here. Alpha
    // off its default, so a formula that ignores it shows.
    for (const ActivationInfo& a : kActivations) {
        if (!a.hasAlpha()) {
            b.activation(a.name, a.name, {}, "0");
            continue;
        }
        const double alpha = a.defaultAlpha * 0.7 + 0.05;
        b.activation(a.name, a.name, {{"alpha", alpha}}, std::to_string(alpha));
    }
    b.activation("Softmax", "Softmax", {}, "0");
    b.activation("LogSoftmax", "LogSoftmax", {}, "0");

    const int64_t n = 6, c = 4;
    std::vector<int32_t> y = b.labels(n, c);
    HostTensor weights = b.random(Shape{c}, 0.3, 2.0), soft = b.random(Shape{n, 1}, 0, 1);
    HostTensor targets = b.random(Shape{n, c}, -3, 3);
    Tensor labels = test::toBackendI32(b.m_backend, y, Shape{n});
    Tensor w = toBackend(b.m_backend, weights.data, Shape{c});
    Tensor s = toBackend(b.m_backend, soft.data, Shape{n, 1});
    Tensor t = toBackend(b.m_backend, targets.data, Shape{n, c});
    b.loss("ce", {{"fn", "ce"}, {"smoothing", "0"}}, Shape{n, c}, {{"labels", asFloats(y)}},
           [&](Backend& be, const Tensor& x, Tensor& d) {
               return be.softmaxCrossEntropy(x, labels, nullptr, 0.f, d);
           });
    b.loss("ce_weight_smoothing", {{"fn", "ce"}, {"smoothing", "0.2"}}, Shape{n, c},
           {{"labels", asFloats(y)}, {"weight", weights}},
           [&](Backend& be, const Tensor& x, Tensor& d) {
               return be.softmaxCrossEntropy(x, labels, &w, 0.2f, d);
           });
    b.loss("bce_pos_weight", {{"fn", "bce"}, {"pos_weight", "2.5"}}, Shape{n, 1},
           {{"targets", soft}}, [&](Backend& be, const Tensor& x, Tensor& d) {
               return be.binaryCrossEntropy(x, s, 2.5f, d);
           });
    b.loss("focal", {{"fn", "focal"}, {"gamma", "2"}, {"alpha", "0.25"}}, Shape{n, c},
           {{"labels", asFloats(y)}}, [&](Backend& be, const Tensor& x, Tensor& d) {
               return be.focalLoss(x, labels, 2.f, 0.25f, d);
           });
    b.loss("mse", {{"fn", "mse"}}, Shape{n, c}, {{"targets", targets}},
           [&](Backend& be, const Tensor& x, Tensor& d) { return be.mseLoss(x, t, d); });
    b.loss("huber", {{"fn", "huber"}, {"delta", "1.5"}}, Shape{n, c}, {{"targets", targets}},
           [&](Backend& be, const Tensor& x, Tensor& d) { return be.huberLoss(x, t, 1.5f, d); });

    auto sgd = [](float momentum, float wd, bool nesterov) {
        return [=](Backend& be, Tensor& p, const Tensor& g, Tensor& s1, Tensor&, int64_t) {
            be.sgdStep(p, g, s1, SgdParams{0.1f, momentum, wd, nesterov});
        };
    };
    b.optimizer(
        "sgd_momentum_wd",
        {{"fn", "sgd"}, {"lr", "0.1"}, {"momentum", "0.9"}, {"wd", "0.01"}, {"nesterov", "0"}},
        sgd(0.9f, 0.01f, false));
    b.optimizer("sgd_nesterov",
                {{"fn", "sgd"}, {"lr", "0.1"}, {"momentum", "0.8"}, {"nesterov", "1"}},
                sgd(0.8f, 0, true));
    auto adam = [](float wd, bool decoupled) {
        return [=](Backend& be, Tensor& p, const Tensor& g, Tensor& m, Tensor& v, int64_t step) {
            AdamParams a;
            a.lr = 0.01f;
            a.weightDecay = wd;
            a.decoupled = decoupled;
            a.step = step;
            be.adamStep(p, g, m, v, a);
        };
    };
    b.optimizer("adam_l2", {{"fn", "adam"}, {"lr", "0.01"}, {"wd", "0.05"}}, adam(0.05f, false));
    b.optimizer("adamw", {{"fn", "adamw"}, {"lr", "0.01"}, {"wd", "0.05"}}, adam(0.05f, true));
    b.optimizer("rmsprop_momentum",
                {{"fn", "rmsprop"}, {"lr", "0.01"}, {"momentum", "0.9"}, {"wd", "0.01"}},
                [](Backend& be, Tensor& p, const Tensor& g, Tensor& sq, Tensor& buf, int64_t) {
                    RmspropParams r;
                    r.momentum = 0.9f;
                    r.weightDecay = 0.01f;
                    be.rmspropStep(p, g, sq, buf, r);
                });
    return b.cases;
}

void writeCases(const std::vector<Case>& cases, const QString& dir) {
    std::ofstream list((dir + "/cases.txt").toStdString());
    for (const Case& c : cases) {
        list << c.name << " " << c.kind;
        for (const auto& [k, v] : c.attrs)
            list << " " << k << "=" << v;
        for (const auto& [k, t] : c.inputs) {
            list << " @" << k << "=";
            for (int i = 0; i < t.shape.rank(); ++i)
                list << (i ? "x" : "") << t.shape[i];
            std::ofstream bin(
                (dir + "/" + QString::fromStdString(c.name + "." + k + ".bin")).toStdString(),
                std::ios::binary);
            bin.write(reinterpret_cast<const char*>(t.data.data()),
                      std::streamsize(t.data.size() * sizeof(float)));
        }
        list << "\n";
    }
}

std::vector<float> readFloats(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    QByteArray bytes = f.readAll();
    std::vector<float> v(std::size_t(bytes.size()) / sizeof(float));
    std::memcpy(v.data(), bytes.constData(), v.size() * sizeof(float));
    return v;
}

} // namespace

class TestTorchParity : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        if (!QFileInfo::exists(kPython)) NEURITE_SKIP_MISSING("no /usr/bin/python3 (install python3-torch)");
        QProcess probe;
        probe.start(kPython, {"-c", "import torch"});
        if (!probe.waitForFinished(120000) || probe.exitCode() != 0)
            NEURITE_SKIP_MISSING("/usr/bin/python3 cannot import torch (install python3-torch)");
        QVERIFY(m_dir.isValid());
        m_cases = buildCases();
        writeCases(m_cases, m_dir.path());
        QString script =
            QString::fromStdString(test::sourceDir()) + "/tests/support/torch_parity.py";
        if (!QFileInfo::exists(script))
            script = QString(QT_TESTCASE_SOURCEDIR) + "/support/torch_parity.py";
        QProcess run;
        run.setProcessChannelMode(QProcess::MergedChannels);
        run.start(kPython, {script, m_dir.path()});
        QVERIFY2(run.waitForFinished(300000), "torch_parity.py timed out");
        QVERIFY2(run.exitStatus() == QProcess::NormalExit && run.exitCode() == 0,
                 qPrintable("torch_parity.py failed:\n" + QString::fromUtf8(run.readAll())));
    }

    void matchesTorch_data() {
        QTest::addColumn<int>("row");
        for (std::size_t i = 0; i < m_cases.size(); ++i)
            QTest::newRow(m_cases[i].name.c_str()) << int(i);
    }
    void matchesTorch() {
        QFETCH(int, row);
        const Case& c = m_cases[std::size_t(row)];
        for (const auto& [key, ours] : c.outputs) {
            std::vector<float> theirs = readFloats(
                m_dir.path() + "/" + QString::fromStdString(c.name + "." + key + ".out.bin"));
            QVERIFY2(theirs.size() == ours.size(),
                     qPrintable(QString("%1: torch gave %2 values, the reference %3")
                                    .arg(QString::fromStdString(key))
                                    .arg(theirs.size())
                                    .arg(ours.size())));
            for (std::size_t i = 0; i < ours.size(); ++i) {
                double a = ours[i], t = theirs[i];
                QVERIFY2(std::abs(a - t) <= c.atol + c.rtol * std::abs(t),
                         qPrintable(QString("%1[%2]: reference %3, torch %4")
                                        .arg(QString::fromStdString(key))
                                        .arg(i)
                                        .arg(a, 0, 'g', 9)
                                        .arg(t, 0, 'g', 9)));
            }
        }
    }

private:
    QTemporaryDir m_dir;
    std::vector<Case> m_cases;
};

QTEST_APPLESS_MAIN(TestTorchParity)
#include "test_torch_parity.moc"
