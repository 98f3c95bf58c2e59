// BatchNormPlan on cuDNN's legacy batch normalization (CUDNN_BATCHNORM_SPATIAL over [N, C,
// spatial, 1]; deprecated in cuDNN 9 but present, the warning is silenced in this file only).
// cuDNN normalizes with the biased batch variance, keeps mean and 1/sqrt(var + eps) for backward
// and updates the running variance with the unbiased one: running = (1 - m) running + m batch,
// which is torch's (and the CPU backend's) rule with factor = momentum.
// Also PoolPlan, a thin plan over the own pooling kernels (cuda_kernels_pool.cu).
#include "backend/cuda/cuda_common.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace neurite::cuda {

namespace {

constexpr cudnnBatchNormMode_t kMode = CUDNN_BATCHNORM_SPATIAL;

class CudaBatchNormPlan final : public BatchNormPlan {
public:
    CudaBatchNormPlan(const BatchNormDesc& d, Context& ctx) : m_desc(d), m_ctx(ctx) {
        const auto entered = ctx.enter("batchnorm", "plan");
        try {
            check(cudnnCreateTensorDescriptor(&m_x), "cudnnCreateTensorDescriptor");
            check(cudnnCreateTensorDescriptor(&m_stats), "cudnnCreateTensorDescriptor");
            check(cudnnSetTensor4dDescriptor(m_x, CUDNN_TENSOR_NCHW, CUDNN_DATA_FLOAT,
                                             static_cast<int>(d.batch),
                                             static_cast<int>(d.channels),
                                             static_cast<int>(d.spatial), 1),
                  "cudnnSetTensor4dDescriptor (batch norm)");
            check(cudnnDeriveBNTensorDescriptor(m_stats, m_x, kMode),
                  "cudnnDeriveBNTensorDescriptor");
        } catch (...) {
            destroy();
            throw;
        }
        const std::size_t statBytes = static_cast<std::size_t>(d.channels) * 4;
        m_mean = Buffer(*ctx.allocator, statBytes);
        m_invStd = Buffer(*ctx.allocator, statBytes);
    }
    ~CudaBatchNormPlan() override { destroy(); }

    void forwardTraining(const Tensor& src, const Tensor& gamma, const Tensor& beta, Tensor& dst,
                         Tensor& runningMean, Tensor& runningVar, float momentum) override {
        checkBatchNormForward(m_desc, true, src, gamma, beta, runningMean, runningVar, dst);
        const auto entered = m_ctx.enter("batchnorm", __func__);
        const float one = 1.f, zero = 0.f;
        check(cudnnBatchNormalizationForwardTraining(
                  m_ctx.cudnn, kMode, &one, &zero, m_x, src.raw(), m_x, dst.raw(), m_stats,
                  gamma.raw(), beta.raw(), static_cast<double>(momentum), runningMean.raw(),
                  runningVar.raw(), static_cast<double>(m_desc.epsilon), m_mean.get(),
                  m_invStd.get()),
              "cudnnBatchNormalizationForwardTraining");
        m_haveStats = true;
    }

    void forwardInference(const Tensor& src, const Tensor& gamma, const Tensor& beta,
                          const Tensor& runningMean, const Tensor& runningVar,
                          Tensor& dst) override {
        checkBatchNormForward(m_desc, false, src, gamma, beta, runningMean, runningVar, dst);
        const auto entered = m_ctx.enter("batchnorm", __func__);
        const float one = 1.f, zero = 0.f;
        check(cudnnBatchNormalizationForwardInference(
                  m_ctx.cudnn, kMode, &one, &zero, m_x, src.raw(), m_x, dst.raw(), m_stats,
                  gamma.raw(), beta.raw(), runningMean.raw(), runningVar.raw(),
                  static_cast<double>(m_desc.epsilon)),
              "cudnnBatchNormalizationForwardInference");
    }

    void backward(const Tensor& src, const Tensor& diffDst, const Tensor& gamma, Tensor& diffSrc,
                  Tensor& diffGamma, Tensor& diffBeta) override {
        checkBatchNormBackward(m_desc, m_haveStats, src, diffDst, gamma, diffSrc, diffGamma, diffBeta);
        const auto entered = m_ctx.enter("batchnorm", __func__);
        const float one = 1.f, zero = 0.f;
        check(cudnnBatchNormalizationBackward(
                  m_ctx.cudnn, kMode, &one, &zero, &one, &zero, m_x, src.raw(), m_x,
                  diffDst.raw(), m_x, diffSrc.raw(), m_stats, gamma.raw(), diffGamma.raw(),
                  diffBeta.raw(), static_cast<double>(m_desc.epsilon), m_mean.get(),
                  m_invStd.get()),
              "cudnnBatchNormalizationBackward");
    }

private:
    void destroy() {
        if (m_x) cudnnDestroyTensorDescriptor(m_x);
        if (m_stats) cudnnDestroyTensorDescriptor(m_stats);
        m_x = m_stats = nullptr;
    }

    BatchNormDesc m_desc;
    Context& m_ctx;
    cudnnTensorDescriptor_t m_x = nullptr, m_stats = nullptr;
    Buffer m_mean, m_invStd;  // saved by the last training forward, [C]
    bool m_haveStats = false;
};

class CudaPoolPlan final : public PoolPlan {
public:
    CudaPoolPlan(const PoolDesc& d, Context& ctx)
        : m_ctx(ctx),
          m_label(std::string(d.kind == PoolKind::Max ? "maxpool " : "avgpool ") +
                  std::to_string(d.channels) + "x" + std::to_string(d.height) + "x" +
                  std::to_string(d.width)) {
        m_shape = {d.batch * d.channels, d.height,  d.width, d.outHeight(), d.outWidth(),
                   d.kernelH,            d.kernelW, d.strideH, d.strideW, d.padTop,
                   d.padLeft,            d.kind == PoolKind::Max};
        m_srcSize = m_shape.nc * d.height * d.width;
        m_dstSize = m_shape.nc * m_shape.oh * m_shape.ow;
        if (m_shape.max)
            m_argmax = Buffer(*ctx.allocator, static_cast<std::size_t>(m_dstSize) * 4);
    }

    void forward(const Tensor& src, Tensor& dst, bool training) override {
        requireNumel(src, m_srcSize, "pooling forward src");
        requireNumel(dst, m_dstSize, "pooling forward dst");
        const auto entered = m_ctx.enter(m_label.c_str(), __func__);
        check(launchPoolForward(m_shape, f32(src), f32(dst),
                                training ? m_argmax.as<int32_t>() : nullptr, m_ctx.stream),
              "pooling forward");
        m_haveArgmax = training;
    }

    void backward(const Tensor& diffDst, Tensor& diffSrc) override {
        requireNumel(diffDst, m_dstSize, "pooling backward diffDst");
        requireNumel(diffSrc, m_srcSize, "pooling backward diffSrc");
        if (m_shape.max && !m_haveArgmax)
            throwInternal("max pooling backward needs a training forward on the same plan first");
        const auto entered = m_ctx.enter(m_label.c_str(), __func__);
        check(launchPoolBackward(m_shape, f32(diffDst), m_argmax.as<int32_t>(), f32(diffSrc),
                                 m_ctx.stream),
              "pooling backward");
    }

private:
    Context& m_ctx;
    std::string m_label;  // names the plan's calls in the profile
    PoolShape m_shape{};
    int64_t m_srcSize = 0, m_dstSize = 0;
    Buffer m_argmax;  // max pooling: index within the plane of each output's maximum
    bool m_haveArgmax = false;
};

}  // namespace

std::unique_ptr<BatchNormPlan> makeBatchNormPlan(const BatchNormDesc& d, Context& ctx) {
    checkBatchNormDesc(d);
    if (d.batch > 2147483647 || d.channels > 2147483647 || d.spatial > 2147483647)
        throw Error(ErrorKind::Unsupported, "batch norm plan: sizes above 2^31 are not supported");
    return std::make_unique<CudaBatchNormPlan>(d, ctx);
}

std::unique_ptr<PoolPlan> makePoolPlan(const PoolDesc& d, Context& ctx) {
    checkPoolDesc(d);
    return std::make_unique<CudaPoolPlan>(d, ctx);
}

}  // namespace neurite::cuda

#pragma GCC diagnostic pop
