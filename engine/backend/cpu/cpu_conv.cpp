// ConvPlan on oneDNN convolution (direct algorithm): the primitives choose their own memory
// formats (format_tag::any) and reorders to and from nchw (or nhwc, channels-last)/oihw, made
// once, run at the boundaries. Dilation is oneDNN's "dilated convolution" (gaps = dilation - 1);
// groups are oneDNN's grouped convolution (depthwise when G = C = K).
#include "backend/cpu/cpu_kernels.h"
#include "backend/cpu/cpu_weighted_plan.h"

namespace neurite::cpu {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;

constexpr auto kAlgorithm = dnnl::algorithm::convolution_direct;

class CpuConvPlan final : public WeightedPlan<ConvPlan> {
public:
    CpuConvPlan(const ConvDesc& d, const ThreadConfig& tc)
        : WeightedPlan("convolution", tc), m_desc(d) {
        checkConvDesc(d);
        m_tc.apply();
        dnnlCall("creating the convolution primitives", [&] { build(); });
    }

private:
    void build() {
        const ConvDesc& d = m_desc;
        const memory::dims srcDims{d.batch, d.inChannels, d.height, d.width};
        // grouped: oneDNN's [G, K/G, C/G, R, S] (goihw) is our [K, C/G, R, S] in the same order
        const bool grouped = d.groups > 1;
        const memory::dims wDims =
            grouped ? memory::dims{d.groups, d.groupOut(), d.groupIn(), d.kernelH, d.kernelW}
                    : memory::dims{d.outChannels, d.inChannels, d.kernelH, d.kernelW};
        const memory::dims bDims{d.outChannels};
        const memory::dims dstDims{d.batch, d.outChannels, d.outHeight(), d.outWidth()};
        const memory::dims strides{d.strideH, d.strideW};
        const memory::dims dilates{d.dilationH - 1, d.dilationW - 1};  // oneDNN counts the gaps
        const memory::dims padL{d.padTop, d.padLeft}, padR{d.padBottom, d.padRight};
        makeUserMemories({srcDims, wDims, dstDims, d.bias ? bDims : memory::dims{},
                          d.channelsLast ? Tag::nhwc : Tag::nchw, grouped ? Tag::goihw : Tag::oihw});
        // src, weights and diff_dst in the compute type; dst and the gradients stay f32
        const Dt ct = computeType(d.compute, "convolution plan");
        const memory::desc srcMd(srcDims, ct, Tag::any), srcF32(srcDims, Dt::f32, Tag::any);
        const memory::desc wMd(wDims, ct, Tag::any), wF32(wDims, Dt::f32, Tag::any);
        const memory::desc dstMd(dstDims, ct, Tag::any), dstF32(dstDims, Dt::f32, Tag::any);
        const memory::desc bMd(bDims, Dt::f32, Tag::x);
        const auto attr = m_pad.attr();
        const auto& eng = cpuEngine();
        using Fwd = dnnl::convolution_forward;
        using BwdData = dnnl::convolution_backward_data;
        using BwdWeights = dnnl::convolution_backward_weights;
        const auto train = dnnl::prop_kind::forward_training;

        const auto fwdDesc =
            d.bias ? Fwd::desc(train, kAlgorithm, srcMd, wMd, bMd, dstF32, strides, dilates, padL, padR)
                   : Fwd::desc(train, kAlgorithm, srcMd, wMd, dstF32, strides, dilates, padL, padR);
        const Fwd::primitive_desc fwdPd(fwdDesc, attr, eng);
        const BwdData::primitive_desc bdPd(
            BwdData::desc(kAlgorithm, srcF32, wMd, dstMd, strides, dilates, padL, padR), attr, eng, fwdPd);
        const auto bwDesc =
            d.bias ? BwdWeights::desc(kAlgorithm, srcMd, wF32, bMd, dstMd, strides, dilates, padL, padR)
                   : BwdWeights::desc(kAlgorithm, srcMd, wF32, dstMd, strides, dilates, padL, padR);
        const BwdWeights::primitive_desc bwPd(bwDesc, attr, eng, fwdPd);
        assemble<Fwd, BwdData, BwdWeights>(fwdPd, bdPd, bwPd);
    }

    ConvDesc m_desc;
};

} // namespace

std::unique_ptr<ConvPlan> makeConvPlan(const ConvDesc& desc, const ThreadConfig& tc) {
    return std::make_unique<CpuConvPlan>(desc, tc);
}

} // namespace neurite::cpu
