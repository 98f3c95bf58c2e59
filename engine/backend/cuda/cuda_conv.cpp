// ConvPlan on cuDNN's legacy convolution API (deprecated in cuDNN 9 but present; the warning is
// silenced in this file only). Algorithms are chosen once per plan by timing them
// (Find*Ex; chooseAlgorithms), deterministic ones preferred for backward, with one workspace
// for the three.
// fp32 math is pinned to FMA (no TF32), so results match the CPU within fp32 rounding.
// cuDNN pads symmetrically; asymmetric padding is done by copying into a zero-padded buffer
// and convolving without padding (backward data crops the padded gradient). Channels-last plans
// (Conv1D's [N, T, C], height 1) transpose to [N, C, 1, T] and back, since cuDNN's legacy API
// lacks fp32 NHWC backward algorithms for some shapes; the filters [K, C, k] are KCRS as they
// are. Bias add and bias gradient are own kernels (deterministic, cuda_kernels.h).
#include "backend/cuda/cuda_common.h"

#include <algorithm>
#include <cstdlib>

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

template <class Perf> float timeOf(const Perf* perf, int count, int algo) {
    for (int i = 0; i < count; ++i)
        if (static_cast<int>(perf[i].algo) == algo) return perf[i].time;
    return 0.f;
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
        m_label = "conv " + std::to_string(d.inChannels) + "x" + std::to_string(d.height) + "x" +
                  std::to_string(d.width) + "->" + std::to_string(d.outChannels) + " k" +
                  std::to_string(d.kernelH) + "x" + std::to_string(d.kernelW) +
                  (d.channelsLast ? " nhwc" : "") +
                  (d.groups > 1 ? " g" + std::to_string(d.groups) : "");
        m_symmetric = d.padTop == d.padBottom && d.padLeft == d.padRight;
        m_ph = d.height + (m_symmetric ? 0 : d.padTop + d.padBottom);
        m_pw = d.width + (m_symmetric ? 0 : d.padLeft + d.padRight);
        m_srcSize = d.batch * d.inChannels * d.height * d.width;
        m_dstSize = d.batch * d.outChannels * d.outHeight() * d.outWidth();
        m_wSize = d.outChannels * d.groupIn() * d.kernelH * d.kernelW;
        const auto entered = ctx.enter(m_label.c_str(), "plan");
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
        const ConvDesc& d = m_desc;
        if (d.bias) {
            if (!bias) throwInternal("convolution forward: the plan has a bias but none was given");
            requireNumel(*bias, d.outChannels, "convolution forward bias");
        }
        const auto entered = m_ctx.enter(m_label.c_str(), __func__);
        const float one = 1.f, zero = 0.f;
        const void* x = convInput(f32(src));
        void* y = d.channelsLast ? m_dyT.get() : dst.raw();
        check(cudnnConvolutionForward(m_ctx.cudnn, &one, m_x, x, m_w, weights.raw(), m_conv,
                                      m_fwdAlgo, m_workspace.get(), m_workspace.bytes(), &zero,
                                      m_y, y),
              "cudnnConvolutionForward");
        if (d.channelsLast)  // [N, K, T'] -> [N, T', K]
            check(launchTranspose(m_dyT.as<float>(), f32(dst), d.batch, d.outChannels, d.outWidth(),
                                  m_ctx.stream),
                  "convolution output transpose");
        if (d.bias) {
            const int64_t inner = d.channelsLast ? 1 : d.outHeight() * d.outWidth();
            const int64_t outer = d.channelsLast ? d.batch * d.outWidth() : d.batch;
            check(launchAddBias(f32(dst), f32(*bias), outer, d.outChannels, inner, m_ctx.stream),
                  "convolution bias");
        }
    }

    void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) override {
        requireNumel(diffDst, m_dstSize, "convolution backward diffDst");
        requireNumel(weights, m_wSize, "convolution backward weights");
        requireNumel(diffSrc, m_srcSize, "convolution backward diffSrc");
        const auto entered = m_ctx.enter(m_label.c_str(), __func__);
        const ConvDesc& d = m_desc;
        const float one = 1.f, zero = 0.f;
        const void* dy = convGradient(f32(diffDst));
        // cuDNN writes dx in the layout it sees: [N, C, H, W], padded when padding is asymmetric
        float* unpadded = d.channelsLast ? m_xT.as<float>() : f32(diffSrc);
        void* dx = m_symmetric ? static_cast<void*>(unpadded) : m_padded.get();
        check(cudnnConvolutionBackwardData(m_ctx.cudnn, &one, m_w, weights.raw(), m_y, dy, m_conv,
                                           m_bwdDataAlgo, m_workspace.get(), m_workspace.bytes(),
                                           &zero, m_x, dx),
              "cudnnConvolutionBackwardData");
        if (!m_symmetric)
            check(launchCrop(m_padded.as<float>(), unpadded, d.batch * d.inChannels, d.height,
                             d.width, d.padTop, d.padLeft, m_ph, m_pw, m_ctx.stream),
                  "convolution gradient crop");
        if (d.channelsLast)  // [N, C, T] -> [N, T, C]
            check(launchTranspose(unpadded, f32(diffSrc), d.batch, d.inChannels, d.width, m_ctx.stream),
                  "convolution gradient transpose");
    }

    void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                         Tensor* diffBias) override {
        requireNumel(src, m_srcSize, "convolution backward src");
        requireNumel(diffDst, m_dstSize, "convolution backward diffDst");
        requireNumel(diffWeights, m_wSize, "convolution backward diffWeights");
        const ConvDesc& d = m_desc;
        if (d.bias && diffBias) requireNumel(*diffBias, d.outChannels, "convolution backward diffBias");
        const auto entered = m_ctx.enter(m_label.c_str(), __func__);
        const float one = 1.f, zero = 0.f;
        const void* x = convInput(f32(src));
        const void* dy = convGradient(f32(diffDst));
        check(cudnnConvolutionBackwardFilter(m_ctx.cudnn, &one, m_x, x, m_y, dy, m_conv,
                                             m_bwdFilterAlgo, m_workspace.get(),
                                             m_workspace.bytes(), &zero, m_w, diffWeights.raw()),
              "cudnnConvolutionBackwardFilter");
        if (d.bias && diffBias)  // over dy as cuDNN sees it: [N, K, H' * W']
            check(launchBiasGrad(static_cast<const float*>(dy), f32(*diffBias), d.batch,
                                 d.outChannels, d.outHeight() * d.outWidth(),
                                 m_biasPartials.as<double>(), m_ctx.stream),
                  "convolution bias gradient");
    }

private:
    // The input as cuDNN reads it: [N, C, H, W] (channels-last input transposed), padded when
    // the padding is asymmetric.
    const void* convInput(const float* src) {
        const ConvDesc& d = m_desc;
        if (d.channelsLast) {
            check(launchTranspose(src, m_xT.as<float>(), d.batch, d.width, d.inChannels, m_ctx.stream),
                  "convolution input transpose");
            src = m_xT.as<float>();
        }
        if (m_symmetric) return src;
        check(launchPad(src, m_padded.as<float>(), d.batch * d.inChannels, d.height, d.width,
                        d.padTop, d.padLeft, m_ph, m_pw, m_ctx.stream),
              "convolution input padding");
        return m_padded.get();
    }

    // The output gradient as cuDNN reads it: [N, K, H', W'] (channels-last transposed).
    const void* convGradient(const float* diffDst) {
        const ConvDesc& d = m_desc;
        if (!d.channelsLast) return diffDst;
        check(launchTranspose(diffDst, m_dyT.as<float>(), d.batch, d.outWidth(), d.outChannels,
                              m_ctx.stream),
              "convolution gradient transpose");
        return m_dyT.get();
    }

    void build() {
        const ConvDesc& d = m_desc;
        const int n = toInt(d.batch, "batch"), c = toInt(d.inChannels, "input channels");
        const int k = toInt(d.outChannels, "output channels");
        check(cudnnCreateTensorDescriptor(&m_x), "cudnnCreateTensorDescriptor");
        check(cudnnCreateTensorDescriptor(&m_y), "cudnnCreateTensorDescriptor");
        check(cudnnCreateFilterDescriptor(&m_w), "cudnnCreateFilterDescriptor");
        check(cudnnCreateConvolutionDescriptor(&m_conv), "cudnnCreateConvolutionDescriptor");
        // always NCHW: cuDNN's legacy API has no fp32 NHWC backward algorithms for every shape,
        // so channels-last plans transpose (convInput, convGradient)
        const cudnnTensorFormat_t layout = CUDNN_TENSOR_NCHW;
        check(cudnnSetTensor4dDescriptor(m_x, layout, CUDNN_DATA_FLOAT, n, c,
                                         toInt(m_ph, "height"), toInt(m_pw, "width")),
              "cudnnSetTensor4dDescriptor (convolution src)");
        // grouped: the filter is [K, C/G, R, S] and the descriptor carries the group count
        check(cudnnSetFilter4dDescriptor(m_w, CUDNN_DATA_FLOAT, CUDNN_TENSOR_NCHW, k,
                                         toInt(d.groupIn(), "input channels per group"),
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
        check(cudnnSetConvolutionGroupCount(m_conv, toInt(d.groups, "groups")), "cudnnSetConvolutionGroupCount");
        int on = 0, ok = 0, oh = 0, ow = 0;
        check(cudnnGetConvolution2dForwardOutputDim(m_conv, m_x, m_w, &on, &ok, &oh, &ow),
              "cudnnGetConvolution2dForwardOutputDim");
        if (on != n || ok != k || oh != d.outHeight() || ow != d.outWidth())
            throwInternal("convolution plan: cuDNN computes an output of " + std::to_string(oh) +
                          "x" + std::to_string(ow) + ", the engine " +
                          std::to_string(d.outHeight()) + "x" + std::to_string(d.outWidth()));
        check(cudnnSetTensor4dDescriptor(m_y, layout, CUDNN_DATA_FLOAT, n, k, oh, ow),
              "cudnnSetTensor4dDescriptor (convolution dst)");
        chooseAlgorithms();
        if (!m_symmetric)
            m_padded = Buffer(*m_ctx.allocator,
                              static_cast<std::size_t>(d.batch * d.inChannels * m_ph * m_pw) * 4);
        if (d.channelsLast) {
            m_xT = Buffer(*m_ctx.allocator, static_cast<std::size_t>(m_srcSize) * 4);
            m_dyT = Buffer(*m_ctx.allocator, static_cast<std::size_t>(m_dstSize) * 4);
        }
        if (d.bias)
            m_biasPartials = Buffer(*m_ctx.allocator,
                                    static_cast<std::size_t>(k * biasGradChunks(n, oh * ow)) *
                                        sizeof(double));
    }

    // cuDNN's measurements (cudnnFind*Ex, each algorithm run once on scratch buffers when the
    // plan is made) by default, or its heuristics (cudnnGet*_v7) with
    // NEURITE_CUDNN_SEARCH=heuristic; backward passes prefer deterministic algorithms unless
    // NEURITE_CUDNN_DETERMINISTIC=0. On an H200 the heuristics chose a backward-data algorithm
    // 6x slower than the fastest deterministic one for the Fashion-MNIST CNN (docs/gpu.md).
    void chooseAlgorithms() {
        const char* search = std::getenv("NEURITE_CUDNN_SEARCH");
        const bool measure = !(search && std::string(search) == "heuristic");
        const char* det = std::getenv("NEURITE_CUDNN_DETERMINISTIC");
        const bool deterministic = !(det && std::string(det) == "0");
        cudnnHandle_t h = m_ctx.cudnn;
        std::size_t need = 0, size = 0;
        Buffer x, w, y, scratch;
        if (measure) {
            const ConvDesc& d = m_desc;
            x = Buffer(*m_ctx.allocator, static_cast<std::size_t>(d.batch * d.inChannels * m_ph * m_pw) * 4);
            w = Buffer(*m_ctx.allocator, static_cast<std::size_t>(m_wSize) * 4);
            y = Buffer(*m_ctx.allocator, static_cast<std::size_t>(m_dstSize) * 4);
            std::size_t freeBytes = 0, totalBytes = 0;
            check(cudaMemGetInfo(&freeBytes, &totalBytes), "cudaMemGetInfo");
            scratch = Buffer(*m_ctx.allocator, std::min(kWorkspaceLimit, freeBytes / 2));
        }
        std::string note = m_label + ":";
        const auto describe = [&](const char* pass, int algo, float ms) {
            note += std::string(" ") + pass + " algo " + std::to_string(algo);
            if (measure) note += " (" + std::to_string(ms) + " ms)";
        };
        {
            cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
            int count = 0;
            if (measure)
                check(cudnnFindConvolutionForwardAlgorithmEx(
                          h, m_x, x.get(), m_w, w.get(), m_conv, m_y, y.get(),
                          CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &count, perf, scratch.get(), scratch.bytes()),
                      "cudnnFindConvolutionForwardAlgorithmEx");
            else
                check(cudnnGetConvolutionForwardAlgorithm_v7(h, m_x, m_w, m_conv, m_y,
                                                             CUDNN_CONVOLUTION_FWD_ALGO_COUNT,
                                                             &count, perf),
                      "cudnnGetConvolutionForwardAlgorithm_v7");
            const int algo = pickAlgo(perf, count, false);
            if (algo < 0) noAlgorithm("forward");
            m_fwdAlgo = static_cast<cudnnConvolutionFwdAlgo_t>(algo);
            describe("fwd", algo, timeOf(perf, count, algo));
            check(cudnnGetConvolutionForwardWorkspaceSize(h, m_x, m_w, m_conv, m_y, m_fwdAlgo,
                                                          &size),
                  "cudnnGetConvolutionForwardWorkspaceSize");
            need = std::max(need, size);
        }
        {
            cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
            int count = 0;
            if (measure)
                check(cudnnFindConvolutionBackwardDataAlgorithmEx(
                          h, m_w, w.get(), m_y, y.get(), m_conv, m_x, x.get(),
                          CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &count, perf, scratch.get(),
                          scratch.bytes()),
                      "cudnnFindConvolutionBackwardDataAlgorithmEx");
            else
                check(cudnnGetConvolutionBackwardDataAlgorithm_v7(
                          h, m_w, m_y, m_conv, m_x, CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &count,
                          perf),
                      "cudnnGetConvolutionBackwardDataAlgorithm_v7");
            const int algo = pickAlgo(perf, count, deterministic);
            if (algo < 0) noAlgorithm("backward data");
            m_bwdDataAlgo = static_cast<cudnnConvolutionBwdDataAlgo_t>(algo);
            describe("bwd-data", algo, timeOf(perf, count, algo));
            check(cudnnGetConvolutionBackwardDataWorkspaceSize(h, m_w, m_y, m_conv, m_x,
                                                               m_bwdDataAlgo, &size),
                  "cudnnGetConvolutionBackwardDataWorkspaceSize");
            need = std::max(need, size);
        }
        {
            cudnnConvolutionBwdFilterAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT];
            int count = 0;
            if (measure)
                check(cudnnFindConvolutionBackwardFilterAlgorithmEx(
                          h, m_x, x.get(), m_y, y.get(), m_conv, m_w, w.get(),
                          CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT, &count, perf, scratch.get(),
                          scratch.bytes()),
                      "cudnnFindConvolutionBackwardFilterAlgorithmEx");
            else
                check(cudnnGetConvolutionBackwardFilterAlgorithm_v7(
                          h, m_x, m_y, m_conv, m_w, CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT,
                          &count, perf),
                      "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
            const int algo = pickAlgo(perf, count, deterministic);
            if (algo < 0) noAlgorithm("backward filter");
            m_bwdFilterAlgo = static_cast<cudnnConvolutionBwdFilterAlgo_t>(algo);
            describe("bwd-filter", algo, timeOf(perf, count, algo));
            check(cudnnGetConvolutionBackwardFilterWorkspaceSize(h, m_x, m_y, m_conv, m_w,
                                                                 m_bwdFilterAlgo, &size),
                  "cudnnGetConvolutionBackwardFilterWorkspaceSize");
            need = std::max(need, size);
        }
        if (need) m_workspace = Buffer(*m_ctx.allocator, need);
        profileNote(note + " workspace " + formatBytes(need) +
                    (measure ? ", measured" : ", heuristics") +
                    (deterministic ? ", deterministic backward" : ""));
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
        if (m_w) cudnnDestroyFilterDescriptor(m_w);
        if (m_conv) cudnnDestroyConvolutionDescriptor(m_conv);
        m_x = m_y = nullptr;
        m_w = nullptr;
        m_conv = nullptr;
    }

    ConvDesc m_desc;
    Context& m_ctx;
    std::string m_label;  // names the plan's calls in the profile
    bool m_symmetric = true;
    int64_t m_ph = 0, m_pw = 0;  // the height and width cuDNN sees (padded when asymmetric)
    int64_t m_srcSize = 0, m_dstSize = 0, m_wSize = 0;
    cudnnTensorDescriptor_t m_x = nullptr, m_y = nullptr;
    cudnnFilterDescriptor_t m_w = nullptr;
    cudnnConvolutionDescriptor_t m_conv = nullptr;
    cudnnConvolutionFwdAlgo_t m_fwdAlgo{};
    cudnnConvolutionBwdDataAlgo_t m_bwdDataAlgo{};
    cudnnConvolutionBwdFilterAlgo_t m_bwdFilterAlgo{};
    Buffer m_workspace;
    Buffer m_padded;  // [N, C, H + top + bottom, W + left + right] when padding is asymmetric
    Buffer m_xT, m_dyT;   // channels-last: the input [N, C, T] and the output (gradient) [N, K, T']
    Buffer m_biasPartials;  // the bias gradient's partial sums (launchBiasGrad)
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
