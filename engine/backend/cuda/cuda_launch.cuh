// What every kernel file of the CUDA backend shares: the block size, the grid for grid-stride
// loops, the loop itself, and how a kernel records bad input for the host to report.
#pragma once

#include "backend/cuda/cuda_kernels.h"

namespace neurite::cuda {

inline constexpr int kThreads = 256;

// Grid for a grid-stride loop over n elements (capped; the loop covers the rest).
inline unsigned blocksFor(int64_t n) {
    const int64_t b = (n + kThreads - 1) / kThreads;
    return static_cast<unsigned>(b < 65535 * 8 ? b : 65535 * 8);
}

#define NEURITE_GRID_LOOP(i, n)                                                             \
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < (n); \
         i += static_cast<int64_t>(blockDim.x) * gridDim.x)

// The first bad input a kernel finds wins; the next read-back on the host throws it.
__device__ inline void noteStatus(DeviceStatus* st, int code, long long a, long long b, long long c) {
    if (atomicCAS(&st->code, 0, code) == 0) {
        st->a = a;
        st->b = b;
        st->c = c;
    }
}

}  // namespace neurite::cuda
