// Kernels of the sequence layers: the embedding lookup and its weight gradient, and the merge of
// a bidirectional recurrent layer's two directions (cuda_rnn.cpp). The gradient sorts the token
// positions by id (CUB's radix sort, which is stable) and adds each id's rows in token order,
// so it equals the CPU's sum bit for bit and needs no atomics.
#include <cub/device/device_radix_sort.cuh>

#include "backend/cuda/cuda_launch.cuh"

namespace neurite::cuda {

namespace {

// The weight row of a token id (rounded to the nearest, as std::nearbyint), or -1 after noting
// the bad id; the id's bits travel in the status so the host can print it as the CPU does.
__device__ inline int64_t tokenRow(float id, int64_t rows, DeviceStatus* st) {
    const float r = nearbyintf(id);
    if (!(r >= 0.f && r < static_cast<float>(rows))) {
        noteStatus(st, kStatusBadToken, static_cast<long long>(__float_as_uint(id)), rows, 0);
        return -1;
    }
    return static_cast<int64_t>(r);
}

__global__ void embeddingForwardKernel(const float* ids, const float* w, float* y, int64_t count,
                                       int64_t rows, int64_t dim, int64_t padding,
                                       DeviceStatus* st) {
    NEURITE_GRID_LOOP(k, count * dim) {
        const int64_t i = k / dim, c = k % dim;
        const int64_t r = tokenRow(ids[i], rows, st);
        y[k] = (r < 0 || r == padding) ? 0.f : w[r * dim + c];
    }
}

// keys[i] = the row of token i, or `rows` (sorted last, skipped) for the padding id and bad ids.
__global__ void embeddingKeysKernel(const float* ids, int32_t* keys, int32_t* positions,
                                    int64_t count, int64_t rows, int64_t padding,
                                    DeviceStatus* st) {
    NEURITE_GRID_LOOP(i, count) {
        const int64_t r = tokenRow(ids[i], rows, st);
        keys[i] = static_cast<int32_t>((r < 0 || r == padding) ? rows : r);
        positions[i] = static_cast<int32_t>(i);
    }
}

// One thread per (sorted position p, column c); the first position of each id's run adds the
// run's rows in token order and writes the id's gradient row.
__global__ void embeddingGradKernel(const int32_t* keys, const int32_t* positions,
                                    const float* dy, float* dw, int64_t count, int64_t rows,
                                    int64_t dim) {
    NEURITE_GRID_LOOP(k, count * dim) {
        const int64_t p = k / dim, c = k % dim;
        const int32_t key = keys[p];
        if (key >= rows || (p > 0 && keys[p - 1] == key)) continue;
        float sum = 0.f;
        for (int64_t q = p; q < count && keys[q] == key; ++q) sum += dy[positions[q] * dim + c];
        dw[key * dim + c] = sum;
    }
}

__global__ void rnnMergeKernel(const float* src, float* dst, int64_t outer, int dirs,
                               int64_t hidden, int64_t so, int64_t sd, bool sum) {
    const int64_t width = sum ? hidden : dirs * hidden;
    NEURITE_GRID_LOOP(k, outer * width) {
        const int64_t a = k / width, col = k % width;
        if (sum) {
            float v = src[a * so + col];
            for (int d = 1; d < dirs; ++d) v += src[a * so + d * sd + col];
            dst[k] = v;
        } else {
            dst[k] = src[a * so + (col / hidden) * sd + col % hidden];
        }
    }
}

__global__ void rnnSplitKernel(const float* g, float* dst, int64_t outer, int dirs,
                               int64_t hidden, int64_t so, int64_t sd, bool sum) {
    NEURITE_GRID_LOOP(k, outer * dirs * hidden) {
        const int64_t a = k / (dirs * hidden), d = (k / hidden) % dirs, j = k % hidden;
        dst[a * so + d * sd + j] = sum ? g[a * hidden + j] : g[a * dirs * hidden + d * hidden + j];
    }
}

int endBitFor(int64_t rows) {  // enough bits for the keys 0..rows
    int bits = 1;
    while (bits < 31 && (int64_t(1) << bits) <= rows) ++bits;
    return bits;
}

}  // namespace

cudaError_t launchEmbeddingForward(const float* ids, const float* w, float* y, int64_t count,
                                   int64_t rows, int64_t dim, int64_t padding, DeviceStatus* st,
                                   cudaStream_t s) {
    if (count * dim == 0) return cudaSuccess;
    embeddingForwardKernel<<<blocksFor(count * dim), kThreads, 0, s>>>(ids, w, y, count, rows, dim,
                                                                       padding, st);
    return cudaGetLastError();
}

std::size_t embeddingScratchBytes(int64_t count) {
    std::size_t sortBytes = 0;
    cub::DeviceRadixSort::SortPairs(nullptr, sortBytes, static_cast<const int32_t*>(nullptr),
                                    static_cast<int32_t*>(nullptr),
                                    static_cast<const int32_t*>(nullptr),
                                    static_cast<int32_t*>(nullptr), static_cast<int>(count));
    const std::size_t ints = static_cast<std::size_t>(count) * sizeof(int32_t);
    return 4 * ((ints + 255) / 256 * 256) + sortBytes;
}

cudaError_t launchEmbeddingBackward(const float* ids, const float* dy, float* dw, int64_t count,
                                    int64_t rows, int64_t dim, int64_t padding, void* scratch,
                                    std::size_t scratchBytes, DeviceStatus* st, cudaStream_t s) {
    cudaError_t e = cudaMemsetAsync(dw, 0, static_cast<std::size_t>(rows * dim) * sizeof(float), s);
    if (e != cudaSuccess || count == 0) return e;
    const std::size_t ints = (static_cast<std::size_t>(count) * sizeof(int32_t) + 255) / 256 * 256;
    char* base = static_cast<char*>(scratch);
    auto* keys = reinterpret_cast<int32_t*>(base);
    auto* positions = reinterpret_cast<int32_t*>(base + ints);
    auto* sortedKeys = reinterpret_cast<int32_t*>(base + 2 * ints);
    auto* sortedPositions = reinterpret_cast<int32_t*>(base + 3 * ints);
    std::size_t sortBytes = scratchBytes - 4 * ints;
    embeddingKeysKernel<<<blocksFor(count), kThreads, 0, s>>>(ids, keys, positions, count, rows,
                                                             padding, st);
    if ((e = cudaGetLastError()) != cudaSuccess) return e;
    e = cub::DeviceRadixSort::SortPairs(base + 4 * ints, sortBytes, keys, sortedKeys, positions,
                                        sortedPositions, static_cast<int>(count), 0,
                                        endBitFor(rows), s);
    if (e != cudaSuccess) return e;
    embeddingGradKernel<<<blocksFor(count * dim), kThreads, 0, s>>>(sortedKeys, sortedPositions, dy,
                                                                    dw, count, rows, dim);
    return cudaGetLastError();
}

cudaError_t launchRnnMerge(const float* src, float* dst, int64_t outer, int dirs, int64_t hidden,
                           int64_t so, int64_t sd, bool sum, cudaStream_t s) {
    const int64_t n = outer * (sum ? hidden : dirs * hidden);
    if (n == 0) return cudaSuccess;
    rnnMergeKernel<<<blocksFor(n), kThreads, 0, s>>>(src, dst, outer, dirs, hidden, so, sd, sum);
    return cudaGetLastError();
}

cudaError_t launchRnnSplit(const float* g, float* dst, int64_t outer, int dirs, int64_t hidden,
                           int64_t so, int64_t sd, bool sum, cudaStream_t s) {
    const int64_t n = outer * dirs * hidden;
    if (n == 0) return cudaSuccess;
    rnnSplitKernel<<<blocksFor(n), kThreads, 0, s>>>(g, dst, outer, dirs, hidden, so, sd, sum);
    return cudaGetLastError();
}

}  // namespace neurite::cuda
