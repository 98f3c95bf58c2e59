// Layer normalization kernels over [rows, n], with the CPU backend's formulas (cpu_layernorm.cpp).
// Forward and backward-data run one block per row: the row's sums are accumulated in double per
// thread and combined by a warp-shuffle and block reduction in a fixed tree, so results are
// deterministic. The mean is kept in double and applied as a float pair (hi + lo): x - hi is
// exact or nearly so when x is close to the mean, so an input with a mean of 1e3 and a spread of
// 1 does not lose the digits that a float mean would. The gamma/beta gradients are a column
// reduction in two stages over a row partition fixed by the shape (layerNormRowBlocks): no
// atomics, the same bits every run.
#include "backend/cuda/cuda_launch.cuh"

namespace neurite::cuda {

namespace {

constexpr int kColTile = 32;   // columns per block of the parameter reduction (one per lane)
constexpr int kRowLanes = 8;   // rows read in parallel by that block

__device__ inline double warpSum(double v) {
    for (int offset = 16; offset > 0; offset >>= 1)
        v += __shfl_down_sync(0xffffffffu, v, offset);
    return v;
}

// The sum of v over the block (blockDim.x a multiple of 32, at most 1024) in a fixed order, in
// every thread. `shared` holds 32 doubles; consecutive calls may reuse it.
__device__ double blockSum(double v, double* shared) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
    v = warpSum(v);
    __syncthreads();  // the previous call's readers are done with `shared`
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    double total = warpSum(lane < warps ? shared[lane] : 0.0);
    return __shfl_sync(0xffffffffu, total, 0);
}

// x - mean with the mean as hi + lo (hi = float(mean), lo = float(mean - hi)).
__device__ inline float centered(float x, float hi, float lo) {
    return (x - hi) - lo;
}

__global__ void layerNormForwardKernel(const float* __restrict__ x, const float* __restrict__ gamma,
                                       const float* __restrict__ beta, float* __restrict__ y,
                                       double* __restrict__ meanOut, float* __restrict__ rstdOut,
                                       int64_t rows, int64_t n, float eps) {
    __shared__ double shared[32];
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + r * n;
        float* yr = y + r * n;
        double s = 0.0;
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x)
            s += xr[j];
        const double mean = blockSum(s, shared) / static_cast<double>(n);
        const float hi = static_cast<float>(mean);
        const float lo = static_cast<float>(mean - static_cast<double>(hi));
        double sq = 0.0;
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
            const double c = centered(xr[j], hi, lo);
            sq += c * c;
        }
        const double var = blockSum(sq, shared) / static_cast<double>(n);
        const float rs = static_cast<float>(1.0 / sqrt(var + static_cast<double>(eps)));
        if (threadIdx.x == 0) {
            meanOut[r] = mean;
            rstdOut[r] = rs;
        }
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x)
            yr[j] = centered(xr[j], hi, lo) * rs * gamma[j] + beta[j];
    }
}

// dx = rstd (g - a - xhat b), g = dy gamma, a = mean of g, b = mean of g xhat over the row.
__global__ void layerNormBackwardDataKernel(const float* __restrict__ x,
                                            const float* __restrict__ dy,
                                            const float* __restrict__ gamma,
                                            const double* __restrict__ mean,
                                            const float* __restrict__ rstd, float* __restrict__ dx,
                                            int64_t rows, int64_t n) {
    __shared__ double shared[32];
    for (int64_t r = blockIdx.x; r < rows; r += gridDim.x) {
        const float* xr = x + r * n;
        const float* dyr = dy + r * n;
        float* dxr = dx + r * n;
        const float hi = static_cast<float>(mean[r]);
        const float lo = static_cast<float>(mean[r] - static_cast<double>(hi));
        const float rs = rstd[r];
        // g is rounded (__fmul_rn, never fused into the subtraction below) the same way in
        // both loops: over one feature g - a is then exactly 0, as on the CPU, where a fused
        // dy * gamma - a would leave g's rounding error, multiplied by rstd = 1/sqrt(eps)
        double a = 0.0, b = 0.0;
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
            const float g = __fmul_rn(dyr[j], gamma[j]);
            a += g;
            b += static_cast<double>(g) * (centered(xr[j], hi, lo) * rs);
        }
        const float af = static_cast<float>(blockSum(a, shared) / static_cast<double>(n));
        const float bf = static_cast<float>(blockSum(b, shared) / static_cast<double>(n));
        for (int64_t j = threadIdx.x; j < n; j += blockDim.x) {
            const float xhat = centered(xr[j], hi, lo) * rs;
            dxr[j] = rs * ((__fmul_rn(dyr[j], gamma[j]) - af) - xhat * bf);
        }
    }
}

// Stage 1: block (column tile, row block rb) sums dy xhat and dy over the rows of rb for its 32
// columns: lane ty takes rows r0 + ty, r0 + ty + 8, ...; the eight lanes are added in order.
__global__ void layerNormParamPartialsKernel(const float* __restrict__ x,
                                             const float* __restrict__ dy,
                                             const double* __restrict__ mean,
                                             const float* __restrict__ rstd,
                                             double* __restrict__ partGamma,
                                             double* __restrict__ partBeta, int64_t rows,
                                             int64_t n, int64_t rowBlocks) {
    __shared__ double sg[kRowLanes][kColTile], sb[kRowLanes][kColTile];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int64_t j = static_cast<int64_t>(blockIdx.x) * kColTile + tx;
    const int64_t rb = blockIdx.y;
    const int64_t r0 = rows * rb / rowBlocks, r1 = rows * (rb + 1) / rowBlocks;
    double g = 0.0, b = 0.0;
    if (j < n) {
        for (int64_t r = r0 + ty; r < r1; r += kRowLanes) {
            const float hi = static_cast<float>(mean[r]);
            const float lo = static_cast<float>(mean[r] - static_cast<double>(hi));
            const float d = dy[r * n + j];
            g += static_cast<double>(d) * (centered(x[r * n + j], hi, lo) * rstd[r]);
            b += d;
        }
    }
    sg[ty][tx] = g;
    sb[ty][tx] = b;
    __syncthreads();
    if (ty == 0 && j < n) {
        double tg = 0.0, tb = 0.0;
        for (int k = 0; k < kRowLanes; ++k) {
            tg += sg[k][tx];
            tb += sb[k][tx];
        }
        partGamma[rb * n + j] = tg;
        partBeta[rb * n + j] = tb;
    }
}

// Stage 2: each column adds its row blocks' partials in order.
__global__ void layerNormParamFinishKernel(const double* __restrict__ partGamma,
                                           const double* __restrict__ partBeta,
                                           float* __restrict__ dGamma, float* __restrict__ dBeta,
                                           int64_t n, int64_t rowBlocks) {
    NEURITE_GRID_LOOP(j, n) {
        double g = 0.0, b = 0.0;
        for (int64_t rb = 0; rb < rowBlocks; ++rb) {
            g += partGamma[rb * n + j];
            b += partBeta[rb * n + j];
        }
        dGamma[j] = static_cast<float>(g);
        dBeta[j] = static_cast<float>(b);
    }
}

// Threads per row: enough warps to cover n, at most kThreads.
unsigned rowThreads(int64_t n) {
    const int64_t warps = (n + 31) / 32;
    return static_cast<unsigned>(warps * 32 < kThreads ? warps * 32 : kThreads);
}

unsigned rowGrid(int64_t rows) {
    return static_cast<unsigned>(rows < 65535 * 8 ? rows : 65535 * 8);
}

}  // namespace

cudaError_t launchLayerNormForward(const float* x, const float* gamma, const float* beta, float* y,
                                   double* mean, float* rstd, int64_t rows, int64_t n, float eps,
                                   cudaStream_t s) {
    layerNormForwardKernel<<<rowGrid(rows), rowThreads(n), 0, s>>>(x, gamma, beta, y, mean, rstd,
                                                                    rows, n, eps);
    return cudaGetLastError();
}

cudaError_t launchLayerNormBackwardData(const float* x, const float* dy, const float* gamma,
                                        const double* mean, const float* rstd, float* dx,
                                        int64_t rows, int64_t n, cudaStream_t s) {
    layerNormBackwardDataKernel<<<rowGrid(rows), rowThreads(n), 0, s>>>(x, dy, gamma, mean, rstd,
                                                                         dx, rows, n);
    return cudaGetLastError();
}

cudaError_t launchLayerNormBackwardParams(const float* x, const float* dy, const double* mean,
                                          const float* rstd, double* partials, int64_t rowBlocks,
                                          float* dGamma, float* dBeta, int64_t rows, int64_t n,
                                          cudaStream_t s) {
    const dim3 block(kColTile, kRowLanes);
    const dim3 grid(static_cast<unsigned>((n + kColTile - 1) / kColTile),
                    static_cast<unsigned>(rowBlocks));
    double* partGamma = partials;
    double* partBeta = partials + rowBlocks * n;
    layerNormParamPartialsKernel<<<grid, block, 0, s>>>(x, dy, mean, rstd, partGamma, partBeta,
                                                        rows, n, rowBlocks);
    const cudaError_t status = cudaGetLastError();
    if (status != cudaSuccess) return status;
    layerNormParamFinishKernel<<<blocksFor(n), kThreads, 0, s>>>(partGamma, partBeta, dGamma,
                                                                 dBeta, n, rowBlocks);
    return cudaGetLastError();
}

}  // namespace neurite::cuda
