// Elementwise kernels as OpenMP loops: fill, activations (exact-erf GELU), softmax, addN, axpy,
// scale, multiply. Each element is computed independently, so results never depend on threads.
#include <cmath>

#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

// Applies f(i) for i in [0, n) in parallel (serially below the size where forking pays off).
template <class F> void parallelFor(const ThreadConfig& tc, int64_t n, F&& f) {
#pragma omp parallel for simd num_threads(tc.forSize(n)) schedule(static)
    for (int64_t i = 0; i < n; ++i)
        f(i);
}

} // namespace

void fill(const ThreadConfig& tc, Tensor& dst, float value) {
    requireF32(dst, "fill");
    float* y = dst.f32();
    parallelFor(tc, dst.numel(), [=](int64_t i) { y[i] = value; });
}

// One loop per row of the activation table, so each vectorizes on its own formula.
void activationForward(const ThreadConfig& tc, Activation act, float alpha, const Tensor& src,
                       Tensor& dst) {
    requireSameNumel(src, dst, "activation forward");
    const float* x = src.f32();
    float* y = dst.f32();
    const int64_t n = src.numel();
    const bool known = dispatchActivation(act, [&](auto fn) {
        forRanges(tc, n, 2048, [=](int64_t b, int64_t e) {
#pragma omp simd
            for (int64_t i = b; i < e; ++i)
                y[i] = fn.forward(x[i], alpha);
        });
    });
    if (!known) throwInternal("activation forward: unknown activation");
}

void activationBackward(const ThreadConfig& tc, Activation act, float alpha, const Tensor& src,
                        const Tensor& dst, const Tensor& diffDst, Tensor& diffSrc) {
    requireSameNumel(src, dst, "activation backward");
    requireSameNumel(src, diffDst, "activation backward");
    requireSameNumel(src, diffSrc, "activation backward");
    const float* x = src.f32();
    const float* y = dst.f32();
    const float* dy = diffDst.f32();
    float* dx = diffSrc.f32();
    const int64_t n = src.numel();
    const bool known = dispatchActivation(act, [&](auto fn) {
        forRanges(tc, n, 2048, [=](int64_t b, int64_t e) {
#pragma omp simd
            for (int64_t i = b; i < e; ++i)
                dx[i] = dy[i] * fn.derivative(x[i], y[i], alpha);
        });
    });
    if (!known) throwInternal("activation backward: unknown activation");
}

// Softmax over dimension 1 of [N, C, inner]: each (n, inner) column is one independent softmax;
// log: its logarithm, x - max - log(sum of exp(x - max)).
void softmaxForward(const ThreadConfig& tc, const Tensor& src, Tensor& dst, bool log) {
    requireSameNumel(src, dst, "softmax forward");
    const Shape& s = src.shape();
    if (s.rank() < 2) throwInternal("softmax forward: expected [N, C, ...], got " + s.str());
    const int64_t outer = s[0], channels = s[1], inner = s.numelFrom(2);
    const float* x = src.f32();
    float* y = dst.f32();
    forRanges(tc, outer * inner, 64, [=](int64_t b, int64_t e) {
        for (int64_t col = b; col < e; ++col) {
            const int64_t base = (col / inner) * channels * inner + col % inner;
            float mx = x[base];
            for (int64_t c = 1; c < channels; ++c)
                mx = std::max(mx, x[base + c * inner]);
            float sum = 0.f;
            for (int64_t c = 0; c < channels; ++c) {
                const float v = std::exp(x[base + c * inner] - mx);
                y[base + c * inner] = v;
                sum += v;
            }
            if (log) {
                const float shift = mx + std::log(sum);
                for (int64_t c = 0; c < channels; ++c)
                    y[base + c * inner] = x[base + c * inner] - shift;
                continue;
            }
            const float inv = 1.f / sum;
            for (int64_t c = 0; c < channels; ++c)
                y[base + c * inner] *= inv;
        }
    });
}

// dx = y (dy - sum(y dy)); log: dx = dy - exp(y) sum(dy).
void softmaxBackward(const ThreadConfig& tc, const Tensor& dst, const Tensor& diffDst,
                     Tensor& diffSrc, bool log) {
    requireSameNumel(dst, diffDst, "softmax backward");
    requireSameNumel(dst, diffSrc, "softmax backward");
    const Shape& s = dst.shape();
    if (s.rank() < 2) throwInternal("softmax backward: expected [N, C, ...], got " + s.str());
    const int64_t outer = s[0], channels = s[1], inner = s.numelFrom(2);
    const float* y = dst.f32();
    const float* dy = diffDst.f32();
    float* dx = diffSrc.f32();
    forRanges(tc, outer * inner, 64, [=](int64_t b, int64_t e) {
        for (int64_t col = b; col < e; ++col) {
            const int64_t base = (col / inner) * channels * inner + col % inner;
            float dot = 0.f;
            for (int64_t c = 0; c < channels; ++c)
                dot += (log ? 1.f : y[base + c * inner]) * dy[base + c * inner];
            for (int64_t c = 0; c < channels; ++c) {
                const int64_t i = base + c * inner;
                dx[i] = log ? dy[i] - std::exp(y[i]) * dot : y[i] * (dy[i] - dot);
            }
        }
    });
}

// Sums element by element, so dst may alias any source.
void addN(const ThreadConfig& tc, std::span<const Tensor* const> srcs, Tensor& dst) {
    if (srcs.empty()) throwInternal("addN: no sources");
    for (const Tensor* s : srcs)
        requireSameNumel(dst, *s, "addN");
    float* y = dst.f32();
    forRanges(tc, dst.numel(), 16384, [=](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
            float sum = srcs[0]->f32()[i];
            for (std::size_t k = 1; k < srcs.size(); ++k)
                sum += srcs[k]->f32()[i];
            y[i] = sum;
        }
    });
}

void axpy(const ThreadConfig& tc, float alpha, const Tensor& x, Tensor& y) {
    requireSameNumel(x, y, "axpy");
    const float* a = x.f32();
    float* b = y.f32();
    parallelFor(tc, x.numel(), [=](int64_t i) { b[i] += alpha * a[i]; });
}

void scale(const ThreadConfig& tc, Tensor& x, float alpha) {
    requireF32(x, "scale");
    float* a = x.f32();
    parallelFor(tc, x.numel(), [=](int64_t i) { a[i] *= alpha; });
}

void multiply(const ThreadConfig& tc, const Tensor& a, const Tensor& b, Tensor& dst) {
    requireSameNumel(a, b, "multiply");
    requireSameNumel(a, dst, "multiply");
    const float* x = a.f32();
    const float* w = b.f32();
    float* y = dst.f32();
    parallelFor(tc, a.numel(), [=](int64_t i) { y[i] = x[i] * w[i]; });
}

} // namespace neurite::cpu
