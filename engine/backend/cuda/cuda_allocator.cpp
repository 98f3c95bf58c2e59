// Caching device allocator: sizes are rounded (512 B below 1 MiB, then 1 MiB steps) and freed
// blocks wait in a size-ordered cache; a request takes the smallest cached block that is not
// more than 1.5 times its size. When cudaMalloc fails, the cache is released and it tries once
// more before reporting the need against cudaMemGetInfo.
#include "backend/cuda/cuda_allocator.h"

#include <cstdio>

#include <cuda_runtime_api.h>

#include "core/error.h"

namespace neurite::cuda {

namespace {

constexpr std::size_t kSmall = 1u << 20;

std::size_t roundSize(std::size_t bytes) {
    if (bytes == 0) bytes = 1;
    if (bytes < kSmall) return (bytes + 511) / 512 * 512;
    return (bytes + kSmall - 1) / kSmall * kSmall;
}

}  // namespace

std::string formatBytes(std::size_t bytes) {
    char text[32];
    const double b = static_cast<double>(bytes);
    if (bytes >= (std::size_t(1) << 30))
        std::snprintf(text, sizeof text, "%.2f GiB", b / double(1u << 30));
    else if (bytes >= kSmall)
        std::snprintf(text, sizeof text, "%.1f MiB", b / double(kSmall));
    else if (bytes >= 1024)
        std::snprintf(text, sizeof text, "%.1f KiB", b / 1024.0);
    else
        std::snprintf(text, sizeof text, "%zu B", bytes);
    return text;
}

CachingAllocator::~CachingAllocator() {
    // Blocks still in use belong to tensors that outlive the backend at exit; only the cache is
    // returned. Errors are ignored here: the runtime may already be shutting down.
    for (auto& [size, p] : m_free) cudaFree(p);
}

void* CachingAllocator::allocate(std::size_t bytes) {
    const std::size_t rounded = roundSize(bytes);
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_free.lower_bound(rounded);
    if (it != m_free.end() && it->first - rounded <= rounded / 2) {
        void* p = it->second;
        const std::size_t size = it->first;
        m_free.erase(it);
        m_cached -= size;
        m_inUse += size;
        return p;
    }
    if (m_cap && m_inUse + m_cached + rounded > m_cap) releaseCacheLocked();
    if (m_cap && m_inUse + rounded > m_cap)
        throwOutOfMemory(rounded, "the memory cap of " + formatBytes(m_cap) + " is reached (" +
                                      formatBytes(m_inUse) + " in use)");
    void* p = nullptr;
    cudaError_t err = cudaMalloc(&p, rounded);
    if (err == cudaErrorMemoryAllocation) {
        cudaGetLastError();  // clear the sticky-free error state of this thread
        releaseCacheLocked();
        err = cudaMalloc(&p, rounded);
    }
    if (err == cudaErrorMemoryAllocation) {
        cudaGetLastError();
        throwOutOfMemory(rounded, "the GPU is out of memory");
    }
    if (err != cudaSuccess)
        throw Error(ErrorKind::Internal, std::string("cudaMalloc of ") + formatBytes(rounded) +
                                             " failed: " + cudaGetErrorString(err));
    ++m_mallocs;
    m_blocks[p] = rounded;
    m_inUse += rounded;
    return p;
}

void CachingAllocator::deallocate(void* p) {
    if (!p) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_blocks.find(p);
    if (it == m_blocks.end()) return;  // not ours: nothing sensible to do in a deleter
    m_inUse -= it->second;
    m_cached += it->second;
    m_free.emplace(it->second, p);
}

void CachingAllocator::setCap(std::size_t bytes) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_cap = bytes;
    if (m_cap && m_inUse + m_cached > m_cap) releaseCacheLocked();
}

std::size_t CachingAllocator::cap() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_cap;
}

std::size_t CachingAllocator::inUse() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_inUse;
}

std::size_t CachingAllocator::held() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_inUse + m_cached;
}

std::size_t CachingAllocator::mallocCalls() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_mallocs;
}

void CachingAllocator::releaseCache() {
    std::lock_guard<std::mutex> lock(m_mutex);
    releaseCacheLocked();
}

void CachingAllocator::releaseCacheLocked() {
    // cudaFree synchronizes the device, so blocks freed by pending kernels are safe to return.
    for (auto& [size, p] : m_free) {
        cudaFree(p);
        m_blocks.erase(p);
    }
    m_free.clear();
    m_cached = 0;
}

void CachingAllocator::throwOutOfMemory(std::size_t rounded, const std::string& why) const {
    std::size_t freeBytes = 0, total = 0;
    cudaMemGetInfo(&freeBytes, &total);
    throw Error(ErrorKind::Unsupported,
                "out of GPU memory on cuda:" + std::to_string(m_device) + ": " + why +
                    "; needed " + formatBytes(rounded) + " more, " + formatBytes(m_inUse) +
                    " held by this run, " + formatBytes(freeBytes) + " free of " +
                    formatBytes(total) +
                    "; reduce the batch size or the model, or train on the CPU");
}

}  // namespace neurite::cuda
