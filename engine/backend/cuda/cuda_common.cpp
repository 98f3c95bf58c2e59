// The CUDA backend's status checks, context helpers and tensor checks (cuda_common.h).
#include "backend/cuda/cuda_common.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

namespace neurite::cuda {

void check(cudaError_t status, const char* what) {
    if (status == cudaSuccess) return;
    cudaGetLastError();  // clear a non-sticky error so the next call does not report it again
    if (status == cudaErrorMemoryAllocation)
        throw Error(ErrorKind::Unsupported,
                    std::string(what) + ": out of GPU memory; reduce the batch size or the model");
    throw Error(ErrorKind::Internal, std::string(what) + " failed: " + cudaGetErrorName(status) +
                                         " (" + cudaGetErrorString(status) + ")");
}

void check(cublasStatus_t status, const char* what) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    const std::string text = std::string(cublasGetStatusName(status)) + " (" +
                             cublasGetStatusString(status) + ")";
    if (status == CUBLAS_STATUS_ALLOC_FAILED)
        throw Error(ErrorKind::Unsupported,
                    std::string(what) + ": cuBLAS ran out of GPU memory: " + text);
    if (status == CUBLAS_STATUS_NOT_SUPPORTED || status == CUBLAS_STATUS_ARCH_MISMATCH)
        throw Error(ErrorKind::Unsupported, std::string(what) + ": " + text);
    throw Error(ErrorKind::Internal, std::string(what) + " failed: " + text);
}

void check(cudnnStatus_t status, const char* what) {
    if (status == CUDNN_STATUS_SUCCESS) return;
    char detail[512] = {};
    cudnnGetLastErrorString(detail, sizeof detail);
    std::string text = cudnnGetErrorString(status);
    if (detail[0]) text += std::string(": ") + detail;
    if (status == CUDNN_STATUS_ALLOC_FAILED)
        throw Error(ErrorKind::Unsupported,
                    std::string(what) + ": cuDNN ran out of GPU memory: " + text);
    if (status == CUDNN_STATUS_NOT_SUPPORTED)
        throw Error(ErrorKind::Unsupported, std::string(what) + ": " + text);
    throw Error(ErrorKind::Internal, std::string(what) + " failed: " + text);
}

struct Profile {
    struct Row {
        long calls = 0;
        double gpuMs = 0, hostMs = 0, firstMs = 0;  // firstMs: the first call (module loading)
    };
    std::mutex mutex;  // the profile is one per process, the backends one per GPU
    std::map<std::string, Row> rows;
    std::vector<std::string> notes;
    cudaEvent_t start = nullptr, stop = nullptr;
    int depth = 0;

    ~Profile() {  // at exit: host data only, no CUDA call
        if (rows.empty() && notes.empty()) return;
        std::vector<std::pair<std::string, Row>> sorted(rows.begin(), rows.end());
        std::sort(sorted.begin(), sorted.end(),
                  [](const auto& a, const auto& b) { return a.second.gpuMs > b.second.gpuMs; });
        double gpu = 0, host = 0;
        for (const auto& [name, row] : sorted) gpu += row.gpuMs, host += row.hostMs;
        std::fprintf(stderr, "\nNEURITE_CUDA_PROFILE\n");
        for (const std::string& n : notes) std::fprintf(stderr, "%s\n", n.c_str());
        std::fprintf(stderr, "| call | calls | GPU ms | first call ms | GPU us/call after it | share | wall ms |\n"
                             "|---|---|---|---|---|---|---|\n");
        for (const auto& [name, row] : sorted)
            std::fprintf(stderr, "| %s | %ld | %.2f | %.2f | %.1f | %.1f%% | %.2f |\n", name.c_str(),
                         row.calls, row.gpuMs, row.firstMs,
                         row.calls > 1 ? 1000.0 * (row.gpuMs - row.firstMs) / double(row.calls - 1) : 0.0,
                         gpu > 0 ? 100.0 * row.gpuMs / gpu : 0.0, row.hostMs);
        std::fprintf(stderr, "| all | | %.2f | | | 100%% | %.2f |\n", gpu, host);
    }
};

Profile* profileFromEnvironment() {
    static Profile* profile = [] {
        const char* v = std::getenv("NEURITE_CUDA_PROFILE");
        if (!v || !*v || std::string(v) == "0") return static_cast<Profile*>(nullptr);
        static Profile p;
        return &p;
    }();
    return profile;
}

void profileNote(const std::string& line) {
    Profile* p = profileFromEnvironment();
    if (!p) return;
    std::lock_guard<std::mutex> lock(p->mutex);
    p->notes.push_back(line);
}

namespace {
double nowMs() {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
}  // namespace

Entered::Entered(const Context& ctx, const char* scope, const char* op) : m_ctx(&ctx) {
    if (!ctx.mutex) throwInternal("CUDA backend context without its lock");
    m_lock = std::unique_lock<std::recursive_mutex>(*ctx.mutex);
    int current = -1;
    // Only switch when another device is current on this thread.
    if (cudaGetDevice(&current) != cudaSuccess || current != ctx.device)
        check(cudaSetDevice(ctx.device), "cudaSetDevice");
    Profile* p = ctx.profile;
    if (!p || !scope) return;
    std::lock_guard<std::mutex> lock(p->mutex);
    if (p->depth > 0) {  // nested in a timed call: counted there
        ++p->depth;
        m_named = true;
        return;
    }
    if (!p->start) {
        check(cudaEventCreate(&p->start), "cudaEventCreate");
        check(cudaEventCreate(&p->stop), "cudaEventCreate");
    }
    check(cudaStreamSynchronize(ctx.stream), "cudaStreamSynchronize (profile)");
    check(cudaEventRecord(p->start, ctx.stream), "cudaEventRecord");
    ++p->depth;
    m_named = true;
    m_scope = scope;
    m_op = op;
    m_timed = true;
    m_hostStart = nowMs();
}

Entered::~Entered() {
    if (!m_named) return;
    Profile* p = m_ctx->profile;
    std::lock_guard<std::mutex> lock(p->mutex);
    --p->depth;
    if (!m_timed) return;
    float ms = 0;
    if (cudaEventRecord(p->stop, m_ctx->stream) != cudaSuccess ||
        cudaEventSynchronize(p->stop) != cudaSuccess ||
        cudaEventElapsedTime(&ms, p->start, p->stop) != cudaSuccess)
        return;  // never throw from a destructor; the next call reports the error
    std::string name = m_scope;
    if (m_op) name += std::string(" ") + m_op;
    Profile::Row& row = p->rows[name];
    if (row.calls++ == 0) row.firstMs = ms;
    row.gpuMs += ms;
    row.hostMs += nowMs() - m_hostStart;
}

Entered Context::enter(const char* scope, const char* op) const { return Entered(*this, scope, op); }

DeviceScalars Context::readScalars() const {
    DeviceScalars host;
    check(cudaMemcpyAsync(&host, scalars, sizeof host, cudaMemcpyDeviceToHost, stream),
          "reading a result from the GPU");
    check(cudaStreamSynchronize(stream), "waiting for the GPU");
    if (host.status.code != 0) {
        check(cudaMemsetAsync(&scalars->status, 0, sizeof(DeviceStatus), stream),
              "clearing the GPU status");
        throwStatus(host.status);
    }
    return host;
}

void Context::throwStatus(const DeviceStatus& s) const {
    switch (s.code) {
    case 0: return;
    case kStatusBadRow:
        throwBadInput("gatherRows: row index " + std::to_string(s.a) + " is outside the data's " +
                      std::to_string(s.b) + " rows");
    case kStatusBadLabelRow:
        throwBadInput("gatherLabels: row index " + std::to_string(s.a) +
                      " is outside the labels' " + std::to_string(s.b) + " rows");
    case kStatusLabelOutside:
        throwBadInput("loss: label " + std::to_string(s.a) + " of sample " + std::to_string(s.b) +
                      " is outside the model's " + std::to_string(s.c) +
                      " classes; check the label column or the size of the last layer");
    case kStatusBadToken: {
        float id = 0.f;
        const auto bits = static_cast<uint32_t>(s.a);
        std::memcpy(&id, &bits, sizeof id);
        throwBadInput(embeddingIdMessage(id, s.b));
    }
    default: throwInternal("the GPU reported an unknown error code " + std::to_string(s.code));
    }
}

void requireF32(const Tensor& t, const char* what) {
    if (t.dtype() != DType::F32)
        throwInternal(std::string(what) + ": expected an fp32 tensor, got " + nameOf(t.dtype()));
}

void requireNumel(const Tensor& t, int64_t numel, const char* what) {
    if (t.numel() != numel)
        throwInternal(std::string(what) + ": expected " + std::to_string(numel) +
                      " elements, got " + t.shape().str());
}

void requireSameNumel(const Tensor& a, const Tensor& b, const char* what) {
    if (a.numel() != b.numel())
        throwInternal(std::string(what) + ": " + a.shape().str() + " and " + b.shape().str() +
                      " differ in size");
}

}  // namespace neurite::cuda
