// Fused losses, optimizer updates and reductions of the CUDA backend, with the CPU backend's
// formulas (cpu_loss.cpp, cpu_optim.cpp). Loss terms are summed in double by a two-stage
// reduction over a fixed grid, so results are deterministic; only the scalar goes to the host.
#include "backend/cuda/cuda_launch.cuh"

namespace neurite::cuda {

namespace {

// Sum of `v` over the block (kThreads threads), valid in thread 0.
__device__ double blockSum(double v) {
    __shared__ double shared[kThreads];
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int stride = kThreads / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) shared[threadIdx.x] += shared[threadIdx.x + stride];
        __syncthreads();
    }
    return shared[0];
}

// Stage 1: block b sums elements b*chunk .. (b+1)*chunk of f(i) (each thread a strided share).
template <class F>
__device__ void partialSum(int64_t n, double* partials, F f) {
    const int64_t chunk = (n + kReducePartials - 1) / kReducePartials;
    const int64_t begin = blockIdx.x * chunk;
    const int64_t end = min(n, begin + chunk);
    double s = 0.0;
    for (int64_t i = begin + threadIdx.x; i < end; i += kThreads) s += f(i);
    const double total = blockSum(s);
    if (threadIdx.x == 0) partials[blockIdx.x] = total;
}

struct TermAt {
    const double* terms;
    __device__ double operator()(int64_t i) const { return terms[i]; }
};
struct SquareAt {
    const float* x;
    __device__ double operator()(int64_t i) const {
        const double v = x[i];
        return v * v;
    }
};

// Bias gradient (cuda_kernels.h, launchBiasGrad): block (chunk, c) sums run `chunk` of channel c.
__global__ void biasGradStage1(const float* d, double* partials, int64_t outer, int64_t channels,
                               int64_t inner, int64_t chunks, int64_t c0) {
    const int64_t c = c0 + blockIdx.y, n = outer * inner;
    const int64_t per = (n + chunks - 1) / chunks;
    const int64_t begin = static_cast<int64_t>(blockIdx.x) * per, end = min(n, begin + per);
    double s = 0.0;
    for (int64_t j = begin + threadIdx.x; j < end; j += kThreads) {
        const int64_t o = j / inner, i = j - o * inner;
        s += d[(o * channels + c) * inner + i];
    }
    const double total = blockSum(s);
    if (threadIdx.x == 0) partials[c * chunks + blockIdx.x] = total;
}

__global__ void biasGradStage2(const double* partials, float* out, int64_t channels,
                               int64_t chunks) {
    NEURITE_GRID_LOOP(c, channels) {
        double s = 0.0;
        for (int64_t k = 0; k < chunks; ++k) s += partials[c * chunks + k];
        out[c] = static_cast<float>(s);
    }
}

__global__ void sumTermsStage1(const double* terms, int64_t n, double* partials) {
    partialSum(n, partials, TermAt{terms});
}

__global__ void sumSquaresStage1(const float* x, int64_t n, double* partials) {
    partialSum(n, partials, SquareAt{x});
}

// Stage 2: one block adds the partials.
__global__ void finishSum(const double* partials, double* out) {
    double s = 0.0;
    for (int i = threadIdx.x; i < kReducePartials; i += kThreads) s += partials[i];
    const double total = blockSum(s);
    if (threadIdx.x == 0) *out = total;
}

__global__ void labelWeightSumKernel(const int32_t* labels, const float* w, int64_t n,
                                     int64_t classes, DeviceScalars* out) {
    double s = 0.0;
    for (int64_t i = threadIdx.x; i < n; i += kThreads) {
        const int32_t y = labels[i];
        if (y >= 0 && y < classes) s += w[y];
    }
    const double total = blockSum(s);
    if (threadIdx.x == 0) out->weight = total;
}

// Writes log softmax of z[0, c) into logp (global memory), stable through the row maximum.
__device__ void logSoftmaxRow(const float* z, int64_t c, float* logp) {
    float mx = z[0];
    for (int64_t k = 1; k < c; ++k) mx = fmaxf(mx, z[k]);
    float sum = 0.f;
    for (int64_t k = 0; k < c; ++k) sum += expf(z[k] - mx);
    const float lse = mx + logf(sum);
    for (int64_t k = 0; k < c; ++k) logp[k] = z[k] - lse;
}

// A label outside [0, c) is reported through the status; its row gets no loss and no gradient.
__device__ bool checkLabel(int32_t y, int64_t row, int64_t c, float* gi, double* term,
                           DeviceStatus* status) {
    if (y >= 0 && y < c) return true;
    noteStatus(status, kStatusLabelOutside, y, row, c);
    for (int64_t k = 0; k < c; ++k) gi[k] = 0.f;
    *term = 0.0;
    return false;
}

__global__ void softmaxCrossEntropyKernel(const float* z, const int32_t* labels, const float* w,
                                          float e, double classWeightSum, float invScale,
                                          const DeviceScalars* scalars, float* g, double* terms,
                                          int64_t n, int64_t c, DeviceStatus* status) {
    NEURITE_GRID_LOOP(i, n) {
        float* gi = g + i * c;
        const int32_t y = labels[i];
        if (!checkLabel(y, i, c, gi, terms + i, status)) continue;
        const float inv = w ? static_cast<float>(1.0 / scalars->weight) : invScale;
        const float smooth = e / static_cast<float>(c);
        logSoftmaxRow(z + i * c, c, gi);
        const float wy = w ? w[y] : 1.f;
        double smoothTerm = 0.0;
        for (int64_t k = 0; k < c; ++k) smoothTerm -= (w ? w[k] : 1.f) * gi[k];
        terms[i] = (1.0 - e) * wy * -gi[y] + smooth * smoothTerm;
        const float rowScale = (1.f - e) * wy + smooth * static_cast<float>(classWeightSum);
        for (int64_t k = 0; k < c; ++k) gi[k] = (expf(gi[k]) * rowScale - smooth * (w ? w[k] : 1.f)) * inv;
        gi[y] -= (1.f - e) * wy * inv;
    }
}

__global__ void focalLossKernel(const float* z, const int32_t* labels, float gamma, float alpha,
                                float inv, float* g, double* terms, int64_t n, int64_t c,
                                DeviceStatus* status) {
    NEURITE_GRID_LOOP(i, n) {
        float* gi = g + i * c;
        const int32_t y = labels[i];
        if (!checkLabel(y, i, c, gi, terms + i, status)) continue;
        logSoftmaxRow(z + i * c, c, gi);
        const float logp = gi[y];
        const float p = expf(logp);
        const float oneMinus = -expm1f(logp);
        const float modulator = powf(oneMinus, gamma);
        terms[i] = -alpha * modulator * logp;
        const float slope =
            gamma == 0.f || oneMinus <= 0.f ? 0.f : gamma * powf(oneMinus, gamma - 1.f) * p * logp;
        const float q = alpha * (slope - modulator) * inv;
        for (int64_t k = 0; k < c; ++k) gi[k] = -q * expf(gi[k]);
        gi[y] += q;
    }
}

__global__ void bceKernel(const float* x, const float* t, float posWeight, float inv, float* g,
                          double* terms, int64_t n) {
    NEURITE_GRID_LOOP(i, n) {
        const float xi = x[i], yi = t[i];
        const float logWeight = (posWeight - 1.f) * yi + 1.f;
        terms[i] = (1.f - yi) * xi + logWeight * (log1pf(expf(-fabsf(xi))) + fmaxf(-xi, 0.f));
        const float ex = expf(-fabsf(xi));
        const float sig = xi >= 0.f ? 1.f / (1.f + ex) : ex / (1.f + ex);
        g[i] = (posWeight * yi * (sig - 1.f) + (1.f - yi) * sig) * inv;
    }
}

__global__ void mseKernel(const float* p, const float* t, float twoInv, float* g, double* terms,
                          int64_t n) {
    NEURITE_GRID_LOOP(i, n) {
        const float d = p[i] - t[i];
        terms[i] = static_cast<double>(d) * d;
        g[i] = twoInv * d;
    }
}

__global__ void huberKernel(const float* p, const float* t, float delta, float inv, float* g,
                            double* terms, int64_t n) {
    NEURITE_GRID_LOOP(i, n) {
        const float d = p[i] - t[i];
        const float a = fabsf(d);
        if (a <= delta) {
            terms[i] = 0.5 * static_cast<double>(d) * d;
            g[i] = d * inv;
        } else {
            terms[i] = static_cast<double>(delta) * (a - 0.5 * static_cast<double>(delta));
            g[i] = (d > 0.f ? delta : -delta) * inv;
        }
    }
}

__global__ void nonFiniteKernel(const float* x, int64_t n, DeviceScalars* out) {
    NEURITE_GRID_LOOP(i, n) {
        const uint32_t bits = __float_as_uint(x[i]);
        if ((bits & 0x7f800000u) == 0x7f800000u) out->nonFinite = 1;
    }
}

__global__ void sgdKernel(float* w, const float* g, float* buf, int64_t n, SgdArgs a) {
    NEURITE_GRID_LOOP(i, n) {
        if (a.momentum == 0.f) {
            w[i] -= a.lr * (g[i] + a.weightDecay * w[i]);
        } else {
            const float d = g[i] + a.weightDecay * w[i];
            const float b = buf[i] * a.momentum + d;
            buf[i] = b;
            w[i] -= a.lr * (a.nesterov ? d + a.momentum * b : b);
        }
    }
}

__global__ void adamKernel(float* w, const float* g, float* m1, float* m2, int64_t n, AdamArgs c) {
    NEURITE_GRID_LOOP(i, n) {
        const float wi = w[i] * c.shrink;
        const float gi = g[i] + c.decay * wi;
        const float mi = m1[i] + (1.f - c.b1) * (gi - m1[i]);
        const float vi = m2[i] * c.b2 + (1.f - c.b2) * gi * gi;
        m1[i] = mi;
        m2[i] = vi;
        w[i] = wi - c.stepSize * (mi / (sqrtf(vi) / c.bc2Sqrt + c.eps));
    }
}

__global__ void rmspropKernel(float* w, const float* g, float* sq, float* buf, int64_t n,
                              RmspropArgs c) {
    NEURITE_GRID_LOOP(i, n) {
        const float gi = g[i] + c.decay * w[i];
        const float s = sq[i] * c.alpha + (1.f - c.alpha) * gi * gi;
        sq[i] = s;
        const float step = gi / (sqrtf(s) + c.eps);
        if (buf) {
            const float b = buf[i] * c.momentum + step;
            buf[i] = b;
            w[i] -= c.lr * b;
        } else {
            w[i] -= c.lr * step;
        }
    }
}

__global__ void regularizeKernel(const float* w, float* g, int64_t n, float l1, float l2) {
    NEURITE_GRID_LOOP(i, n) {
        const float sign = w[i] > 0.f ? 1.f : (w[i] < 0.f ? -1.f : 0.f);
        g[i] += l1 * sign + l2 * w[i];
    }
}

// A step's mean loss kept on the device (lossInto): the sum over the divisor, or over the
// class-weight sum of the batch when the divisor is negative (weighted cross-entropy).
__global__ void storeMeanKernel(const DeviceScalars* scalars, double divisor, float* out) {
    *out = static_cast<float>(scalars->sum / (divisor >= 0.0 ? divisor : scalars->weight));
}

// Rows predicted right, added to *out: the first largest logit is the label (classes > 1), or
// logit > 0 agrees with target > 0.5 (classes == 1). Whole numbers below 2^24 add exactly in f32,
// so the atomic sum does not depend on the order of the blocks.
__global__ void countCorrectKernel(const float* z, const int32_t* labels, const float* targets,
                                   int64_t n, int64_t classes, float* out) {
    double mine = 0.0;
    NEURITE_GRID_LOOP(i, n) {
        const float* row = z + i * classes;
        if (classes == 1) {
            mine += (row[0] > 0.f) == (targets[i] > 0.5f) ? 1.0 : 0.0;
        } else {
            int64_t best = 0;
            for (int64_t k = 1; k < classes; ++k)
                if (row[k] > row[best]) best = k;
            mine += best == labels[i] ? 1.0 : 0.0;
        }
    }
    const double total = blockSum(mine);
    if (threadIdx.x == 0 && total > 0.0) atomicAdd(out, static_cast<float>(total));
}

}  // namespace

#define NEURITE_LAUNCH(n, kernel, ...)                         \
    do {                                                       \
        if ((n) <= 0) return cudaSuccess;                      \
        kernel<<<blocksFor(n), kThreads, 0, s>>>(__VA_ARGS__); \
        return cudaGetLastError();                             \
    } while (0)

cudaError_t launchLabelWeightSum(const int32_t* labels, const float* classWeights, int64_t n,
                                 int64_t classes, DeviceScalars* scalars, cudaStream_t s) {
    labelWeightSumKernel<<<1, kThreads, 0, s>>>(labels, classWeights, n, classes, scalars);
    return cudaGetLastError();
}

cudaError_t launchSoftmaxCrossEntropy(const float* logits, const int32_t* labels,
                                      const float* classWeights, float labelSmoothing,
                                      double classWeightSum, float invScale,
                                      const DeviceScalars* scalars, float* diff, double* terms,
                                      int64_t n, int64_t classes, DeviceStatus* status,
                                      cudaStream_t s) {
    NEURITE_LAUNCH(n, softmaxCrossEntropyKernel, logits, labels, classWeights, labelSmoothing,
                   classWeightSum, invScale, scalars, diff, terms, n, classes, status);
}

cudaError_t launchFocalLoss(const float* logits, const int32_t* labels, float gamma, float alpha,
                            float* diff, double* terms, int64_t n, int64_t classes,
                            DeviceStatus* status, cudaStream_t s) {
    const float inv = 1.f / static_cast<float>(n);
    NEURITE_LAUNCH(n, focalLossKernel, logits, labels, gamma, alpha, inv, diff, terms, n, classes,
                   status);
}

cudaError_t launchBinaryCrossEntropy(const float* x, const float* t, float posWeight, float* diff,
                                     double* terms, int64_t n, cudaStream_t s) {
    const float inv = 1.f / static_cast<float>(n);
    NEURITE_LAUNCH(n, bceKernel, x, t, posWeight, inv, diff, terms, n);
}

cudaError_t launchMse(const float* p, const float* t, float* diff, double* terms, int64_t n,
                      cudaStream_t s) {
    const float twoInv = 2.f / static_cast<float>(n);
    NEURITE_LAUNCH(n, mseKernel, p, t, twoInv, diff, terms, n);
}

cudaError_t launchHuber(const float* p, const float* t, float delta, float* diff, double* terms,
                        int64_t n, cudaStream_t s) {
    const float inv = 1.f / static_cast<float>(n);
    NEURITE_LAUNCH(n, huberKernel, p, t, delta, inv, diff, terms, n);
}

cudaError_t launchSumTerms(const double* terms, int64_t n, double* partials,
                           DeviceScalars* scalars, cudaStream_t s) {
    sumTermsStage1<<<kReducePartials, kThreads, 0, s>>>(terms, n, partials);
    finishSum<<<1, kThreads, 0, s>>>(partials, &scalars->sum);
    return cudaGetLastError();
}

cudaError_t launchStoreMean(const DeviceScalars* scalars, double divisor, float* out, cudaStream_t s) {
    storeMeanKernel<<<1, 1, 0, s>>>(scalars, divisor, out);
    return cudaGetLastError();
}

cudaError_t launchCountCorrect(const float* logits, const int32_t* labels, const float* targets,
                               int64_t n, int64_t classes, float* out, cudaStream_t s) {
    NEURITE_LAUNCH(n, countCorrectKernel, logits, labels, targets, n, classes, out);
}

cudaError_t launchSumSquares(const float* x, int64_t n, double* partials, DeviceScalars* scalars,
                             cudaStream_t s) {
    sumSquaresStage1<<<kReducePartials, kThreads, 0, s>>>(x, n, partials);
    finishSum<<<1, kThreads, 0, s>>>(partials, &scalars->sum);
    return cudaGetLastError();
}

cudaError_t launchNonFinite(const float* x, int64_t n, DeviceScalars* scalars, cudaStream_t s) {
    NEURITE_LAUNCH(n, nonFiniteKernel, x, n, scalars);
}

cudaError_t launchSgd(float* w, const float* g, float* velocity, int64_t n, SgdArgs a,
                      cudaStream_t s) {
    NEURITE_LAUNCH(n, sgdKernel, w, g, velocity, n, a);
}

cudaError_t launchAdam(float* w, const float* g, float* m, float* v, int64_t n, AdamArgs a,
                       cudaStream_t s) {
    NEURITE_LAUNCH(n, adamKernel, w, g, m, v, n, a);
}

cudaError_t launchRmsprop(float* w, const float* g, float* sq, float* buf, int64_t n,
                          RmspropArgs a, cudaStream_t s) {
    NEURITE_LAUNCH(n, rmspropKernel, w, g, sq, buf, n, a);
}

cudaError_t launchRegularize(const float* w, float* g, int64_t n, float l1, float l2,
                             cudaStream_t s) {
    NEURITE_LAUNCH(n, regularizeKernel, w, g, n, l1, l2);
}

int64_t biasGradChunks(int64_t outer, int64_t inner) {
    const int64_t n = outer * inner, chunks = (n + 4095) / 4096;
    return chunks < 1 ? 1 : chunks > 64 ? 64 : chunks;
}

cudaError_t launchBiasGrad(const float* diff, float* diffBias, int64_t outer, int64_t channels,
                           int64_t inner, double* partials, cudaStream_t s) {
    if (channels <= 0) return cudaSuccess;
    const int64_t chunks = biasGradChunks(outer, inner);
    for (int64_t c0 = 0; c0 < channels; c0 += 65535) {  // grid.y is at most 65535
        const int64_t count = channels - c0 < 65535 ? channels - c0 : 65535;
        biasGradStage1<<<dim3(static_cast<unsigned>(chunks), static_cast<unsigned>(count)), kThreads,
                         0, s>>>(diff, partials, outer, channels, inner, chunks, c0);
    }
    biasGradStage2<<<blocksFor(channels), kThreads, 0, s>>>(partials, diffBias, channels, chunks);
    return cudaGetLastError();
}

}  // namespace neurite::cuda
