// WeightedPlan: what the dense and the convolution plans share. Both wrap three oneDNN
// primitives (forward, backward data, backward weights) over user memories in PyTorch's layout,
// with reorders into the primitives' preferred formats built once; a call only binds pointers.
// A subclass creates its primitive descriptors and hands them to assemble().
#pragma once

#include <string>
#include <utility>

#include "backend/cpu/cpu_common.h"

namespace neurite::cpu {

struct WeightedShapes {
    dnnl::memory::dims src, weights, dst, bias;  // bias empty: no bias
    dnnl::memory::format_tag srcTag, weightsTag; // the user layouts (dst uses srcTag)
};

template <class Interface> class WeightedPlan : public Interface {
public:
    void forward(const Tensor& src, const Tensor& weights, const Tensor* bias,
                 Tensor& dst) override {
        bind(m_src, src, m_srcSize, "forward src");
        bind(m_weights, weights, m_wSize, "forward weights");
        bind(m_dst, dst, m_dstSize, "forward dst");
        if (m_bSize) {
            if (!bias) throwInternal(m_name + " forward: the plan has a bias but none was given");
            bind(m_bias, *bias, m_bSize, "forward bias");
        }
        run(m_fwd);
    }

    void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) override {
        bind(m_diffDst, diffDst, m_dstSize, "backward diffDst");
        bind(m_weights, weights, m_wSize, "backward weights");
        bind(m_diffSrc, diffSrc, m_srcSize, "backward diffSrc");
        run(m_bwdData);
    }

    void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                         Tensor* diffBias) override {
        bind(m_src, src, m_srcSize, "backward src");
        bind(m_diffDst, diffDst, m_dstSize, "backward diffDst");
        bind(m_diffWeights, diffWeights, m_wSize, "backward diffWeights");
        if (m_bSize) {
            if (diffBias)
                bind(m_diffBias, *diffBias, m_bSize, "backward diffBias");
            else
                bindData(m_diffBias, m_biasSink.get_data_handle());
        }
        run(m_bwdWeights);
    }

protected:
    WeightedPlan(std::string name, const ThreadConfig& tc)
        : m_name(std::move(name)), m_tc(tc), m_running("running a " + m_name + " primitive") {}

    // Creates the user memories; call first in the subclass's build().
    void makeUserMemories(const WeightedShapes& s) {
        using Tag = dnnl::memory::format_tag;
        m_src = userMemory(s.src, s.srcTag);
        m_weights = userMemory(s.weights, s.weightsTag);
        m_dst = userMemory(s.dst, s.srcTag);
        m_diffSrc = userMemory(s.src, s.srcTag);
        m_diffWeights = userMemory(s.weights, s.weightsTag);
        m_diffDst = userMemory(s.dst, s.srcTag);
        m_srcSize = m_src.get_desc().get_size() / sizeof(float);
        m_wSize = m_weights.get_desc().get_size() / sizeof(float);
        m_dstSize = m_dst.get_desc().get_size() / sizeof(float);
        if (!s.bias.empty()) {
            m_bias = userMemory(s.bias, Tag::x);
            m_diffBias = userMemory(s.bias, Tag::x);
            m_biasSink = dnnl::memory({s.bias, dnnl::memory::data_type::f32, Tag::x}, cpuEngine());
            m_bSize = s.bias[0];
        }
    }

    // Builds the three passes from the primitive descriptors (Fwd, BwdData, BwdWeights are the
    // oneDNN primitive classes), staging every operand in the format the primitive chose.
    template <class Fwd, class BwdData, class BwdWeights>
    void assemble(const typename Fwd::primitive_desc& fwdPd,
                  const typename BwdData::primitive_desc& bdPd,
                  const typename BwdWeights::primitive_desc& bwPd) {
        Staged src = stageIn(m_src, fwdPd.src_desc(), m_pad);
        Staged w = stageIn(m_weights, fwdPd.weights_desc(), m_pad);
        Staged dst = stageOut(m_dst, fwdPd.dst_desc(), m_pad);
        m_fwd.add(std::move(src.reorder));
        m_fwd.add(std::move(w.reorder));
        m_fwd.add(Step(Fwd(fwdPd), {{DNNL_ARG_SRC, src.mem},
                                    {DNNL_ARG_WEIGHTS, w.mem},
                                    {DNNL_ARG_BIAS, m_bias},
                                    {DNNL_ARG_DST, dst.mem},
                                    {DNNL_ARG_SCRATCHPAD, m_pad.bind(fwdPd.scratchpad_desc())}}));
        m_fwd.add(std::move(dst.reorder));

        Staged bdDiffDst = stageIn(m_diffDst, bdPd.diff_dst_desc(), m_pad);
        Staged bdW = stageIn(m_weights, bdPd.weights_desc(), m_pad);
        Staged bdDiffSrc = stageOut(m_diffSrc, bdPd.diff_src_desc(), m_pad);
        m_bwdData.add(std::move(bdDiffDst.reorder));
        m_bwdData.add(std::move(bdW.reorder));
        m_bwdData.add(
            Step(BwdData(bdPd), {{DNNL_ARG_DIFF_DST, bdDiffDst.mem},
                                 {DNNL_ARG_WEIGHTS, bdW.mem},
                                 {DNNL_ARG_DIFF_SRC, bdDiffSrc.mem},
                                 {DNNL_ARG_SCRATCHPAD, m_pad.bind(bdPd.scratchpad_desc())}}));
        m_bwdData.add(std::move(bdDiffSrc.reorder));

        Staged bwSrc = stageIn(m_src, bwPd.src_desc(), m_pad);
        Staged bwDiffDst = stageIn(m_diffDst, bwPd.diff_dst_desc(), m_pad);
        Staged bwDiffW = stageOut(m_diffWeights, bwPd.diff_weights_desc(), m_pad);
        m_bwdWeights.add(std::move(bwSrc.reorder));
        m_bwdWeights.add(std::move(bwDiffDst.reorder));
        m_bwdWeights.add(
            Step(BwdWeights(bwPd), {{DNNL_ARG_SRC, bwSrc.mem},
                                    {DNNL_ARG_DIFF_DST, bwDiffDst.mem},
                                    {DNNL_ARG_DIFF_WEIGHTS, bwDiffW.mem},
                                    {DNNL_ARG_DIFF_BIAS, m_diffBias},
                                    {DNNL_ARG_SCRATCHPAD, m_pad.bind(bwPd.scratchpad_desc())}}));
        m_bwdWeights.add(std::move(bwDiffW.reorder));
        m_pad.finish();
    }

    const std::string m_name; // "dense", "convolution": prefixes every error
    ThreadConfig m_tc;
    Scratchpad m_pad;

private:
    // The message is only built when the check fails: a step allocates nothing.
    void bind(const dnnl::memory& m, const Tensor& t, int64_t numel, const char* what) {
        if (t.dtype() != DType::F32 || t.numel() != numel)
            requireNumel(t, numel, (m_name + " " + what).c_str());
        bindData(m, t.raw());
    }
    void run(const Pass& pass) const {
        m_tc.apply();
        dnnlCall(m_running.c_str(), [&] { pass.run(); });
    }

    const std::string m_running;
    int64_t m_srcSize = 0, m_wSize = 0, m_dstSize = 0, m_bSize = 0;
    dnnl::memory m_src, m_weights, m_bias, m_dst; // user memories (PyTorch layout, f32)
    dnnl::memory m_diffSrc, m_diffWeights, m_diffBias, m_diffDst;
    dnnl::memory m_biasSink; // receives the bias gradient when the caller does not want it
    Pass m_fwd, m_bwdData, m_bwdWeights;
};

} // namespace neurite::cpu
