// CachingAllocator: device memory for one CUDA backend. Freed blocks are kept and reused by size,
// so a steady-state training step calls no cudaMalloc. An optional cap bounds the bytes held
// (in use plus cached). Out of memory is an Error{Unsupported} naming what was needed and what
// the GPU has free; the program keeps running.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

namespace neurite::cuda {

class CachingAllocator {
public:
    explicit CachingAllocator(int device) : m_device(device) {}
    ~CachingAllocator();
    CachingAllocator(const CachingAllocator&) = delete;
    CachingAllocator& operator=(const CachingAllocator&) = delete;

    void* allocate(std::size_t bytes);
    void deallocate(void* p);

    // 0: no cap. A cap below what is in use applies to later allocations.
    void setCap(std::size_t bytes);
    std::size_t cap() const;
    std::size_t inUse() const;
    std::size_t held() const;  // in use + cached
    std::size_t mallocCalls() const;  // cudaMalloc calls so far (tests check a steady state)
    void releaseCache();

private:
    void releaseCacheLocked();
    [[noreturn]] void throwOutOfMemory(std::size_t rounded, const std::string& why) const;

    int m_device = 0;
    mutable std::mutex m_mutex;
    std::multimap<std::size_t, void*> m_free;          // cached blocks by size
    std::unordered_map<void*, std::size_t> m_blocks;   // every live block and its size
    std::size_t m_inUse = 0, m_cached = 0, m_cap = 0, m_mallocs = 0;
};

std::string formatBytes(std::size_t bytes);  // "1.5 GiB", "12.0 MiB", "512 B"

}  // namespace neurite::cuda
