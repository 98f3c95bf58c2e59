// ReferenceBackend's recurrent plan: LSTM and GRU as direct loops over RnnPlan's equations
// (backend.h) in double, one sample, direction and step at a time, with backpropagation through
// time written out gate by gate. Forward keeps every step's gates and states for backward.
#include <cmath>
#include <vector>

#include "backend/plan_checks.h"
#include "core/error.h"
#include "reference_backend.h"

namespace neurite::test {

namespace {

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

class RefRnn : public RnnPlan {
public:
    explicit RefRnn(const RnnDesc& d) : m_d(d) { checkRnnDesc(d); }

    void forward(const Tensor& src, const RnnWeights& w, Tensor* dst, Tensor* last, bool) override {
        checkRnnTensors(m_d, src, w, dst, last);
        const int64_t N = m_d.batch, T = m_d.steps, H = m_d.hidden, G = m_d.gates(), D = m_d.directions();
        m_gates.assign(static_cast<std::size_t>(D * N * T * G * H), 0.0);
        m_hn.assign(static_cast<std::size_t>(D * N * T * H), 0.0);  // W_hn h + b_hn (GRU)
        m_h.assign(static_cast<std::size_t>(D * N * (T + 1) * H), 0.0);  // state before step k
        m_c.assign(m_h.size(), 0.0);
        for (int64_t d = 0; d < D; ++d)
            for (int64_t n = 0; n < N; ++n)
                for (int64_t k = 0; k < T; ++k) step(src, w, d, n, k);
        const int64_t O = m_d.outputs();
        if (dst) {
            float* y = dst->f32();
            for (int64_t n = 0; n < N; ++n)
                for (int64_t t = 0; t < T; ++t)
                    for (int64_t j = 0; j < O; ++j) y[(n * T + t) * O + j] = 0.f;
            for (int64_t d = 0; d < D; ++d)
                for (int64_t n = 0; n < N; ++n)
                    for (int64_t k = 0; k < T; ++k) {
                        const int64_t t = timeOf(d, k);
                        for (int64_t j = 0; j < H; ++j)
                            y[(n * T + t) * O + column(d, j)] += static_cast<float>(h(d, n, k + 1)[j]);
                    }
        }
        if (last) {
            float* y = last->f32();
            for (int64_t i = 0; i < N * O; ++i) y[i] = 0.f;
            for (int64_t d = 0; d < D; ++d)
                for (int64_t n = 0; n < N; ++n)
                    for (int64_t j = 0; j < H; ++j) y[n * O + column(d, j)] += static_cast<float>(h(d, n, T)[j]);
        }
        m_have = true;
    }

    void backward(const Tensor& src, const RnnWeights& w, const Tensor* diffDst, const Tensor* diffLast,
                  Tensor* diffSrc, const RnnGrads& g) override {
        checkRnnTensors(m_d, src, w, nullptr, nullptr);
        checkRnnGrads(m_d, diffDst, diffLast, diffSrc, g);
        if (!m_have) throwInternal("recurrent backward needs a forward on the same plan first");
        const int64_t N = m_d.batch, T = m_d.steps, I = m_d.inputs, H = m_d.hidden, G = m_d.gates(),
                      D = m_d.directions(), O = m_d.outputs();
        std::vector<double> dWih(static_cast<std::size_t>(D * G * H * I), 0.0), dWhh(static_cast<std::size_t>(D * G * H * H), 0.0),
            dBih(static_cast<std::size_t>(D * G * H), 0.0), dBhh(dBih.size(), 0.0), dx(static_cast<std::size_t>(N * T * I), 0.0);
        const float* x = src.f32();
        const float* Wih = w.weightIh->f32();
        const float* Whh = w.weightHh->f32();
        std::vector<double> dh(static_cast<std::size_t>(H)), dc(dh.size()), dax(static_cast<std::size_t>(G * H)),
            dah(dax.size()), dhPrev(dh.size());
        for (int64_t d = 0; d < D; ++d)
            for (int64_t n = 0; n < N; ++n) {
                std::fill(dh.begin(), dh.end(), 0.0);
                std::fill(dc.begin(), dc.end(), 0.0);
                if (diffLast)
                    for (int64_t j = 0; j < H; ++j) dh[j] = diffLast->f32()[n * O + column(d, j)];
                for (int64_t k = T - 1; k >= 0; --k) {
                    const int64_t t = timeOf(d, k);
                    if (diffDst)
                        for (int64_t j = 0; j < H; ++j) dh[j] += diffDst->f32()[(n * T + t) * O + column(d, j)];
                    const double* a = gates(d, n, k);
                    const double* hp = h(d, n, k);
                    if (m_d.cell == RnnCell::Lstm) {
                        const double* cp = c(d, n, k);
                        const double* cc = c(d, n, k + 1);
                        for (int64_t j = 0; j < H; ++j) {
                            const double ig = a[j], fg = a[H + j], gg = a[2 * H + j], og = a[3 * H + j];
                            const double tc = std::tanh(cc[j]);
                            const double dct = dh[j] * og * (1 - tc * tc) + dc[j];
                            dax[j] = dct * gg * ig * (1 - ig);
                            dax[H + j] = dct * cp[j] * fg * (1 - fg);
                            dax[2 * H + j] = dct * ig * (1 - gg * gg);
                            dax[3 * H + j] = dh[j] * tc * og * (1 - og);
                            dc[j] = dct * fg;
                        }
                        dah = dax;
                        std::fill(dhPrev.begin(), dhPrev.end(), 0.0);
                    } else {
                        const double* hn = hnOf(d, n, k);
                        for (int64_t j = 0; j < H; ++j) {
                            const double r = a[j], z = a[H + j], nn = a[2 * H + j];
                            const double dan = dh[j] * (1 - z) * (1 - nn * nn);
                            const double dr = dan * hn[j];
                            dax[j] = dr * r * (1 - r);
                            dax[H + j] = dh[j] * (hp[j] - nn) * z * (1 - z);
                            dax[2 * H + j] = dan;
                            dah[j] = dax[j];
                            dah[H + j] = dax[H + j];
                            dah[2 * H + j] = dan * r;
                            dhPrev[j] = dh[j] * z;
                        }
                    }
                    const float* xt = x + (n * T + t) * I;
                    for (int64_t r = 0; r < G * H; ++r) {
                        const int64_t row = d * G * H + r;
                        for (int64_t i = 0; i < I; ++i) {
                            dWih[row * I + i] += dax[r] * xt[i];
                            dx[(n * T + t) * I + i] += dax[r] * Wih[row * I + i];
                        }
                        for (int64_t q = 0; q < H; ++q) {
                            dWhh[row * H + q] += dah[r] * hp[q];
                            dhPrev[q] += dah[r] * Whh[row * H + q];
                        }
                        dBih[row] += dax[r];
                        dBhh[row] += dah[r];
                    }
                    dh = dhPrev;
                }
            }
        auto put = [](Tensor* t, const std::vector<double>& v) {
            if (!t) return;
            for (std::size_t i = 0; i < v.size(); ++i) t->f32()[i] = static_cast<float>(v[i]);
        };
        put(g.weightIh, dWih);
        put(g.weightHh, dWhh);
        put(g.biasIh, dBih);
        put(g.biasHh, dBhh);
        put(diffSrc, dx);
    }

private:
    int64_t timeOf(int64_t d, int64_t k) const { return d == 0 ? k : m_d.steps - 1 - k; }
    int64_t column(int64_t d, int64_t j) const { return m_d.merge == RnnMerge::Concat ? d * m_d.hidden + j : j; }
    std::size_t at(int64_t d, int64_t n, int64_t k, int64_t steps, int64_t width) const {
        return static_cast<std::size_t>(((d * m_d.batch + n) * steps + k) * width);
    }
    double* h(int64_t d, int64_t n, int64_t k) { return &m_h[at(d, n, k, m_d.steps + 1, m_d.hidden)]; }
    double* c(int64_t d, int64_t n, int64_t k) { return &m_c[at(d, n, k, m_d.steps + 1, m_d.hidden)]; }
    double* gates(int64_t d, int64_t n, int64_t k) { return &m_gates[at(d, n, k, m_d.steps, m_d.gates() * m_d.hidden)]; }
    double* hnOf(int64_t d, int64_t n, int64_t k) { return &m_hn[at(d, n, k, m_d.steps, m_d.hidden)]; }

    // Step k of direction d (time timeOf(d, k)) for sample n: the gates, then the new state.
    void step(const Tensor& src, const RnnWeights& w, int64_t d, int64_t n, int64_t k) {
        const int64_t T = m_d.steps, I = m_d.inputs, H = m_d.hidden, G = m_d.gates();
        const float* xt = src.f32() + (n * T + timeOf(d, k)) * I;
        const double* hp = h(d, n, k);
        std::vector<double> ax(static_cast<std::size_t>(G * H)), ah(ax.size());
        for (int64_t r = 0; r < G * H; ++r) {
            const int64_t row = d * G * H + r;
            double sx = w.biasIh ? w.biasIh->f32()[row] : 0.0, sh = w.biasHh ? w.biasHh->f32()[row] : 0.0;
            for (int64_t i = 0; i < I; ++i) sx += double(w.weightIh->f32()[row * I + i]) * xt[i];
            for (int64_t q = 0; q < H; ++q) sh += double(w.weightHh->f32()[row * H + q]) * hp[q];
            ax[static_cast<std::size_t>(r)] = sx;
            ah[static_cast<std::size_t>(r)] = sh;
        }
        double* a = gates(d, n, k);
        double* hn = h(d, n, k + 1);
        if (m_d.cell == RnnCell::Lstm) {
            const double* cp = c(d, n, k);
            double* cn = c(d, n, k + 1);
            for (int64_t j = 0; j < H; ++j) {
                const double ig = sigmoid(ax[j] + ah[j]), fg = sigmoid(ax[H + j] + ah[H + j]);
                const double gg = std::tanh(ax[2 * H + j] + ah[2 * H + j]), og = sigmoid(ax[3 * H + j] + ah[3 * H + j]);
                a[j] = ig, a[H + j] = fg, a[2 * H + j] = gg, a[3 * H + j] = og;
                cn[j] = fg * cp[j] + ig * gg;
                hn[j] = og * std::tanh(cn[j]);
            }
        } else {
            double* saved = hnOf(d, n, k);
            for (int64_t j = 0; j < H; ++j) {
                const double r = sigmoid(ax[j] + ah[j]), z = sigmoid(ax[H + j] + ah[H + j]);
                const double nn = std::tanh(ax[2 * H + j] + r * ah[2 * H + j]);
                a[j] = r, a[H + j] = z, a[2 * H + j] = nn;
                saved[j] = ah[2 * H + j];
                hn[j] = (1 - z) * nn + z * hp[j];
            }
        }
    }

    RnnDesc m_d;
    std::vector<double> m_gates, m_hn, m_h, m_c;
    bool m_have = false;
};

} // namespace

std::unique_ptr<RnnPlan> ReferenceBackend::makeRnn(const RnnDesc& desc) {
    return std::make_unique<RefRnn>(desc);
}

} // namespace neurite::test
