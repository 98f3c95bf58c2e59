// CudaBackend: the Backend interface on one GPU with one stream, cuBLAS and cuDNN handles and a
// caching allocator; plus the plugin's C entry points (cuda_plugin.h). Kernels are enqueued on
// the stream; the host waits only where a result comes back (losses, reductions, copyToHost).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "backend/cuda/cuda_common.h"
#include "backend/cuda/cuda_losses.h"
#include "backend/cuda/cuda_plugin.h"

namespace neurite::cuda {

namespace {

// [N, C, inner] viewed as N blocks of C * inner.
struct ChannelLayout {
    int64_t outer = 0, inner = 0;
};

ChannelLayout channelLayout(const Tensor& t, const char* what) {
    const Shape& s = t.shape();
    if (s.rank() < 2) throwInternal(std::string(what) + ": expected [N, C, ...], got " + s.str());
    return {s[0], s.numelFrom(2)};
}

class CudaBackend final : public Backend {
public:
    explicit CudaBackend(int device) : m_allocator(device) {
        m_ctx.device = device;
        m_ctx.allocator = &m_allocator;
        m_ctx.mutex = &m_mutex;
        m_ctx.profile = profileFromEnvironment();
        check(cudaSetDevice(device), "cudaSetDevice");
        cudaDeviceProp prop{};
        check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
        m_gpuName = prop.name;
        m_ctx.computeMajor = prop.major;
        m_ctx.computeMinor = prop.minor;
        check(cudaStreamCreateWithFlags(&m_ctx.stream, cudaStreamNonBlocking), "cudaStreamCreate");
        check(cublasCreate(&m_ctx.cublas), "cublasCreate");
        check(cublasSetStream(m_ctx.cublas, m_ctx.stream), "cublasSetStream");
        // fp32 GEMMs stay fp32 (no TF32), like the CPU; bf16 plans ask for it per call.
        check(cublasSetMathMode(m_ctx.cublas, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
        check(cudnnCreate(&m_ctx.cudnn), "cudnnCreate");
        check(cudnnSetStream(m_ctx.cudnn, m_ctx.stream), "cudnnSetStream");
        m_scalarBuffer = Buffer(m_allocator, sizeof(DeviceScalars));
        m_partials = Buffer(m_allocator, sizeof(double) * kReducePartials);
        m_ctx.scalars = m_scalarBuffer.as<DeviceScalars>();
        m_ctx.partials = m_partials.as<double>();
        check(cudaMemsetAsync(m_ctx.scalars, 0, sizeof(DeviceScalars), m_ctx.stream),
              "clearing the scalar buffer");
        check(cudaStreamSynchronize(m_ctx.stream), "cudaStreamSynchronize");
    }

    ~CudaBackend() override {
        m_scalarBuffer = Buffer();
        m_partials = Buffer();
        m_losses.release();
        m_embeddingScratch = Buffer();
        if (m_ctx.cudnn) cudnnDestroy(m_ctx.cudnn);
        if (m_ctx.cublas) cublasDestroy(m_ctx.cublas);
        if (m_ctx.stream) cudaStreamDestroy(m_ctx.stream);
    }

    CachingAllocator& allocator() { return m_allocator; }

    // Runs one kernel and reads its result back: proves that this build's device code runs on
    // this GPU (a missing architecture fails here, not in the middle of training).
    void selfCheck() {
        Tensor t = Tensor::empty(*this, Shape{4});
        fill(t, 3.f);
        float host[4] = {};
        copyToHost(host, t);
        if (host[3] != 3.f)
            throw Error(ErrorKind::Unsupported, "a test kernel on " + m_gpuName +
                                                    " returned a wrong value; the GPU is not usable");
    }

    Device device() const override { return Device{Device::Kind::Cuda, m_ctx.device}; }
    std::string name() const override {
        return "CUDA (" + m_gpuName + ", compute " + std::to_string(m_ctx.computeMajor) + "." +
               std::to_string(m_ctx.computeMinor) + ", cuDNN " +
               std::to_string(cudnnGetVersion()) + ")";
    }

    Support supports(Op op, DType dtype) const override {
        if (dtype == DType::F32) return {};
        if (dtype == DType::BF16) {
            if (op == Op::Dense) {
                if (m_ctx.computeMajor >= 8) return {};
                return {false, "bf16 dense layers need a GPU of compute capability 8.0 or newer; "
                               "this one has " +
                                   std::to_string(m_ctx.computeMajor) + "." +
                                   std::to_string(m_ctx.computeMinor)};
            }
            if (op == Op::Conv)
                return {false, "bf16 convolutions are not available on CUDA in this version; "
                               "they run in fp32"};
            return {false, "bf16 compute is available for dense layers only; other layers run "
                           "in fp32"};
        }
        return {false, std::string(nameOf(dtype)) +
                           " is a storage type for data and labels, not a compute type; use fp32"};
    }

    void setThreads(int) override {}
    int threads() const override { return 1; }

    void* allocate(std::size_t bytes) override {
        const auto entered = m_ctx.enter(__func__);
        return m_allocator.allocate(bytes);
    }
    void deallocate(void* p) override { m_allocator.deallocate(p); }

    void copyFromHost(Tensor& dst, const void* src) override {
        if (!dst.bytes()) return;
        const auto entered = m_ctx.enter(__func__);
        check(cudaMemcpyAsync(dst.raw(), src, dst.bytes(), cudaMemcpyHostToDevice, m_ctx.stream),
              "copying to the GPU");
        // the caller may free or reuse the host memory as soon as this returns
        check(cudaStreamSynchronize(m_ctx.stream), "copying to the GPU (synchronize)");
    }
    void copyToHost(void* dst, const Tensor& src) override {
        const auto entered = m_ctx.enter(__func__);
        if (src.bytes())
            check(cudaMemcpyAsync(dst, src.raw(), src.bytes(), cudaMemcpyDeviceToHost,
                                  m_ctx.stream),
                  "copying from the GPU");
        m_ctx.readScalars();  // waits for the copy and reports a kernel's error, if any
    }
    void copy(const Tensor& src, Tensor& dst) override {
        if (src.bytes() != dst.bytes())
            throwInternal("copy: " + src.shape().str() + " to " + dst.shape().str() +
                          " differ in size");
        if (!src.bytes() || src.raw() == dst.raw()) return;
        const auto entered = m_ctx.enter(__func__);
        check(cudaMemcpyAsync(dst.raw(), src.raw(), src.bytes(), cudaMemcpyDeviceToDevice,
                              m_ctx.stream),
              "copying on the GPU");
    }
    void fill(Tensor& dst, float value) override {
        requireF32(dst, "fill");
        const auto entered = m_ctx.enter(__func__);
        check(launchFill(f32(dst), dst.numel(), value, m_ctx.stream), "fill");
    }

    std::unique_ptr<DensePlan> makeDense(const DenseDesc& d) override {
        return makeDensePlan(d, m_ctx);
    }
    std::unique_ptr<ConvPlan> makeConv(const ConvDesc& d) override { return makeConvPlan(d, m_ctx); }
    std::unique_ptr<PoolPlan> makePool(const PoolDesc& d) override { return makePoolPlan(d, m_ctx); }
    std::unique_ptr<BatchNormPlan> makeBatchNorm(const BatchNormDesc& d) override {
        return makeBatchNormPlan(d, m_ctx);
    }
    std::unique_ptr<LayerNormPlan> makeLayerNorm(const LayerNormDesc& d) override {
        return makeLayerNormPlan(d, m_ctx);
    }
    std::unique_ptr<RnnPlan> makeRnn(const RnnDesc& d) override { return makeRnnPlan(d, m_ctx); }

    void activationForward(Activation act, float alpha, const Tensor& src, Tensor& dst) override {
        requireSameNumel(src, dst, "activation forward");
        const auto entered = m_ctx.enter(__func__);
        check(launchActivationForward(act, alpha, f32(src), f32(dst), src.numel(),
                                      m_ctx.stream),
              "activation forward");
    }
    void activationBackward(Activation act, float alpha, const Tensor& src, const Tensor& dst,
                            const Tensor& diffDst, Tensor& diffSrc) override {
        requireSameNumel(src, dst, "activation backward");
        requireSameNumel(src, diffDst, "activation backward");
        requireSameNumel(src, diffSrc, "activation backward");
        const auto entered = m_ctx.enter(__func__);
        check(launchActivationBackward(act, alpha, f32(src), f32(dst), f32(diffDst),
                                       f32(diffSrc), src.numel(), m_ctx.stream),
              "activation backward");
    }
    void softmaxForward(const Tensor& src, Tensor& dst, bool log) override {
        requireSameNumel(src, dst, "softmax forward");
        const Shape& s = src.shape();
        if (s.rank() < 2) throwInternal("softmax forward: expected [N, C, ...], got " + s.str());
        const auto entered = m_ctx.enter(__func__);
        check(launchSoftmaxForward(f32(src), f32(dst), s[0], s[1], s.numelFrom(2), log, m_ctx.stream),
              "softmax forward");
    }
    void softmaxBackward(const Tensor& dst, const Tensor& diffDst, Tensor& diffSrc, bool log) override {
        requireSameNumel(dst, diffDst, "softmax backward");
        requireSameNumel(dst, diffSrc, "softmax backward");
        const Shape& s = dst.shape();
        if (s.rank() < 2) throwInternal("softmax backward: expected [N, C, ...], got " + s.str());
        const auto entered = m_ctx.enter(__func__);
        check(launchSoftmaxBackward(f32(dst), f32(diffDst), f32(diffSrc), s[0], s[1],
                                    s.numelFrom(2), log, m_ctx.stream),
              "softmax backward");
    }

    void addN(std::span<const Tensor* const> srcs, Tensor& dst) override {
        if (srcs.empty()) throwInternal("addN: no sources");
        for (const Tensor* s : srcs) requireSameNumel(dst, *s, "addN");
        const auto entered = m_ctx.enter(__func__);
        // Groups of kMaxAddN: the first writes dst, each later one adds dst and its sources in
        // the CPU's left-to-right order. dst may alias srcs[0] (read before written per element).
        const float* group[kMaxAddN];
        std::size_t k = 0;
        bool first = true;
        while (k < srcs.size()) {
            int count = 0;
            if (!first) group[count++] = f32(dst);
            while (count < kMaxAddN && k < srcs.size()) group[count++] = f32(*srcs[k++]);
            check(launchAddN(group, count, f32(dst), dst.numel(), m_ctx.stream), "addN");
            first = false;
        }
    }
    void axpy(float alpha, const Tensor& x, Tensor& y) override {
        requireSameNumel(x, y, "axpy");
        const auto entered = m_ctx.enter(__func__);
        check(launchAxpy(alpha, f32(x), f32(y), x.numel(), m_ctx.stream), "axpy");
    }
    void scale(Tensor& x, float alpha) override {
        requireF32(x, "scale");
        const auto entered = m_ctx.enter(__func__);
        check(launchScale(f32(x), alpha, x.numel(), m_ctx.stream), "scale");
    }

    void concat(std::span<const Tensor* const> srcs, Tensor& dst) override {
        copyChannels(srcs, dst, true, "concat");
    }
    void split(const Tensor& diffDst, std::span<Tensor* const> diffSrcs) override {
        std::span<const Tensor* const> parts(diffSrcs.data(), diffSrcs.size());
        copyChannels(parts, const_cast<Tensor&>(diffDst), false, "split");
    }

    void dropoutForward(const Tensor& src, Tensor& dst, Tensor& mask, float p,
                        uint64_t seed) override {
        requireSameNumel(src, dst, "dropout");
        requireSameNumel(src, mask, "dropout mask");
        if (!(p >= 0.f && p <= 1.f))
            throwBadInput("dropout probability must be in [0, 1], got " + std::to_string(p));
        const auto entered = m_ctx.enter(__func__);
        check(launchDropout(f32(src), f32(dst), f32(mask), src.numel(), p, seed, m_ctx.stream),
              "dropout");
    }
    void multiply(const Tensor& a, const Tensor& b, Tensor& dst) override {
        requireSameNumel(a, b, "multiply");
        requireSameNumel(a, dst, "multiply");
        const auto entered = m_ctx.enter(__func__);
        check(launchMultiply(f32(a), f32(b), f32(dst), a.numel(), m_ctx.stream), "multiply");
    }

    void gatherRows(const Tensor& src, const Tensor& indices, int64_t count, float scale,
                    const Tensor* mean, const Tensor* invStd, Tensor& dst) override {
        const int64_t features = checkGatherRows(src, indices, count, mean, invStd, dst);
        const int64_t rows = src.shape().rank() > 0 ? src.shape()[0] : 0;
        const auto entered = m_ctx.enter(__func__);
        check(launchGatherRows(src.raw(), src.dtype() == DType::U8, rows, features,
                               static_cast<const int32_t*>(indices.raw()), count, scale,
                               mean ? f32(*mean) : nullptr, invStd ? f32(*invStd) : nullptr,
                               f32(dst), &m_ctx.scalars->status, m_ctx.stream),
              "gatherRows");
    }
    void gatherLabels(const Tensor& labels, const Tensor& indices, int64_t count,
                      Tensor& dst) override {
        const int64_t rowSize = checkGatherLabels(labels, indices, count, dst);
        const int64_t rows = labels.shape().rank() > 0 ? labels.shape()[0] : 0;
        const auto entered = m_ctx.enter(__func__);
        check(launchGatherLabels(static_cast<const uint32_t*>(labels.raw()), rows, rowSize,
                                 static_cast<const int32_t*>(indices.raw()), count,
                                 static_cast<uint32_t*>(dst.raw()), &m_ctx.scalars->status,
                                 m_ctx.stream),
              "gatherLabels");
    }

    // A bad id is reported at the next read-back, as gatherRows' bad rows are.
    void embeddingForward(const Tensor& ids, const Tensor& weight, int64_t paddingIdx,
                          Tensor& dst) override {
        const int64_t d = checkEmbedding(ids, weight, dst);
        const auto entered = m_ctx.enter(__func__);
        check(launchEmbeddingForward(f32(ids), f32(weight), f32(dst), ids.numel(), weight.shape()[0],
                                     d, paddingIdx, &m_ctx.scalars->status, m_ctx.stream),
              "embedding forward");
    }
    void embeddingBackward(const Tensor& ids, const Tensor& diffDst, int64_t paddingIdx,
                           Tensor& diffWeight) override {
        const int64_t d = checkEmbedding(ids, diffWeight, diffDst);
        if (ids.numel() > 2147483647 || diffWeight.shape()[0] > 2147483647)
            throw Error(ErrorKind::Unsupported, "embedding gradient: more than 2^31 ids or rows");
        const auto entered = m_ctx.enter(__func__);
        const std::size_t bytes = embeddingScratchBytes(ids.numel());
        m_embeddingScratch.reserve(m_allocator, bytes);
        check(launchEmbeddingBackward(f32(ids), f32(diffDst), f32(diffWeight), ids.numel(),
                                      diffWeight.shape()[0], d, paddingIdx, m_embeddingScratch.get(),
                                      m_embeddingScratch.bytes(), &m_ctx.scalars->status,
                                      m_ctx.stream),
              "embedding backward");
    }

    float softmaxCrossEntropy(const Tensor& logits, const Tensor& labels,
                              const Tensor* classWeights, float labelSmoothing,
                              Tensor& diffLogits) override {
        LossArgs a;
        a.op = LossOp::CrossEntropy;
        a.classWeights = classWeights;
        a.labelSmoothing = labelSmoothing;
        return m_losses.read(a, logits, labels, diffLogits);
    }
    float binaryCrossEntropy(const Tensor& logits, const Tensor& targets, float posWeight,
                             Tensor& diffLogits) override {
        LossArgs a;
        a.op = LossOp::BinaryCrossEntropy;
        a.posWeight = posWeight;
        return m_losses.read(a, logits, targets, diffLogits);
    }
    float focalLoss(const Tensor& logits, const Tensor& labels, float gamma, float alpha,
                    Tensor& diffLogits) override {
        LossArgs a;
        a.op = LossOp::Focal;
        a.gamma = gamma;
        a.alpha = alpha;
        return m_losses.read(a, logits, labels, diffLogits);
    }
    float mseLoss(const Tensor& pred, const Tensor& targets, Tensor& diffPred) override {
        LossArgs a;
        a.op = LossOp::Mse;
        return m_losses.read(a, pred, targets, diffPred);
    }
    float huberLoss(const Tensor& pred, const Tensor& targets, float delta,
                    Tensor& diffPred) override {
        LossArgs a;
        a.op = LossOp::Huber;
        a.delta = delta;
        return m_losses.read(a, pred, targets, diffPred);
    }

    // The step's loss and correct count stay on the GPU (backend.h): no read-back, so the host
    // queues the next step while this one runs.
    bool readBackStalls() const override { return true; }
    void lossInto(const LossArgs& args, const Tensor& logits, const Tensor& targets,
                  Tensor& diffLogits, Tensor& dst, int64_t index) override {
        m_losses.into(args, logits, targets, diffLogits, dst, index);
    }
    void countCorrect(const Tensor& logits, const Tensor& labels, Tensor& dst,
                      int64_t index) override {
        m_losses.countCorrect(logits, labels, dst, index);
    }

    void sgdStep(Tensor& params, const Tensor& grads, Tensor& velocity,
                 const SgdParams& p) override {
        requireSameNumel(params, grads, "SGD step");
        float* buf = nullptr;
        if (p.momentum != 0.f) {
            requireSameNumel(params, velocity, "SGD velocity");
            buf = f32(velocity);
        }
        const auto entered = m_ctx.enter(__func__);
        check(launchSgd(f32(params), f32(grads), buf, params.numel(),
                        SgdArgs{p.lr, p.momentum, p.weightDecay, p.nesterov}, m_ctx.stream),
              "SGD step");
    }
    void adamStep(Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                  const AdamParams& p) override {
        requireSameNumel(params, grads, "Adam step");
        requireSameNumel(params, m, "Adam first moment");
        requireSameNumel(params, v, "Adam second moment");
        if (p.step < 1) throwInternal("Adam step: the step count starts at 1");
        // the same constants as the CPU backend, computed the same way on the host
        const double t = static_cast<double>(p.step);
        AdamArgs c{};
        c.stepSize = static_cast<float>(p.lr / (1.0 - std::pow(double(p.beta1), t)));
        c.bc2Sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(double(p.beta2), t)));
        c.b1 = p.beta1;
        c.b2 = p.beta2;
        c.eps = p.epsilon;
        c.decay = p.decoupled ? 0.f : p.weightDecay;
        c.shrink = p.decoupled ? 1.f - p.lr * p.weightDecay : 1.f;
        const auto entered = m_ctx.enter(__func__);
        check(launchAdam(f32(params), f32(grads), f32(m), f32(v), params.numel(), c, m_ctx.stream),
              "Adam step");
    }
    void rmspropStep(Tensor& params, const Tensor& grads, Tensor& squareAvg, Tensor& momentumBuf,
                     const RmspropParams& p) override {
        requireSameNumel(params, grads, "RMSprop step");
        requireSameNumel(params, squareAvg, "RMSprop square average");
        float* buf = nullptr;
        if (p.momentum != 0.f) {
            requireSameNumel(params, momentumBuf, "RMSprop momentum buffer");
            buf = f32(momentumBuf);
        }
        const auto entered = m_ctx.enter(__func__);
        check(launchRmsprop(f32(params), f32(grads), f32(squareAvg), buf, params.numel(),
                            RmspropArgs{p.lr, p.alpha, p.epsilon, p.weightDecay, p.momentum},
                            m_ctx.stream),
              "RMSprop step");
    }
    void regularize(const Tensor& params, Tensor& grads, float l1, float l2) override {
        requireSameNumel(params, grads, "regularize");
        const auto entered = m_ctx.enter(__func__);
        check(launchRegularize(f32(params), f32(grads), params.numel(), l1, l2, m_ctx.stream),
              "regularize");
    }

    double sumSquares(const Tensor& x) override {
        requireF32(x, "sumSquares");
        const auto entered = m_ctx.enter(__func__);
        check(launchSumSquares(f32(x), x.numel(), m_ctx.partials, m_ctx.scalars, m_ctx.stream),
              "sumSquares");
        return m_ctx.readScalars().sum;
    }
    bool allFinite(const Tensor& x) override {
        requireF32(x, "allFinite");
        const auto entered = m_ctx.enter(__func__);
        check(cudaMemsetAsync(&m_ctx.scalars->nonFinite, 0, sizeof(int), m_ctx.stream),
              "allFinite (clear)");
        check(launchNonFinite(f32(x), x.numel(), m_ctx.scalars, m_ctx.stream), "allFinite");
        return m_ctx.readScalars().nonFinite == 0;
    }

private:
    // Copies each part's channel block with one strided 2D copy per part.
    void copyChannels(std::span<const Tensor* const> parts, Tensor& whole, bool toWhole,
                      const char* what) {
        requireF32(whole, what);
        const ChannelLayout w = channelLayout(whole, what);
        int64_t channels = 0;
        for (const Tensor* p : parts) {
            requireF32(*p, what);
            const ChannelLayout l = channelLayout(*p, what);
            if (l.outer != w.outer || l.inner != w.inner)
                throwInternal(std::string(what) + ": part " + p->shape().str() +
                              " does not match " + whole.shape().str() + " outside dimension 1");
            channels += p->shape()[1];
        }
        if (channels != whole.shape()[1])
            throwInternal(std::string(what) + ": parts have " + std::to_string(channels) +
                          " channels in all, the whole " + whole.shape().str());
        const auto entered = m_ctx.enter(__func__);
        const std::size_t wholeRow = static_cast<std::size_t>(channels * w.inner) * 4;
        int64_t offset = 0;
        for (const Tensor* p : parts) {
            const std::size_t row = static_cast<std::size_t>(p->shape()[1] * w.inner) * 4;
            char* wholePtr = static_cast<char*>(whole.raw()) + offset * w.inner * 4;
            char* partPtr = static_cast<char*>(const_cast<void*>(p->raw()));
            offset += p->shape()[1];
            if (row == 0 || w.outer == 0) continue;
            if (toWhole)
                check(cudaMemcpy2DAsync(wholePtr, wholeRow, partPtr, row, row,
                                        static_cast<std::size_t>(w.outer),
                                        cudaMemcpyDeviceToDevice, m_ctx.stream),
                      what);
            else
                check(cudaMemcpy2DAsync(partPtr, row, wholePtr, wholeRow, row,
                                        static_cast<std::size_t>(w.outer),
                                        cudaMemcpyDeviceToDevice, m_ctx.stream),
                      what);
        }
    }

    CachingAllocator m_allocator;
    std::recursive_mutex m_mutex;  // held by every call (Context::enter)
    Context m_ctx;
    std::string m_gpuName;
    Buffer m_scalarBuffer, m_partials;
    CudaLosses m_losses{m_ctx};  // the fused losses and the correct count (cuda_losses.h)
    Buffer m_embeddingScratch;  // the embedding gradient's sort (grows to the largest batch)
};

}  // namespace

}  // namespace neurite::cuda

// ---- plugin entry points ---------------------------------------------------------------------

extern "C" __attribute__((visibility("default"))) int neurite_cuda_abi() {
    return NEURITE_CUDA_PLUGIN_ABI;
}

extern "C" __attribute__((visibility("default"))) neurite::Backend* neurite_cuda_create(
    int device, char* error, std::size_t errorSize) {
    auto fail = [&](const std::string& why) -> neurite::Backend* {
        if (error && errorSize) {
            std::snprintf(error, errorSize, "%s", why.c_str());
        }
        return nullptr;
    };
    try {
        auto backend = std::make_unique<neurite::cuda::CudaBackend>(device);
        backend->selfCheck();
        return backend.release();
    } catch (const std::exception& e) {
        return fail(e.what());
    } catch (...) {
        return fail("unknown error while starting the CUDA backend");
    }
}

extern "C" __attribute__((visibility("default"))) void neurite_cuda_library_versions(
    char* out, std::size_t size) {
    if (!out || size == 0) return;
    const auto dotted = [](std::size_t v) {  // cuDNN 9: major*10000 + minor*100 + patch
        return std::to_string(v / 10000) + "." + std::to_string((v % 10000) / 100) + "." +
               std::to_string(v % 100);
    };
    int major = 0, minor = 0, patch = 0;
    std::string text = dotted(cudnnGetVersion());
    if (cublasGetProperty(MAJOR_VERSION, &major) == CUBLAS_STATUS_SUCCESS &&
        cublasGetProperty(MINOR_VERSION, &minor) == CUBLAS_STATUS_SUCCESS &&
        cublasGetProperty(PATCH_LEVEL, &patch) == CUBLAS_STATUS_SUCCESS)
        text += " (with cuBLAS " + std::to_string(major) + "." + std::to_string(minor) + "." +
                std::to_string(patch) + ")";
    std::snprintf(out, size, "%s", text.c_str());
}

extern "C" __attribute__((visibility("default"))) int neurite_cuda_set_memory_cap(
    neurite::Backend* backend, unsigned long long bytes) {
    auto* cuda = dynamic_cast<neurite::cuda::CudaBackend*>(backend);
    if (!cuda) return 1;
    cuda->allocator().setCap(static_cast<std::size_t>(bytes));
    return 0;
}
