// ReferenceBackend: memory, elementwise ops, softmax, merge ops, dropout, gathers, optimizers and
// reductions. Plans live in reference_plans.cpp, losses in reference_losses.cpp.
#include "reference_backend.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace neurite::test {

namespace ref {

void expect(const Tensor& t, DType dtype, int64_t n, const char* what) {
    NEURITE_CHECK(t.defined(), std::string("reference backend: ") + what + " is undefined");
    NEURITE_CHECK(t.dtype() == dtype, std::string("reference backend: ") + what + " is " +
                                          nameOf(t.dtype()) + ", expected " + nameOf(dtype));
    NEURITE_CHECK(t.numel() == n, std::string("reference backend: ") + what + " has " +
                                      std::to_string(t.numel()) + " elements " + t.shape().str() +
                                      ", expected " + std::to_string(n));
}

void expectF32(const Tensor& t, int64_t n, const char* what) {
    expect(t, DType::F32, n, what);
}

} // namespace ref

using ref::expectF32;

Support ReferenceBackend::supports(Op op, DType dtype) const {
    (void)op;
    if (dtype == DType::F32) return {};
    return {false,
            std::string("the reference backend computes in fp32 only, not ") + nameOf(dtype)};
}

// ---- memory ---------------------------------------------------------------------------------

void* ReferenceBackend::allocate(std::size_t bytes) {
    std::size_t rounded = (bytes + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (!p)
        throw Error(ErrorKind::Internal, "reference backend: out of host memory allocating " +
                                             std::to_string(bytes) + " bytes");
    return p;
}

void ReferenceBackend::deallocate(void* p) {
    std::free(p);
}

void ReferenceBackend::copyFromHost(Tensor& dst, const void* src) {
    if (dst.bytes()) std::memcpy(dst.raw(), src, dst.bytes());
}

void ReferenceBackend::copyToHost(void* dst, const Tensor& src) {
    if (src.bytes()) std::memcpy(dst, src.raw(), src.bytes());
}

void ReferenceBackend::copy(const Tensor& src, Tensor& dst) {
    NEURITE_CHECK(src.bytes() == dst.bytes(), "reference copy: " + src.shape().str() + " -> " +
                                                  dst.shape().str() + " differ in size");
    if (src.bytes()) std::memmove(dst.raw(), src.raw(), src.bytes());
}

void ReferenceBackend::fill(Tensor& dst, float value) {
    expectF32(dst, dst.numel(), "fill dst");
    float* d = dst.f32();
    for (int64_t i = 0; i < dst.numel(); ++i)
        d[i] = value;
}

// ---- activations ----------------------------------------------------------------------------

void ReferenceBackend::activationForward(Activation act, float alpha, const Tensor& src,
                                         Tensor& dst) {
    int64_t n = src.numel();
    expectF32(src, n, "activation src");
    expectF32(dst, n, "activation dst");
    const float* x = src.f32();
    float* y = dst.f32();
    for (int64_t i = 0; i < n; ++i)
        // The table's formula (backend/activations.h) in double; PyTorch checks the forward
        // formulas (test_torch_parity), central differences the derivatives (test_gradcheck).
        y[i] = static_cast<float>(activationValue<double>(act, x[i], alpha));
}

void ReferenceBackend::activationBackward(Activation act, float alpha, const Tensor& src,
                                          const Tensor& dst, const Tensor& diffDst,
                                          Tensor& diffSrc) {
    int64_t n = src.numel();
    expectF32(src, n, "activation src");
    expectF32(dst, n, "activation dst");
    expectF32(diffDst, n, "activation diffDst");
    expectF32(diffSrc, n, "activation diffSrc");
    const float* x = src.f32();
    const float* y = dst.f32();
    const float* dy = diffDst.f32();
    float* dx = diffSrc.f32();
    for (int64_t i = 0; i < n; ++i)
        dx[i] = static_cast<float>(activationDerivative<double>(act, x[i], y[i], alpha) * dy[i]);
}

// ---- softmax over dim 1 -----------------------------------------------------------------------

void ReferenceBackend::softmaxForward(const Tensor& src, Tensor& dst, bool log) {
    NEURITE_CHECK(src.shape().rank() >= 2, "reference softmax: rank < 2");
    int64_t n = src.shape()[0], c = src.shape()[1], inner = src.shape().numelFrom(2);
    expectF32(src, n * c * inner, "softmax src");
    expectF32(dst, n * c * inner, "softmax dst");
    const float* x = src.f32();
    float* y = dst.f32();
    for (int64_t b = 0; b < n; ++b)
        for (int64_t k = 0; k < inner; ++k) {
            auto at = [&](int64_t j) { return (b * c + j) * inner + k; };
            double mx = x[at(0)];
            for (int64_t j = 1; j < c; ++j)
                mx = std::max(mx, double(x[at(j)]));
            double sum = 0;
            for (int64_t j = 0; j < c; ++j)
                sum += std::exp(double(x[at(j)]) - mx);
            for (int64_t j = 0; j < c; ++j)
                y[at(j)] = static_cast<float>(log ? double(x[at(j)]) - mx - std::log(sum)
                                                  : std::exp(double(x[at(j)]) - mx) / sum);
        }
}

// softmax: dx = y (dy - sum(y dy)); log-softmax: dx = dy - exp(y) sum(dy)
void ReferenceBackend::softmaxBackward(const Tensor& dst, const Tensor& diffDst, Tensor& diffSrc, bool log) {
    NEURITE_CHECK(dst.shape().rank() >= 2, "reference softmax: rank < 2");
    int64_t n = dst.shape()[0], c = dst.shape()[1], inner = dst.shape().numelFrom(2);
    expectF32(diffDst, n * c * inner, "softmax diffDst");
    expectF32(diffSrc, n * c * inner, "softmax diffSrc");
    const float* y = dst.f32();
    const float* dy = diffDst.f32();
    float* dx = diffSrc.f32();
    for (int64_t b = 0; b < n; ++b)
        for (int64_t k = 0; k < inner; ++k) {
            auto at = [&](int64_t j) { return (b * c + j) * inner + k; };
            double dot = 0;
            for (int64_t j = 0; j < c; ++j)
                dot += double(dy[at(j)]) * (log ? 1.0 : y[at(j)]);
            for (int64_t j = 0; j < c; ++j)
                dx[at(j)] = static_cast<float>(log ? dy[at(j)] - std::exp(double(y[at(j)])) * dot
                                                   : double(y[at(j)]) * (dy[at(j)] - dot));
        }
}

// ---- elementwise arithmetic and merges ------------------------------------------------------

void ReferenceBackend::addN(std::span<const Tensor* const> srcs, Tensor& dst) {
    int64_t n = dst.numel();
    expectF32(dst, n, "addN dst");
    for (const Tensor* s : srcs)
        expectF32(*s, n, "addN src");
    float* d = dst.f32();
    for (int64_t i = 0; i < n; ++i) {
        double acc = 0;
        for (const Tensor* s : srcs)
            acc += s->f32()[i];
        d[i] = static_cast<float>(acc);
    }
}

void ReferenceBackend::axpy(float alpha, const Tensor& x, Tensor& y) {
    expectF32(x, y.numel(), "axpy x");
    expectF32(y, y.numel(), "axpy y");
    for (int64_t i = 0; i < y.numel(); ++i)
        y.f32()[i] = static_cast<float>(double(y.f32()[i]) + double(alpha) * x.f32()[i]);
}

void ReferenceBackend::scale(Tensor& x, float alpha) {
    expectF32(x, x.numel(), "scale x");
    for (int64_t i = 0; i < x.numel(); ++i)
        x.f32()[i] *= alpha;
}

void ReferenceBackend::concat(std::span<const Tensor* const> srcs, Tensor& dst) {
    NEURITE_CHECK(dst.shape().rank() >= 2, "reference concat: rank < 2");
    int64_t n = dst.shape()[0], c = dst.shape()[1], inner = dst.shape().numelFrom(2);
    expectF32(dst, n * c * inner, "concat dst");
    int64_t offset = 0;
    for (const Tensor* s : srcs) {
        int64_t ci = s->shape()[1];
        expectF32(*s, n * ci * inner, "concat src");
        for (int64_t b = 0; b < n; ++b)
            for (int64_t j = 0; j < ci * inner; ++j)
                dst.f32()[(b * c + offset) * inner + j] = s->f32()[b * ci * inner + j];
        offset += ci;
    }
    NEURITE_CHECK(offset == c, "reference concat: channels do not add up to dst");
}

void ReferenceBackend::split(const Tensor& diffDst, std::span<Tensor* const> diffSrcs) {
    NEURITE_CHECK(diffDst.shape().rank() >= 2, "reference split: rank < 2");
    int64_t n = diffDst.shape()[0], c = diffDst.shape()[1], inner = diffDst.shape().numelFrom(2);
    expectF32(diffDst, n * c * inner, "split diffDst");
    int64_t offset = 0;
    for (Tensor* s : diffSrcs) {
        NEURITE_CHECK(s != nullptr, "reference split: null diffSrc");
        int64_t ci = s->shape()[1];
        expectF32(*s, n * ci * inner, "split diffSrc");
        for (int64_t b = 0; b < n; ++b)
            for (int64_t j = 0; j < ci * inner; ++j)
                s->f32()[b * ci * inner + j] = diffDst.f32()[(b * c + offset) * inner + j];
        offset += ci;
    }
    NEURITE_CHECK(offset == c, "reference split: channels do not add up to diffDst");
}

void ReferenceBackend::dropoutForward(const Tensor& src, Tensor& dst, Tensor& mask, float p,
                                      uint64_t seed) {
    int64_t n = src.numel();
    expectF32(src, n, "dropout src");
    expectF32(dst, n, "dropout dst");
    expectF32(mask, n, "dropout mask");
    NEURITE_CHECK(p >= 0.f && p < 1.f, "reference dropout: p outside [0,1)");
    float keepScale = static_cast<float>(1.0 / (1.0 - double(p)));
    for (int64_t i = 0; i < n; ++i) {
        mask.f32()[i] = dropoutKeep(seed, static_cast<uint64_t>(i), p) ? keepScale : 0.f;
        dst.f32()[i] = src.f32()[i] * mask.f32()[i];
    }
}

void ReferenceBackend::multiply(const Tensor& a, const Tensor& b, Tensor& dst) {
    int64_t n = dst.numel();
    expectF32(a, n, "multiply a");
    expectF32(b, n, "multiply b");
    expectF32(dst, n, "multiply dst");
    for (int64_t i = 0; i < n; ++i)
        dst.f32()[i] = a.f32()[i] * b.f32()[i];
}

// ---- gathers --------------------------------------------------------------------------------

namespace {

int64_t rowIndex(const Tensor& indices, int64_t i, int64_t rows) {
    int64_t r = indices.data<int32_t>()[i];
    NEURITE_CHECK(r >= 0 && r < rows, "reference gather: index " + std::to_string(r) +
                                          " outside [0," + std::to_string(rows) + ")");
    return r;
}

} // namespace

void ReferenceBackend::gatherRows(const Tensor& src, const Tensor& indices, int64_t count,
                                  float scale, const Tensor* mean, const Tensor* invStd,
                                  Tensor& dst) {
    NEURITE_CHECK(src.dtype() == DType::U8 || src.dtype() == DType::F32,
                  "reference gatherRows: src must be u8 or f32");
    NEURITE_CHECK(indices.dtype() == DType::I32 && indices.numel() >= count,
                  "reference gatherRows: indices must be i32 with at least count entries");
    NEURITE_CHECK((mean == nullptr) == (invStd == nullptr),
                  "reference gatherRows: mean and invStd come together");
    int64_t rows = src.shape()[0], row = src.shape().numelFrom(1);
    expectF32(dst, count * row, "gatherRows dst");
    if (mean) {
        expectF32(*mean, row, "gatherRows mean");
        expectF32(*invStd, row, "gatherRows invStd");
    }
    for (int64_t i = 0; i < count; ++i) {
        int64_t r = rowIndex(indices, i, rows);
        for (int64_t f = 0; f < row; ++f) {
            double x = src.dtype() == DType::U8 ? double(src.data<uint8_t>()[r * row + f])
                                                : double(src.f32()[r * row + f]);
            x *= scale;
            if (mean) x = (x - mean->f32()[f]) * invStd->f32()[f];
            dst.f32()[i * row + f] = static_cast<float>(x);
        }
    }
}

void ReferenceBackend::gatherLabels(const Tensor& labels, const Tensor& indices, int64_t count,
                                    Tensor& dst) {
    NEURITE_CHECK(labels.dtype() == DType::I32 || labels.dtype() == DType::F32,
                  "reference gatherLabels: labels must be i32 or f32");
    NEURITE_CHECK(indices.dtype() == DType::I32 && indices.numel() >= count,
                  "reference gatherLabels: indices must be i32 with at least count entries");
    int64_t rows = labels.shape()[0], row = labels.shape().numelFrom(1);
    ref::expect(dst, labels.dtype(), count * row, "gatherLabels dst");
    std::size_t rowBytes = static_cast<std::size_t>(row) * dtypeSize(labels.dtype());
    for (int64_t i = 0; i < count; ++i) {
        int64_t r = rowIndex(indices, i, rows);
        std::memcpy(static_cast<char*>(dst.raw()) + static_cast<std::size_t>(i) * rowBytes,
                    static_cast<const char*>(labels.raw()) + static_cast<std::size_t>(r) * rowBytes,
                    rowBytes);
    }
}

// ---- embedding ---------------------------------------------------------------------------------

namespace {
// The row an id names, or -1 for the padding id; a bad id throws BadInput as backend.h says.
int64_t embeddingRowOf(float id, int64_t rows, int64_t paddingIdx) {
    const double r = std::round(double(id));
    if (!(r >= 0 && r < double(rows)))
        throw Error(ErrorKind::BadInput, "reference embedding: id outside the vocabulary");
    return int64_t(r) == paddingIdx ? -1 : int64_t(r);
}
}  // namespace

void ReferenceBackend::embeddingForward(const Tensor& ids, const Tensor& weight, int64_t paddingIdx,
                                        Tensor& dst) {
    NEURITE_CHECK(weight.shape().rank() == 2, "reference embedding: weight must be [V, D]");
    const int64_t v = weight.shape()[0], d = weight.shape()[1], n = ids.numel();
    expectF32(ids, n, "embedding ids");
    expectF32(weight, v * d, "embedding weight");
    expectF32(dst, n * d, "embedding dst");
    for (int64_t i = 0; i < n; ++i) {
        const int64_t r = embeddingRowOf(ids.f32()[i], v, paddingIdx);
        for (int64_t c = 0; c < d; ++c) dst.f32()[i * d + c] = r < 0 ? 0.f : weight.f32()[r * d + c];
    }
}

void ReferenceBackend::embeddingBackward(const Tensor& ids, const Tensor& diffDst, int64_t paddingIdx,
                                         Tensor& diffWeight) {
    NEURITE_CHECK(diffWeight.shape().rank() == 2, "reference embedding: weight must be [V, D]");
    const int64_t v = diffWeight.shape()[0], d = diffWeight.shape()[1], n = ids.numel();
    expectF32(ids, n, "embedding ids");
    expectF32(diffDst, n * d, "embedding diffDst");
    expectF32(diffWeight, v * d, "embedding diffWeight");
    std::vector<double> sum(static_cast<std::size_t>(v * d), 0.0);
    for (int64_t i = 0; i < n; ++i) {
        const int64_t r = embeddingRowOf(ids.f32()[i], v, paddingIdx);
        if (r < 0) continue;
        for (int64_t c = 0; c < d; ++c) sum[static_cast<std::size_t>(r * d + c)] += diffDst.f32()[i * d + c];
    }
    for (std::size_t k = 0; k < sum.size(); ++k) diffWeight.f32()[k] = static_cast<float>(sum[k]);
}

// ---- optimizers (torch.optim formulas) -------------------------------------------------------

void ReferenceBackend::sgdStep(Tensor& params, const Tensor& grads, Tensor& velocity,
                               const SgdParams& p) {
    int64_t n = params.numel();
    expectF32(params, n, "sgd params");
    expectF32(grads, n, "sgd grads");
    if (p.momentum != 0.f) expectF32(velocity, n, "sgd velocity");
    for (int64_t i = 0; i < n; ++i) {
        double w = params.f32()[i];
        double g = double(grads.f32()[i]) + double(p.weightDecay) * w;
        if (p.momentum != 0.f) {
            double buf = double(p.momentum) * velocity.f32()[i] + g;
            velocity.f32()[i] = static_cast<float>(buf);
            g = p.nesterov ? g + double(p.momentum) * buf : buf;
        }
        params.f32()[i] = static_cast<float>(w - double(p.lr) * g);
    }
}

void ReferenceBackend::adamStep(Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                                const AdamParams& p) {
    int64_t n = params.numel();
    expectF32(params, n, "adam params");
    expectF32(grads, n, "adam grads");
    expectF32(m, n, "adam m");
    expectF32(v, n, "adam v");
    NEURITE_CHECK(p.step >= 1, "reference adam: step is 1-based");
    double bc1 = 1.0 - std::pow(double(p.beta1), double(p.step));
    double bc2 = 1.0 - std::pow(double(p.beta2), double(p.step));
    for (int64_t i = 0; i < n; ++i) {
        double w = params.f32()[i];
        double g = grads.f32()[i];
        if (p.decoupled)
            w *= 1.0 - double(p.lr) * p.weightDecay;
        else
            g += double(p.weightDecay) * w;
        double mi = double(p.beta1) * m.f32()[i] + (1.0 - p.beta1) * g;
        double vi = double(p.beta2) * v.f32()[i] + (1.0 - p.beta2) * g * g;
        m.f32()[i] = static_cast<float>(mi);
        v.f32()[i] = static_cast<float>(vi);
        w -= double(p.lr) * (mi / bc1) / (std::sqrt(vi / bc2) + p.epsilon);
        params.f32()[i] = static_cast<float>(w);
    }
}

void ReferenceBackend::rmspropStep(Tensor& params, const Tensor& grads, Tensor& squareAvg,
                                   Tensor& momentumBuf, const RmspropParams& p) {
    int64_t n = params.numel();
    expectF32(params, n, "rmsprop params");
    expectF32(grads, n, "rmsprop grads");
    expectF32(squareAvg, n, "rmsprop squareAvg");
    if (p.momentum != 0.f) expectF32(momentumBuf, n, "rmsprop momentumBuf");
    for (int64_t i = 0; i < n; ++i) {
        double w = params.f32()[i];
        double g = double(grads.f32()[i]) + double(p.weightDecay) * w;
        double sq = double(p.alpha) * squareAvg.f32()[i] + (1.0 - p.alpha) * g * g;
        squareAvg.f32()[i] = static_cast<float>(sq);
        double step = g / (std::sqrt(sq) + p.epsilon);
        if (p.momentum != 0.f) {
            double buf = double(p.momentum) * momentumBuf.f32()[i] + step;
            momentumBuf.f32()[i] = static_cast<float>(buf);
            step = buf;
        }
        params.f32()[i] = static_cast<float>(w - double(p.lr) * step);
    }
}

void ReferenceBackend::regularize(const Tensor& params, Tensor& grads, float l1, float l2) {
    int64_t n = params.numel();
    expectF32(params, n, "regularize params");
    expectF32(grads, n, "regularize grads");
    for (int64_t i = 0; i < n; ++i) {
        double w = params.f32()[i];
        double sign = w > 0 ? 1.0 : (w < 0 ? -1.0 : 0.0);
        grads.f32()[i] = static_cast<float>(double(grads.f32()[i]) + l1 * sign + l2 * w);
    }
}

// ---- reductions -----------------------------------------------------------------------------

double ReferenceBackend::sumSquares(const Tensor& x) {
    expectF32(x, x.numel(), "sumSquares x");
    double acc = 0;
    for (int64_t i = 0; i < x.numel(); ++i)
        acc += double(x.f32()[i]) * x.f32()[i];
    return acc;
}

bool ReferenceBackend::allFinite(const Tensor& x) {
    expectF32(x, x.numel(), "allFinite x");
    for (int64_t i = 0; i < x.numel(); ++i)
        if (!std::isfinite(x.f32()[i])) return false;
    return true;
}

} // namespace neurite::test
