// The int8 side of the compiled inference plan (cpu_inference.cpp's file comment): rounding to
// uint8, int8 weights and scales, and the uint8 x int8 convolution and inner product.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/cpu_inference_plan.h"
#include "backend/quantization.h"

namespace neurite::cpu {

// Vectorizes: x / scale is clamped to the range that saturates alike, then rounded half to even
// by adding and subtracting 1.5 * 2^23 (exact below 2^22 in the default rounding mode, the one
// std::nearbyint uses); NaN stays NaN through the clamp and saturates to 0. Built for AVX-512,
// AVX2 and the baseline, chosen at load time by the CPU (the division is what costs, and wider
// vectors divide more at once).
__attribute__((target_clones("avx512f", "avx2", "default")))
void quantizeU8Array(const float* x, uint8_t* y, int64_t n, float scale, int32_t zeroPoint) {
    const float lo = -static_cast<float>(zeroPoint) - 1.f, hi = 256.f - static_cast<float>(zeroPoint);
    const float zp = static_cast<float>(zeroPoint), magic = 12582912.f;
#pragma omp simd
    for (int64_t i = 0; i < n; ++i) {
        float t = x[i] / scale;
        t = t < lo ? lo : t;
        t = t > hi ? hi : t;
        const float q = ((t + magic) - magic) + zp;
        y[i] = q >= 0.f ? (q >= 255.f ? uint8_t{255} : static_cast<uint8_t>(static_cast<int32_t>(q))) : uint8_t{0};
    }
}

namespace inference {

namespace {

// The weight of a Dense or Conv as int8 per output channel (rows of weight.numel() / O values).
std::vector<int8_t> int8Weights(const InferOp& op) {
    const auto* w = static_cast<const float*>(op.weight.raw());
    const std::size_t count = static_cast<std::size_t>(op.weight.numel());
    const std::size_t per = count / op.weightScales.size();
    std::vector<int8_t> q(count);
    for (std::size_t i = 0; i < count; ++i) q[i] = quantizeI8(w[i], op.weightScales[i / per]);
    return q;
}
// What an int8 convolution or inner product needs besides its layouts: the int8 weight, per
// output channel the bias in int32 units (b / scale, zero without a bias, minus zp * sum_k
// w_q[o, k] when `compensate`: dense layers), and the attributes: the output scale
// s_in * s_w[o] (divided by the next scale when the result is written as uint8), the fused
// activation, and a runtime source zero point when `zeroPointAttr` (convolutions).
struct Int8Operands {
    std::vector<int8_t> weight;
    std::vector<float> bias;
    dnnl::primitive_attr attr;
};
Int8Operands int8Operands(const InferOp& op, const InferQuant& in, bool compensate, bool zeroPointAttr,
                          const InferQuant* requant, const InferOp* act, dnnl::primitive_attr attr) {
    Int8Operands r{int8Weights(op), {}, std::move(attr)};
    const std::size_t outs = op.weightScales.size(), per = r.weight.size() / outs;
    const auto* b = op.bias.defined() ? static_cast<const float*>(op.bias.raw()) : nullptr;
    std::vector<float> scales(outs);
    r.bias.resize(outs);
    for (std::size_t o = 0; o < outs; ++o) {
        const float scale = in.scale * op.weightScales[o];
        double sum = 0;
        if (compensate)
            for (std::size_t k = 0; k < per; ++k) sum += r.weight[o * per + k];
        r.bias[o] = static_cast<float>((b ? double(b[o]) / double(scale) : 0.0) - double(in.zeroPoint) * sum);
        scales[o] = requant ? scale / requant->scale : scale;
    }
    r.attr.set_output_scales(1 << 1, scales);
    if (zeroPointAttr && in.zeroPoint != 0) r.attr.set_zero_points(DNNL_ARG_SRC, 0, {DNNL_RUNTIME_S32_VAL});
    r.attr.set_post_ops(postOps(act));
    return r;
}

}  // namespace

std::vector<float> floatWeights(const InferOp& op) {
    const auto* w = static_cast<const float*>(op.weight.raw());
    std::vector<float> f(w, w + op.weight.numel());
    if (op.weightScales.empty()) return f;
    const std::vector<int8_t> q = int8Weights(op);
    const std::size_t per = f.size() / op.weightScales.size();
    for (std::size_t i = 0; i < f.size(); ++i) f[i] = static_cast<float>(q[i]) * op.weightScales[i / per];
    return f;
}

CpuInferencePlan::Value CpuInferencePlan::quantized(const Value& v, const InferQuant& quant, bool needFloat,
                                                    const std::string& name) {
    const Value plain = reorderTo(v, plainMd(v.dims()), name);
    const memory::dims dims = plain.dims();
    const int64_t count = product(dims);
    memory q({dims, Dt::u8, plainTag(dims.size())}, cpuEngine());
    const ThreadConfig tc = m_tc;
    add("quantize " + name, [tc, count, quant, s = plain.mem, q] {
        const auto* x = static_cast<const float*>(s.get_data_handle());
        auto* y = static_cast<uint8_t*>(q.get_data_handle());
        const int threads = tc.forSize(count);
        const int64_t per = (count + threads - 1) / threads;
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int t = 0; t < threads; ++t) {
            const int64_t from = t * per, to = std::min(count, from + per);
            if (from < to) quantizeU8Array(x + from, y + from, to - from, quant.scale, quant.zeroPoint);
        }
    });
    Value out = plain;
    out.q = q;
    out.quant = quant;
    if (needFloat) {
        out.mem = memory(plainMd(dims), cpuEngine());
        out.produced = true;
        add("dequantize " + name, [tc, count, quant, q, f = out.mem] {
            const auto* x = static_cast<const uint8_t*>(q.get_data_handle());
            auto* y = static_cast<float*>(f.get_data_handle());
#pragma omp parallel for num_threads(tc.forSize(count)) schedule(static)
            for (int64_t i = 0; i < count; ++i)
                y[i] = dequantize(x[i], quant.scale, quant.zeroPoint);
        });
    }
    return out;
}

void CpuInferencePlan::convInt8(const InferOp& op, const Value& in, const InferOp* act, const InferQuant* requant,
                                Value& out) {
    const ConvDesc& c = op.conv;
    const bool grouped = c.groups > 1;
    const memory::dims wDims = convWeightDims(c);
    const memory::dims bDims{c.outChannels};
    const memory::dims dstDims{c.batch, c.outChannels, c.outHeight(), c.outWidth()};
    if (static_cast<int64_t>(op.weightScales.size()) != c.outChannels)
        throwInternal("compiled inference: " + op.node + " has " + std::to_string(op.weightScales.size()) +
                      " weight scales for " + std::to_string(c.outChannels) + " output channels");
    const memory::dims srcDims{c.batch, c.inChannels, c.height, c.width};
    const memory::desc srcMd(srcDims, Dt::u8, Tag::any), wMd(wDims, Dt::s8, Tag::any);
    const memory::desc bMd(bDims, Dt::f32, Tag::x), dstMd(dstDims, requant ? Dt::u8 : Dt::f32, Tag::any);
    Int8Operands o = int8Operands(op, in.quant, false, true, requant, act, m_pad.attr());
    using Fwd = dnnl::convolution_forward;
    const Fwd::primitive_desc pd(
        Fwd::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, srcMd, wMd, bMd, dstMd,
                  {c.strideH, c.strideW}, {c.dilationH - 1, c.dilationW - 1}, {c.padTop, c.padLeft},
                  {c.padBottom, c.padRight}),
        o.attr, cpuEngine());
    const Value src = reorderTo(Value(in.q, false), pd.src_desc(), op.node);
    out = int8Result(pd.dst_desc(), requant);
    std::vector<std::pair<int, memory>> args{
        {DNNL_ARG_SRC, src.mem},
        {DNNL_ARG_WEIGHTS, constant(o.weight.data(), Dt::s8, wDims, grouped ? Tag::goihw : Tag::oihw, pd.weights_desc())},
        {DNNL_ARG_BIAS, constant(o.bias.data(), Dt::f32, bDims, Tag::x, bMd)},
        {DNNL_ARG_DST, requant ? out.q : out.mem},
        {DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc())}};
    if (in.quant.zeroPoint != 0) {
        memory zp({{1}, Dt::s32, Tag::x}, cpuEngine());
        *static_cast<int32_t*>(zp.get_data_handle()) = in.quant.zeroPoint;
        args.emplace_back(DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, zp);
    }
    addPrimitive((act ? op.node + "+" + act->node : op.node) + (requant ? " (int8, uint8 out)" : " (int8)"), Fwd(pd),
                 std::move(args));
}

void CpuInferencePlan::denseInt8(const InferOp& op, const Value& in, const memory::dims& srcDims, const InferOp* act,
                                 const InferQuant* requant, Value& out) {
    const DenseDesc& dd = op.dense;
    if (static_cast<int64_t>(op.weightScales.size()) != dd.outputs)
        throwInternal("compiled inference: " + op.node + " has " + std::to_string(op.weightScales.size()) +
                      " weight scales for " + std::to_string(dd.outputs) + " outputs");
    // The uint8 values are plain: a view of them under the dims the inner product reads.
    memory q = in.q;
    if (q.get_desc().dims() != srcDims) {
        const memory::dims have = q.get_desc().dims();
        q = reorderTo(Value(q, false), {have, Dt::u8, plainTag(have.size())}, op.node).mem;
        memory view({srcDims, Dt::u8, plainTag(srcDims.size())}, cpuEngine(), q.get_data_handle());
        m_aliases.emplace_back(view, q);
        q = view;
    }
    memory::dims wDims = srcDims;
    wDims[0] = dd.outputs;
    const memory::dims bDims{dd.outputs}, dstDims{dd.batch, dd.outputs};
    const memory::desc wMd(wDims, Dt::s8, Tag::any), bMd(bDims, Dt::f32, Tag::x);
    const memory::desc dstMd(dstDims, requant ? Dt::u8 : Dt::f32, Tag::any);
    Int8Operands o = int8Operands(op, in.quant, true, false, requant, act, m_pad.attr());
    using Fwd = dnnl::inner_product_forward;
    const auto make = [&](const memory::desc& srcMd) {
        return Fwd::primitive_desc(Fwd::desc(dnnl::prop_kind::forward_inference, srcMd, wMd, bMd, dstMd), o.attr,
                                   cpuEngine());
    };
    Fwd::primitive_desc pd;
    try {
        pd = make(q.get_desc());
    } catch (const dnnl::error&) {
        pd = make(memory::desc(srcDims, Dt::u8, Tag::any));
    }
    const Value src = reorderTo(Value(q, false), pd.src_desc(), op.node);
    out = int8Result(pd.dst_desc(), requant);
    addPrimitive((act ? op.node + "+" + act->node : op.node) + (requant ? " (int8, uint8 out)" : " (int8)"), Fwd(pd),
                 {{DNNL_ARG_SRC, src.mem},
                  {DNNL_ARG_WEIGHTS, constant(o.weight.data(), Dt::s8, wDims, plainTag(wDims.size()), pd.weights_desc())},
                  {DNNL_ARG_BIAS, constant(o.bias.data(), Dt::f32, bDims, Tag::x, bMd)},
                  {DNNL_ARG_DST, requant ? out.q : out.mem},
                  {DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc())}});
}

}  // namespace inference

}  // namespace neurite::cpu
