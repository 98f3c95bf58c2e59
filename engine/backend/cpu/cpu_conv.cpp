// ConvPlan on oneDNN convolution (direct algorithm): the primitives choose their own memory
// formats (format_tag::any) and reorders to and from nchw/oihw, made once, run at the boundaries.
#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;

constexpr auto kAlgorithm = dnnl::algorithm::convolution_direct;

class CpuConvPlan final : public ConvPlan {
public:
    CpuConvPlan(const ConvDesc& d, const ThreadConfig& tc) : m_desc(d), m_tc(tc) {
        requirePositive("convolution plan", {{"batch", d.batch},
                                             {"input channels", d.inChannels},
                                             {"height", d.height},
                                             {"width", d.width},
                                             {"output channels", d.outChannels},
                                             {"kernel height", d.kernelH},
                                             {"kernel width", d.kernelW},
                                             {"stride height", d.strideH},
                                             {"stride width", d.strideW}});
        requireNonNegative("convolution plan", {{"top padding", d.padTop},
                                                {"left padding", d.padLeft},
                                                {"bottom padding", d.padBottom},
                                                {"right padding", d.padRight}});
        requireNonNegative("convolution plan",
                           {{"padded height minus kernel height (input too small for the kernel)",
                             d.height + d.padTop + d.padBottom - d.kernelH},
                            {"padded width minus kernel width (input too small for the kernel)",
                             d.width + d.padLeft + d.padRight - d.kernelW}});
        m_srcSize = d.batch * d.inChannels * d.height * d.width;
        m_dstSize = d.batch * d.outChannels * d.outHeight() * d.outWidth();
        m_wSize = d.outChannels * d.inChannels * d.kernelH * d.kernelW;
        m_tc.apply();
        dnnlCall("creating the convolution primitives", [&] { build(); });
    }

    void forward(const Tensor& src, const Tensor& weights, const Tensor* bias,
                 Tensor& dst) override {
        requireNumel(src, m_srcSize, "convolution forward src");
        requireNumel(weights, m_wSize, "convolution forward weights");
        requireNumel(dst, m_dstSize, "convolution forward dst");
        bindData(m_src, src.raw());
        bindData(m_weights, weights.raw());
        bindData(m_dst, dst.raw());
        if (m_desc.bias) {
            if (!bias) throwInternal("convolution forward: the plan has a bias but none was given");
            requireNumel(*bias, m_desc.outChannels, "convolution forward bias");
            bindData(m_bias, bias->raw());
        }
        run(m_fwd);
    }

    void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) override {
        requireNumel(diffDst, m_dstSize, "convolution backward diffDst");
        requireNumel(weights, m_wSize, "convolution backward weights");
        requireNumel(diffSrc, m_srcSize, "convolution backward diffSrc");
        bindData(m_diffDst, diffDst.raw());
        bindData(m_weights, weights.raw());
        bindData(m_diffSrc, diffSrc.raw());
        run(m_bwdData);
    }

    void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                         Tensor* diffBias) override {
        requireNumel(src, m_srcSize, "convolution backward src");
        requireNumel(diffDst, m_dstSize, "convolution backward diffDst");
        requireNumel(diffWeights, m_wSize, "convolution backward diffWeights");
        bindData(m_src, src.raw());
        bindData(m_diffDst, diffDst.raw());
        bindData(m_diffWeights, diffWeights.raw());
        if (m_desc.bias) {
            if (diffBias) {
                requireNumel(*diffBias, m_desc.outChannels, "convolution backward diffBias");
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
        dnnlCall("running a convolution primitive", [&] { pass.run(); });
    }

    void build() {
        const ConvDesc& d = m_desc;
        const memory::dims srcDims{d.batch, d.inChannels, d.height, d.width};
        const memory::dims wDims{d.outChannels, d.inChannels, d.kernelH, d.kernelW};
        const memory::dims bDims{d.outChannels};
        const memory::dims dstDims{d.batch, d.outChannels, d.outHeight(), d.outWidth()};
        const memory::dims strides{d.strideH, d.strideW};
        const memory::dims padL{d.padTop, d.padLeft}, padR{d.padBottom, d.padRight};
        m_src = userMemory(srcDims, Tag::nchw);
        m_weights = userMemory(wDims, Tag::oihw);
        m_dst = userMemory(dstDims, Tag::nchw);
        m_diffSrc = userMemory(srcDims, Tag::nchw);
        m_diffWeights = userMemory(wDims, Tag::oihw);
        m_diffDst = userMemory(dstDims, Tag::nchw);
        if (d.bias) {
            m_bias = userMemory(bDims, Tag::x);
            m_diffBias = userMemory(bDims, Tag::x);
            m_biasSink = memory({bDims, Dt::f32, Tag::x}, cpuEngine());
        }
        // src, weights and diff_dst in the compute type; dst and the gradients stay f32
        const Dt ct = computeType(d.compute, "convolution plan");
        const memory::desc srcMd(srcDims, ct, Tag::any), srcF32(srcDims, Dt::f32, Tag::any);
        const memory::desc wMd(wDims, ct, Tag::any), wF32(wDims, Dt::f32, Tag::any);
        const memory::desc dstMd(dstDims, ct, Tag::any), dstF32(dstDims, Dt::f32, Tag::any);
        const memory::desc bMd(bDims, Dt::f32, Tag::x);
        const auto attr = m_pad.attr();
        const auto& eng = cpuEngine();

        auto fwdDesc =
            d.bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, kAlgorithm,
                                                     srcMd, wMd, bMd, dstF32, strides, padL, padR)
                   : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, kAlgorithm,
                                                     srcMd, wMd, dstF32, strides, padL, padR);
        dnnl::convolution_forward::primitive_desc fwdPd(fwdDesc, attr, eng);
        Staged src = stageIn(m_src, fwdPd.src_desc(), m_pad);
        Staged w = stageIn(m_weights, fwdPd.weights_desc(), m_pad);
        Staged dst = stageOut(m_dst, fwdPd.dst_desc(), m_pad);
        m_fwd.add(std::move(src.reorder));
        m_fwd.add(std::move(w.reorder));
        m_fwd.add(Step(dnnl::convolution_forward(fwdPd),
                       {{DNNL_ARG_SRC, src.mem},
                        {DNNL_ARG_WEIGHTS, w.mem},
                        {DNNL_ARG_BIAS, m_bias},
                        {DNNL_ARG_DST, dst.mem},
                        {DNNL_ARG_SCRATCHPAD, m_pad.bind(fwdPd.scratchpad_desc())}}));
        m_fwd.add(std::move(dst.reorder));

        dnnl::convolution_backward_data::desc bdDesc(kAlgorithm, srcF32, wMd, dstMd, strides, padL,
                                                     padR);
        dnnl::convolution_backward_data::primitive_desc bdPd(bdDesc, attr, eng, fwdPd);
        Staged bdDiffDst = stageIn(m_diffDst, bdPd.diff_dst_desc(), m_pad);
        Staged bdW = stageIn(m_weights, bdPd.weights_desc(), m_pad);
        Staged bdDiffSrc = stageOut(m_diffSrc, bdPd.diff_src_desc(), m_pad);
        m_bwdData.add(std::move(bdDiffDst.reorder));
        m_bwdData.add(std::move(bdW.reorder));
        m_bwdData.add(Step(dnnl::convolution_backward_data(bdPd),
                           {{DNNL_ARG_DIFF_DST, bdDiffDst.mem},
                            {DNNL_ARG_WEIGHTS, bdW.mem},
                            {DNNL_ARG_DIFF_SRC, bdDiffSrc.mem},
                            {DNNL_ARG_SCRATCHPAD, m_pad.bind(bdPd.scratchpad_desc())}}));
        m_bwdData.add(std::move(bdDiffSrc.reorder));

        auto bwDesc = d.bias ? dnnl::convolution_backward_weights::desc(
                                   kAlgorithm, srcMd, wF32, bMd, dstMd, strides, padL, padR)
                             : dnnl::convolution_backward_weights::desc(kAlgorithm, srcMd, wF32,
                                                                        dstMd, strides, padL, padR);
        dnnl::convolution_backward_weights::primitive_desc bwPd(bwDesc, attr, eng, fwdPd);
        Staged bwSrc = stageIn(m_src, bwPd.src_desc(), m_pad);
        Staged bwDiffDst = stageIn(m_diffDst, bwPd.diff_dst_desc(), m_pad);
        Staged bwDiffW = stageOut(m_diffWeights, bwPd.diff_weights_desc(), m_pad);
        m_bwdWeights.add(std::move(bwSrc.reorder));
        m_bwdWeights.add(std::move(bwDiffDst.reorder));
        m_bwdWeights.add(Step(dnnl::convolution_backward_weights(bwPd),
                              {{DNNL_ARG_SRC, bwSrc.mem},
                               {DNNL_ARG_DIFF_DST, bwDiffDst.mem},
                               {DNNL_ARG_DIFF_WEIGHTS, bwDiffW.mem},
                               {DNNL_ARG_DIFF_BIAS, m_diffBias},
                               {DNNL_ARG_SCRATCHPAD, m_pad.bind(bwPd.scratchpad_desc())}}));
        m_bwdWeights.add(std::move(bwDiffW.reorder));
        m_pad.finish();
    }

    ConvDesc m_desc;
    ThreadConfig m_tc;
    int64_t m_srcSize = 0, m_dstSize = 0, m_wSize = 0;
    memory m_src, m_weights, m_bias, m_dst; // user memories: nchw, oihw, x
    memory m_diffSrc, m_diffWeights, m_diffBias, m_diffDst;
    memory m_biasSink; // receives the bias gradient when the caller does not want it
    Scratchpad m_pad;
    Pass m_fwd, m_bwdData, m_bwdWeights;
};

} // namespace

std::unique_ptr<ConvPlan> makeConvPlan(const ConvDesc& desc, const ThreadConfig& tc) {
    return std::make_unique<CpuConvPlan>(desc, tc);
}

} // namespace neurite::cpu
