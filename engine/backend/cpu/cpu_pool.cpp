// PoolPlan on oneDNN pooling over nchw: max pooling keeps the argmax workspace of the last
// training forward in the plan for backward; average pooling excludes padding from the divisor.
#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;

class CpuPoolPlan final : public PoolPlan {
public:
    CpuPoolPlan(const PoolDesc& d, const ThreadConfig& tc) : m_desc(d), m_tc(tc) {
        checkPoolDesc(d);
        m_srcSize = d.batch * d.channels * d.height * d.width;
        m_dstSize = d.batch * d.channels * d.outHeight() * d.outWidth();
        m_tc.apply();
        dnnlCall("creating the pooling primitives", [&] { build(); });
    }

    void forward(const Tensor& src, Tensor& dst, bool training) override {
        requireNumel(src, m_srcSize, "pooling forward src");
        requireNumel(dst, m_dstSize, "pooling forward dst");
        bindData(m_src, src.raw());
        bindData(m_dst, dst.raw());
        m_tc.apply();
        dnnlCall("running pooling forward",
                 [&] { (training ? m_fwdTraining : m_fwdInference).run(); });
        m_haveWorkspace = training;
    }

    void backward(const Tensor& diffDst, Tensor& diffSrc) override {
        requireNumel(diffDst, m_dstSize, "pooling backward diffDst");
        requireNumel(diffSrc, m_srcSize, "pooling backward diffSrc");
        if (m_desc.kind == PoolKind::Max && !m_haveWorkspace)
            throwInternal("max pooling backward needs a training forward on the same plan first");
        bindData(m_diffDst, diffDst.raw());
        bindData(m_diffSrc, diffSrc.raw());
        m_tc.apply();
        dnnlCall("running pooling backward", [&] { m_bwd.run(); });
    }

private:
    void build() {
        const PoolDesc& d = m_desc;
        const memory::dims srcDims{d.batch, d.channels, d.height, d.width};
        const memory::dims dstDims{d.batch, d.channels, d.outHeight(), d.outWidth()};
        const memory::dims strides{d.strideH, d.strideW}, kernel{d.kernelH, d.kernelW};
        const memory::dims padL{d.padTop, d.padLeft}, padR{d.padBottom, d.padRight};
        m_src = userMemory(srcDims, Tag::nchw);
        m_dst = userMemory(dstDims, Tag::nchw);
        m_diffSrc = userMemory(srcDims, Tag::nchw);
        m_diffDst = userMemory(dstDims, Tag::nchw);
        const memory::desc srcMd(srcDims, Dt::f32, Tag::nchw);
        const memory::desc dstMd(dstDims, Dt::f32, Tag::nchw);
        const auto algorithm = d.kind == PoolKind::Max
                                   ? dnnl::algorithm::pooling_max
                                   : dnnl::algorithm::pooling_avg_exclude_padding;
        const auto attr = m_pad.attr();
        const auto& eng = cpuEngine();

        dnnl::pooling_forward::desc trainDesc(dnnl::prop_kind::forward_training, algorithm, srcMd,
                                              dstMd, strides, kernel, padL, padR);
        dnnl::pooling_forward::primitive_desc trainPd(trainDesc, attr, eng);
        if (trainPd.workspace_desc().get_size() > 0)
            m_workspace = memory(trainPd.workspace_desc(), eng);
        m_fwdTraining.add(Step(dnnl::pooling_forward(trainPd),
                               {{DNNL_ARG_SRC, m_src},
                                {DNNL_ARG_DST, m_dst},
                                {DNNL_ARG_WORKSPACE, m_workspace},
                                {DNNL_ARG_SCRATCHPAD, m_pad.bind(trainPd.scratchpad_desc())}}));

        dnnl::pooling_forward::desc inferDesc(dnnl::prop_kind::forward_inference, algorithm, srcMd,
                                              dstMd, strides, kernel, padL, padR);
        dnnl::pooling_forward::primitive_desc inferPd(inferDesc, attr, eng);
        m_fwdInference.add(Step(dnnl::pooling_forward(inferPd),
                                {{DNNL_ARG_SRC, m_src},
                                 {DNNL_ARG_DST, m_dst},
                                 {DNNL_ARG_SCRATCHPAD, m_pad.bind(inferPd.scratchpad_desc())}}));

        dnnl::pooling_backward::desc bwdDesc(algorithm, srcMd, dstMd, strides, kernel, padL, padR);
        dnnl::pooling_backward::primitive_desc bwdPd(bwdDesc, attr, eng, trainPd);
        m_bwd.add(Step(dnnl::pooling_backward(bwdPd),
                       {{DNNL_ARG_DIFF_DST, m_diffDst},
                        {DNNL_ARG_DIFF_SRC, m_diffSrc},
                        {DNNL_ARG_WORKSPACE, m_workspace},
                        {DNNL_ARG_SCRATCHPAD, m_pad.bind(bwdPd.scratchpad_desc())}}));
        m_pad.finish();
    }

    PoolDesc m_desc;
    ThreadConfig m_tc;
    int64_t m_srcSize = 0, m_dstSize = 0;
    memory m_src, m_dst, m_diffSrc, m_diffDst; // user memories, nchw
    memory m_workspace;                        // max pooling's argmax, from the last forward
    bool m_haveWorkspace = false;
    Scratchpad m_pad;
    Pass m_fwdTraining, m_fwdInference, m_bwd;
};

} // namespace

std::unique_ptr<PoolPlan> makePoolPlan(const PoolDesc& desc, const ThreadConfig& tc) {
    return std::make_unique<CpuPoolPlan>(desc, tc);
}

} // namespace neurite::cpu
