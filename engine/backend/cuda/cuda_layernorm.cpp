// LayerNormPlan on the own kernels of cuda_kernels_norm.cu: the per-row statistics of the last
// forward and the scratch of the gamma/beta reduction are device buffers made with the plan, so
// a step allocates nothing.
#include "backend/cuda/cuda_common.h"

namespace neurite::cuda {

namespace {

class CudaLayerNormPlan final : public LayerNormPlan {
public:
    CudaLayerNormPlan(const LayerNormDesc& d, Context& ctx) : m_d(d), m_ctx(ctx) {
        m_rowBlocks = layerNormRowBlocks(d.rows, d.features);
        const auto entered = ctx.enter("layernorm", "plan");
        m_mean = Buffer(*ctx.allocator, static_cast<std::size_t>(d.rows) * sizeof(double));
        m_rstd = Buffer(*ctx.allocator, static_cast<std::size_t>(d.rows) * sizeof(float));
        m_partials = Buffer(*ctx.allocator,
                            static_cast<std::size_t>(2 * m_rowBlocks * d.features) * sizeof(double));
    }

    void forward(const Tensor& src, const Tensor& gamma, const Tensor& beta, Tensor& dst) override {
        checkLayerNormForward(m_d, src, gamma, beta, dst);
        const auto entered = m_ctx.enter("layernorm", __func__);
        check(launchLayerNormForward(f32(src), f32(gamma), f32(beta), f32(dst), m_mean.as<double>(),
                                     m_rstd.as<float>(), m_d.rows, m_d.features, m_d.epsilon,
                                     m_ctx.stream),
              "layer norm forward");
        m_haveStats = true;
    }

    void backward(const Tensor& src, const Tensor& diffDst, const Tensor& gamma, Tensor& diffSrc,
                  Tensor& diffGamma, Tensor& diffBeta) override {
        checkLayerNormBackward(m_d, m_haveStats, src, diffDst, gamma, diffSrc, diffGamma, diffBeta);
        const auto entered = m_ctx.enter("layernorm", __func__);
        check(launchLayerNormBackwardData(f32(src), f32(diffDst), f32(gamma), m_mean.as<double>(),
                                          m_rstd.as<float>(), f32(diffSrc), m_d.rows, m_d.features,
                                          m_ctx.stream),
              "layer norm backward data");
        check(launchLayerNormBackwardParams(f32(src), f32(diffDst), m_mean.as<double>(),
                                            m_rstd.as<float>(), m_partials.as<double>(),
                                            m_rowBlocks, f32(diffGamma), f32(diffBeta), m_d.rows,
                                            m_d.features, m_ctx.stream),
              "layer norm backward gamma and beta");
    }

private:
    LayerNormDesc m_d;
    Context& m_ctx;
    int64_t m_rowBlocks = 1;
    Buffer m_mean, m_rstd;  // [rows] double and float, saved by the last forward
    Buffer m_partials;      // [2, rowBlocks, D] doubles: partial sums of dgamma and dbeta
    bool m_haveStats = false;
};

}  // namespace

std::unique_ptr<LayerNormPlan> makeLayerNormPlan(const LayerNormDesc& d, Context& ctx) {
    checkLayerNormDesc(d);
    return std::make_unique<CudaLayerNormPlan>(d, ctx);
}

}  // namespace neurite::cuda
