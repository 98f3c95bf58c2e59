// BatchNormPlan on oneDNN batch_normalization (use_scale | use_shift) over [N, C, spatial]. The
// batch mean and biased variance of the last training forward stay in the plan for backward;
// running statistics are updated here, torch-style, with the unbiased variance.
#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
using Dt = memory::data_type;
using Flags = dnnl::normalization_flags;

class CpuBatchNormPlan final : public BatchNormPlan {
public:
    CpuBatchNormPlan(const BatchNormDesc& d, const ThreadConfig& tc) : m_desc(d), m_tc(tc) {
        checkBatchNormDesc(d);
        m_tc.apply();
        dnnlCall("creating the batch normalization primitives", [&] { build(); });
    }

    void forwardTraining(const Tensor& src, const Tensor& gamma, const Tensor& beta, Tensor& dst,
                         Tensor& runningMean, Tensor& runningVar, float momentum) override {
        checkBatchNormForward(m_desc, true, src, gamma, beta, runningMean, runningVar, dst);
        const int64_t perChannel = m_desc.batch * m_desc.spatial;
        bindCommon(src, gamma, beta, dst);
        m_tc.apply();
        dnnlCall("running batch normalization forward", [&] { m_fwdTraining.run(); });
        m_haveStats = true;

        const float* mean = static_cast<const float*>(m_mean.get_data_handle());
        const float* var = static_cast<const float*>(m_var.get_data_handle());
        float* rm = runningMean.f32();
        float* rv = runningVar.f32();
        const float unbias = static_cast<float>(static_cast<double>(perChannel) /
                                                static_cast<double>(perChannel - 1));
        for (int64_t c = 0; c < m_desc.channels; ++c) {
            rm[c] = (1.f - momentum) * rm[c] + momentum * mean[c];
            rv[c] = (1.f - momentum) * rv[c] + momentum * var[c] * unbias;
        }
    }

    void forwardInference(const Tensor& src, const Tensor& gamma, const Tensor& beta,
                          const Tensor& runningMean, const Tensor& runningVar,
                          Tensor& dst) override {
        checkBatchNormForward(m_desc, false, src, gamma, beta, runningMean, runningVar, dst);
        bindCommon(src, gamma, beta, dst);
        bindData(m_runMean, runningMean.raw());
        bindData(m_runVar, runningVar.raw());
        m_tc.apply();
        dnnlCall("running batch normalization inference", [&] { m_fwdInference.run(); });
    }

    void backward(const Tensor& src, const Tensor& diffDst, const Tensor& gamma, Tensor& diffSrc,
                  Tensor& diffGamma, Tensor& diffBeta) override {
        checkBatchNormBackward(m_desc, m_haveStats, src, diffDst, gamma, diffSrc, diffGamma, diffBeta);
        bindData(m_src, src.raw());
        bindData(m_diffDst, diffDst.raw());
        bindData(m_diffSrc, diffSrc.raw());
        bindData(m_scale, gamma.raw());
        bindData(m_diffScale, diffGamma.raw());
        bindData(m_diffShift, diffBeta.raw());
        m_tc.apply();
        dnnlCall("running batch normalization backward", [&] { m_bwd.run(); });
    }

private:
    // After checkBatchNormForward.
    void bindCommon(const Tensor& src, const Tensor& gamma, const Tensor& beta, Tensor& dst) {
        bindData(m_src, src.raw());
        bindData(m_dst, dst.raw());
        bindData(m_scale, gamma.raw());
        bindData(m_shift, beta.raw());
    }

    void build() {
        const BatchNormDesc& d = m_desc;
        const memory::dims dataDims{d.batch, d.channels, d.spatial, 1};
        const memory::dims statDims{d.channels};
        m_src = userMemory(dataDims, Tag::nchw);
        m_dst = userMemory(dataDims, Tag::nchw);
        m_diffSrc = userMemory(dataDims, Tag::nchw);
        m_diffDst = userMemory(dataDims, Tag::nchw);
        m_scale = userMemory(statDims, Tag::x);
        m_shift = userMemory(statDims, Tag::x);
        m_diffScale = userMemory(statDims, Tag::x);
        m_diffShift = userMemory(statDims, Tag::x);
        m_runMean = userMemory(statDims, Tag::x);
        m_runVar = userMemory(statDims, Tag::x);
        m_mean = memory({statDims, Dt::f32, Tag::x}, cpuEngine());
        m_var = memory({statDims, Dt::f32, Tag::x}, cpuEngine());
        m_unusedShift = memory({statDims, Dt::f32, Tag::x}, cpuEngine());
        const memory::desc dataMd(dataDims, Dt::f32, Tag::nchw);
        const Flags affine = Flags::use_scale | Flags::use_shift;
        const auto attr = m_pad.attr();
        const auto& eng = cpuEngine();

        dnnl::batch_normalization_forward::desc trainDesc(dnnl::prop_kind::forward_training, dataMd,
                                                          d.epsilon, affine);
        dnnl::batch_normalization_forward::primitive_desc trainPd(trainDesc, attr, eng);
        if (trainPd.workspace_desc().get_size() > 0)
            m_workspace = memory(trainPd.workspace_desc(), eng);
        m_fwdTraining.add(Step(dnnl::batch_normalization_forward(trainPd),
                               {{DNNL_ARG_SRC, m_src},
                                {DNNL_ARG_DST, m_dst},
                                {DNNL_ARG_SCALE, m_scale},
                                {DNNL_ARG_SHIFT, m_shift},
                                {DNNL_ARG_MEAN, m_mean},
                                {DNNL_ARG_VARIANCE, m_var},
                                {DNNL_ARG_WORKSPACE, m_workspace},
                                {DNNL_ARG_SCRATCHPAD, m_pad.bind(trainPd.scratchpad_desc())}}));

        dnnl::batch_normalization_forward::desc inferDesc(dnnl::prop_kind::forward_inference,
                                                          dataMd, d.epsilon,
                                                          affine | Flags::use_global_stats);
        dnnl::batch_normalization_forward::primitive_desc inferPd(inferDesc, attr, eng);
        m_fwdInference.add(Step(dnnl::batch_normalization_forward(inferPd),
                                {{DNNL_ARG_SRC, m_src},
                                 {DNNL_ARG_DST, m_dst},
                                 {DNNL_ARG_SCALE, m_scale},
                                 {DNNL_ARG_SHIFT, m_shift},
                                 {DNNL_ARG_MEAN, m_runMean},
                                 {DNNL_ARG_VARIANCE, m_runVar},
                                 {DNNL_ARG_SCRATCHPAD, m_pad.bind(inferPd.scratchpad_desc())}}));

        dnnl::batch_normalization_backward::desc bwdDesc(dnnl::prop_kind::backward, dataMd, dataMd,
                                                         d.epsilon, affine);
        dnnl::batch_normalization_backward::primitive_desc bwdPd(bwdDesc, attr, eng, trainPd);
        m_bwd.add(Step(dnnl::batch_normalization_backward(bwdPd),
                       {{DNNL_ARG_SRC, m_src},
                        {DNNL_ARG_DIFF_DST, m_diffDst},
                        {DNNL_ARG_SCALE, m_scale},
                        {DNNL_ARG_SHIFT, m_unusedShift},
                        {DNNL_ARG_MEAN, m_mean},
                        {DNNL_ARG_VARIANCE, m_var},
                        {DNNL_ARG_WORKSPACE, m_workspace},
                        {DNNL_ARG_DIFF_SRC, m_diffSrc},
                        {DNNL_ARG_DIFF_SCALE, m_diffScale},
                        {DNNL_ARG_DIFF_SHIFT, m_diffShift},
                        {DNNL_ARG_SCRATCHPAD, m_pad.bind(bwdPd.scratchpad_desc())}}));
        m_pad.finish();
    }

    BatchNormDesc m_desc;
    ThreadConfig m_tc;
    memory m_src, m_dst, m_diffSrc, m_diffDst; // user memories, [N, C, spatial, 1] nchw
    memory m_scale, m_shift, m_diffScale, m_diffShift, m_runMean, m_runVar; // user, [C]
    memory m_mean, m_var; // batch statistics saved by the last training forward
    memory m_unusedShift; // oneDNN 2.6 wants a shift input in backward, though it does not read it
    memory m_workspace;
    bool m_haveStats = false;
    Scratchpad m_pad;
    Pass m_fwdTraining, m_fwdInference, m_bwd;
};

} // namespace

std::unique_ptr<BatchNormPlan> makeBatchNormPlan(const BatchNormDesc& desc,
                                                 const ThreadConfig& tc) {
    return std::make_unique<CpuBatchNormPlan>(desc, tc);
}

} // namespace neurite::cpu
