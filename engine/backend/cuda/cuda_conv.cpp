// ConvPlan on cuDNN's legacy convolution API (deprecated in cuDNN 9 but present; the warning is
// silenced in this file only). Algorithms are chosen once per plan by cuDNN's heuristics
// (Get*_v7), deterministic ones preferred for backward, with one workspace for the three.
// fp32 math is pinned to FMA (no TF32), so results match the CPU within fp32 rounding.
// cuDNN pads symmetrically; asymmetric padding is done by copying into a zero-padded buffer
// and convolving without padding (backward data crops the padded gradient). Channels-last plans
// (Conv1D's [N, T, C], height 1) use NHWC tensors with the filters in KCRS, and pad along the
// width as rows of C values.
#include "backend/cuda/cuda_common.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

namespace neurite::cuda {

namespace {

constexpr std::size_t kWorkspaceLimit = std::size_t(512) << 20;

int toInt(int64_t v, const char* what) {
    if (v > 2147483647)
        throw Error(ErrorKind::Unsupported,
                    std::string("convolution plan: ") + what + " above 2^31 is not supported");
    return static_cast<int>(v);
}

template <class Perf> int pickAlgo(const Perf* perf, int count, bool wantDeterministic) {
    for (int pass = wantDeterministic ? 0 : 1; pass < 2; ++pass)
        for (int i = 0; i < count; ++i) {
            if (perf[i].status != CUDNN_STATUS_SUCCESS || perf[i].memory > kWorkspaceLimit)
                continue;
            if (pass == 0 && perf[i].determinism != CUDNN_DETERMINISTIC) continue;
            return static_cast<int>(perf[i].algo);
        }
    return -1;
}

class CudaConvPlan final : public ConvPlan {
public:
    CudaConvPlan(const ConvDesc& d, Context& ctx) : m_desc(d), m_ctx(ctx) {
        m_symmetric = d.padTop == d.padBottom && d.padLeft == d.padRight;
        m_ph = d.height + (m_symmetric ? 0 : d.padTop + d.padBottom);
        m_pw = d.width + (m_symmetric ? 0 : d.padLeft + d.padRight);
        m_srcSize = d.batch * d.inChannels * d.height * d.width;
        m_dstSize = d.batch * d.outChannels * d.outHeight() * d.outWidth();
        m_wSize = d.outChannels * d.inChannels * d.kernelH * d.kernelW;
        const auto entered = ctx.enter();
        try {
            build();
        } catch (...) {
            destroy();
            throw;
        }
    }
    ~CudaConvPlan() override { destroy(); }

    void forward(const Tensor& src, const Tensor& weights, const Tensor* bias,
                 Tensor& dst) override {
        requireNumel(src, m_srcSize, "convolution forward src");
        requireNumel(weights, m_wSize, "convolution forward weights");
        requireNumel(dst, m_dstSize, "convolution forward dst");
        const auto entered = m_ctx.enter();
        const float one = 1.f, zero = 0.f;
        const void* x = paddedSrc(src);
        check(cudnnConvolutionForward(m_ctx.cudnn, &one, m_x, x, m_w, weights.raw(), m_conv,
                                      m_fwdAlgo, m_workspace.get(), m_workspace.bytes(), &zero,
                                      m_y, dst.raw()),
              "cudnnConvolutionForward");
        if (m_desc.bias) {
            if (!bias) throwInternal("convolution forward: the plan has a bias but none was given");
            requireNumel(*bias, m_desc.outChannels, "convolution forward bias");
            check(cudnnAddTensor(m_ctx.cudnn, &one, m_b, bias->raw(), &one, m_y, dst.raw()),
                  "cudnnAddTensor (convolution bias)");
        }
    }

    void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) override {
        requireNumel(diffDst, m_dstSize, "convolution backward diffDst");
        requireNumel(weights, m_wSize, "convolution backward weights");
        requireNumel(diffSrc, m_srcSize, "convolution backward diffSrc");
        const auto entered = m_ctx.enter();
        const float one = 1.f, zero = 0.f;
        void* dx = m_symmetric ? diffSrc.raw() : m_padded.get();
        check(cudnnConvolutionBackwardData(m_ctx.cudnn, &one, m_w, weights.raw(), m_y,
                                           diffDst.raw(), m_conv, m_bwdDataAlgo,
                                           m_workspace.get(), m_workspace.bytes(), &zero, m_x, dx),
              "cudnnConvolutionBackwardData");
        if (!m_symmetric) {
            const ConvDesc& d = m_desc;
            const cudaError_t e =
                d.channelsLast ? launchCrop(m_padded.as<float>(), f32(diffSrc), d.batch, d.width, d.inChannels,
                                            d.padLeft, 0, m_pw, d.inChannels, m_ctx.stream)
                               : launchCrop(m_padded.as<float>(), f32(diffSrc), d.batch * d.inChannels, d.height,
                                            d.width, d.padTop, d.padLeft, m_ph, m_pw, m_ctx.stream);
            check(e, "convolution gradient crop");
        }
    }

    void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                         Tensor* diffBias) override {
        requireNumel(src, m_srcSize, "convolution backward src");
        requireNumel(diffDst, m_dstSize, "convolution backward diffDst");
        requireNumel(diffWeights, m_wSize, "convolution backward diffWeights");
        const auto entered = m_ctx.enter();
        const float one = 1.f, zero = 0.f;
        const void* x = paddedSrc(src);
        check(cudnnConvolutionBackwardFilter(m_ctx.cudnn, &one, m_x, x, m_y, diffDst.raw(), m_conv,
                                             m_bwdFilterAlgo, m_workspace.get(),
                                             m_workspace.bytes(), &zero, m_w, diffWeights.raw()),
              "cudnnConvolutionBackwardFilter");
        if (m_desc.bias && diffBias) {
            requireNumel(*diffBias, m_desc.outChannels, "convolution backward diffBias");
            check(cudnnConvolutionBackwardBias(m_ctx.cudnn, &one, m_y, diffDst.raw(), &zero, m_b,
                                               diffBias->raw()),
                  "cudnnConvolutionBackwardBias");
        }
    }

private:
    const void* paddedSrc(const Tensor& src) {
        if (m_symmetric) return src.raw();
        const ConvDesc& d = m_desc;
        // channels-last (height 1): rows of C values, padded along the width
        const cudaError_t e =
            d.channelsLast ? launchPad(f32(src), m_padded.as<float>(), d.batch, d.width, d.inChannels, d.padLeft,
                                       0, m_pw, d.inChannels, m_ctx.stream)
                           : launchPad(f32(src), m_padded.as<float>(), d.batch * d.inChannels, d.height, d.width,
                                       d.padTop, d.padLeft, m_ph, m_pw, m_ctx.stream);
        check(e, "convolution input padding");
        return m_padded.get();
    }

    void build() {
        const ConvDesc& d = m_desc;
        const int n = toInt(d.batch, "batch"), c = toInt(d.inChannels, "input channels");
        const int k = toInt(d.outChannels, "output channels");
        check(cudnnCreateTensorDescriptor(&m_x), "cudnnCreateTensorDescriptor");
        check(cudnnCreateTensorDescriptor(&m_y), "cudnnCreateTensorDescriptor");
        check(cudnnCreateTensorDescriptor(&m_b), "cudnnCreateTensorDescriptor");
        check(cudnnCreateFilterDescriptor(&m_w), "cudnnCreateFilterDescriptor");
        check(cudnnCreateConvolutionDescriptor(&m_conv), "cudnnCreateConvolutionDescriptor");
        const cudnnTensorFormat_t layout = d.channelsLast ? CUDNN_TENSOR_NHWC : CUDNN_TENSOR_NCHW;
        check(cudnnSetTensor4dDescriptor(m_x, layout, CUDNN_DATA_FLOAT, n, c,
                                         toInt(m_ph, "height"), toInt(m_pw, "width")),
              "cudnnSetTensor4dDescriptor (convolution src)");
        check(cudnnSetFilter4dDescriptor(m_w, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, k, c,
                                         toInt(d.kernelH, "kernel height"),
                                         toInt(d.kernelW, "kernel width")),
              "cudnnSetFilter4dDescriptor");
        const int padH = m_symmetric ? toInt(d.padTop, "padding") : 0;
        const int padW = m_symmetric ? toInt(d.padLeft, "padding") : 0;
        check(cudnnSetConvolution2dDescriptor(m_conv, padH, padW, toInt(d.strideH, "stride"),
                                              toInt(d.strideW, "stride"), toInt(d.dilationH, "dilation"),
                                              toInt(d.dilationW, "dilation"),
                                              CUDNN_CROSS_CORRELATION, CUDNN_DATA_FLOAT),
              "cudnnSetConvolution2dDescriptor");
        check(cudnnSetConvolutionMathType(m_conv, CUDNN_FMA_MATH), "cudnnSetConvolutionMathType");
        int on = 0, ok = 0, oh = 0, ow = 0;
        check(cudnnGetConvolution2dForwardOutputDim(m_conv, m_x, m_w, &on, &ok, &oh, &ow),
              "cudnnGetConvolution2dForwardOutputDim");
        if (on != n || ok != k || oh != d.outHeight() || ow != d.outWidth())
            throwInternal("convolution plan: cuDNN computes an output of " + std::to_string(oh) +
                          "x" + std::to_string(ow) + ", the engine " +
                          std::to_string(d.outHeight()) + "x" + std::to_string(d.outWidth()));
        check(cudnnSetTensor4dDescriptor(m_y, layout, CUDNN_DATA_FLOAT, n, k, oh, ow),
              "cudnnSetTensor4dDescriptor (convolution dst)");
        check(cudnnSetTensor4dDescriptor(m_b, layout, CUDNN_DATA_FLOAT, 1, k, 1, 1),
              "cudnnSetTensor4dDescriptor (convolution bias)");
        chooseAlgorithms();
        if (!m_symmetric)
            m_padded = Buffer(*m_ctx.allocator,
                              static_cast<std::size_t>(d.batch * d.inChannels * m_ph * m_pw) * 4);
    }

    void chooseAlgorithms() {
        cudnnHandle_t h = m_ctx.cudnn;
        std::size_t need = 0, size = 0;
        {
            cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
            int count = 0;
            check(cudnnGetConvolutionForwardAlgorithm_v7(h, m_x, m_w, m_conv, m_y,
                                                         CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &count,
                                                         perf),
                  "cudnnGetConvolutionForwardAlgorithm_v7");
            const int algo = pickAlgo(perf, count, false);
            if (algo < 0) noAlgorithm("forward");
            m_fwdAlgo = static_cast<cudnnConvolutionFwdAlgo_t>(algo);
            check(cudnnGetConvolutionForwardWorkspaceSize(h, m_x, m_w, m_conv, m_y, m_fwdAlgo,
                                                          &size),
                  "cudnnGetConvolutionForwardWorkspaceSize");
            need = std::max(need, size);
        }
        {
            cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
            int count = 0;
            check(cudnnGetConvolutionBackwardDataAlgorithm_v7(
                      h, m_w, m_y, m_conv, m_x, CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &count,
                      perf),
                  "cudnnGetConvolutionBackwardDataAlgorithm_v7");
            const int algo = pickAlgo(perf, count, true);
            if (algo < 0) noAlgorithm("backward data");
            m_bwdDataAlgo = static_cast<cudnnConvolutionBwdDataAlgo_t>(algo);
            check(cudnnGetConvolutionBackwardDataWorkspaceSize(h, m_w, m_y, m_conv, m_x,
                                                               m_bwdDataAlgo, &size),
                  "cudnnGetConvolutionBackwardDataWorkspaceSize");
            need = std::max(need, size);
        }
        {
            cudnnConvolutionBwdFilterAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
            int count = 0;
            check(cudnnGetConvolutionBackwardFilterAlgorithm_v7(
                      h, m_x, m_y, m_conv, m_w, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &count,
                      perf),
                  "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
            const int algo = pickAlgo(perf, count, true);
            if (algo < 0) noAlgorithm("backward filter");
            m_bwdFilterAlgo = static_cast<cudnnConvolutionBwdFilterAlgo_t>(algo);
            check(cudnnGetConvolutionBackwardFilterWorkspaceSize(h, m_x, m_y, m_conv, m_w,
                                                                 m_bwdFilterAlgo, &size),
                  "cudnnGetConvolutionBackwardFilterWorkspaceSize");
            need = std::max(need, size);
        }
        if (need) m_workspace = Buffer(*m_ctx.allocator, need);
    }

    [[noreturn]] void noAlgorithm(const char* pass) const {
        throw Error(ErrorKind::Unsupported,
                    std::string("cuDNN has no ") + pass +
                        " convolution algorithm for this shape within a " +
                        formatBytes(kWorkspaceLimit) + " workspace; train on the CPU");
    }

    void destroy() {
        if (m_x) cudnnDestroyTensorDescriptor(m_x);
        if (m_y) cudnnDestroyTensorDescriptor(m_y);
        if (m_b) cudnnDestroyTensorDescriptor(m_b);
        if (m_w) cudnnDestroyFilterDescriptor(m_w);
        if (m_conv) cudnnDestroyConvolutionDescriptor(m_conv);
        m_x = m_y = m_b = nullptr;
        m_w = nullptr;
        m_conv = nullptr;
    }

    ConvDesc m_desc;
    Context& m_ctx;
    bool m_symmetric = true;
    int64_t m_ph = 0, m_pw = 0;  // the height and width cuDNN sees (padded when asymmetric)
    int64_t m_srcSize = 0, m_dstSize = 0, m_wSize = 0;
    cudnnTensorDescriptor_t m_x = nullptr, m_y = nullptr, m_b = nullptr;
    cudnnFilterDescriptor_t m_w = nullptr;
    cudnnConvolutionDescriptor_t m_conv = nullptr;
    cudnnConvolutionFwdAlgo_t m_fwdAlgo{};
    cudnnConvolutionBwdDataAlgo_t m_bwdDataAlgo{};
    cudnnConvolutionBwdFilterAlgo_t m_bwdFilterAlgo{};
    Buffer m_workspace;
    Buffer m_padded;  // [N, C, H + top + bottom, W + left + right] when padding is asymmetric
};

}  // namespace

std::unique_ptr<ConvPlan> makeConvPlan(const ConvDesc& d, Context& ctx) {
    checkConvDesc(d);
    if (d.compute != DType::F32)
        throw Error(ErrorKind::Unsupported,
                    std::string(nameOf(d.compute)) +
                        " convolutions are not available on CUDA in this version; use fp32");
    return std::make_unique<CudaConvPlan>(d, ctx);
}

}  // namespace neurite::cuda

#pragma GCC diagnostic pop
