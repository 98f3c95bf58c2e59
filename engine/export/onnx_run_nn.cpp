// The ONNX interpreter's network operators (onnx_run_internal.h): Gemm, MatMul, Conv,
// BatchNormalization, LayerNormalization, MaxPool, AveragePool and GlobalAveragePool. Conv and the
// pools are N-D; both read their input through one table of input offsets per (kernel position,
// output position), built once per node from the padding rules, so the sliding window is written
// once.
#include <algorithm>
#include <cmath>
#include <limits>

#include "export/onnx_run_internal.h"

namespace neurite::onnxrun {

namespace {

std::vector<Tensor> gemm(const OpContext& ctx) {
    const Tensor& a = ctx.floatIn(0);
    const Tensor& b = ctx.floatIn(1);
    if (a.dims.size() != 2 || b.dims.size() != 2) ctx.fail("A and B must be 2-D");
    const bool ta = ctx.node().i("transA", 0) != 0, tb = ctx.node().i("transB", 0) != 0;
    const float alpha = ctx.node().f("alpha", 1.f), beta = ctx.node().f("beta", 1.f);
    const int64_t m = a.dims[ta ? 1 : 0], k = a.dims[ta ? 0 : 1];
    const int64_t kb = b.dims[tb ? 1 : 0], n = b.dims[tb ? 0 : 1];
    if (k != kb)
        ctx.fail("A's inner dimension " + std::to_string(k) + " differs from B's " +
                 std::to_string(kb));
    ctx.checkWork({m, k, n});
    Tensor y = ctx.floatTensor({m, n});
    std::vector<float> acc(static_cast<std::size_t>(n));
    for (int64_t i = 0; i < m; ++i) {
        std::fill(acc.begin(), acc.end(), 0.f);
        for (int64_t p = 0; p < k; ++p) {
            const float av = a.f[static_cast<std::size_t>(ta ? p * m + i : i * k + p)];
            for (int64_t j = 0; j < n; ++j)
                acc[j] += av * b.f[static_cast<std::size_t>(tb ? j * k + p : p * n + j)];
        }
        for (int64_t j = 0; j < n; ++j)
            y.f[static_cast<std::size_t>(i * n + j)] = alpha * acc[j];
    }
    if (const Tensor* c = ctx.optional(2); c && beta != 0.f) {
        if (c->integer) ctx.fail("C must be a float tensor");
        if (c->dims.size() > 2 || ctx.broadcast(c->dims, {m, n}) != std::vector<int64_t>{m, n})
            ctx.fail("C does not broadcast to the output's shape [M, N]");
        const std::vector<int64_t> s = broadcastStrides(c->dims, {m, n});
        for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j)
                y.f[static_cast<std::size_t>(i * n + j)] +=
                    beta * c->f[static_cast<std::size_t>(i * s[0] + j * s[1])];
    }
    return {std::move(y)};
}

// MatMul as numpy.matmul: a 1-D A gains a leading 1 and a 1-D B a trailing 1 (both dropped from
// the result); leading batch dimensions broadcast.
std::vector<Tensor> matmul(const OpContext& ctx) {
    const Tensor& a = ctx.floatIn(0);
    const Tensor& b = ctx.floatIn(1);
    if (a.dims.empty() || b.dims.empty()) ctx.fail("scalar operands are not allowed");
    std::vector<int64_t> ad = a.dims, bd = b.dims;
    if (ad.size() == 1) ad.insert(ad.begin(), 1);
    if (bd.size() == 1) bd.push_back(1);
    const int64_t m = ad[ad.size() - 2], k = ad.back(), n = bd.back();
    if (bd[bd.size() - 2] != k)
        ctx.fail("A's last dimension " + std::to_string(k) + " differs from B's row count " +
                 std::to_string(bd[bd.size() - 2]));
    const std::vector<int64_t> batchA(ad.begin(), ad.end() - 2), batchB(bd.begin(), bd.end() - 2);
    const std::vector<int64_t> batch = ctx.broadcast(batchA, batchB);
    const auto sa = broadcastStrides(batchA, batch), sb = broadcastStrides(batchB, batch);
    std::vector<int64_t> dims = batch;
    if (a.dims.size() > 1) dims.push_back(m);
    if (b.dims.size() > 1) dims.push_back(n);
    Tensor y = ctx.floatTensor(dims);
    const int64_t count = product(batch);
    ctx.checkWork({count, m, k, n});
    std::vector<int64_t> index(batch.size(), 0);
    int64_t offA = 0, offB = 0; // in matrices
    for (int64_t q = 0; q < count; ++q) {
        const float* pa = a.f.data() + offA * m * k;
        const float* pb = b.f.data() + offB * k * n;
        float* py = y.f.data() + q * m * n;
        for (int64_t i = 0; i < m; ++i)
            for (int64_t p = 0; p < k; ++p) {
                const float av = pa[i * k + p];
                for (int64_t j = 0; j < n; ++j)
                    py[i * n + j] += av * pb[p * n + j];
            }
        for (std::size_t d = batch.size(); d-- > 0;) {
            offA += sa[d], offB += sb[d];
            if (++index[d] < batch[d]) break;
            offA -= sa[d] * batch[d], offB -= sb[d] * batch[d];
            index[d] = 0;
        }
    }
    return {std::move(y)};
}

// The sliding window of Conv and the pools over spatial dims. offsets[kk * outCount + o] is the
// input's spatial offset read by kernel position kk at output position o, kPad in the padding and
// kBeyond past the padded input (a window that ceil_mode lets run off the end).
struct Window {
    std::vector<int64_t> outDims;
    int64_t kernelCount = 1, outCount = 1;
    std::vector<int32_t> offsets; // an offset within one input plane (at most 2^28)
};
constexpr int64_t kPad = -1, kBeyond = -2;

Window window(const OpContext& ctx, const std::vector<int64_t>& in,
              const std::vector<int64_t>& kernel, bool ceilMode, bool dilationsAllowed) {
    const std::size_t n = in.size();
    const auto& node = ctx.node();
    const std::vector<int64_t> strides = node.ints("strides", std::vector<int64_t>(n, 1));
    const std::vector<int64_t> dil = node.ints("dilations", std::vector<int64_t>(n, 1));
    std::vector<int64_t> pads = node.ints("pads", std::vector<int64_t>(2 * n, 0));
    if (strides.size() != n || dil.size() != n || pads.size() != 2 * n)
        ctx.fail("strides, dilations or pads do not match the " + std::to_string(n) +
                 " spatial dimensions");
    if (!dilationsAllowed && std::any_of(dil.begin(), dil.end(), [](int64_t d) { return d != 1; }))
        ctx.fail("dilations are not part of this operator at this opset");
    const std::string autoPad = node.s("auto_pad", "NOTSET");
    Window w;
    for (std::size_t d = 0; d < n; ++d) {
        if (kernel[d] < 1 || strides[d] < 1 || dil[d] < 1 || pads[d] < 0 || pads[d + n] < 0)
            ctx.fail("kernel_shape, strides and dilations must be positive and pads not negative");
        if (kernel[d] > kMaxElements || dil[d] > kMaxElements || strides[d] > kMaxElements ||
            pads[d] > kMaxElements || pads[d + n] > kMaxElements)
            ctx.fail("kernel_shape, strides, dilations or pads are absurdly large");
        const int64_t span = (kernel[d] - 1) * dil[d] + 1;
        int64_t out = 0;
        if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
            out = (in[d] + strides[d] - 1) / strides[d];
            const int64_t total = std::max<int64_t>(0, (out - 1) * strides[d] + span - in[d]);
            pads[d] = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
            pads[d + n] = total - pads[d];
        } else if (autoPad == "VALID") {
            pads[d] = pads[d + n] = 0;
            out = in[d] >= span ? (in[d] - span) / strides[d] + 1 : 0;
        } else if (autoPad == "NOTSET") {
            const int64_t room = in[d] + pads[d] + pads[d + n] - span;
            if (room < 0) ctx.fail("the kernel is larger than the padded input");
            out = (ceilMode ? (room + strides[d] - 1) / strides[d] : room / strides[d]) + 1;
            // ceil_mode drops a last window that would start in the end padding (PyTorch's rule,
            // made explicit in later ONNX specifications).
            if (ceilMode && (out - 1) * strides[d] >= in[d] + pads[d]) --out;
        } else {
            ctx.fail("auto_pad '" + autoPad +
                     "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
        }
        w.outDims.push_back(out);
    }
    w.kernelCount = ctx.numel(kernel);
    w.outCount = ctx.numel(w.outDims);
    w.offsets.assign(static_cast<std::size_t>(ctx.numel({w.kernelCount, w.outCount})), 0);
    const std::vector<int64_t> inStrides = stridesOf(in), kStrides = stridesOf(kernel),
                               oStrides = stridesOf(w.outDims);
    for (int64_t kk = 0; kk < w.kernelCount; ++kk)
        for (int64_t o = 0; o < w.outCount; ++o) {
            int64_t offset = 0;
            bool pad = false, beyond = false;
            for (std::size_t d = 0; d < n; ++d) {
                const int64_t kd = kk / kStrides[d] % kernel[d],
                              od = o / oStrides[d] % w.outDims[d];
                const int64_t at = od * strides[d] - pads[d] + kd * dil[d];
                if (at < -pads[d] || at >= in[d] + pads[d + n])
                    beyond = true;
                else if (at < 0 || at >= in[d])
                    pad = true;
                else
                    offset += at * inStrides[d];
            }
            w.offsets[static_cast<std::size_t>(kk * w.outCount + o)] =
                static_cast<int32_t>(beyond ? kBeyond
                                     : pad  ? kPad
                                            : offset);
        }
    return w;
}

std::vector<int64_t> spatial(const OpContext& ctx, const Tensor& x) {
    if (x.dims.size() < 3)
        ctx.fail("X must have a batch, a channel and at least one spatial dimension");
    return {x.dims.begin() + 2, x.dims.end()};
}

std::vector<Tensor> conv(const OpContext& ctx) {
    const Tensor& x = ctx.floatIn(0);
    const Tensor& w = ctx.floatIn(1);
    const std::vector<int64_t> in = spatial(ctx, x);
    if (w.dims.size() != x.dims.size()) ctx.fail("W's rank differs from X's");
    const std::vector<int64_t> kernel(w.dims.begin() + 2, w.dims.end());
    if (ctx.node().has("kernel_shape") && ctx.node().ints("kernel_shape") != kernel)
        ctx.fail("kernel_shape differs from W's spatial dimensions");
    const int64_t batch = x.dims[0], channels = x.dims[1], maps = w.dims[0],
                  group = ctx.node().i("group", 1);
    if (group < 1 || channels % group != 0 || maps % group != 0 || w.dims[1] * group != channels)
        ctx.fail("X has " + std::to_string(channels) + " channels, W expects " +
                 std::to_string(w.dims[1]) + " per group in " + std::to_string(group) +
                 " group(s) of " + std::to_string(maps) + " maps");
    const Tensor* bias = ctx.optional(2);
    if (bias && (bias->integer || bias->numel() != maps))
        ctx.fail("B must hold one float per output map");
    const Window win = window(ctx, in, kernel, false, true);
    const int64_t cg = channels / group, mg = maps / group, plane = product(in);
    const int64_t rows = cg * win.kernelCount, cols = win.outCount;
    ctx.checkWork({batch, maps, rows, cols});
    std::vector<int64_t> dims{batch, maps};
    dims.insert(dims.end(), win.outDims.begin(), win.outDims.end());
    Tensor y = ctx.floatTensor(dims);
    std::vector<float> col(static_cast<std::size_t>(ctx.numel({rows, cols})));
    for (int64_t b = 0; b < batch; ++b)
        for (int64_t g = 0; g < group; ++g) {
            // col[(c, kk), o]: the input each weight meets at each output position (0 in padding).
            for (int64_t c = 0; c < cg; ++c) {
                const float* src = x.f.data() + (b * channels + g * cg + c) * plane;
                for (int64_t kk = 0; kk < win.kernelCount; ++kk) {
                    const int32_t* off = win.offsets.data() + kk * cols;
                    float* dst = col.data() + (c * win.kernelCount + kk) * cols;
                    for (int64_t o = 0; o < cols; ++o)
                        dst[o] = off[o] >= 0 ? src[off[o]] : 0.f;
                }
            }
            for (int64_t m = 0; m < mg; ++m) {
                const int64_t map = g * mg + m;
                float* dst = y.f.data() + (b * maps + map) * cols;
                const float* wrow = w.f.data() + map * rows;
                for (int64_t r = 0; r < rows; ++r) {
                    const float wv = wrow[r];
                    const float* src = col.data() + r * cols;
                    for (int64_t o = 0; o < cols; ++o)
                        dst[o] += wv * src[o];
                }
                if (bias)
                    for (int64_t o = 0; o < cols; ++o)
                        dst[o] += bias->f[static_cast<std::size_t>(map)];
            }
        }
    return {std::move(y)};
}

template <bool kMax> std::vector<Tensor> pool(const OpContext& ctx) {
    const Tensor& x = ctx.floatIn(0);
    const std::vector<int64_t> in = spatial(ctx, x);
    const std::vector<int64_t> kernel = ctx.node().ints("kernel_shape");
    if (kernel.size() != in.size())
        ctx.fail("kernel_shape must give one size per spatial dimension");
    if (kMax && ctx.outputWanted(1)) ctx.fail("the Indices output is not evaluated");
    if (kMax && ctx.opset() < 10 && ctx.node().has("dilations"))
        ctx.fail("dilations arrived in opset 10");
    const bool ceilMode = ctx.node().i("ceil_mode", 0) != 0;
    if (ceilMode && ctx.opset() < 10) ctx.fail("ceil_mode arrived in opset 10");
    const bool includePad = ctx.node().i("count_include_pad", 0) != 0;
    const Window win = window(ctx, in, kernel, ceilMode, kMax || ctx.opset() >= 19);
    const int64_t planes = x.dims[0] * x.dims[1], plane = product(in), cols = win.outCount;
    ctx.checkWork({planes, cols, win.kernelCount});
    std::vector<int64_t> dims{x.dims[0], x.dims[1]};
    dims.insert(dims.end(), win.outDims.begin(), win.outDims.end());
    Tensor y = ctx.floatTensor(dims);
    for (int64_t p = 0; p < planes; ++p) {
        const float* src = x.f.data() + p * plane;
        for (int64_t o = 0; o < cols; ++o) {
            float best = -std::numeric_limits<float>::infinity();
            double sum = 0;
            int64_t count = 0;
            for (int64_t kk = 0; kk < win.kernelCount; ++kk) {
                const int64_t off = win.offsets[static_cast<std::size_t>(kk * cols + o)];
                if (off >= 0) {
                    const float v = src[off];
                    best = (v > best || std::isnan(v)) && !std::isnan(best) ? v : best;
                    sum += v, ++count;
                } else if (off == kPad && includePad) {
                    ++count; // the padding counts as zeros
                }
            }
            y.f[static_cast<std::size_t>(p * cols + o)] =
                kMax ? best : static_cast<float>(count > 0 ? sum / double(count) : std::nan(""));
        }
    }
    return {std::move(y)};
}

std::vector<Tensor> globalAveragePool(const OpContext& ctx) {
    const Tensor& x = ctx.floatIn(0);
    if (x.dims.size() < 2) ctx.fail("X must have a batch and a channel dimension");
    std::vector<int64_t> dims(x.dims.size(), 1);
    dims[0] = x.dims[0], dims[1] = x.dims[1];
    Tensor y = ctx.floatTensor(dims);
    const int64_t plane = product(x.dims, 2);
    for (std::size_t p = 0; p < y.f.size(); ++p) {
        double sum = 0;
        for (int64_t k = 0; k < plane; ++k)
            sum += x.f[p * static_cast<std::size_t>(plane) + static_cast<std::size_t>(k)];
        y.f[p] = static_cast<float>(sum / double(plane));
    }
    return {std::move(y)};
}

// BatchNormalization in its inference form: y = (x - mean) / sqrt(var + epsilon) * scale + B per
// channel (axis 1). Training mode (opset 14's attribute) and the running statistics outputs are
// not.
std::vector<Tensor> batchNorm(const OpContext& ctx) {
    const Tensor& x = ctx.floatIn(0);
    if (ctx.node().i("training_mode", 0) != 0)
        ctx.fail("training_mode is set; the interpreter evaluates inference only");
    if (x.dims.size() < 2) ctx.fail("X must have a batch and a channel dimension");
    const int64_t channels = x.dims[1], plane = product(x.dims, 2);
    for (std::size_t k = 1; k <= 4; ++k)
        if (ctx.floatIn(k).numel() != channels)
            ctx.fail("input " + std::to_string(k) + " must hold one value per channel (" +
                     std::to_string(channels) + ")");
    const float eps = ctx.node().f("epsilon", 1e-5f);
    const auto &scale = ctx.in(1).f, &bias = ctx.in(2).f, &mean = ctx.in(3).f, &var = ctx.in(4).f;
    Tensor y = ctx.floatTensor(x.dims);
    for (std::size_t q = 0; q < x.f.size(); ++q) {
        const auto c = static_cast<std::size_t>(static_cast<int64_t>(q) / plane % channels);
        y.f[q] = (x.f[q] - mean[c]) / std::sqrt(var[c] + eps) * scale[c] + bias[c];
    }
    return {std::move(y)};
}

// LayerNormalization (opset 17): each block of the dims from `axis` on normalized by its mean and
// variance, then scaled and shifted (Scale and B broadcast to that block). Outputs Mean and
// InvStdDev keep x's rank with 1 on the normalized axes.
std::vector<Tensor> layerNorm(const OpContext& ctx) {
    if (ctx.opset() < 17)
        ctx.fail("LayerNormalization arrived in opset 17; this graph is opset " +
                 std::to_string(ctx.opset()));
    const Tensor& x = ctx.floatIn(0);
    const auto rank = static_cast<int64_t>(x.dims.size());
    const auto a = static_cast<std::size_t>(ctx.axis(ctx.node().i("axis", -1), rank));
    const std::vector<int64_t> block(x.dims.begin() + static_cast<std::ptrdiff_t>(a), x.dims.end());
    const Tensor& scale = ctx.floatIn(1);
    const Tensor* bias = ctx.optional(2);
    for (const Tensor* t : {&scale, bias})
        if (t &&
            (t->integer || t->dims.size() > block.size() || ctx.broadcast(t->dims, block) != block))
            ctx.fail(
                "Scale and B must be float tensors that broadcast to the normalized dimensions");
    const std::vector<int64_t> ss = broadcastStrides(scale.dims, block);
    const std::vector<int64_t> bs =
        bias ? broadcastStrides(bias->dims, block) : std::vector<int64_t>{};
    const float eps = ctx.node().f("epsilon", 1e-5f);
    std::vector<int64_t> statDims(x.dims.begin(), x.dims.begin() + static_cast<std::ptrdiff_t>(a));
    statDims.resize(x.dims.size(), 1);
    Tensor y = ctx.floatTensor(x.dims), meanOut = ctx.floatTensor(statDims),
           invOut = ctx.floatTensor(statDims);
    const int64_t outer = product(x.dims, 0, a), len = product(block);
    // The offset into Scale/B of each position in the block, computed once.
    std::vector<int64_t> so(static_cast<std::size_t>(len)), bo(bias ? so.size() : 0);
    const std::vector<int64_t> blockStrides = stridesOf(block);
    for (int64_t j = 0; j < len; ++j)
        for (std::size_t d = 0; d < block.size(); ++d) {
            const int64_t id = j / blockStrides[d] % block[d];
            so[static_cast<std::size_t>(j)] += id * ss[d];
            if (bias) bo[static_cast<std::size_t>(j)] += id * bs[d];
        }
    for (int64_t r = 0; r < outer; ++r) {
        const float* src = x.f.data() + r * len;
        double mean = 0, var = 0;
        for (int64_t j = 0; j < len; ++j)
            mean += src[j];
        mean /= double(len);
        for (int64_t j = 0; j < len; ++j)
            var += (src[j] - mean) * (src[j] - mean);
        var /= double(len);
        const double inv = 1.0 / std::sqrt(var + eps);
        for (int64_t j = 0; j < len; ++j) {
            const auto k = static_cast<std::size_t>(j);
            const double v = (src[j] - mean) * inv * scale.f[static_cast<std::size_t>(so[k])] +
                             (bias ? bias->f[static_cast<std::size_t>(bo[k])] : 0.f);
            y.f[static_cast<std::size_t>(r * len + j)] = static_cast<float>(v);
        }
        meanOut.f[static_cast<std::size_t>(r)] = static_cast<float>(mean);
        invOut.f[static_cast<std::size_t>(r)] = static_cast<float>(inv);
    }
    return {std::move(y), std::move(meanOut), std::move(invOut)};
}

} // namespace

void addNnOps(OpTable& t) {
    t["Gemm"] = gemm;
    t["MatMul"] = matmul;
    t["Conv"] = conv;
    t["MaxPool"] = pool<true>;
    t["AveragePool"] = pool<false>;
    t["GlobalAveragePool"] = globalAveragePool;
    t["BatchNormalization"] = batchNorm;
    t["LayerNormalization"] = layerNorm;
}

} // namespace neurite::onnxrun
