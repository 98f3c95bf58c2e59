// Optimizer steps over the flat parameter store, with the update order of torch.optim's
// single-tensor implementations, plus regularization and the reductions for clipping and the
// NaN scan. Optimizer state (velocity, m, v, squareAvg) must start zeroed.
#include <cmath>
#include <cstring>

#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

constexpr int64_t kMinPerThread = 8192;

template <class F> void forEach(const ThreadConfig& tc, int64_t n, F&& f) {
#pragma omp parallel for simd num_threads(tc.forSize(n, kMinPerThread)) schedule(static)
    for (int64_t i = 0; i < n; ++i)
        f(i);
}

} // namespace

// torch.optim.SGD (dampening 0): d = g + wd p; buf = mu buf + d; d = nesterov ? d + mu buf : buf;
// p -= lr d. Without momentum, p -= lr (g + wd p) and velocity is not touched.
void sgdStep(const ThreadConfig& tc, Tensor& params, const Tensor& grads, Tensor& velocity,
             const SgdParams& p) {
    requireSameNumel(params, grads, "SGD step");
    float* w = params.f32();
    const float* g = grads.f32();
    const float lr = p.lr, wd = p.weightDecay, mu = p.momentum;
    if (mu == 0.f) {
        forEach(tc, params.numel(), [=](int64_t i) { w[i] -= lr * (g[i] + wd * w[i]); });
        return;
    }
    requireSameNumel(params, velocity, "SGD velocity");
    float* buf = velocity.f32();
    const bool nesterov = p.nesterov;
    forEach(tc, params.numel(), [=](int64_t i) {
        const float d = g[i] + wd * w[i];
        const float b = buf[i] * mu + d;
        buf[i] = b;
        w[i] -= lr * (nesterov ? d + mu * b : b);
    });
}

namespace {

struct AdamConstants {
    float stepSize, bc2Sqrt, b1, b2, eps, decay, shrink;
};

NEURITE_SIMD_CLONES
void adamRange(int64_t begin, int64_t end, float* w, const float* g, float* m1, float* m2,
               AdamConstants c) {
    for (int64_t i = begin; i < end; ++i) {
        const float wi = w[i] * c.shrink;
        const float gi = g[i] + c.decay * wi;
        const float mi = m1[i] + (1.f - c.b1) * (gi - m1[i]);
        const float vi = m2[i] * c.b2 + (1.f - c.b2) * gi * gi;
        m1[i] = mi;
        m2[i] = vi;
        w[i] = wi - c.stepSize * (mi / (std::sqrt(vi) / c.bc2Sqrt + c.eps));
    }
}

struct RmspropConstants {
    float lr, alpha, eps, decay, momentum;
};

NEURITE_SIMD_CLONES
void rmspropRange(int64_t begin, int64_t end, float* w, const float* g, float* sq, float* buf,
                  RmspropConstants c) {
    for (int64_t i = begin; i < end; ++i) {
        const float gi = g[i] + c.decay * w[i];
        const float s = sq[i] * c.alpha + (1.f - c.alpha) * gi * gi;
        sq[i] = s;
        const float step = gi / (std::sqrt(s) + c.eps);
        if (buf) {
            const float b = buf[i] * c.momentum + step;
            buf[i] = b;
            w[i] -= c.lr * b;
        } else {
            w[i] -= c.lr * step;
        }
    }
}

} // namespace

// torch.optim.Adam / AdamW with t = p.step:
//   AdamW: w *= 1 - lr wd.   Adam: g += wd w.
//   m += (1-b1)(g - m); v = b2 v + (1-b2) g^2;
//   w -= lr / (1-b1^t) * m / (sqrt(v) / sqrt(1-b2^t) + eps)
void adamStep(const ThreadConfig& tc, Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
              const AdamParams& p) {
    requireSameNumel(params, grads, "Adam step");
    requireSameNumel(params, m, "Adam first moment");
    requireSameNumel(params, v, "Adam second moment");
    if (p.step < 1) throwInternal("Adam step: the step count starts at 1");
    const double t = static_cast<double>(p.step);
    AdamConstants c;
    c.stepSize = static_cast<float>(p.lr / (1.0 - std::pow(double(p.beta1), t)));
    c.bc2Sqrt = static_cast<float>(std::sqrt(1.0 - std::pow(double(p.beta2), t)));
    c.b1 = p.beta1;
    c.b2 = p.beta2;
    c.eps = p.epsilon;
    c.decay = p.decoupled ? 0.f : p.weightDecay;
    c.shrink = p.decoupled ? 1.f - p.lr * p.weightDecay : 1.f;
    float* w = params.f32();
    const float* g = grads.f32();
    float* m1 = m.f32();
    float* m2 = v.f32();
    forRanges(tc, params.numel(), kMinPerThread,
              [=](int64_t b, int64_t e) { adamRange(b, e, w, g, m1, m2, c); });
}

// torch.optim.RMSprop (centered=False): g += wd w; s = alpha s + (1-alpha) g^2;
// a = sqrt(s) + eps; with momentum: buf = mu buf + g / a, w -= lr buf; else w -= lr g / a.
void rmspropStep(const ThreadConfig& tc, Tensor& params, const Tensor& grads, Tensor& squareAvg,
                 Tensor& momentumBuf, const RmspropParams& p) {
    requireSameNumel(params, grads, "RMSprop step");
    requireSameNumel(params, squareAvg, "RMSprop square average");
    float* buf = nullptr;
    if (p.momentum != 0.f) {
        requireSameNumel(params, momentumBuf, "RMSprop momentum buffer");
        buf = momentumBuf.f32();
    }
    float* w = params.f32();
    const float* g = grads.f32();
    float* sq = squareAvg.f32();
    const RmspropConstants c{p.lr, p.alpha, p.epsilon, p.weightDecay, p.momentum};
    forRanges(tc, params.numel(), kMinPerThread,
              [=](int64_t b, int64_t e) { rmspropRange(b, e, w, g, sq, buf, c); });
}

void regularize(const ThreadConfig& tc, const Tensor& params, Tensor& grads, float l1, float l2) {
    requireSameNumel(params, grads, "regularize");
    const float* w = params.f32();
    float* g = grads.f32();
    forEach(tc, params.numel(), [=](int64_t i) {
        const float sign = w[i] > 0.f ? 1.f : (w[i] < 0.f ? -1.f : 0.f);
        g[i] += l1 * sign + l2 * w[i];
    });
}

double sumSquares(const ThreadConfig& tc, const Tensor& x) {
    requireF32(x, "sumSquares");
    const float* a = x.f32();
    return fixedOrderSum(tc, x.numel(), 16384, [a](int64_t b, int64_t e) {
        double s = 0.0;
#pragma omp simd reduction(+ : s)
        for (int64_t i = b; i < e; ++i)
            s += static_cast<double>(a[i]) * a[i];
        return s;
    });
}

bool allFinite(const ThreadConfig& tc, const Tensor& x) {
    requireF32(x, "allFinite");
    const float* a = x.f32();
    const int64_t n = x.numel();
    uint32_t bad = 0;
#pragma omp parallel for simd num_threads(tc.forSize(n, 65536)) schedule(static) reduction(| : bad)
    for (int64_t i = 0; i < n; ++i) {
        uint32_t bits;
        std::memcpy(&bits, &a[i], sizeof bits);
        bad |= static_cast<uint32_t>((bits & 0x7f800000u) == 0x7f800000u);
    }
    return bad == 0;
}

} // namespace neurite::cpu
