// DensePlan on oneDNN inner_product: forward, backward data and backward weights primitives
// built once, in torch.nn.Linear layout (src nc, weights oi). Calls only rebind data pointers.
#include "backend/cpu/cpu_kernels.h"
#include "backend/cpu/cpu_weighted_plan.h"

namespace neurite::cpu {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;

class CpuDensePlan final : public WeightedPlan<DensePlan> {
public:
    CpuDensePlan(const DenseDesc& d, const ThreadConfig& tc)
        : WeightedPlan("dense", tc), m_desc(d) {
        checkDenseDesc(d);
        m_tc.apply();
        dnnlCall("creating the dense (inner product) primitives", [&] { build(); });
    }

private:
    void build() {
        const memory::dims srcDims{m_desc.batch, m_desc.inputs};
        const memory::dims wDims{m_desc.outputs, m_desc.inputs};
        const memory::dims bDims{m_desc.outputs};
        const memory::dims dstDims{m_desc.batch, m_desc.outputs};
        makeUserMemories(
            {srcDims, wDims, dstDims, m_desc.bias ? bDims : memory::dims{}, Tag::nc, Tag::oi});
        // src, weights and diff_dst in the compute type; dst and the gradients stay f32
        const Dt ct = computeType(m_desc.compute, "dense plan");
        const memory::desc srcMd(srcDims, ct, Tag::nc), srcF32(srcDims, Dt::f32, Tag::nc);
        const memory::desc wMd(wDims, ct, Tag::oi), wF32(wDims, Dt::f32, Tag::oi);
        const memory::desc dstMd(dstDims, ct, Tag::nc), dstF32(dstDims, Dt::f32, Tag::nc);
        const memory::desc bMd(bDims, Dt::f32, Tag::x);
        const auto attr = m_pad.attr();
        const auto& eng = cpuEngine();
        using Fwd = dnnl::inner_product_forward;
        using BwdData = dnnl::inner_product_backward_data;
        using BwdWeights = dnnl::inner_product_backward_weights;
        const auto train = dnnl::prop_kind::forward_training;

        const auto fwdDesc = m_desc.bias ? Fwd::desc(train, srcMd, wMd, bMd, dstF32)
                                         : Fwd::desc(train, srcMd, wMd, dstF32);
        const Fwd::primitive_desc fwdPd(fwdDesc, attr, eng);
        const BwdData::primitive_desc bdPd(BwdData::desc(srcF32, wMd, dstMd), attr, eng, fwdPd);
        const auto bwDesc = m_desc.bias ? BwdWeights::desc(srcMd, wF32, bMd, dstMd)
                                        : BwdWeights::desc(srcMd, wF32, dstMd);
        const BwdWeights::primitive_desc bwPd(bwDesc, attr, eng, fwdPd);
        assemble<Fwd, BwdData, BwdWeights>(fwdPd, bdPd, bwPd);
    }

    DenseDesc m_desc;
};

} // namespace

std::unique_ptr<DensePlan> makeDensePlan(const DenseDesc& desc, const ThreadConfig& tc) {
    return std::make_unique<CpuDensePlan>(desc, tc);
}

} // namespace neurite::cpu
