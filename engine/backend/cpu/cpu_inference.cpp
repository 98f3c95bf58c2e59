// Compiled inference on oneDNN (backend.h, InferencePlan). Each op becomes at most one step, made
// once: convolution, inner product, pooling and batch normalization as inference primitives that
// choose their own layouts (format_tag::any), so a conv -> ReLU -> pool -> conv chain stays in
// oneDNN's blocked layout and reorders only where a consumer needs another one; a ReLU or
// LeakyReLU right after a convolution or dense layer is fused into it as a post-op (max(x, 0) and
// alpha x are exact, so fusing changes no bit); a Flatten feeding a dense layer costs nothing (the
// inner product reads the 4-D tensor in its logical order, which is the flattened order). Other
// activations, softmax and additions run the backend's own kernels on the buffers, so they compute
// what the layer-by-layer forward computes.
//
// Int8 (InferOp::output, weightScales): a quantized result is rounded to uint8 by our own loop
// (ONNX's QuantizeLinear, bit for bit: x / scale rounded half to even); a Dense or Conv with int8
// weights reads those uint8 values directly and runs oneDNN's u8 x s8 primitives, whose int32
// sums are exact, with the per-channel output scale input_scale * weight_scale[o] and the bias
// divided by it (oneDNN 2.x adds the bias before the output scale). The input's zero point is
// oneDNN's runtime src zero point for convolutions (so padding reads as a real 0) and, for dense
// layers, a compensation in the bias: sum_k (x_k - zp) w_k = sum_k x_k w_k - zp sum_k w_k.
// Every other consumer of a quantized result reads it dequantized, as the QDQ graph does.
#include "backend/cpu/cpu_inference_plan.h"

#include <numeric>

namespace neurite::cpu {

namespace inference {

Tag plainTag(std::size_t rank) {
    switch (rank) {
    case 1: return Tag::a;
    case 2: return Tag::ab;
    case 3: return Tag::abc;
    case 4: return Tag::abcd;
    case 5: return Tag::abcde;
    case 6: return Tag::abcdef;
    default: break;
    }
    throw Error(ErrorKind::Unsupported, "compiled inference: tensors of rank " + std::to_string(rank));
}

memory::dims dimsOf(const Shape& s) { return memory::dims(s.begin(), s.end()); }
memory::desc plainMd(const memory::dims& d) { return {d, Dt::f32, plainTag(d.size())}; }
int64_t product(const memory::dims& d, std::size_t from) {
    return std::accumulate(d.begin() + static_cast<std::ptrdiff_t>(from), d.end(), int64_t{1},
                           std::multiplies<>());
}

memory::dims convWeightDims(const ConvDesc& c) {
    return c.groups > 1 ? memory::dims{c.groups, c.groupOut(), c.groupIn(), c.kernelH, c.kernelW}
                        : memory::dims{c.outChannels, c.inChannels, c.kernelH, c.kernelW};
}

bool fusable(const InferOp& op) {
    return op.kind == InferKind::Activation &&
           (op.act == Activation::Relu || op.act == Activation::LeakyRelu);
}

dnnl::post_ops postOps(const InferOp* act) {
    dnnl::post_ops po;
    if (act)
        po.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, act->act == Activation::LeakyRelu ? act->alpha : 0.f, 0.f);
    return po;
}


void CpuInferencePlan::build(const InferenceDesc& d) {
    const std::size_t n = d.ops.size();
    if (d.output < 0 || static_cast<std::size_t>(d.output) >= n)
        throwInternal("compiled inference: the output op is out of range");
    std::vector<int> uses(n, 0);
    for (const InferOp& op : d.ops)
        for (int i : op.inputs)
            if (i >= 0) ++uses[static_cast<std::size_t>(i)];
    ++uses[static_cast<std::size_t>(d.output)];

    m_in = userMemory(dimsOf(d.input), plainTag(static_cast<std::size_t>(d.input.rank())));
    m_inNumel = d.input.numel();
    // Which quantized results some consumer reads as floats (the others read only the uint8
    // values): any consumer but a Dense or Conv with int8 weights, and the program's output.
    const auto int8Op = [&](const InferOp& op) {
        return (op.kind == InferKind::Dense || op.kind == InferKind::Conv) && !op.weightScales.empty();
    };
    std::vector<char> floatRead(n + 1, 0);  // [n]: the program's input
    const auto slot = [&](int i) { return i < 0 ? n : static_cast<std::size_t>(i); };
    for (const InferOp& op : d.ops)
        for (int i : op.inputs)
            if (!int8Op(op)) floatRead[slot(i)] = 1;
    floatRead[static_cast<std::size_t>(d.output)] = 1;
    Value input{m_in, false};
    if (d.quantizeInput.active) input = quantized(input, d.quantizeInput, floatRead[n] != 0, "the input");
    std::vector<Value> values(n);
    std::vector<char> skip(n, 0);
    // A Reshape to [N, features] whose only consumer is a dense layer: the dense layer reads the
    // Reshape's source directly.
    std::vector<int> flattenedFrom(n, -2);
    for (std::size_t k = 0; k < n; ++k) {
        const InferOp& op = d.ops[k];
        if (op.kind != InferKind::Dense || op.inputs.size() != 1 || op.inputs[0] < 0) continue;
        const auto p = static_cast<std::size_t>(op.inputs[0]);
        if (d.ops[p].kind == InferKind::Reshape && uses[p] == 1 && d.ops[p].dst.rank() == 2) {
            skip[p] = 1;
            flattenedFrom[k] = d.ops[p].inputs[0];
        }
    }
    // The quantization an op's result can be written in directly, as uint8 alone: its own (zero
    // point 0, no float reader), or, when its one reader is a Flatten that a quantized int8 dense
    // layer reads through (skipped above), the Flatten's.
    const auto u8Target = [&](std::size_t i) -> const InferQuant* {
        const InferQuant& own = d.ops[i].output;
        if (own.active) return own.zeroPoint == 0 && !floatRead[i] ? &own : nullptr;
        if (uses[i] != 1) return nullptr;
        for (std::size_t k2 = 0; k2 < n; ++k2)
            if (flattenedFrom[k2] == static_cast<int>(i) && int8Op(d.ops[k2])) {
                const InferQuant& flat = d.ops[static_cast<std::size_t>(d.ops[k2].inputs[0])].output;
                return flat.active && flat.zeroPoint == 0 ? &flat : nullptr;
            }
        return nullptr;
    };
    std::vector<char> u8Pool(n, 0);  // max pools that pool uint8 values
    const auto valueOf = [&](int i) -> const Value& { return i < 0 ? input : values[static_cast<std::size_t>(i)]; };
    const auto logical = [&](int i) { return dimsOf(i < 0 ? d.input : d.ops[static_cast<std::size_t>(i)].dst); };

    for (std::size_t k = 0; k < n; ++k) {
        const InferOp& op = d.ops[k];
        if (skip[k]) continue;
        if (op.inputs.empty()) throwInternal("compiled inference: " + op.node + " has no input");
        const int first = op.inputs[0];
        // The activation fused into this op, if any: its one consumer, a ReLU or LeakyReLU.
        const InferOp* act = nullptr;
        std::size_t actIndex = 0;
        if ((op.kind == InferKind::Conv || op.kind == InferKind::Dense) && uses[k] == 1 && !op.output.active)
            for (std::size_t j = k + 1; j < n; ++j)
                if (fusable(d.ops[j]) && d.ops[j].inputs.size() == 1 &&
                    d.ops[j].inputs[0] == static_cast<int>(k)) {
                    act = &d.ops[j];
                    actIndex = j;
                }
        Value& out = values[k];
        // An int8 layer whose result only int8 layers read, quantized with zero point 0 (after a
        // ReLU), writes those uint8 values itself; so does one whose only reader is a max pool
        // whose result is quantized that way (rounding commutes with max), which then pools the
        // uint8 values.
        const InferQuant* requant = nullptr;
        if (int8Op(op)) {
            const std::size_t r = act ? actIndex : k;
            if (!(requant = u8Target(r)) && uses[r] == 1 && !d.ops[r].output.active)
                for (std::size_t j = r + 1; j < n; ++j)
                    if (d.ops[j].kind == InferKind::Pool && d.ops[j].pool.kind == PoolKind::Max &&
                        d.ops[j].inputs.size() == 1 && d.ops[j].inputs[0] == static_cast<int>(r) && u8Target(j)) {
                        requant = u8Target(j);
                        u8Pool[j] = 1;
                    }
        }
        switch (op.kind) {
        case InferKind::Conv:
            if (int8Op(op) && valueOf(first).q)
                convInt8(op, valueOf(first), act, requant, out);
            else
                conv(op, viewAs(valueOf(first), logical(first), op.node), act, out);
            break;
        case InferKind::Dense:
            if (flattenedFrom[k] != -2) {
                // The skipped Flatten's quantization applies to what the dense layer reads (its
                // source may carry those uint8 values already).
                const InferOp& flatten = d.ops[static_cast<std::size_t>(first)];
                const Value& src = valueOf(flattenedFrom[k]);
                const bool round = flatten.output.active && !src.q;
                dense(op, round ? quantized(src, flatten.output, !int8Op(op), flatten.node) : src, act, requant, out);
            } else {
                dense(op, valueOf(first), act, requant, out);
            }
            break;
        case InferKind::Pool: {
            if (u8Pool[k] && valueOf(first).q && !valueOf(first).mem) {
                const PoolDesc& p = op.pool;
                const Value& in = valueOf(first);
                const memory::desc dstMd({p.batch, p.channels, p.outHeight(), p.outWidth()}, Dt::u8, Tag::any);
                dnnl::pooling_forward::primitive_desc pd(
                    dnnl::pooling_forward::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max,
                                                in.q.get_desc(), dstMd, {p.strideH, p.strideW}, {p.kernelH, p.kernelW},
                                                {p.padTop, p.padLeft}, {p.padBottom, p.padRight}),
                    m_pad.attr(), cpuEngine());
                out = int8Result(pd.dst_desc(), &in.quant);
                addPrimitive(op.node + " (uint8)", dnnl::pooling_forward(pd),
                             {{DNNL_ARG_SRC, reorderTo(Value(in.q, false), pd.src_desc(), op.node).mem},
                              {DNNL_ARG_DST, out.q},
                              {DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc())}});
                break;
            }
            const PoolDesc& p = op.pool;
            const Value in = viewAs(valueOf(first), {p.batch, p.channels, p.height, p.width}, op.node);
            const memory::desc dstMd({p.batch, p.channels, p.outHeight(), p.outWidth()}, Dt::f32, Tag::any);
            const auto alg = p.kind == PoolKind::Max ? dnnl::algorithm::pooling_max
                                                     : dnnl::algorithm::pooling_avg_exclude_padding;
            dnnl::pooling_forward::primitive_desc pd(
                dnnl::pooling_forward::desc(dnnl::prop_kind::forward_inference, alg, in.mem.get_desc(), dstMd,
                                            {p.strideH, p.strideW}, {p.kernelH, p.kernelW},
                                            {p.padTop, p.padLeft}, {p.padBottom, p.padRight}),
                m_pad.attr(), cpuEngine());
            const Value src = reorderTo(in, pd.src_desc(), op.node);
            out = {memory(pd.dst_desc(), cpuEngine()), true};
            addPrimitive(op.node, dnnl::pooling_forward(pd),
                         {{DNNL_ARG_SRC, src.mem}, {DNNL_ARG_DST, out.mem},
                          {DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc())}});
            break;
        }
        case InferKind::BatchNorm: {
            const Value in = viewAs(valueOf(first), logical(first), op.node);
            using Flags = dnnl::normalization_flags;
            dnnl::batch_normalization_forward::primitive_desc pd(
                dnnl::batch_normalization_forward::desc(dnnl::prop_kind::forward_inference, in.mem.get_desc(),
                                                        op.epsilon,
                                                        Flags::use_global_stats | Flags::use_scale | Flags::use_shift),
                m_pad.attr(), cpuEngine());
            const memory::dims c{logical(first)[1]};
            const memory::desc cMd(c, Dt::f32, Tag::a);
            out = {memory(pd.dst_desc(), cpuEngine()), true};
            addPrimitive(op.node, dnnl::batch_normalization_forward(pd),
                         {{DNNL_ARG_SRC, reorderTo(in, pd.src_desc(), op.node).mem},
                          {DNNL_ARG_SCALE, constant(op.weight, c, Tag::a, cMd)},
                          {DNNL_ARG_SHIFT, constant(op.bias, c, Tag::a, cMd)},
                          {DNNL_ARG_MEAN, constant(op.mean, c, Tag::a, cMd)},
                          {DNNL_ARG_VARIANCE, constant(op.var, c, Tag::a, cMd)},
                          {DNNL_ARG_DST, out.mem},
                          {DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc())}});
            break;
        }
        case InferKind::Concat: {
            std::vector<memory::desc> mds;
            std::vector<std::pair<int, memory>> args;
            for (std::size_t i = 0; i < op.inputs.size(); ++i) {
                const Value v = viewAs(valueOf(op.inputs[i]), logical(op.inputs[i]), op.node);
                mds.push_back(v.mem.get_desc());
                args.emplace_back(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), v.mem);
            }
            dnnl::concat::primitive_desc pd(1, mds, cpuEngine(), m_pad.attr());
            out = {memory(pd.dst_desc(), cpuEngine()), true};
            args.emplace_back(DNNL_ARG_DST, out.mem);
            args.emplace_back(DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc()));
            addPrimitive(op.node, dnnl::concat(pd), std::move(args));
            break;
        }
        case InferKind::Reshape:
            out = viewAs(valueOf(first), dimsOf(op.dst), op.node);
            break;
        case InferKind::Identity:
            out = valueOf(first);
            break;
        case InferKind::Activation:
        case InferKind::Softmax:
        case InferKind::Add: {
            std::vector<Value> in;
            for (int i : op.inputs)
                in.push_back(viewAs(valueOf(i), logical(i), op.node));
            elementwise(op, in, out);
            break;
        }
        }
        std::size_t result = k;
        if (act) {
            values[actIndex] = out;
            skip[actIndex] = 1;
            result = actIndex;
        }
        if (d.ops[result].output.active && !values[result].q)
            values[result] = quantized(values[result], d.ops[result].output, floatRead[result] != 0, d.ops[result].node);
    }

    // The output, plain. When the last step writes a plain buffer of the output's dims, it
    // writes the caller's memory directly.
    const Value& last = values[static_cast<std::size_t>(d.output)];
    const memory::dims outDims = dimsOf(d.ops[static_cast<std::size_t>(d.output)].dst);
    m_outNumel = product(outDims);
    if (last.produced && last.mem.get_desc() == plainMd(last.dims()) && product(last.dims()) == m_outNumel) {
        m_outDirect = true;
        m_outValue = last.mem;
    } else {
        // One reorder (or copy) from the last value into the caller's memory.
        m_out = userMemory(last.dims(), plainTag(last.dims().size()));
        dnnl::reorder::primitive_desc pd(cpuEngine(), last.mem.get_desc(), cpuEngine(), m_out.get_desc(), m_pad.attr());
        addPrimitive("output copy", dnnl::reorder(pd),
                     {{DNNL_ARG_FROM, last.mem}, {DNNL_ARG_TO, m_out},
                      {DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc())}});
    }
    m_pad.finish();
}

void CpuInferencePlan::conv(const InferOp& op, const Value& in, const InferOp* act, Value& out) {
    const ConvDesc& c = op.conv;
    const bool grouped = c.groups > 1;
    const memory::dims wDims = convWeightDims(c);
    const memory::dims bDims{c.outChannels};
    const memory::dims dstDims{c.batch, c.outChannels, c.outHeight(), c.outWidth()};
    const memory::desc srcMd(in.dims(), Dt::f32, Tag::any), wMd(wDims, Dt::f32, Tag::any);
    const memory::desc bMd(bDims, Dt::f32, Tag::x), dstMd(dstDims, Dt::f32, Tag::any);
    const memory::dims strides{c.strideH, c.strideW}, dilates{c.dilationH - 1, c.dilationW - 1};
    const memory::dims padL{c.padTop, c.padLeft}, padR{c.padBottom, c.padRight};
    using Fwd = dnnl::convolution_forward;
    const auto inference = dnnl::prop_kind::forward_inference;
    const auto algo = dnnl::algorithm::convolution_direct;
    const bool bias = op.bias.defined();
    auto attr = m_pad.attr();
    attr.set_post_ops(postOps(act));
    const Fwd::primitive_desc pd(
        bias ? Fwd::desc(inference, algo, srcMd, wMd, bMd, dstMd, strides, dilates, padL, padR)
             : Fwd::desc(inference, algo, srcMd, wMd, dstMd, strides, dilates, padL, padR),
        attr, cpuEngine());
    const Value src = reorderTo(in, pd.src_desc(), op.node);
    out = {memory(pd.dst_desc(), cpuEngine()), true};
    std::vector<float> weights = floatWeights(op);
    std::vector<std::pair<int, memory>> args{
        {DNNL_ARG_SRC, src.mem},
        {DNNL_ARG_WEIGHTS, constant(weights.data(), Dt::f32, wDims, grouped ? Tag::goihw : Tag::oihw, pd.weights_desc())},
        {DNNL_ARG_DST, out.mem},
        {DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc())}};
    if (bias) args.emplace_back(DNNL_ARG_BIAS, constant(op.bias, bDims, Tag::x, bMd));
    addPrimitive(act ? op.node + "+" + act->node : op.node, Fwd(pd), std::move(args));
}

void CpuInferencePlan::dense(const InferOp& op, const Value& in, const InferOp* act, const InferQuant* requant,
                             Value& out) {
    const DenseDesc& dd = op.dense;
    memory::dims srcDims = in.dims();
    if (srcDims.empty() || srcDims[0] != dd.batch || product(srcDims, 1) != dd.inputs)
        throwInternal("compiled inference: " + op.node + " reads " + std::to_string(product(srcDims)) +
                      " values, expected " + std::to_string(dd.batch * dd.inputs));
    // A plain src of higher rank is read as [N, I]: oneDNN's 2-D inner products have the faster
    // kernels (brgemm rather than a generic GEMM for the Flatten of an image).
    const bool int8 = !op.weightScales.empty() && in.q;
    const memory& held = int8 ? in.q : in.mem;
    const memory::desc plain(srcDims, held.get_desc().data_type(), plainTag(srcDims.size()));
    if (srcDims.size() > 5 || (srcDims.size() > 2 && held.get_desc() == plain)) srcDims = {dd.batch, dd.inputs};
    if (int8) return denseInt8(op, in, srcDims, act, requant, out);
    memory::dims wDims = srcDims;
    wDims[0] = dd.outputs;  // [O, I] read as [O, C, H, W] in the src's logical order
    const memory::dims bDims{dd.outputs}, dstDims{dd.batch, dd.outputs};
    const memory::desc wMd(wDims, Dt::f32, Tag::any), bMd(bDims, Dt::f32, Tag::x);
    const memory::desc dstMd(dstDims, Dt::f32, Tag::any);
    using Fwd = dnnl::inner_product_forward;
    const auto inference = dnnl::prop_kind::forward_inference;
    const bool bias = op.bias.defined();
    auto attr = m_pad.attr();
    attr.set_post_ops(postOps(act));
    const auto make = [&](const memory::desc& srcMd) {
        return Fwd::primitive_desc(bias ? Fwd::desc(inference, srcMd, wMd, bMd, dstMd)
                                        : Fwd::desc(inference, srcMd, wMd, dstMd),
                                   attr, cpuEngine());
    };
    // The src as it is, when the inner product takes that layout; else the one it prefers.
    const Value view = in.dims() == srcDims ? in : viewAs(in, srcDims, op.node);
    Fwd::primitive_desc pd;
    try {
        pd = make(view.mem.get_desc());
    } catch (const dnnl::error&) {
        pd = make(memory::desc(srcDims, Dt::f32, Tag::any));
    }
    const Value src = reorderTo(view, pd.src_desc(), op.node);
    out = {memory(pd.dst_desc(), cpuEngine()), true};
    std::vector<float> weights = floatWeights(op);
    std::vector<std::pair<int, memory>> args{
        {DNNL_ARG_SRC, src.mem},
        {DNNL_ARG_WEIGHTS, constant(weights.data(), Dt::f32, wDims, plainTag(wDims.size()), pd.weights_desc())},
        {DNNL_ARG_DST, out.mem},
        {DNNL_ARG_SCRATCHPAD, m_pad.bind(pd.scratchpad_desc())}};
    if (bias) args.emplace_back(DNNL_ARG_BIAS, constant(op.bias, bDims, Tag::x, bMd));
    addPrimitive(act ? op.node + "+" + act->node : op.node, Fwd(pd), std::move(args));
}

// Activations, softmax and additions on the backend's own kernels, over host buffers whose
// addresses are read when the step runs (the program's input is bound per run).
void CpuInferencePlan::elementwise(const InferOp& op, std::span<const Value> in, Value& out) {
    const ThreadConfig tc = m_tc;
    if (op.kind == InferKind::Softmax) {
        const Value src = reorderTo(in[0], plainMd(in[0].dims()), op.node);
        out = {memory(plainMd(src.dims()), cpuEngine()), true};
        const memory::dims dims = src.dims();
        const Shape shape(dims.begin(), dims.end());
        add(op.node, [tc, shape, log = op.log, s = src.mem, o = out.mem] {
            const Tensor x = Tensor::wrap(s.get_data_handle(), shape, DType::F32, Device{});
            Tensor y = Tensor::wrap(o.get_data_handle(), shape, DType::F32, Device{});
            softmaxForward(tc, x, y, log);
        });
        return;
    }
    const Value first = unpadded(in[0], op.node);
    const memory::desc md = first.mem.get_desc();
    const Shape flat{static_cast<int64_t>(md.get_size() / sizeof(float))};
    out = {memory(md, cpuEngine()), true};
    if (op.kind == InferKind::Activation) {
        add(op.node, [tc, flat, a = op.act, alpha = op.alpha, s = first.mem, o = out.mem] {
            const Tensor x = Tensor::wrap(s.get_data_handle(), flat, DType::F32, Device{});
            Tensor y = Tensor::wrap(o.get_data_handle(), flat, DType::F32, Device{});
            activationForward(tc, a, alpha, x, y);
        });
        return;
    }
    std::vector<memory> srcs{first.mem};
    for (std::size_t i = 1; i < in.size(); ++i)
        srcs.push_back(reorderTo(in[i], md, op.node).mem);
    add(op.node, [tc, flat, srcs, o = out.mem] {
        std::vector<Tensor> xs;
        std::vector<const Tensor*> ptrs;
        xs.reserve(srcs.size());
        for (const memory& s : srcs) {
            xs.push_back(Tensor::wrap(s.get_data_handle(), flat, DType::F32, Device{}));
            ptrs.push_back(&xs.back());
        }
        Tensor y = Tensor::wrap(o.get_data_handle(), flat, DType::F32, Device{});
        addN(tc, ptrs, y);
    });
}

}  // namespace inference

std::unique_ptr<InferencePlan> makeInferencePlan(const InferenceDesc& desc, const ThreadConfig& tc,
                                                 std::string* whyNot) {
    try {
        return std::make_unique<inference::CpuInferencePlan>(desc, tc);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Unsupported) throw;
        if (whyNot) *whyNot = e.what();
        return nullptr;
    }
}

}  // namespace neurite::cpu
