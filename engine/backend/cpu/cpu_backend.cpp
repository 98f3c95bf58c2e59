// CpuBackend: memory, threads, capability answers and the factory; kernels live in the op-family
// files (cpu_kernels.h). The thread count is copied into each plan when it is made.
#include "backend/cpu/cpu_backend.h"

#include <cstdlib>
#include <cstring>
#include <atomic>
#include <fstream>

#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

constexpr std::size_t kAlignment = 64;

std::string isaName(dnnl::cpu_isa isa) {
    switch (isa) {
    case dnnl::cpu_isa::all:
        return "all";
    case dnnl::cpu_isa::sse41:
        return "sse41";
    case dnnl::cpu_isa::avx:
        return "avx";
    case dnnl::cpu_isa::avx2:
        return "avx2";
    case dnnl::cpu_isa::avx512_mic:
        return "avx512_mic";
    case dnnl::cpu_isa::avx512_mic_4ops:
        return "avx512_mic_4ops";
    case dnnl::cpu_isa::avx512_core:
        return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
        return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
        return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
        return "avx512_core_amx";
    case dnnl::cpu_isa::avx2_vnni:
        return "avx2_vnni";
    }
    return "unknown";
}

std::string cpuModel() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("model name", 0) != 0) continue;
        auto colon = line.find(':');
        if (colon == std::string::npos) break;
        auto begin = line.find_first_not_of(" \t", colon + 1);
        return begin == std::string::npos ? std::string("unknown CPU") : line.substr(begin);
    }
    return "unknown CPU";
}

class CpuBackend final : public Backend {
public:
    CpuBackend() : m_info(cpuInfo()) { setThreads(0); }

    Device device() const override { return Device{Device::Kind::Cpu, 0}; }
    std::string name() const override {
        return "CPU (oneDNN " + onednnVersion() + ", " + m_info.model + ", " +
               std::to_string(threads()) + (threads() == 1 ? " thread)" : " threads)");
    }

    Support supports(Op op, DType dtype) const override {
        if (dtype == DType::F32) return {};
        if (dtype == DType::BF16) {
            if (op != Op::Dense && op != Op::Conv)
                return {false, "bf16 compute is available for dense and convolution layers only; "
                               "other layers run in fp32"};
            if (!m_info.bf16) return {false, m_info.bf16Reason};
            return {};
        }
        return {false, std::string(nameOf(dtype)) +
                           " is a storage type for data and labels, not a compute type; use fp32"};
    }

    // Any number of threads may call at once (backend.h): the count is the one mutable value the
    // backend has, read once per call (and copied into each plan when it is made).
    void setThreads(int threads) override {
        m_threads.store(threads > 0 ? threads : std::max(1, omp_get_num_procs()), std::memory_order_relaxed);
        tc().apply();
    }
    int threads() const override { return m_threads.load(std::memory_order_relaxed); }

    void* allocate(std::size_t bytes) override {
        std::size_t rounded =
            (std::max<std::size_t>(bytes, 1) + kAlignment - 1) / kAlignment * kAlignment;
        void* p = std::aligned_alloc(kAlignment, rounded);
        // Unsupported like the GPU's out-of-memory: the request is valid, this machine cannot
        // hold it (exit 2, not an internal error).
        if (!p)
            throw Error(ErrorKind::Unsupported,
                        "out of host memory: could not allocate " + std::to_string(rounded >> 20) +
                            " MiB; reduce the batch size, the model or the in-memory data");
        return p;
    }
    void deallocate(void* p) override { std::free(p); }

    void copyFromHost(Tensor& dst, const void* src) override {
        if (dst.bytes()) std::memcpy(dst.raw(), src, dst.bytes());
    }
    void copyToHost(void* dst, const Tensor& src) override {
        if (src.bytes()) std::memcpy(dst, src.raw(), src.bytes());
    }
    void copy(const Tensor& src, Tensor& dst) override {
        if (src.bytes() != dst.bytes())
            throwInternal("copy: " + src.shape().str() + " to " + dst.shape().str() +
                          " differ in size");
        if (src.bytes() && src.raw() != dst.raw()) std::memcpy(dst.raw(), src.raw(), src.bytes());
    }
    void fill(Tensor& dst, float value) override { cpu::fill(tc(), dst, value); }

    std::unique_ptr<DensePlan> makeDense(const DenseDesc& d) override {
        return makeDensePlan(d, tc());
    }
    std::unique_ptr<ConvPlan> makeConv(const ConvDesc& d) override { return makeConvPlan(d, tc()); }
    std::unique_ptr<PoolPlan> makePool(const PoolDesc& d) override { return makePoolPlan(d, tc()); }
    std::unique_ptr<BatchNormPlan> makeBatchNorm(const BatchNormDesc& d) override {
        return makeBatchNormPlan(d, tc());
    }
    std::unique_ptr<LayerNormPlan> makeLayerNorm(const LayerNormDesc& d) override {
        return makeLayerNormPlan(d, tc());
    }
    std::unique_ptr<RnnPlan> makeRnn(const RnnDesc& d) override { return makeRnnPlan(d, tc()); }
    std::unique_ptr<InferencePlan> makeInference(const InferenceDesc& d, std::string* whyNot) override {
        return makeInferencePlan(d, tc(), whyNot);
    }

    void activationForward(Activation act, float alpha, const Tensor& src, Tensor& dst) override {
        cpu::activationForward(tc(), act, alpha, src, dst);
    }
    void activationBackward(Activation act, float alpha, const Tensor& src, const Tensor& dst,
                            const Tensor& diffDst, Tensor& diffSrc) override {
        cpu::activationBackward(tc(), act, alpha, src, dst, diffDst, diffSrc);
    }
    void softmaxForward(const Tensor& src, Tensor& dst, bool log) override {
        cpu::softmaxForward(tc(), src, dst, log);
    }
    void softmaxBackward(const Tensor& dst, const Tensor& diffDst, Tensor& diffSrc, bool log) override {
        cpu::softmaxBackward(tc(), dst, diffDst, diffSrc, log);
    }
    void addN(std::span<const Tensor* const> srcs, Tensor& dst) override {
        cpu::addN(tc(), srcs, dst);
    }
    void axpy(float alpha, const Tensor& x, Tensor& y) override { cpu::axpy(tc(), alpha, x, y); }
    void scale(Tensor& x, float alpha) override { cpu::scale(tc(), x, alpha); }
    void concat(std::span<const Tensor* const> srcs, Tensor& dst) override {
        cpu::concat(tc(), srcs, dst);
    }
    void split(const Tensor& diffDst, std::span<Tensor* const> diffSrcs) override {
        cpu::split(tc(), diffDst, diffSrcs);
    }
    void dropoutForward(const Tensor& src, Tensor& dst, Tensor& mask, float p,
                        uint64_t seed) override {
        cpu::dropoutForward(tc(), src, dst, mask, p, seed);
    }
    void multiply(const Tensor& a, const Tensor& b, Tensor& dst) override {
        cpu::multiply(tc(), a, b, dst);
    }
    void gatherRows(const Tensor& src, const Tensor& indices, int64_t count, float scale,
                    const Tensor* mean, const Tensor* invStd, Tensor& dst) override {
        cpu::gatherRows(tc(), src, indices, count, scale, mean, invStd, dst);
    }
    void gatherLabels(const Tensor& labels, const Tensor& indices, int64_t count,
                      Tensor& dst) override {
        cpu::gatherLabels(tc(), labels, indices, count, dst);
    }
    void embeddingForward(const Tensor& ids, const Tensor& weight, int64_t paddingIdx,
                          Tensor& dst) override {
        cpu::embeddingForward(tc(), ids, weight, paddingIdx, dst);
    }
    void embeddingBackward(const Tensor& ids, const Tensor& diffDst, int64_t paddingIdx,
                           Tensor& diffWeight) override {
        cpu::embeddingBackward(tc(), ids, diffDst, paddingIdx, diffWeight);
    }

    float softmaxCrossEntropy(const Tensor& logits, const Tensor& labels,
                              const Tensor* classWeights, float labelSmoothing,
                              Tensor& diffLogits) override {
        return cpu::softmaxCrossEntropy(tc(), logits, labels, classWeights, labelSmoothing,
                                        diffLogits);
    }
    float binaryCrossEntropy(const Tensor& logits, const Tensor& targets, float posWeight,
                             Tensor& diffLogits) override {
        return cpu::binaryCrossEntropy(tc(), logits, targets, posWeight, diffLogits);
    }
    float focalLoss(const Tensor& logits, const Tensor& labels, float gamma, float alpha,
                    Tensor& diffLogits) override {
        return cpu::focalLoss(tc(), logits, labels, gamma, alpha, diffLogits);
    }
    float mseLoss(const Tensor& pred, const Tensor& targets, Tensor& diffPred) override {
        return cpu::mseLoss(tc(), pred, targets, diffPred);
    }
    float huberLoss(const Tensor& pred, const Tensor& targets, float delta,
                    Tensor& diffPred) override {
        return cpu::huberLoss(tc(), pred, targets, delta, diffPred);
    }

    void sgdStep(Tensor& params, const Tensor& grads, Tensor& velocity,
                 const SgdParams& p) override {
        cpu::sgdStep(tc(), params, grads, velocity, p);
    }
    void adamStep(Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                  const AdamParams& p) override {
        cpu::adamStep(tc(), params, grads, m, v, p);
    }
    void rmspropStep(Tensor& params, const Tensor& grads, Tensor& squareAvg, Tensor& momentumBuf,
                     const RmspropParams& p) override {
        cpu::rmspropStep(tc(), params, grads, squareAvg, momentumBuf, p);
    }
    void regularize(const Tensor& params, Tensor& grads, float l1, float l2) override {
        cpu::regularize(tc(), params, grads, l1, l2);
    }
    double sumSquares(const Tensor& x) override { return cpu::sumSquares(tc(), x); }
    bool allFinite(const Tensor& x) override { return cpu::allFinite(tc(), x); }

private:
    ThreadConfig tc() const { return ThreadConfig{threads()}; }

    const CpuInfo m_info;
    std::atomic<int> m_threads{1};
};

} // namespace

std::unique_ptr<Backend> makeCpuBackend() {
    return std::make_unique<CpuBackend>();
}

CpuInfo cpuInfo() {
    static const CpuInfo info = [] {
        CpuInfo i;
        i.model = cpuModel();
        i.cores = std::max(1, omp_get_num_procs());
        dnnl::cpu_isa isa = dnnl::get_effective_cpu_isa();
        i.isa = isaName(isa);
        i.bf16 = isa == dnnl::cpu_isa::avx512_core_bf16 || isa == dnnl::cpu_isa::avx512_core_amx;
        if (!i.bf16)
            i.bf16Reason = "bf16 needs a CPU with avx512_bf16 or AMX; this one has " + i.isa;
        return i;
    }();
    return info;
}

std::string onednnVersion() {
    const dnnl_version_t* v = dnnl_version();
    return std::to_string(v->major) + "." + std::to_string(v->minor) + "." +
           std::to_string(v->patch);
}

} // namespace neurite::cpu
