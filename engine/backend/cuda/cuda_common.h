// Internals shared by the CUDA backend's files: the one check function per library (CUDA
// runtime, cuBLAS, cuDNN) that turns a status into neurite::Error with the library's own text,
// the per-backend context (device, stream, handles, allocator, scalar buffer) and tensor checks.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <cudnn.h>

#include "backend/backend.h"
#include "backend/plan_checks.h"
#include "backend/cuda/cuda_allocator.h"
#include "backend/cuda/cuda_kernels.h"
#include "core/error.h"

namespace neurite::cuda {

// `what` is a C string so that the success path builds no std::string.
void check(cudaError_t status, const char* what);
void check(cublasStatus_t status, const char* what);
void check(cudnnStatus_t status, const char* what);

struct Profile;
class Entered;

// What every plan and kernel call needs; owned by the backend, which outlives its plans.
struct Context {
    int device = 0;
    int computeMajor = 0, computeMinor = 0;
    cudaStream_t stream = nullptr;
    cublasHandle_t cublas = nullptr;
    cudnnHandle_t cudnn = nullptr;
    CachingAllocator* allocator = nullptr;
    DeviceScalars* scalars = nullptr;  // device memory: results of reductions and the status
    double* partials = nullptr;        // device memory: kReducePartials doubles

    // The backend's lock: every call into the backend or one of its plans holds it while it runs
    // (backend.h, "Threads"), since the stream, the handles, the scalar buffer and the backend's
    // scratch are one per backend. Recursive: a call may make another.
    std::recursive_mutex* mutex = nullptr;
    Profile* profile = nullptr;  // set when NEURITE_CUDA_PROFILE is (profileFromEnvironment)

    // What every backend and plan call does first: takes the backend's lock for the rest of the
    // call and makes this backend's GPU current on the calling thread (the trainer may run on a
    // worker thread; cheap when it already is). `scope` and `op` name the call in the profile.
    [[nodiscard]] Entered enter(const char* scope = nullptr, const char* op = nullptr) const;
    // Copies the scalars back (one small transfer, then waits for the stream) and throws the
    // first error a kernel reported since the last call.
    DeviceScalars readScalars() const;
    // Throws when a kernel reported an error; for calls that do not read scalars.
    void throwStatus(const DeviceStatus& status) const;
};

// NEURITE_CUDA_PROFILE=1, a diagnostic (docs/gpu.md, "Where the time goes"): each named call
// (the outermost one when calls nest) waits for the GPU, and its span between two events on the
// stream is added to a table that goes to stderr when the program ends, with the wall time of
// the calls. It changes no result; it slows the program down, since every call then waits. The
// table is one per process: profile one GPU at a time.
Profile* profileFromEnvironment();  // the process's profile, or null when the variable is unset
void profileNote(const std::string& line);  // a line printed above the table (e.g. algorithms)

// The lock and, when profiling, the timing of one call (Context::enter).
class Entered {
public:
    Entered(const Context& ctx, const char* scope, const char* op);
    Entered(const Entered&) = delete;
    Entered& operator=(const Entered&) = delete;
    ~Entered();

private:
    std::unique_lock<std::recursive_mutex> m_lock;
    const Context* m_ctx = nullptr;
    const char* m_scope = nullptr;
    const char* m_op = nullptr;
    bool m_named = false, m_timed = false;
    double m_hostStart = 0;
};

// A device buffer from the caching allocator, returned to it on destruction.
class Buffer {
public:
    Buffer() = default;
    Buffer(CachingAllocator& a, std::size_t bytes) : m_alloc(&a), m_bytes(bytes) {
        m_ptr = bytes ? a.allocate(bytes) : nullptr;
    }
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;
    Buffer(Buffer&& o) noexcept { *this = std::move(o); }
    Buffer& operator=(Buffer&& o) noexcept {
        release();
        m_alloc = o.m_alloc;
        m_ptr = o.m_ptr;
        m_bytes = o.m_bytes;
        o.m_ptr = nullptr;
        o.m_bytes = 0;
        return *this;
    }
    ~Buffer() { release(); }
    void* get() const { return m_ptr; }
    template <class T> T* as() const { return static_cast<T*>(m_ptr); }
    std::size_t bytes() const { return m_bytes; }
    // Grows to at least `bytes` (contents are not kept).
    void reserve(CachingAllocator& a, std::size_t bytes) {
        if (bytes <= m_bytes) return;
        *this = Buffer(a, bytes);
    }

private:
    void release() {
        if (m_ptr) m_alloc->deallocate(m_ptr);
        m_ptr = nullptr;
    }
    CachingAllocator* m_alloc = nullptr;
    void* m_ptr = nullptr;
    std::size_t m_bytes = 0;
};

// Tensor checks: a mismatch is a bug in the caller, reported as Internal with names and shapes.
void requireF32(const Tensor& t, const char* what);
void requireNumel(const Tensor& t, int64_t numel, const char* what);
void requireSameNumel(const Tensor& a, const Tensor& b, const char* what);

inline const float* f32(const Tensor& t) { return static_cast<const float*>(t.raw()); }
inline float* f32(Tensor& t) { return static_cast<float*>(t.raw()); }

// Plans (cuda_dense.cpp, cuda_conv.cpp, cuda_batchnorm.cpp with pooling, cuda_layernorm.cpp,
// cuda_rnn.cpp).
std::unique_ptr<DensePlan> makeDensePlan(const DenseDesc& desc, Context& ctx);
std::unique_ptr<ConvPlan> makeConvPlan(const ConvDesc& desc, Context& ctx);
std::unique_ptr<PoolPlan> makePoolPlan(const PoolDesc& desc, Context& ctx);
std::unique_ptr<BatchNormPlan> makeBatchNormPlan(const BatchNormDesc& desc, Context& ctx);
std::unique_ptr<LayerNormPlan> makeLayerNormPlan(const LayerNormDesc& desc, Context& ctx);
std::unique_ptr<RnnPlan> makeRnnPlan(const RnnDesc& desc, Context& ctx);  // cuda_rnn.cpp

}  // namespace neurite::cuda
