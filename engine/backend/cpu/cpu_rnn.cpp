// RnnPlan on oneDNN 2.6's RNN primitives: lstm_forward/backward and lbr_gru_forward/backward
// ("linear before reset", which is torch.nn.GRU's form), one layer, one or two directions.
// Facts about oneDNN 2.6.3 this file relies on (checked against torch.nn.LSTM/GRU, docs/layers.md):
// - torch's weight_ih [G*H, I] per direction is oneDNN's ldgoi {1, D, I, G, H}; the primitives
//   want other (padded) layouts, so weights are reordered in every step: to ldigo-like for
//   forward, to ldgoi-like for backward, and the gradients back to ldgoi.
// - LSTM gates are i f g o in both; oneDNN's GRU gates are u r o = torch's z r n, and its bias has
//   a fourth row: B_u = b_iz + b_hz, B_r = b_ir + b_hr, B_o = b_in, B_u' = b_hn. LSTM: B = b_ih + b_hh.
// - backward ADDS into the weight and bias gradients (2.6 has no overwrite flag): they are
//   zeroed before each backward.
// - a one-directional LSTM without src_iter gets a wrong diff_weights_iter in 2.6.3, so zero
//   initial states are always passed as memories (with their gradients).
// - the bias cannot be left out: a model without biases passes zeros.
#include <cstring>
#include <vector>

#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

class CpuRnnPlan final : public RnnPlan {
public:
    CpuRnnPlan(const RnnDesc& d, const ThreadConfig& tc) : m_d(d), m_tc(tc) {
        checkRnnDesc(d);
        dnnlCall("recurrent plan", [&] { build(); });
    }

    void forward(const Tensor& src, const RnnWeights& w, Tensor* dst, Tensor* last, bool) override {
        checkRnnTensors(m_d, src, w, dst, last);
        m_tc.apply();
        dnnlCall("recurrent forward", [&] {
            loadWeights(w);
            m_x.set_data_handle(const_cast<float*>(src.f32()));
            m_forward.run();
            cpuStream().wait();
        });
        const int64_t N = m_d.batch, T = m_d.steps, O = m_d.outputs(), H = m_d.hidden;
        if (dst) std::memcpy(dst->f32(), m_y.get_data_handle(), static_cast<std::size_t>(N * T * O) * 4);
        if (last) {
            const float* hn = static_cast<const float*>(m_hn.get_data_handle());  // [D][N][H]
            float* out = last->f32();
            for (int64_t n = 0; n < N; ++n)
                for (int64_t j = 0; j < H; ++j) {
                    if (m_d.merge == RnnMerge::Concat) {
                        out[n * O + j] = hn[n * H + j];
                        out[n * O + H + j] = hn[(N + n) * H + j];
                    } else if (m_d.merge == RnnMerge::Sum) {
                        out[n * O + j] = hn[n * H + j] + hn[(N + n) * H + j];
                    } else {
                        out[n * O + j] = hn[n * H + j];
                    }
                }
        }
        m_have = true;
    }

    void backward(const Tensor& src, const RnnWeights& w, const Tensor* diffDst, const Tensor* diffLast,
                  Tensor* diffSrc, const RnnGrads& g) override {
        checkRnnTensors(m_d, src, w, nullptr, nullptr);
        checkRnnGrads(m_d, diffDst, diffLast, diffSrc, g);
        if (!m_have) throwInternal("recurrent backward needs a training forward on the same plan first");
        const int64_t N = m_d.batch, T = m_d.steps, O = m_d.outputs(), H = m_d.hidden, D = m_d.directions();
        // the gradients of the outputs in oneDNN's layouts
        float* dy = static_cast<float*>(m_dy.get_data_handle());
        if (diffDst)
            std::memcpy(dy, diffDst->f32(), static_cast<std::size_t>(N * T * O) * 4);
        else
            std::memset(dy, 0, static_cast<std::size_t>(N * T * O) * 4);
        float* dhn = static_cast<float*>(m_dhn.get_data_handle());  // [D][N][H]
        std::memset(dhn, 0, static_cast<std::size_t>(D * N * H) * 4);
        if (diffLast) {
            const float* dl = diffLast->f32();
            for (int64_t d = 0; d < D; ++d)
                for (int64_t n = 0; n < N; ++n)
                    for (int64_t j = 0; j < H; ++j)
                        dhn[(d * N + n) * H + j] = dl[n * O + (m_d.merge == RnnMerge::Concat ? d * H : 0) + j];
        }
        m_tc.apply();
        dnnlCall("recurrent backward", [&] {
            loadWeights(w);
            for (const memory* m : {&m_dwl, &m_dwi, &m_db})
                std::memset(m->get_data_handle(), 0, m->get_desc().get_size());
            m_x.set_data_handle(const_cast<float*>(src.f32()));
            m_dx.set_data_handle(diffSrc ? diffSrc->f32() : m_dxScratch.data());
            m_backward.run();
            cpuStream().wait();
        });
        storeGrads(g);
    }

private:
    int64_t gateBias() const { return 4; }  // LSTM: i f g o; lbr GRU: u r o u'
    // oneDNN's gate k is torch's block perm(k)
    int64_t perm(int64_t k) const { return m_d.cell == RnnCell::Lstm ? k : k == 0 ? 1 : k == 1 ? 0 : 2; }

    void build() {
        const memory::dim N = m_d.batch, T = m_d.steps, I = m_d.inputs, H = m_d.hidden, G = m_d.gates(),
                          D = m_d.directions(), O = m_d.outputs(), GB = gateBias();
        const auto dir = m_d.merge == RnnMerge::Concat ? dnnl::rnn_direction::bidirectional_concat
                         : m_d.merge == RnnMerge::Sum  ? dnnl::rnn_direction::bidirectional_sum
                                                       : dnnl::rnn_direction::unidirectional_left2right;
        const dnnl::engine& e = cpuEngine();
        const memory::desc x({T, N, I}, dt::f32, tag::ntc), y({T, N, O}, dt::f32, tag::ntc);
        const memory::desc h({1, D, N, H}, dt::f32, tag::ldnc), b({1, D, GB, H}, dt::f32, tag::ldgo);
        const memory::desc wlAny({1, D, I, G, H}, dt::f32, tag::any), wiAny({1, D, H, G, H}, dt::f32, tag::any);
        m_wlUser = memory({{1, D, I, G, H}, dt::f32, tag::ldgoi}, e);
        m_wiUser = memory({{1, D, H, G, H}, dt::f32, tag::ldgoi}, e);
        dnnl::primitive fwd, bwd;
        dnnl::primitive_desc fpd, bpd;
        if (m_d.cell == RnnCell::Lstm) {
            const dnnl::lstm_forward::primitive_desc f(
                dnnl::lstm_forward::desc(dnnl::prop_kind::forward_training, dir, x, h, h, wlAny, wiAny, b, y, h, h), e);
            const dnnl::lstm_backward::primitive_desc bk(
                dnnl::lstm_backward::desc(dnnl::prop_kind::backward, dir, x, h, h, wlAny, wiAny, b, y, h, h, x, h, h,
                                          wlAny, wiAny, b, y, h, h),
                e, f);
            fpd = f, bpd = bk, fwd = dnnl::lstm_forward(f), bwd = dnnl::lstm_backward(bk);
        } else {
            const dnnl::lbr_gru_forward::primitive_desc f(
                dnnl::lbr_gru_forward::desc(dnnl::prop_kind::forward_training, dir, x, h, wlAny, wiAny, b, y, h), e);
            const dnnl::lbr_gru_backward::primitive_desc bk(
                dnnl::lbr_gru_backward::desc(dnnl::prop_kind::backward, dir, x, h, wlAny, wiAny, b, y, h, x, h, wlAny,
                                             wiAny, b, y, h),
                e, f);
            fpd = f, bpd = bk, fwd = dnnl::lbr_gru_forward(f), bwd = dnnl::lbr_gru_backward(bk);
        }
        auto md = [](const dnnl::primitive_desc& pd, int arg) { return pd.query_md(dnnl::query::exec_arg_md, arg); };
        auto zeroed = [&](const memory::desc& m) {
            memory mem(m, e);
            std::memset(mem.get_data_handle(), 0, m.get_size());
            return mem;
        };
        m_x = memory(x, e, DNNL_MEMORY_NONE);
        m_y = zeroed(y);
        m_h0 = zeroed(h), m_c0 = zeroed(h), m_hn = zeroed(h), m_cn = zeroed(h);
        m_b = zeroed(b);
        m_wlFwd = zeroed(md(fpd, DNNL_ARG_WEIGHTS_LAYER));
        m_wiFwd = zeroed(md(fpd, DNNL_ARG_WEIGHTS_ITER));
        m_wlBwd = zeroed(md(bpd, DNNL_ARG_WEIGHTS_LAYER));
        m_wiBwd = zeroed(md(bpd, DNNL_ARG_WEIGHTS_ITER));
        m_ws = zeroed(md(fpd, DNNL_ARG_WORKSPACE));
        m_dy = zeroed(y), m_dhn = zeroed(h), m_dcn = zeroed(h), m_dh0 = zeroed(h), m_dc0 = zeroed(h);
        m_dx = memory(x, e, DNNL_MEMORY_NONE);
        m_dxScratch.assign(static_cast<std::size_t>(N * T * I), 0.f);
        m_dwl = zeroed(md(bpd, DNNL_ARG_DIFF_WEIGHTS_LAYER));
        m_dwi = zeroed(md(bpd, DNNL_ARG_DIFF_WEIGHTS_ITER));
        m_db = zeroed(md(bpd, DNNL_ARG_DIFF_BIAS));
        const bool lstm = m_d.cell == RnnCell::Lstm;
        std::vector<std::pair<int, memory>> fa{{DNNL_ARG_SRC_LAYER, m_x},     {DNNL_ARG_SRC_ITER, m_h0},
                                               {DNNL_ARG_WEIGHTS_LAYER, m_wlFwd}, {DNNL_ARG_WEIGHTS_ITER, m_wiFwd},
                                               {DNNL_ARG_BIAS, m_b},          {DNNL_ARG_DST_LAYER, m_y},
                                               {DNNL_ARG_DST_ITER, m_hn},     {DNNL_ARG_WORKSPACE, m_ws}};
        std::vector<std::pair<int, memory>> ba{
            {DNNL_ARG_SRC_LAYER, m_x},          {DNNL_ARG_SRC_ITER, m_h0},        {DNNL_ARG_WEIGHTS_LAYER, m_wlBwd},
            {DNNL_ARG_WEIGHTS_ITER, m_wiBwd},   {DNNL_ARG_BIAS, m_b},             {DNNL_ARG_DST_LAYER, m_y},
            {DNNL_ARG_DST_ITER, m_hn},          {DNNL_ARG_WORKSPACE, m_ws},       {DNNL_ARG_DIFF_DST_LAYER, m_dy},
            {DNNL_ARG_DIFF_DST_ITER, m_dhn},    {DNNL_ARG_DIFF_SRC_LAYER, m_dx},  {DNNL_ARG_DIFF_SRC_ITER, m_dh0},
            {DNNL_ARG_DIFF_WEIGHTS_LAYER, m_dwl}, {DNNL_ARG_DIFF_WEIGHTS_ITER, m_dwi}, {DNNL_ARG_DIFF_BIAS, m_db}};
        if (lstm) {
            fa.push_back({DNNL_ARG_SRC_ITER_C, m_c0});
            fa.push_back({DNNL_ARG_DST_ITER_C, m_cn});
            for (auto p : {std::pair{DNNL_ARG_SRC_ITER_C, m_c0}, {DNNL_ARG_DST_ITER_C, m_cn},
                           {DNNL_ARG_DIFF_DST_ITER_C, m_dcn}, {DNNL_ARG_DIFF_SRC_ITER_C, m_dc0}})
                ba.push_back(p);
        }
        // the weight reorders are primitives made once, like the RNN primitives themselves
        auto reorder = [&](const memory& from, const memory& to) {
            return Step(dnnl::reorder(from, to), {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}});
        };
        m_forward.add(reorder(m_wlUser, m_wlFwd));
        m_forward.add(reorder(m_wiUser, m_wiFwd));
        m_forward.add(Step(fwd, std::move(fa)));
        m_backward.add(reorder(m_wlUser, m_wlBwd));
        m_backward.add(reorder(m_wiUser, m_wiBwd));
        m_backward.add(Step(bwd, std::move(ba)));
        m_backward.add(reorder(m_dwl, m_wlUser));
        m_backward.add(reorder(m_dwi, m_wiUser));
    }

    // torch's parameters into oneDNN's user layouts (gate blocks permuted) and the summed bias
    void loadWeights(const RnnWeights& w) {
        const int64_t D = m_d.directions(), G = m_d.gates(), H = m_d.hidden, I = m_d.inputs, GB = gateBias();
        float* wl = static_cast<float*>(m_wlUser.get_data_handle());
        float* wi = static_cast<float*>(m_wiUser.get_data_handle());
        float* b = static_cast<float*>(m_b.get_data_handle());
        const bool lstm = m_d.cell == RnnCell::Lstm;
        for (int64_t d = 0; d < D; ++d)
            for (int64_t k = 0; k < G; ++k) {
                const int64_t t = d * G + perm(k);
                std::memcpy(wl + (d * G + k) * H * I, w.weightIh->f32() + t * H * I, static_cast<std::size_t>(H * I) * 4);
                std::memcpy(wi + (d * G + k) * H * H, w.weightHh->f32() + t * H * H, static_cast<std::size_t>(H * H) * 4);
                for (int64_t j = 0; j < H; ++j) {
                    const float bi = w.biasIh ? w.biasIh->f32()[t * H + j] : 0.f;
                    const float bh = w.biasHh ? w.biasHh->f32()[t * H + j] : 0.f;
                    if (lstm || k < 2) {
                        b[(d * GB + k) * H + j] = bi + bh;
                    } else {  // GRU's candidate: b_in, and b_hn inside the reset product
                        b[(d * GB + 2) * H + j] = bi;
                        b[(d * GB + 3) * H + j] = bh;
                    }
                }
            }
    }

    // oneDNN's gradients (in the user layouts) back into torch's parameter order
    void storeGrads(const RnnGrads& g) {
        const int64_t D = m_d.directions(), G = m_d.gates(), H = m_d.hidden, I = m_d.inputs, GB = gateBias();
        const float* wl = static_cast<const float*>(m_wlUser.get_data_handle());
        const float* wi = static_cast<const float*>(m_wiUser.get_data_handle());
        const float* db = static_cast<const float*>(m_db.get_data_handle());  // ldgo, dense
        const bool lstm = m_d.cell == RnnCell::Lstm;
        for (int64_t d = 0; d < D; ++d)
            for (int64_t k = 0; k < G; ++k) {
                const int64_t t = d * G + perm(k);
                std::memcpy(g.weightIh->f32() + t * H * I, wl + (d * G + k) * H * I, static_cast<std::size_t>(H * I) * 4);
                std::memcpy(g.weightHh->f32() + t * H * H, wi + (d * G + k) * H * H, static_cast<std::size_t>(H * H) * 4);
                if (!g.biasIh) continue;
                for (int64_t j = 0; j < H; ++j) {
                    g.biasIh->f32()[t * H + j] = db[(d * GB + k) * H + j];
                    g.biasHh->f32()[t * H + j] = db[(d * GB + (lstm || k < 2 ? k : 3)) * H + j];
                }
            }
    }

    RnnDesc m_d;
    ThreadConfig m_tc;  // copied when the plan is made (backend.h, "Threads")
    memory m_x, m_y, m_h0, m_c0, m_hn, m_cn, m_b, m_wlUser, m_wiUser, m_wlFwd, m_wiFwd, m_wlBwd, m_wiBwd, m_ws;
    memory m_dy, m_dhn, m_dcn, m_dh0, m_dc0, m_dx, m_dwl, m_dwi, m_db;
    std::vector<float> m_dxScratch;
    Pass m_forward, m_backward;  // weight reorders, the primitive, gradient reorders
    bool m_have = false;
};

} // namespace

std::unique_ptr<RnnPlan> makeRnnPlan(const RnnDesc& desc, const ThreadConfig& tc) {
    return std::make_unique<CpuRnnPlan>(desc, tc);
}

} // namespace neurite::cpu
