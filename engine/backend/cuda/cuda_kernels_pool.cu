// Pooling kernels. Own kernels rather than cuDNN's because the engine allows asymmetric padding
// (cuDNN pooling has one pad per dimension) and because the CPU's rules must hold exactly: max
// takes the first maximum of the window in row-major order and skips padding; Avg divides by
// the cells inside the input. Backward runs one thread per input cell and adds the outputs
// whose window holds it in a fixed order, so it needs no atomics and is deterministic.
#include "backend/cuda/cuda_launch.cuh"

namespace neurite::cuda {

namespace {

__device__ int64_t windowCount(const PoolShape& p, int64_t oy, int64_t ox) {
    const int64_t y0 = oy * p.sh - p.padTop, x0 = ox * p.sw - p.padLeft;
    const int64_t y1 = min(y0 + p.kh, p.h), x1 = min(x0 + p.kw, p.w);
    return (y1 - max(y0, int64_t(0))) * (x1 - max(x0, int64_t(0)));
}

__global__ void poolForwardKernel(PoolShape p, const float* x, float* y, int32_t* argmax) {
    const int64_t total = p.nc * p.oh * p.ow;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
         i += static_cast<int64_t>(blockDim.x) * gridDim.x) {
        const int64_t ox = i % p.ow, oy = (i / p.ow) % p.oh, plane = i / (p.ow * p.oh);
        const float* in = x + plane * p.h * p.w;
        const int64_t y0 = oy * p.sh - p.padTop, x0 = ox * p.sw - p.padLeft;
        if (p.max) {
            float best = 0.f;
            int32_t at = -1;
            for (int64_t ky = 0; ky < p.kh; ++ky) {
                const int64_t iy = y0 + ky;
                if (iy < 0 || iy >= p.h) continue;
                for (int64_t kx = 0; kx < p.kw; ++kx) {
                    const int64_t ix = x0 + kx;
                    if (ix < 0 || ix >= p.w) continue;
                    const float v = in[iy * p.w + ix];
                    if (at < 0 || v > best) {
                        best = v;
                        at = static_cast<int32_t>(iy * p.w + ix);
                    }
                }
            }
            y[i] = best;
            if (argmax) argmax[i] = at;
        } else {
            float sum = 0.f;
            for (int64_t ky = 0; ky < p.kh; ++ky) {
                const int64_t iy = y0 + ky;
                if (iy < 0 || iy >= p.h) continue;
                for (int64_t kx = 0; kx < p.kw; ++kx) {
                    const int64_t ix = x0 + kx;
                    if (ix >= 0 && ix < p.w) sum += in[iy * p.w + ix];
                }
            }
            const int64_t count = windowCount(p, oy, ox);
            y[i] = count > 0 ? sum / static_cast<float>(count) : 0.f;
        }
    }
}

// Outputs o with o*stride - pad <= i < o*stride - pad + k, clamped to [0, outSize).
__device__ void outputRange(int64_t i, int64_t pad, int64_t k, int64_t stride, int64_t outSize,
                            int64_t& first, int64_t& last) {
    const int64_t hi = i + pad;                      // o*stride <= hi
    const int64_t lo = hi - k + 1;                   // o*stride >= lo
    first = lo <= 0 ? 0 : (lo + stride - 1) / stride;
    last = min(hi / stride, outSize - 1);
}

__global__ void poolBackwardKernel(PoolShape p, const float* dy, const int32_t* argmax, float* dx) {
    const int64_t total = p.nc * p.h * p.w;
    for (int64_t i = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
         i += static_cast<int64_t>(blockDim.x) * gridDim.x) {
        const int64_t ix = i % p.w, iy = (i / p.w) % p.h, plane = i / (p.w * p.h);
        int64_t oy0, oy1, ox0, ox1;
        outputRange(iy, p.padTop, p.kh, p.sh, p.oh, oy0, oy1);
        outputRange(ix, p.padLeft, p.kw, p.sw, p.ow, ox0, ox1);
        const int64_t base = plane * p.oh * p.ow;
        const int32_t self = static_cast<int32_t>(iy * p.w + ix);
        float sum = 0.f;
        for (int64_t oy = oy0; oy <= oy1; ++oy)
            for (int64_t ox = ox0; ox <= ox1; ++ox) {
                const int64_t o = base + oy * p.ow + ox;
                if (p.max) {
                    if (argmax[o] == self) sum += dy[o];
                } else {
                    sum += dy[o] / static_cast<float>(windowCount(p, oy, ox));
                }
            }
        dx[i] = sum;
    }
}

}  // namespace

cudaError_t launchPoolForward(const PoolShape& p, const float* x, float* y, int32_t* argmax,
                              cudaStream_t s) {
    const int64_t n = p.nc * p.oh * p.ow;
    if (n <= 0) return cudaSuccess;
    poolForwardKernel<<<blocksFor(n), kThreads, 0, s>>>(p, x, y, argmax);
    return cudaGetLastError();
}

cudaError_t launchPoolBackward(const PoolShape& p, const float* dy, const int32_t* argmax,
                               float* dx, cudaStream_t s) {
    const int64_t n = p.nc * p.h * p.w;
    if (n <= 0) return cudaSuccess;
    poolBackwardKernel<<<blocksFor(n), kThreads, 0, s>>>(p, dy, argmax, dx);
    return cudaGetLastError();
}

}  // namespace neurite::cuda
