// ReferenceBackend plans: dense, convolution, pooling, batch norm and layer norm as direct loops
// over the definitions (double accumulators). Max pooling keeps its argmax, batch norm and layer
// norm their means and inverse standard deviations (in double), for backward.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "backend/plan_checks.h"
#include "core/error.h"
#include "reference_backend.h"

namespace neurite::test {

using ref::expectF32;

namespace {

// ---- dense: dst[N,O] = src[N,I] W[O,I]^T + b[O] -------------------------------------------------

class RefDense : public DensePlan {
public:
    explicit RefDense(const DenseDesc& d) : m_d(d) {}

    void forward(const Tensor& src, const Tensor& weights, const Tensor* bias,
                 Tensor& dst) override {
        const int64_t n = m_d.batch, in = m_d.inputs, out = m_d.outputs;
        expectF32(src, n * in, "dense src");
        expectF32(weights, out * in, "dense weights");
        expectF32(dst, n * out, "dense dst");
        if (m_d.bias) expectF32(*bias, out, "dense bias");
        for (int64_t b = 0; b < n; ++b)
            for (int64_t o = 0; o < out; ++o) {
                double acc = m_d.bias ? double(bias->f32()[o]) : 0.0;
                for (int64_t i = 0; i < in; ++i)
                    acc += double(src.f32()[b * in + i]) * weights.f32()[o * in + i];
                dst.f32()[b * out + o] = static_cast<float>(acc);
            }
    }

    void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) override {
        const int64_t n = m_d.batch, in = m_d.inputs, out = m_d.outputs;
        expectF32(diffDst, n * out, "dense diffDst");
        expectF32(weights, out * in, "dense weights");
        expectF32(diffSrc, n * in, "dense diffSrc");
        for (int64_t b = 0; b < n; ++b)
            for (int64_t i = 0; i < in; ++i) {
                double acc = 0;
                for (int64_t o = 0; o < out; ++o)
                    acc += double(diffDst.f32()[b * out + o]) * weights.f32()[o * in + i];
                diffSrc.f32()[b * in + i] = static_cast<float>(acc);
            }
    }

    void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                         Tensor* diffBias) override {
        const int64_t n = m_d.batch, in = m_d.inputs, out = m_d.outputs;
        expectF32(src, n * in, "dense src");
        expectF32(diffDst, n * out, "dense diffDst");
        expectF32(diffWeights, out * in, "dense diffWeights");
        for (int64_t o = 0; o < out; ++o) {
            for (int64_t i = 0; i < in; ++i) {
                double acc = 0;
                for (int64_t b = 0; b < n; ++b)
                    acc += double(diffDst.f32()[b * out + o]) * src.f32()[b * in + i];
                diffWeights.f32()[o * in + i] = static_cast<float>(acc);
            }
            if (m_d.bias) {
                expectF32(*diffBias, out, "dense diffBias");
                double acc = 0;
                for (int64_t b = 0; b < n; ++b)
                    acc += diffDst.f32()[b * out + o];
                diffBias->f32()[o] = static_cast<float>(acc);
            }
        }
    }

private:
    DenseDesc m_d;
};

// ---- convolution: dst[n,k,p,q] = b[k] + sum_{c,r,s} src[n,c,p*sh-pt+r*dh,q*sw-pl+s*dw] W[k,c,r,s] ----
// (with groups, c runs over k's group only and W's second index is c within the group)

class RefConv : public ConvPlan {
public:
    explicit RefConv(const ConvDesc& d) : m_d(d) {}

    void forward(const Tensor& src, const Tensor& weights, const Tensor* bias,
                 Tensor& dst) override {
        check(src, weights, dst, "src", "dst");
        if (m_d.bias) expectF32(*bias, m_d.outChannels, "conv bias");
        for (int64_t n = 0; n < m_d.batch; ++n)
            for (int64_t k = 0; k < m_d.outChannels; ++k)
                for (int64_t p = 0; p < m_p; ++p)
                    for (int64_t q = 0; q < m_q; ++q) {
                        double acc = m_d.bias ? double(bias->f32()[k]) : 0.0;
                        forTaps(k, p, q, [&](int64_t c, int64_t r, int64_t s, int64_t h, int64_t w) {
                            acc += double(src.f32()[srcAt(n, c, h, w)]) *
                                   weights.f32()[wAt(k, c, r, s)];
                        });
                        dst.f32()[dstAt(n, k, p, q)] = static_cast<float>(acc);
                    }
    }

    void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) override {
        check(diffSrc, weights, diffDst, "diffSrc", "diffDst");
        std::vector<double> acc(static_cast<std::size_t>(diffSrc.numel()), 0.0);
        for (int64_t n = 0; n < m_d.batch; ++n)
            for (int64_t k = 0; k < m_d.outChannels; ++k)
                for (int64_t p = 0; p < m_p; ++p)
                    for (int64_t q = 0; q < m_q; ++q) {
                        double g = diffDst.f32()[dstAt(n, k, p, q)];
                        forTaps(k, p, q, [&](int64_t c, int64_t r, int64_t s, int64_t h, int64_t w) {
                            acc[std::size_t(srcAt(n, c, h, w))] +=
                                g * weights.f32()[wAt(k, c, r, s)];
                        });
                    }
        for (std::size_t i = 0; i < acc.size(); ++i)
            diffSrc.f32()[i] = static_cast<float>(acc[i]);
    }

    void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                         Tensor* diffBias) override {
        check(src, diffWeights, diffDst, "src", "diffDst");
        std::vector<double> acc(static_cast<std::size_t>(diffWeights.numel()), 0.0);
        std::vector<double> accBias(static_cast<std::size_t>(m_d.outChannels), 0.0);
        for (int64_t n = 0; n < m_d.batch; ++n)
            for (int64_t k = 0; k < m_d.outChannels; ++k)
                for (int64_t p = 0; p < m_p; ++p)
                    for (int64_t q = 0; q < m_q; ++q) {
                        double g = diffDst.f32()[dstAt(n, k, p, q)];
                        accBias[std::size_t(k)] += g;
                        forTaps(k, p, q, [&](int64_t c, int64_t r, int64_t s, int64_t h, int64_t w) {
                            acc[std::size_t(wAt(k, c, r, s))] += g * src.f32()[srcAt(n, c, h, w)];
                        });
                    }
        for (std::size_t i = 0; i < acc.size(); ++i)
            diffWeights.f32()[i] = static_cast<float>(acc[i]);
        if (m_d.bias) {
            expectF32(*diffBias, m_d.outChannels, "conv diffBias");
            for (std::size_t k = 0; k < accBias.size(); ++k)
                diffBias->f32()[k] = static_cast<float>(accBias[k]);
        }
    }

private:
    void check(const Tensor& src, const Tensor& weights, const Tensor& dst, const char* srcName,
               const char* dstName) const {
        NEURITE_CHECK(m_p > 0 && m_q > 0, "reference conv: empty output");
        expectF32(src, m_d.batch * m_d.inChannels * m_d.height * m_d.width, srcName);
        expectF32(weights, m_d.outChannels * m_d.groupIn() * m_d.kernelH * m_d.kernelW,
                  "conv weights");
        expectF32(dst, m_d.batch * m_d.outChannels * m_p * m_q, dstName);
    }
    // Calls f(c, r, s, h, w) for every in-bounds tap of output channel k at position (p, q): c
    // runs over the input channels of k's group.
    template <class F> void forTaps(int64_t k, int64_t p, int64_t q, F&& f) const {
        const int64_t first = k / m_d.groupOut() * m_d.groupIn();
        for (int64_t c = first; c < first + m_d.groupIn(); ++c)
            for (int64_t r = 0; r < m_d.kernelH; ++r)
                for (int64_t s = 0; s < m_d.kernelW; ++s) {
                    int64_t h = p * m_d.strideH - m_d.padTop + r * m_d.dilationH;
                    int64_t w = q * m_d.strideW - m_d.padLeft + s * m_d.dilationW;
                    if (h >= 0 && h < m_d.height && w >= 0 && w < m_d.width) f(c, r, s, h, w);
                }
    }
    // [N, C, H, W], or [N, H, W, C] for a channels-last plan
    int64_t srcAt(int64_t n, int64_t c, int64_t h, int64_t w) const {
        if (m_d.channelsLast) return ((n * m_d.height + h) * m_d.width + w) * m_d.inChannels + c;
        return ((n * m_d.inChannels + c) * m_d.height + h) * m_d.width + w;
    }
    int64_t dstAt(int64_t n, int64_t k, int64_t p, int64_t q) const {
        if (m_d.channelsLast) return ((n * m_p + p) * m_q + q) * m_d.outChannels + k;
        return ((n * m_d.outChannels + k) * m_p + p) * m_q + q;
    }
    // [K, C/G, R, S]; c is the global input channel
    int64_t wAt(int64_t k, int64_t c, int64_t r, int64_t s) const {
        return ((k * m_d.groupIn() + c % m_d.groupIn()) * m_d.kernelH + r) * m_d.kernelW + s;
    }

    ConvDesc m_d;
    int64_t m_p = m_d.outHeight(), m_q = m_d.outWidth();
};

// ---- pooling: max (argmax kept) or average over the in-bounds part of each window ---------------

class RefPool : public PoolPlan {
public:
    explicit RefPool(const PoolDesc& d) : m_d(d) {}

    void forward(const Tensor& src, Tensor& dst, bool training) override {
        (void)training;
        const int64_t planes = m_d.batch * m_d.channels, p = m_d.outHeight(), q = m_d.outWidth();
        NEURITE_CHECK(p > 0 && q > 0, "reference pool: empty output");
        expectF32(src, planes * m_d.height * m_d.width, "pool src");
        expectF32(dst, planes * p * q, "pool dst");
        m_argmax.assign(static_cast<std::size_t>(planes * p * q), -1);
        for (int64_t plane = 0; plane < planes; ++plane)
            for (int64_t i = 0; i < p; ++i)
                for (int64_t j = 0; j < q; ++j) {
                    const float* x = src.f32() + plane * m_d.height * m_d.width;
                    double best = -std::numeric_limits<double>::infinity(), sum = 0;
                    int64_t bestAt = -1, count = 0;
                    forWindow(i, j, [&](int64_t at) {
                        sum += x[at];
                        ++count;
                        if (x[at] > best) {
                            best = x[at];
                            bestAt = at;
                        }
                    });
                    int64_t o = (plane * p + i) * q + j;
                    double value =
                        count == 0 ? 0.0 : (m_d.kind == PoolKind::Max ? best : sum / double(count));
                    dst.f32()[o] = static_cast<float>(value);
                    m_argmax[std::size_t(o)] =
                        bestAt < 0 ? -1 : plane * m_d.height * m_d.width + bestAt;
                }
    }

    void backward(const Tensor& diffDst, Tensor& diffSrc) override {
        const int64_t planes = m_d.batch * m_d.channels, p = m_d.outHeight(), q = m_d.outWidth();
        expectF32(diffDst, planes * p * q, "pool diffDst");
        expectF32(diffSrc, planes * m_d.height * m_d.width, "pool diffSrc");
        NEURITE_CHECK(m_d.kind == PoolKind::Avg || m_argmax.size() == std::size_t(planes * p * q),
                      "reference max pool: backward without forward");
        std::vector<double> acc(static_cast<std::size_t>(diffSrc.numel()), 0.0);
        for (int64_t plane = 0; plane < planes; ++plane)
            for (int64_t i = 0; i < p; ++i)
                for (int64_t j = 0; j < q; ++j) {
                    int64_t o = (plane * p + i) * q + j;
                    double g = diffDst.f32()[o];
                    if (m_d.kind == PoolKind::Max) {
                        if (m_argmax[std::size_t(o)] >= 0)
                            acc[std::size_t(m_argmax[std::size_t(o)])] += g;
                        continue;
                    }
                    int64_t count = 0;
                    forWindow(i, j, [&](int64_t) { ++count; });
                    int64_t base = plane * m_d.height * m_d.width;
                    forWindow(i, j, [&](int64_t at) {
                        acc[std::size_t(base + at)] += g / double(count);
                    });
                }
        for (std::size_t k = 0; k < acc.size(); ++k)
            diffSrc.f32()[k] = static_cast<float>(acc[k]);
    }

private:
    // Calls f(h * W + w) for every in-bounds position of output window (i, j).
    template <class F> void forWindow(int64_t i, int64_t j, F&& f) const {
        for (int64_t r = 0; r < m_d.kernelH; ++r)
            for (int64_t s = 0; s < m_d.kernelW; ++s) {
                int64_t h = i * m_d.strideH - m_d.padTop + r, w = j * m_d.strideW - m_d.padLeft + s;
                if (h >= 0 && h < m_d.height && w >= 0 && w < m_d.width) f(h * m_d.width + w);
            }
    }

    PoolDesc m_d;
    std::vector<int64_t> m_argmax; // flat src index per dst element; -1 for an empty window
};

// ---- batch norm over N and spatial, per channel ------------------------------------------------

class RefBatchNorm : public BatchNormPlan {
public:
    explicit RefBatchNorm(const BatchNormDesc& d) : m_d(d) {}

    void forwardTraining(const Tensor& src, const Tensor& gamma, const Tensor& beta, Tensor& dst,
                         Tensor& runningMean, Tensor& runningVar, float momentum) override {
        check(src, gamma, beta, dst);
        expectF32(runningMean, m_d.channels, "bn runningMean");
        expectF32(runningVar, m_d.channels, "bn runningVar");
        const double count = double(m_d.batch * m_d.spatial);
        m_mean.assign(std::size_t(m_d.channels), 0.0);
        m_invStd.assign(std::size_t(m_d.channels), 0.0);
        for (int64_t c = 0; c < m_d.channels; ++c) {
            double sum = 0, sq = 0;
            forChannel(c, [&](int64_t at) { sum += src.f32()[at]; });
            double mean = sum / count;
            forChannel(c,
                       [&](int64_t at) { sq += (src.f32()[at] - mean) * (src.f32()[at] - mean); });
            double var = sq / count;
            double unbiased = count > 1 ? sq / (count - 1) : var;
            m_mean[std::size_t(c)] = mean;
            m_invStd[std::size_t(c)] = 1.0 / std::sqrt(var + double(m_d.epsilon));
            runningMean.f32()[c] =
                static_cast<float>((1.0 - momentum) * runningMean.f32()[c] + momentum * mean);
            runningVar.f32()[c] =
                static_cast<float>((1.0 - momentum) * runningVar.f32()[c] + momentum * unbiased);
            normalize(c, mean, m_invStd[std::size_t(c)], src, gamma, beta, dst);
        }
    }

    void forwardInference(const Tensor& src, const Tensor& gamma, const Tensor& beta,
                          const Tensor& runningMean, const Tensor& runningVar,
                          Tensor& dst) override {
        check(src, gamma, beta, dst);
        expectF32(runningMean, m_d.channels, "bn runningMean");
        expectF32(runningVar, m_d.channels, "bn runningVar");
        for (int64_t c = 0; c < m_d.channels; ++c)
            normalize(c, runningMean.f32()[c],
                      1.0 / std::sqrt(double(runningVar.f32()[c]) + m_d.epsilon), src, gamma, beta,
                      dst);
    }

    // xhat = (x - mean) invStd; dgamma = sum dy xhat; dbeta = sum dy;
    // dx = gamma invStd / M (M dy - dbeta - xhat dgamma), M = N * spatial.
    void backward(const Tensor& src, const Tensor& diffDst, const Tensor& gamma, Tensor& diffSrc,
                  Tensor& diffGamma, Tensor& diffBeta) override {
        const int64_t total = m_d.batch * m_d.channels * m_d.spatial;
        NEURITE_CHECK(m_mean.size() == std::size_t(m_d.channels),
                      "reference bn: backward without forwardTraining");
        expectF32(src, total, "bn src");
        expectF32(diffDst, total, "bn diffDst");
        expectF32(diffSrc, total, "bn diffSrc");
        expectF32(gamma, m_d.channels, "bn gamma");
        expectF32(diffGamma, m_d.channels, "bn diffGamma");
        expectF32(diffBeta, m_d.channels, "bn diffBeta");
        const double count = double(m_d.batch * m_d.spatial);
        for (int64_t c = 0; c < m_d.channels; ++c) {
            double mean = m_mean[std::size_t(c)], inv = m_invStd[std::size_t(c)];
            double dg = 0, db = 0;
            forChannel(c, [&](int64_t at) {
                dg += double(diffDst.f32()[at]) * (src.f32()[at] - mean) * inv;
                db += diffDst.f32()[at];
            });
            diffGamma.f32()[c] = static_cast<float>(dg);
            diffBeta.f32()[c] = static_cast<float>(db);
            double k = double(gamma.f32()[c]) * inv / count;
            forChannel(c, [&](int64_t at) {
                double xhat = (src.f32()[at] - mean) * inv;
                diffSrc.f32()[at] =
                    static_cast<float>(k * (count * diffDst.f32()[at] - db - xhat * dg));
            });
        }
    }

private:
    void check(const Tensor& src, const Tensor& gamma, const Tensor& beta,
               const Tensor& dst) const {
        const int64_t total = m_d.batch * m_d.channels * m_d.spatial;
        expectF32(src, total, "bn src");
        expectF32(dst, total, "bn dst");
        expectF32(gamma, m_d.channels, "bn gamma");
        expectF32(beta, m_d.channels, "bn beta");
    }
    template <class F> void forChannel(int64_t c, F&& f) const {
        for (int64_t n = 0; n < m_d.batch; ++n)
            for (int64_t s = 0; s < m_d.spatial; ++s)
                f((n * m_d.channels + c) * m_d.spatial + s);
    }
    void normalize(int64_t c, double mean, double invStd, const Tensor& src, const Tensor& gamma,
                   const Tensor& beta, Tensor& dst) const {
        forChannel(c, [&](int64_t at) {
            dst.f32()[at] = static_cast<float>(gamma.f32()[c] * (src.f32()[at] - mean) * invStd +
                                               beta.f32()[c]);
        });
    }

    BatchNormDesc m_d;
    std::vector<double> m_mean, m_invStd; // saved by forwardTraining for backward
};

// ---- layer norm over the last axis of [rows, D], per row --------------------------------------

class RefLayerNorm : public LayerNormPlan {
public:
    explicit RefLayerNorm(const LayerNormDesc& d) : m_d(d) { checkLayerNormDesc(d); }

    void forward(const Tensor& src, const Tensor& gamma, const Tensor& beta, Tensor& dst) override {
        const int64_t rows = m_d.rows, n = m_d.features;
        expectF32(src, rows * n, "ln src");
        expectF32(dst, rows * n, "ln dst");
        expectF32(gamma, n, "ln gamma");
        expectF32(beta, n, "ln beta");
        m_mean.assign(std::size_t(rows), 0.0);
        m_rstd.assign(std::size_t(rows), 0.0);
        for (int64_t r = 0; r < rows; ++r) {
            const float* x = src.f32() + r * n;
            double sum = 0, sq = 0;
            for (int64_t j = 0; j < n; ++j)
                sum += x[j];
            const double mean = sum / double(n);
            for (int64_t j = 0; j < n; ++j)
                sq += (x[j] - mean) * (x[j] - mean);
            const double rstd = 1.0 / std::sqrt(sq / double(n) + double(m_d.epsilon));
            m_mean[std::size_t(r)] = mean;
            m_rstd[std::size_t(r)] = rstd;
            for (int64_t j = 0; j < n; ++j)
                dst.f32()[r * n + j] = static_cast<float>((x[j] - mean) * rstd * gamma.f32()[j] +
                                                          double(beta.f32()[j]));
        }
    }

    // g = dy gamma; dx = rstd (g - mean(g) - xhat mean(g xhat)); dgamma = sum_r dy xhat;
    // dbeta = sum_r dy.
    void backward(const Tensor& src, const Tensor& diffDst, const Tensor& gamma, Tensor& diffSrc,
                  Tensor& diffGamma, Tensor& diffBeta) override {
        const int64_t rows = m_d.rows, n = m_d.features;
        NEURITE_CHECK(m_mean.size() == std::size_t(rows), "reference ln: backward without forward");
        expectF32(src, rows * n, "ln src");
        expectF32(diffDst, rows * n, "ln diffDst");
        expectF32(diffSrc, rows * n, "ln diffSrc");
        expectF32(gamma, n, "ln gamma");
        expectF32(diffGamma, n, "ln diffGamma");
        expectF32(diffBeta, n, "ln diffBeta");
        std::vector<double> dg(std::size_t(n), 0.0), db(std::size_t(n), 0.0);
        for (int64_t r = 0; r < rows; ++r) {
            const float* x = src.f32() + r * n;
            const float* dy = diffDst.f32() + r * n;
            const double mean = m_mean[std::size_t(r)], rstd = m_rstd[std::size_t(r)];
            double a = 0, b = 0;
            for (int64_t j = 0; j < n; ++j) {
                const double xhat = (x[j] - mean) * rstd, g = double(dy[j]) * gamma.f32()[j];
                a += g;
                b += g * xhat;
                dg[std::size_t(j)] += double(dy[j]) * xhat;
                db[std::size_t(j)] += dy[j];
            }
            a /= double(n);
            b /= double(n);
            for (int64_t j = 0; j < n; ++j) {
                const double xhat = (x[j] - mean) * rstd, g = double(dy[j]) * gamma.f32()[j];
                diffSrc.f32()[r * n + j] = static_cast<float>(rstd * (g - a - xhat * b));
            }
        }
        for (int64_t j = 0; j < n; ++j) {
            diffGamma.f32()[j] = static_cast<float>(dg[std::size_t(j)]);
            diffBeta.f32()[j] = static_cast<float>(db[std::size_t(j)]);
        }
    }

private:
    LayerNormDesc m_d;
    std::vector<double> m_mean, m_rstd; // saved by forward for backward, [rows]
};

} // namespace

std::unique_ptr<DensePlan> ReferenceBackend::makeDense(const DenseDesc& desc) {
    return std::make_unique<RefDense>(desc);
}
std::unique_ptr<ConvPlan> ReferenceBackend::makeConv(const ConvDesc& desc) {
    return std::make_unique<RefConv>(desc);
}
std::unique_ptr<PoolPlan> ReferenceBackend::makePool(const PoolDesc& desc) {
    return std::make_unique<RefPool>(desc);
}
std::unique_ptr<BatchNormPlan> ReferenceBackend::makeBatchNorm(const BatchNormDesc& desc) {
    return std::make_unique<RefBatchNorm>(desc);
}
std::unique_ptr<LayerNormPlan> ReferenceBackend::makeLayerNorm(const LayerNormDesc& desc) {
    return std::make_unique<RefLayerNorm>(desc);
}

} // namespace neurite::test
