// DensePlan on oneDNN inner_product: forward, backward data and backward weights primitives
// built once, in torch.nn.Linear layout (src nc, weights oi). Calls only rebind data pointers.
#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;

class CpuDensePlan final : public DensePlan {
public:
    CpuDensePlan(const DenseDesc& d, const ThreadConfig& tc) : m_desc(d), m_tc(tc) {
        requirePositive("dense plan",
                        {{"batch", d.batch}, {"inputs", d.inputs}, {"outputs", d.outputs}});
        m_tc.apply();
        dnnlCall("creating the dense (inner product) primitives", [&] { build(); });
    }

    void forward(const Tensor& src, const Tensor& weights, const Tensor* bias,
                 Tensor& dst) override {
        requireNumel(src, m_desc.batch * m_desc.inputs, "dense forward src");
        requireNumel(weights, m_desc.outputs * m_desc.inputs, "dense forward weights");
        requireNumel(dst, m_desc.batch * m_desc.outputs, "dense forward dst");
        bindData(m_src, src.raw());
        bindData(m_weights, weights.raw());
        bindData(m_dst, dst.raw());
        if (m_desc.bias) {
            if (!bias) throwInternal("dense forward: the plan has a bias but none was given");
            requireNumel(*bias, m_desc.outputs, "dense forward bias");
            bindData(m_bias, bias->raw());
        }
        run(m_fwd);
    }

    void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) override {
        requireNumel(diffDst, m_desc.batch * m_desc.outputs, "dense backward diffDst");
        requireNumel(weights, m_desc.outputs * m_desc.inputs, "dense backward weights");
        requireNumel(diffSrc, m_desc.batch * m_desc.inputs, "dense backward diffSrc");
        bindData(m_diffDst, diffDst.raw());
        bindData(m_weights, weights.raw());
        bindData(m_diffSrc, diffSrc.raw());
        run(m_bwdData);
    }

    void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                         Tensor* diffBias) override {
        requireNumel(src, m_desc.batch * m_desc.inputs, "dense backward src");
        requireNumel(diffDst, m_desc.batch * m_desc.outputs, "dense backward diffDst");
        requireNumel(diffWeights, m_desc.outputs * m_desc.inputs, "dense backward diffWeights");
        bindData(m_src, src.raw());
        bindData(m_diffDst, diffDst.raw());
        bindData(m_diffWeights, diffWeights.raw());
        if (m_desc.bias) {
            if (diffBias) {
                requireNumel(*diffBias, m_desc.outputs, "dense backward diffBias");
                bindData(m_diffBias, diffBias->raw());
            } else {
                bindData(m_diffBias, m_biasSink.get_data_handle());
            }
        }
        run(m_bwdWeights);
    }

private:
    void run(const Pass& pass) const {
        m_tc.apply();
        dnnlCall("running a dense primitive", [&] { pass.run(); });
    }

    void build() {
        const memory::dims srcDims{m_desc.batch, m_desc.inputs};
        const memory::dims wDims{m_desc.outputs, m_desc.inputs};
        const memory::dims bDims{m_desc.outputs};
        const memory::dims dstDims{m_desc.batch, m_desc.outputs};
        m_src = userMemory(srcDims, Tag::nc);
        m_weights = userMemory(wDims, Tag::oi);
        m_dst = userMemory(dstDims, Tag::nc);
        m_diffSrc = userMemory(srcDims, Tag::nc);
        m_diffWeights = userMemory(wDims, Tag::oi);
        m_diffDst = userMemory(dstDims, Tag::nc);
        if (m_desc.bias) {
            m_bias = userMemory(bDims, Tag::x);
            m_diffBias = userMemory(bDims, Tag::x);
            m_biasSink = memory({bDims, Dt::f32, Tag::x}, cpuEngine());
        }
        // src, weights and diff_dst in the compute type; dst and the gradients stay f32
        const Dt ct = computeType(m_desc.compute, "dense plan");
        const memory::desc srcMd(srcDims, ct, Tag::nc), srcF32(srcDims, Dt::f32, Tag::nc);
        const memory::desc wMd(wDims, ct, Tag::oi), wF32(wDims, Dt::f32, Tag::oi);
        const memory::desc dstMd(dstDims, ct, Tag::nc), dstF32(dstDims, Dt::f32, Tag::nc);
        const memory::desc bMd(bDims, Dt::f32, Tag::x);
        const auto attr = m_pad.attr();
        const auto& eng = cpuEngine();

        auto fwdDesc = m_desc.bias
                           ? dnnl::inner_product_forward::desc(dnnl::prop_kind::forward_training,
                                                               srcMd, wMd, bMd, dstF32)
                           : dnnl::inner_product_forward::desc(dnnl::prop_kind::forward_training,
                                                               srcMd, wMd, dstF32);
        dnnl::inner_product_forward::primitive_desc fwdPd(fwdDesc, attr, eng);
        Staged src = stageIn(m_src, fwdPd.src_desc(), m_pad);
        Staged w = stageIn(m_weights, fwdPd.weights_desc(), m_pad);
        Staged dst = stageOut(m_dst, fwdPd.dst_desc(), m_pad);
        m_fwd.add(std::move(src.reorder));
        m_fwd.add(std::move(w.reorder));
        m_fwd.add(Step(dnnl::inner_product_forward(fwdPd),
                       {{DNNL_ARG_SRC, src.mem},
                        {DNNL_ARG_WEIGHTS, w.mem},
                        {DNNL_ARG_BIAS, m_bias},
                        {DNNL_ARG_DST, dst.mem},
                        {DNNL_ARG_SCRATCHPAD, m_pad.bind(fwdPd.scratchpad_desc())}}));
        m_fwd.add(std::move(dst.reorder));

        dnnl::inner_product_backward_data::desc bdDesc(srcF32, wMd, dstMd);
        dnnl::inner_product_backward_data::primitive_desc bdPd(bdDesc, attr, eng, fwdPd);
        Staged bdDiffDst = stageIn(m_diffDst, bdPd.diff_dst_desc(), m_pad);
        Staged bdW = stageIn(m_weights, bdPd.weights_desc(), m_pad);
        Staged bdDiffSrc = stageOut(m_diffSrc, bdPd.diff_src_desc(), m_pad);
        m_bwdData.add(std::move(bdDiffDst.reorder));
        m_bwdData.add(std::move(bdW.reorder));
        m_bwdData.add(Step(dnnl::inner_product_backward_data(bdPd),
                           {{DNNL_ARG_DIFF_DST, bdDiffDst.mem},
                            {DNNL_ARG_WEIGHTS, bdW.mem},
                            {DNNL_ARG_DIFF_SRC, bdDiffSrc.mem},
                            {DNNL_ARG_SCRATCHPAD, m_pad.bind(bdPd.scratchpad_desc())}}));
        m_bwdData.add(std::move(bdDiffSrc.reorder));

        auto bwDesc = m_desc.bias
                          ? dnnl::inner_product_backward_weights::desc(srcMd, wF32, bMd, dstMd)
                          : dnnl::inner_product_backward_weights::desc(srcMd, wF32, dstMd);
        dnnl::inner_product_backward_weights::primitive_desc bwPd(bwDesc, attr, eng, fwdPd);
        Staged bwSrc = stageIn(m_src, bwPd.src_desc(), m_pad);
        Staged bwDiffDst = stageIn(m_diffDst, bwPd.diff_dst_desc(), m_pad);
        Staged bwDiffW = stageOut(m_diffWeights, bwPd.diff_weights_desc(), m_pad);
        m_bwdWeights.add(std::move(bwSrc.reorder));
        m_bwdWeights.add(std::move(bwDiffDst.reorder));
        m_bwdWeights.add(Step(dnnl::inner_product_backward_weights(bwPd),
                              {{DNNL_ARG_SRC, bwSrc.mem},
                               {DNNL_ARG_DIFF_DST, bwDiffDst.mem},
                               {DNNL_ARG_DIFF_WEIGHTS, bwDiffW.mem},
                               {DNNL_ARG_DIFF_BIAS, m_diffBias},
                               {DNNL_ARG_SCRATCHPAD, m_pad.bind(bwPd.scratchpad_desc())}}));
        m_bwdWeights.add(std::move(bwDiffW.reorder));
        m_pad.finish();
    }

    DenseDesc m_desc;
    ThreadConfig m_tc;
    memory m_src, m_weights, m_bias, m_dst; // user memories, f32 plain
    memory m_diffSrc, m_diffWeights, m_diffBias, m_diffDst;
    memory m_biasSink; // receives the bias gradient when the caller does not want it
    Scratchpad m_pad;
    Pass m_fwd, m_bwdData, m_bwdWeights;
};

} // namespace

std::unique_ptr<DensePlan> makeDensePlan(const DenseDesc& desc, const ThreadConfig& tc) {
    return std::make_unique<CpuDensePlan>(desc, tc);
}

} // namespace neurite::cpu
