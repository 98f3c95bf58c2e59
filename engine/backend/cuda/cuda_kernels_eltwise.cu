// Elementwise and data-movement kernels of the CUDA backend: fill, activations (exact-erf GELU),
// softmax, addN/axpy/scale/multiply, dropout with the shared counter-based hash, batch gathers,
// bias add/gradient and the zero-padding copies. Formulas are those of the CPU backend.
#include "backend/cuda/cuda_launch.cuh"

namespace neurite::cuda {

namespace {

__global__ void fillKernel(float* y, int64_t n, float v) {
    NEURITE_GRID_LOOP(i, n) y[i] = v;
}

// One instantiation per row of the activation table (backend/activations.h).
template <class Fn>
__global__ void actForwardKernel(float alpha, const float* x, float* y, int64_t n) {
    NEURITE_GRID_LOOP(i, n) y[i] = Fn::template forward<float>(x[i], alpha);
}

template <class Fn>
__global__ void actBackwardKernel(float alpha, const float* x, const float* y, const float* dy,
                                  float* dx, int64_t n) {
    NEURITE_GRID_LOOP(i, n) dx[i] = dy[i] * Fn::template derivative<float>(x[i], y[i], alpha);
}

// One thread per (n, inner) column, like the CPU loop.
__global__ void softmaxForwardKernel(const float* x, float* y, int64_t outer, int64_t channels,
                                     int64_t inner, bool log) {
    NEURITE_GRID_LOOP(col, outer * inner) {
        const int64_t base = (col / inner) * channels * inner + col % inner;
        float mx = x[base];
        for (int64_t c = 1; c < channels; ++c) mx = fmaxf(mx, x[base + c * inner]);
        float sum = 0.f;
        for (int64_t c = 0; c < channels; ++c) {
            const float v = expf(x[base + c * inner] - mx);
            y[base + c * inner] = v;
            sum += v;
        }
        if (log) {  // log-softmax: x - max - log(sum)
            const float shift = mx + logf(sum);
            for (int64_t c = 0; c < channels; ++c) y[base + c * inner] = x[base + c * inner] - shift;
            continue;
        }
        const float inv = 1.f / sum;
        for (int64_t c = 0; c < channels; ++c) y[base + c * inner] *= inv;
    }
}

__global__ void softmaxBackwardKernel(const float* y, const float* dy, float* dx, int64_t outer,
                                      int64_t channels, int64_t inner, bool log) {
    NEURITE_GRID_LOOP(col, outer * inner) {
        const int64_t base = (col / inner) * channels * inner + col % inner;
        float dot = 0.f;
        for (int64_t c = 0; c < channels; ++c) dot += (log ? 1.f : y[base + c * inner]) * dy[base + c * inner];
        for (int64_t c = 0; c < channels; ++c) {
            const int64_t i = base + c * inner;
            dx[i] = log ? dy[i] - expf(y[i]) * dot : y[i] * (dy[i] - dot);
        }
    }
}

struct AddNSources {
    const float* p[kMaxAddN];
    int count;
};

__global__ void addNKernel(AddNSources srcs, float* y, int64_t n) {
    NEURITE_GRID_LOOP(i, n) {
        float sum = srcs.p[0][i];
        for (int k = 1; k < srcs.count; ++k) sum += srcs.p[k][i];
        y[i] = sum;
    }
}

__global__ void axpyKernel(float alpha, const float* x, float* y, int64_t n) {
    NEURITE_GRID_LOOP(i, n) y[i] += alpha * x[i];
}

__global__ void scaleKernel(float* x, float alpha, int64_t n) {
    NEURITE_GRID_LOOP(i, n) x[i] *= alpha;
}

__global__ void multiplyKernel(const float* a, const float* b, float* y, int64_t n) {
    NEURITE_GRID_LOOP(i, n) y[i] = a[i] * b[i];
}

// backend.h's dropoutHash / dropoutKeep, bit for bit.
__device__ uint64_t dropoutHashDevice(uint64_t seed, uint64_t index) {
    uint64_t z = seed ^ (index * 0x9E3779B97F4A7C15ull);
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

__global__ void dropoutKernel(const float* x, float* y, float* mask, int64_t n, float p,
                              float keepScale, uint64_t seed) {
    NEURITE_GRID_LOOP(i, n) {
        const float u = static_cast<float>(dropoutHashDevice(seed, static_cast<uint64_t>(i)) >> 40) *
                        (1.0f / 16777216.0f);
        const float keep = u >= p ? keepScale : 0.f;
        mask[i] = keep;
        y[i] = x[i] * keep;
    }
}

__global__ void gatherRowsKernel(const void* src, bool u8, int64_t rows, int64_t features,
                                 const int32_t* idx, int64_t count, float scale, const float* mean,
                                 const float* invStd, float* dst, DeviceStatus* status) {
    NEURITE_GRID_LOOP(i, count * features) {
        const int64_t r = i / features, f = i % features;
        const int64_t row = idx[r];
        if (row < 0 || row >= rows) {
            if (f == 0) noteStatus(status, kStatusBadRow, row, rows, 0);
            dst[i] = 0.f;
            continue;
        }
        const int64_t at = row * features + f;
        float v = u8 ? static_cast<float>(static_cast<const uint8_t*>(src)[at]) * scale
                     : static_cast<const float*>(src)[at] * scale;
        if (mean) v = (v - mean[f]) * invStd[f];
        dst[i] = v;
    }
}

__global__ void gatherLabelsKernel(const uint32_t* labels, int64_t rows, int64_t rowSize,
                                   const int32_t* idx, int64_t count, uint32_t* dst,
                                   DeviceStatus* status) {
    NEURITE_GRID_LOOP(i, count * rowSize) {
        const int64_t r = i / rowSize, f = i % rowSize;
        const int64_t row = idx[r];
        if (row < 0 || row >= rows) {
            if (f == 0) noteStatus(status, kStatusBadLabelRow, row, rows, 0);
            dst[i] = 0;
            continue;
        }
        dst[i] = labels[row * rowSize + f];
    }
}

// I: 32-bit indices when they fit (int64 division is emulated on the GPU).
template <class I>
__global__ void addBiasKernel(float* dst, const float* bias, I n, I channels, I inner) {
    for (I i = static_cast<I>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
         i += static_cast<I>(blockDim.x) * gridDim.x)
        dst[i] += bias[(i / inner) % channels];
}

// 32x32 tiles through shared memory (one column of padding against bank conflicts), so both the
// reads and the writes are coalesced; blockIdx.z walks the batch.
constexpr int kTile = 32;
__global__ void transposeKernel(const float* src, float* dst, int64_t batch, int64_t rows,
                                int64_t cols) {
    __shared__ float tile[kTile][kTile + 1];
    const int64_t r0 = static_cast<int64_t>(blockIdx.y) * kTile, c0 = static_cast<int64_t>(blockIdx.x) * kTile;
    for (int64_t b = blockIdx.z; b < batch; b += gridDim.z) {
        const float* in = src + b * rows * cols;
        float* out = dst + b * rows * cols;
        for (int k = threadIdx.y; k < kTile; k += blockDim.y) {
            const int64_t r = r0 + k, c = c0 + threadIdx.x;
            if (r < rows && c < cols) tile[k][threadIdx.x] = in[r * cols + c];
        }
        __syncthreads();
        for (int k = threadIdx.y; k < kTile; k += blockDim.y) {
            const int64_t c = c0 + k, r = r0 + threadIdx.x;
            if (r < rows && c < cols) out[c * rows + r] = tile[threadIdx.x][k];
        }
        __syncthreads();
    }
}

__global__ void padKernel(const float* src, float* dst, int64_t nc, int64_t h, int64_t w,
                          int64_t top, int64_t left, int64_t ph, int64_t pw) {
    NEURITE_GRID_LOOP(i, nc * ph * pw) {
        const int64_t x = i % pw, y = (i / pw) % ph, plane = i / (pw * ph);
        const int64_t sy = y - top, sx = x - left;
        dst[i] = sy >= 0 && sy < h && sx >= 0 && sx < w ? src[(plane * h + sy) * w + sx] : 0.f;
    }
}

__global__ void cropKernel(const float* src, float* dst, int64_t nc, int64_t h, int64_t w,
                           int64_t top, int64_t left, int64_t ph, int64_t pw) {
    NEURITE_GRID_LOOP(i, nc * h * w) {
        const int64_t x = i % w, y = (i / w) % h, plane = i / (w * h);
        dst[i] = src[(plane * ph + y + top) * pw + x + left];
    }
}

}  // namespace

#define NEURITE_LAUNCH(n, kernel, ...)                                    \
    do {                                                                  \
        if ((n) <= 0) return cudaSuccess;                                 \
        kernel<<<blocksFor(n), kThreads, 0, s>>>(__VA_ARGS__);            \
        return cudaGetLastError();                                        \
    } while (0)

cudaError_t launchFill(float* y, int64_t n, float value, cudaStream_t s) {
    NEURITE_LAUNCH(n, fillKernel, y, n, value);
}

cudaError_t launchActivationForward(Activation act, float alpha, const float* x, float* y, int64_t n,
                                    cudaStream_t s) {
    if (n <= 0) return cudaSuccess;
    cudaError_t err = cudaErrorInvalidValue;  // an activation outside the table
    dispatchActivation(act, [&](auto fn) {
        actForwardKernel<decltype(fn)><<<blocksFor(n), kThreads, 0, s>>>(alpha, x, y, n);
        err = cudaGetLastError();
    });
    return err;
}

cudaError_t launchActivationBackward(Activation act, float alpha, const float* x, const float* y,
                                     const float* dy, float* dx, int64_t n, cudaStream_t s) {
    if (n <= 0) return cudaSuccess;
    cudaError_t err = cudaErrorInvalidValue;
    dispatchActivation(act, [&](auto fn) {
        actBackwardKernel<decltype(fn)><<<blocksFor(n), kThreads, 0, s>>>(alpha, x, y, dy, dx, n);
        err = cudaGetLastError();
    });
    return err;
}

cudaError_t launchSoftmaxForward(const float* x, float* y, int64_t outer, int64_t channels,
                                 int64_t inner, bool log, cudaStream_t s) {
    NEURITE_LAUNCH(outer * inner, softmaxForwardKernel, x, y, outer, channels, inner, log);
}

cudaError_t launchSoftmaxBackward(const float* y, const float* dy, float* dx, int64_t outer,
                                  int64_t channels, int64_t inner, bool log, cudaStream_t s) {
    NEURITE_LAUNCH(outer * inner, softmaxBackwardKernel, y, dy, dx, outer, channels, inner, log);
}

cudaError_t launchAddN(const float* const* srcs, int count, float* y, int64_t n, cudaStream_t s) {
    if (count < 1 || count > kMaxAddN) return cudaErrorInvalidValue;
    AddNSources a{};
    for (int k = 0; k < count; ++k) a.p[k] = srcs[k];
    a.count = count;
    NEURITE_LAUNCH(n, addNKernel, a, y, n);
}

cudaError_t launchAxpy(float alpha, const float* x, float* y, int64_t n, cudaStream_t s) {
    NEURITE_LAUNCH(n, axpyKernel, alpha, x, y, n);
}

cudaError_t launchScale(float* x, float alpha, int64_t n, cudaStream_t s) {
    NEURITE_LAUNCH(n, scaleKernel, x, alpha, n);
}

cudaError_t launchMultiply(const float* a, const float* b, float* y, int64_t n, cudaStream_t s) {
    NEURITE_LAUNCH(n, multiplyKernel, a, b, y, n);
}

cudaError_t launchDropout(const float* x, float* y, float* mask, int64_t n, float p,
                          uint64_t seed, cudaStream_t s) {
    const float keepScale = p < 1.f ? 1.f / (1.f - p) : 0.f;
    NEURITE_LAUNCH(n, dropoutKernel, x, y, mask, n, p, keepScale, seed);
}

cudaError_t launchGatherRows(const void* src, bool u8, int64_t rows, int64_t features,
                             const int32_t* idx, int64_t count, float scale, const float* mean,
                             const float* invStd, float* dst, DeviceStatus* status,
                             cudaStream_t s) {
    NEURITE_LAUNCH(count * features, gatherRowsKernel, src, u8, rows, features, idx, count, scale,
                   mean, invStd, dst, status);
}

cudaError_t launchGatherLabels(const uint32_t* labels, int64_t rows, int64_t rowSize,
                               const int32_t* idx, int64_t count, uint32_t* dst,
                               DeviceStatus* status, cudaStream_t s) {
    NEURITE_LAUNCH(count * rowSize, gatherLabelsKernel, labels, rows, rowSize, idx, count, dst,
                   status);
}

cudaError_t launchAddBias(float* dst, const float* bias, int64_t outer, int64_t channels,
                          int64_t inner, cudaStream_t s) {
    const int64_t n = outer * channels * inner;
    if (n <= 0) return cudaSuccess;
    if (n < (int64_t(1) << 30))
        addBiasKernel<int32_t><<<blocksFor(n), kThreads, 0, s>>>(
            dst, bias, static_cast<int32_t>(n), static_cast<int32_t>(channels), static_cast<int32_t>(inner));
    else
        addBiasKernel<int64_t><<<blocksFor(n), kThreads, 0, s>>>(dst, bias, n, channels, inner);
    return cudaGetLastError();
}

cudaError_t launchTranspose(const float* src, float* dst, int64_t batch, int64_t rows,
                            int64_t cols, cudaStream_t s) {
    if (batch <= 0 || rows <= 0 || cols <= 0) return cudaSuccess;
    const int64_t gx = (cols + kTile - 1) / kTile, gy = (rows + kTile - 1) / kTile;
    if (gx > 2147483647 || gy > 65535) return cudaErrorInvalidValue;
    const dim3 grid(static_cast<unsigned>(gx), static_cast<unsigned>(gy),
                    static_cast<unsigned>(batch < 65535 ? batch : 65535));
    transposeKernel<<<grid, dim3(kTile, 8), 0, s>>>(src, dst, batch, rows, cols);
    return cudaGetLastError();
}

cudaError_t launchPad(const float* src, float* dst, int64_t nc, int64_t h, int64_t w, int64_t top,
                      int64_t left, int64_t ph, int64_t pw, cudaStream_t s) {
    NEURITE_LAUNCH(nc * ph * pw, padKernel, src, dst, nc, h, w, top, left, ph, pw);
}

cudaError_t launchCrop(const float* src, float* dst, int64_t nc, int64_t h, int64_t w, int64_t top,
                       int64_t left, int64_t ph, int64_t pw, cudaStream_t s) {
    NEURITE_LAUNCH(nc * h * w, cropKernel, src, dst, nc, h, w, top, left, ph, pw);
}

}  // namespace neurite::cuda
