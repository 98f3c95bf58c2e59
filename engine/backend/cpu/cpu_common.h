// Internals shared by the CPU backend's op families: the oneDNN engine and stream, the one place
// that turns oneDNN failures into neurite::Error, pre-built primitive executions, tensor checks
// and the fixed-partition reduction that keeps sums independent of thread scheduling.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <omp.h>

#include <oneapi/dnnl/dnnl.hpp>

#include "backend/backend.h"
#include "backend/plan_checks.h"
#include "core/error.h"

namespace neurite::cpu {

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream(); // one per calling thread

// Runs f, turning dnnl::error into neurite::Error with oneDNN's text: Unsupported when oneDNN
// has no implementation, Internal otherwise. `what` is a C string so the success path of a
// call on the training step builds no std::string (no allocation).
[[noreturn]] void throwDnnl(const dnnl::error& e, const std::string& what);
template <class F> decltype(auto) dnnlCall(const char* what, F&& f) {
    try {
        return f();
    } catch (const dnnl::error& e) {
        throwDnnl(e, what);
    }
}

// The backend's thread count, shared with its plans (which must not outlive the backend).
struct ThreadConfig {
    int threads = 1;
    // Makes oneDNN (which reads omp_get_max_threads) use our count on the calling thread.
    void apply() const {
        if (omp_get_max_threads() != threads) omp_set_num_threads(threads);
    }
    // Threads for a loop over n cheap elements: one below a size where forking costs more.
    int forSize(int64_t n, int64_t minPerThread = 16384) const {
        return n < 2 * minPerThread ? 1 : threads;
    }
};

// A primitive with its arguments bound once; run() executes without allocating. Data pointers
// change between calls through set_data_handle on the bound memories.
class Step {
public:
    Step() = default;
    Step(dnnl::primitive primitive, std::vector<std::pair<int, dnnl::memory>> args);
    bool defined() const { return static_cast<bool>(m_primitive); }
    void run() const;

private:
    dnnl::primitive m_primitive;
    std::vector<dnnl::memory> m_memories; // keeps the handles in m_args alive
    std::vector<dnnl_exec_arg_t> m_args;
};

// Steps run in order: reorders into the primitive's layouts, the primitive, reorders out.
class Pass {
public:
    void add(Step step) {
        if (step.defined()) m_steps.push_back(std::move(step));
    }
    void run() const {
        for (const Step& s : m_steps)
            s.run();
    }

private:
    std::vector<Step> m_steps;
};

// One scratchpad buffer per plan, big enough for each of its primitives (they run one at a
// time); primitives are made with scratchpad_mode::user so oneDNN allocates nothing per call.
class Scratchpad {
public:
    dnnl::primitive_attr attr() const;
    // Registers a primitive's scratchpad need; returns the memory to bind as DNNL_ARG_SCRATCHPAD.
    dnnl::memory bind(const dnnl::memory::desc& md);
    // Allocates the buffer and points every bound memory at it; call once all are bound.
    void finish();

private:
    std::vector<dnnl::memory> m_bound;
    std::size_t m_bytes = 0;
    dnnl::memory m_buffer;
};

// A plain f32 memory on the user's data, bound to a pointer later.
dnnl::memory userMemory(const dnnl::memory::dims& dims, dnnl::memory::format_tag tag,
                        dnnl::memory::data_type type = dnnl::memory::data_type::f32);
inline void bindData(const dnnl::memory& m, const void* p) {
    m.set_data_handle(const_cast<void*>(p));
}

// A memory in the layout a primitive wants, fed from (stageIn) or drained into (stageOut) a
// user memory by a reorder made once; when the layouts match it is the user memory, no reorder.
struct Staged {
    dnnl::memory mem;
    Step reorder;
};
Staged stageIn(const dnnl::memory& user, const dnnl::memory::desc& want, Scratchpad& pad);
Staged stageOut(const dnnl::memory& user, const dnnl::memory::desc& have, Scratchpad& pad);

// The oneDNN data type for a plan's compute dtype (f32 or bf16); throws Unsupported with the
// reason when this CPU has no bf16 support or for any other dtype.
dnnl::memory::data_type computeType(DType compute, const char* plan);


// Tensor checks: a mismatch is a bug in the caller, reported as Internal with names and shapes.
void requireF32(const Tensor& t, const char* what);
void requireNumel(const Tensor& t, int64_t numel, const char* what);
void requireSameNumel(const Tensor& a, const Tensor& b, const char* what);

// Compiles a hot loop also for AVX2 and AVX-512, chosen at load time (the build's baseline is
// plain x86-64, which leaves the sqrt and division of the optimizers at SSE2 width).
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define NEURITE_SIMD_CLONES \
    __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define NEURITE_SIMD_CLONES
#endif

// Runs kernel(begin, end) on each thread's share of a static split of [0, n), on one thread
// below 2 * minPerThread elements.
template <class F>
void forRanges(const ThreadConfig& tc, int64_t n, int64_t minPerThread, F&& kernel) {
    const int nt = tc.forSize(n, minPerThread);
#pragma omp parallel num_threads(nt)
    {
        const int64_t t = omp_get_thread_num(), count = omp_get_num_threads();
        kernel(n * t / count, n * (t + 1) / count);
    }
}

// Sums over [0, n) in double: sumChunk(begin, end) returns the sum of one chunk; the partition
// into chunks is fixed by n alone and the chunk sums are added in order, so the result depends
// neither on the thread count nor on scheduling.
template <class F>
double fixedOrderSum(const ThreadConfig& tc, int64_t n, int64_t minChunk, F&& sumChunk) {
    constexpr int64_t kMaxChunks = 256;
    if (n <= 0) return 0.0;
    int64_t chunk = std::max(minChunk, (n + kMaxChunks - 1) / kMaxChunks);
    int64_t chunks = (n + chunk - 1) / chunk;
    std::array<double, kMaxChunks> partial{};
    int threads = chunks > 1 ? tc.threads : 1;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int64_t c = 0; c < chunks; ++c)
        partial[static_cast<std::size_t>(c)] = sumChunk(c * chunk, std::min(n, (c + 1) * chunk));
    double total = 0.0;
    for (int64_t c = 0; c < chunks; ++c)
        total += partial[static_cast<std::size_t>(c)];
    return total;
}

} // namespace neurite::cpu
