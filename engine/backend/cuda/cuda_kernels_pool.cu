// Pooling kernels. Own kernels rather than cuDNN's because the engine allows asymmetric padding
// (cuDNN pooling has one pad per dimension) and because the CPU's rules must hold exactly: max
// takes the first maximum of the window in row-major order and skips padding; Avg divides by
// the cells inside the input. Backward runs one thread per input cell and adds the outputs
// whose window holds it in a fixed order, so it needs no atomics and is deterministic.
#include "backend/cuda/cuda_launch.cuh"

namespace neurite::cuda {

namespace {

// The shape in the index type of the launch: 32-bit when every index fits (int64 division is
// emulated on the GPU and made the 2x2 backward ten times slower than its memory traffic).
template <class I> struct Dims {
    I nc, h, w, oh, ow, kh, kw, sh, sw, padTop, padLeft;
    bool max;
    explicit Dims(const PoolShape& p)
        : nc(I(p.nc)), h(I(p.h)), w(I(p.w)), oh(I(p.oh)), ow(I(p.ow)), kh(I(p.kh)), kw(I(p.kw)),
          sh(I(p.sh)), sw(I(p.sw)), padTop(I(p.padTop)), padLeft(I(p.padLeft)), max(p.max) {}
};

template <class I> __device__ I windowCount(const Dims<I>& p, I oy, I ox) {
    const I y0 = oy * p.sh - p.padTop, x0 = ox * p.sw - p.padLeft;
    const I y1 = min(y0 + p.kh, p.h), x1 = min(x0 + p.kw, p.w);
    return (y1 - max(y0, I(0))) * (x1 - max(x0, I(0)));
}

template <class I> __global__ void poolForwardKernel(Dims<I> p, const float* x, float* y, int32_t* argmax) {
    const I total = p.nc * p.oh * p.ow;
    for (I i = static_cast<I>(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
         i += static_cast<I>(blockDim.x) * gridDim.x) {
        const I q = i / p.ow, ox = i - q * p.ow, plane = q / p.oh, oy = q - plane * p.oh;
        const float* in = x + static_cast<int64_t>(plane) * p.h * p.w;
        const I y0 = oy * p.sh - p.padTop, x0 = ox * p.sw - p.padLeft;
        if (p.max) {
            float best = 0.f;
            int32_t at = -1;
            for (I ky = 0; ky < p.kh; ++ky) {
                const I iy = y0 + ky;
                if (iy < 0 || iy >= p.h) continue;
                for (I kx = 0; kx < p.kw; ++kx) {
                    const I ix = x0 + kx;
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
            for (I ky = 0; ky < p.kh; ++ky) {
                const I iy = y0 + ky;
                if (iy < 0 || iy >= p.h) continue;
                for (I kx = 0; kx < p.kw; ++kx) {
                    const I ix = x0 + kx;
                    if (ix >= 0 && ix < p.w) sum += in[iy * p.w + ix];
                }
            }
            const I count = windowCount(p, oy, ox);
            y[i] = count > 0 ? sum / static_cast<float>(count) : 0.f;
        }
    }
}

// Outputs o with o*stride - pad <= i < o*stride - pad + k, clamped to [0, outSize).
template <class I>
__device__ void outputRange(I i, I pad, I k, I stride, I outSize, I& first, I& last) {
    const I hi = i + pad;     // o*stride <= hi
    const I lo = hi - k + 1;  // o*stride >= lo
    first = lo <= 0 ? 0 : (lo + stride - 1) / stride;
    last = min(hi / stride, outSize - 1);
}

template <class I> __global__ void poolBackwardKernel(Dims<I> p, const float* dy, const int32_t* argmax, float* dx) {
    const I total = p.nc * p.h * p.w;
    for (I i = static_cast<I>(blockIdx.x) * blockDim.x + threadIdx.x; i < total;
         i += static_cast<I>(blockDim.x) * gridDim.x) {
        const I q = i / p.w, ix = i - q * p.w, plane = q / p.h, iy = q - plane * p.h;
        I oy0, oy1, ox0, ox1;
        outputRange(iy, p.padTop, p.kh, p.sh, p.oh, oy0, oy1);
        outputRange(ix, p.padLeft, p.kw, p.sw, p.ow, ox0, ox1);
        const I base = plane * p.oh * p.ow;
        const int32_t self = static_cast<int32_t>(iy * p.w + ix);
        float sum = 0.f;
        for (I oy = oy0; oy <= oy1; ++oy)
            for (I ox = ox0; ox <= ox1; ++ox) {
                const I o = base + oy * p.ow + ox;
                if (p.max) {
                    if (argmax[o] == self) sum += dy[o];
                } else {
                    sum += dy[o] / static_cast<float>(windowCount(p, oy, ox));
                }
            }
        dx[i] = sum;
    }
}

// 32-bit indices when the largest index of the launch (and a grid stride past it) fits.
bool fits32(const PoolShape& p) {
    const int64_t limit = int64_t(1) << 30;
    return p.nc * p.h * p.w < limit && p.nc * p.oh * p.ow < limit;
}

}  // namespace

cudaError_t launchPoolForward(const PoolShape& p, const float* x, float* y, int32_t* argmax,
                              cudaStream_t s) {
    const int64_t n = p.nc * p.oh * p.ow;
    if (n <= 0) return cudaSuccess;
    if (fits32(p))
        poolForwardKernel<<<blocksFor(n), kThreads, 0, s>>>(Dims<int32_t>(p), x, y, argmax);
    else
        poolForwardKernel<<<blocksFor(n), kThreads, 0, s>>>(Dims<int64_t>(p), x, y, argmax);
    return cudaGetLastError();
}

cudaError_t launchPoolBackward(const PoolShape& p, const float* dy, const int32_t* argmax,
                               float* dx, cudaStream_t s) {
    const int64_t n = p.nc * p.h * p.w;
    if (n <= 0) return cudaSuccess;
    if (fits32(p))
        poolBackwardKernel<<<blocksFor(n), kThreads, 0, s>>>(Dims<int32_t>(p), dy, argmax, dx);
    else
        poolBackwardKernel<<<blocksFor(n), kThreads, 0, s>>>(Dims<int64_t>(p), dy, argmax, dx);
    return cudaGetLastError();
}

}  // namespace neurite::cuda
