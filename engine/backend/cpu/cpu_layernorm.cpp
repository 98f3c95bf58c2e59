// LayerNormPlan as OpenMP loops over src viewed as [rows, D]. One thread computes a whole row, in
// a fixed order, so dst and diffSrc do not depend on the thread count. Per row the mean and the
// variance are two passes with double accumulators and x - mean is taken in double before it is
// rounded to float: an input with a mean of 1e3 and a spread of 1 keeps its precision (a float
// mean alone would be off by half an ulp of 1e3, 3e-5, in every xhat). The gamma/beta gradients
// sum fixed blocks of rows into double partials, added in block order: the partition depends on
// the shape alone, never on the threads.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

constexpr int64_t kMinWorkPerThread = 16384;  // elements below which a thread is not worth it
constexpr int64_t kColumnBlock = 256;         // features per task of the gamma/beta reduction
constexpr int64_t kMaxRowBlocks = 64;
constexpr int64_t kMaxPartials = int64_t(1) << 19;  // doubles per partial array (4 MiB)

// sum_{j < n} f(j) in double with four interleaved accumulators (a fixed order, four times the
// throughput of one dependent chain of additions).
template <class F> double rowSum(int64_t n, F&& f) {
    double acc[4] = {0.0, 0.0, 0.0, 0.0};
    int64_t j = 0;
    for (; j + 4 <= n; j += 4) {
        acc[0] += f(j);
        acc[1] += f(j + 1);
        acc[2] += f(j + 2);
        acc[3] += f(j + 3);
    }
    for (; j < n; ++j)
        acc[0] += f(j);
    return (acc[0] + acc[1]) + (acc[2] + acc[3]);
}

class CpuLayerNormPlan final : public LayerNormPlan {
public:
    CpuLayerNormPlan(const LayerNormDesc& d, const ThreadConfig& tc) : m_d(d), m_tc(tc) {
        checkLayerNormDesc(d);
        m_size = d.rows * d.features;
        m_mean.assign(static_cast<std::size_t>(d.rows), 0.0);
        m_rstd.assign(static_cast<std::size_t>(d.rows), 0.0);
        // row blocks for the gamma/beta partials: a function of the shape alone
        m_rowBlocks = std::min({m_size / (4 * kMinWorkPerThread), kMaxRowBlocks, d.rows,
                                kMaxPartials / d.features});
        m_rowBlocks = std::max<int64_t>(m_rowBlocks, 1);
        m_colBlocks = (d.features + kColumnBlock - 1) / kColumnBlock;
        m_partGamma.assign(static_cast<std::size_t>(m_rowBlocks * d.features), 0.0);
        m_partBeta.assign(static_cast<std::size_t>(m_rowBlocks * d.features), 0.0);
    }

    void forward(const Tensor& src, const Tensor& gamma, const Tensor& beta, Tensor& dst) override {
        checkLayerNormForward(m_d, src, gamma, beta, dst);
        using List = std::initializer_list<const Tensor*>;
        for (const Tensor* t : List{&src, &gamma, &beta, &dst}) requireF32(*t, "layer norm");  // on the CPU
        const int64_t n = m_d.features;
        const double eps = m_d.epsilon;
        const float* x = src.f32();
        const float* g = gamma.f32();
        const float* b = beta.f32();
        float* y = dst.f32();
        double* means = m_mean.data();
        double* rstds = m_rstd.data();
        forRanges(m_tc, m_d.rows, rowsPerThread(), [=](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
                const float* xr = x + r * n;
                float* yr = y + r * n;
                const double mean = rowSum(n, [=](int64_t j) { return double(xr[j]); }) / double(n);
                const double sq = rowSum(n, [=](int64_t j) {
                    const double c = double(xr[j]) - mean;
                    return c * c;
                });
                const double rstd = 1.0 / std::sqrt(sq / double(n) + eps);
                means[r] = mean;
                rstds[r] = rstd;
                const float rs = static_cast<float>(rstd);
                for (int64_t j = 0; j < n; ++j)
                    yr[j] = static_cast<float>(double(xr[j]) - mean) * rs * g[j] + b[j];
            }
        });
        m_haveStats = true;
    }

    void backward(const Tensor& src, const Tensor& diffDst, const Tensor& gamma, Tensor& diffSrc,
                  Tensor& diffGamma, Tensor& diffBeta) override {
        checkLayerNormBackward(m_d, m_haveStats, src, diffDst, gamma, diffSrc, diffGamma, diffBeta);
        using List = std::initializer_list<const Tensor*>;
        for (const Tensor* t : List{&src, &diffDst, &gamma, &diffSrc, &diffGamma, &diffBeta})
            requireF32(*t, "layer norm backward");  // on the CPU
        backwardData(src.f32(), diffDst.f32(), gamma.f32(), diffSrc.f32());
        backwardParams(src.f32(), diffDst.f32(), diffGamma.f32(), diffBeta.f32());
    }

private:
    int64_t rowsPerThread() const { return std::max<int64_t>(1, kMinWorkPerThread / m_d.features); }

    // dx = rstd (g - a - xhat b) with g = dy gamma, a = mean of g, b = mean of g xhat, per row.
    void backwardData(const float* x, const float* dy, const float* gamma, float* dx) {
        const int64_t n = m_d.features;
        const double* means = m_mean.data();
        const double* rstds = m_rstd.data();
        forRanges(m_tc, m_d.rows, rowsPerThread(), [=](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r) {
                const float* xr = x + r * n;
                const float* dyr = dy + r * n;
                float* dxr = dx + r * n;
                const double mean = means[r];
                const float rs = static_cast<float>(rstds[r]);
                auto xhat = [=](int64_t j) { return static_cast<float>(double(xr[j]) - mean) * rs; };
                const double a = rowSum(n, [=](int64_t j) { return double(dyr[j] * gamma[j]); });
                const double b =
                    rowSum(n, [=](int64_t j) { return double(dyr[j] * gamma[j]) * xhat(j); });
                const float af = static_cast<float>(a / double(n));
                const float bf = static_cast<float>(b / double(n));
                for (int64_t j = 0; j < n; ++j)
                    dxr[j] = rs * (dyr[j] * gamma[j] - af - xhat(j) * bf);
            }
        });
    }

    // dgamma_j = sum_r dy xhat, dbeta_j = sum_r dy: task (row block, column block) sums its rows
    // into the row block's partials; the partials are then added in row-block order.
    void backwardParams(const float* x, const float* dy, float* dGamma, float* dBeta) {
        const int64_t n = m_d.features, rows = m_d.rows, rowBlocks = m_rowBlocks;
        const int64_t colBlocks = m_colBlocks, tasks = rowBlocks * colBlocks;
        const double* means = m_mean.data();
        const double* rstds = m_rstd.data();
        double* pg = m_partGamma.data();
        double* pb = m_partBeta.data();
        const int nt = tasks > 1 && m_size >= 2 * kMinWorkPerThread ? m_tc.threads : 1;
#pragma omp parallel for num_threads(nt) schedule(static)
        for (int64_t t = 0; t < tasks; ++t) {
            const int64_t rb = t / colBlocks, cb = t % colBlocks;
            const int64_t c0 = cb * kColumnBlock, c1 = std::min(n, c0 + kColumnBlock);
            double* g = pg + rb * n;
            double* b = pb + rb * n;
            std::fill(g + c0, g + c1, 0.0);
            std::fill(b + c0, b + c1, 0.0);
            for (int64_t r = rows * rb / rowBlocks; r < rows * (rb + 1) / rowBlocks; ++r) {
                const float* xr = x + r * n;
                const float* dyr = dy + r * n;
                const double mean = means[r];
                const float rs = static_cast<float>(rstds[r]);
                for (int64_t j = c0; j < c1; ++j) {
                    const float xhat = static_cast<float>(double(xr[j]) - mean) * rs;
                    g[j] += double(dyr[j]) * xhat;
                    b[j] += dyr[j];
                }
            }
        }
        forRanges(m_tc, n, 4096, [=](int64_t begin, int64_t end) {
            for (int64_t j = begin; j < end; ++j) {
                double sg = 0.0, sb = 0.0;
                for (int64_t rb = 0; rb < rowBlocks; ++rb) {
                    sg += pg[rb * n + j];
                    sb += pb[rb * n + j];
                }
                dGamma[j] = static_cast<float>(sg);
                dBeta[j] = static_cast<float>(sb);
            }
        });
    }

    LayerNormDesc m_d;
    ThreadConfig m_tc;
    int64_t m_size = 0;
    std::vector<double> m_mean, m_rstd;  // [rows], saved by the last forward
    int64_t m_rowBlocks = 1, m_colBlocks = 1;
    std::vector<double> m_partGamma, m_partBeta;  // [rowBlocks, D] partial gradient sums
    bool m_haveStats = false;
};

} // namespace

std::unique_ptr<LayerNormPlan> makeLayerNormPlan(const LayerNormDesc& desc, const ThreadConfig& tc) {
    return std::make_unique<CpuLayerNormPlan>(desc, tc);
}

} // namespace neurite::cpu
