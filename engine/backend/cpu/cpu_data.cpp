// Data movement kernels: concat/split along channels, inverted dropout with backend.h's shared
// counter-based mask (the same bits on every device and thread count), and batch gathers.
#include <atomic>
#include <cstring>

#include "backend/cpu/cpu_kernels.h"

namespace neurite::cpu {

namespace {

// An out-of-range index seen inside a parallel loop, reported after it (no throw inside).
struct BadIndex {
    std::atomic<bool> found{false};
    std::atomic<int64_t> row{0};
    void note(int64_t r) {
        row.store(r);
        found.store(true);
    }
};

// [N, C, inner] viewed as N blocks of C * inner; every tensor must share N and inner.
struct ChannelLayout {
    int64_t outer = 0, inner = 0;
};

ChannelLayout channelLayout(const Tensor& t, const char* what) {
    const Shape& s = t.shape();
    if (s.rank() < 2) throwInternal(std::string(what) + ": expected [N, C, ...], got " + s.str());
    return {s[0], s.numelFrom(2)};
}

void copyChannels(const ThreadConfig& tc, std::span<const Tensor* const> parts, Tensor& whole,
                  bool toWhole, const char* what) {
    requireF32(whole, what);
    const ChannelLayout w = channelLayout(whole, what);
    int64_t channels = 0;
    for (const Tensor* p : parts) {
        requireF32(*p, what);
        const ChannelLayout l = channelLayout(*p, what);
        if (l.outer != w.outer || l.inner != w.inner)
            throwInternal(std::string(what) + ": part " + p->shape().str() + " does not match " +
                          whole.shape().str() + " outside dimension 1");
        channels += p->shape()[1];
    }
    if (channels != whole.shape()[1])
        throwInternal(std::string(what) + ": parts have " + std::to_string(channels) +
                      " channels in all, the whole " + whole.shape().str());
    const int64_t partsCount = static_cast<int64_t>(parts.size());
    const int64_t wholeRow = channels * w.inner;
    float* base = whole.f32();
    const int nt = tc.forSize(whole.numel());
#pragma omp parallel for num_threads(nt) schedule(static)
    for (int64_t job = 0; job < w.outer * partsCount; ++job) {
        const int64_t n = job / partsCount, k = job % partsCount;
        int64_t offset = 0;
        for (int64_t j = 0; j < k; ++j)
            offset += parts[static_cast<std::size_t>(j)]->shape()[1];
        const Tensor& part = *parts[static_cast<std::size_t>(k)];
        const int64_t row = part.shape()[1] * w.inner;
        float* wholePtr = base + n * wholeRow + offset * w.inner;
        float* partPtr = const_cast<float*>(part.f32()) + n * row;
        const std::size_t bytes = static_cast<std::size_t>(row) * sizeof(float);
        if (toWhole)
            std::memcpy(wholePtr, partPtr, bytes);
        else
            std::memcpy(partPtr, wholePtr, bytes);
    }
}

} // namespace

void concat(const ThreadConfig& tc, std::span<const Tensor* const> srcs, Tensor& dst) {
    copyChannels(tc, srcs, dst, true, "concat");
}

void split(const ThreadConfig& tc, const Tensor& diffDst, std::span<Tensor* const> diffSrcs) {
    Tensor whole = diffDst;
    std::span<const Tensor* const> parts(diffSrcs.data(), diffSrcs.size());
    copyChannels(tc, parts, whole, false, "split");
}

void dropoutForward(const ThreadConfig& tc, const Tensor& src, Tensor& dst, Tensor& mask, float p,
                    uint64_t seed) {
    requireSameNumel(src, dst, "dropout");
    requireSameNumel(src, mask, "dropout mask");
    if (!(p >= 0.f && p <= 1.f))
        throwBadInput("dropout probability must be in [0, 1], got " + std::to_string(p));
    const float keepScale = p < 1.f ? 1.f / (1.f - p) : 0.f;
    const float* x = src.f32();
    float* y = dst.f32();
    float* m = mask.f32();
    const int64_t n = src.numel();
#pragma omp parallel for simd num_threads(tc.forSize(n, 4096)) schedule(static)
    for (int64_t i = 0; i < n; ++i) {
        const float keep = dropoutKeep(seed, static_cast<uint64_t>(i), p) ? keepScale : 0.f;
        m[i] = keep;
        y[i] = x[i] * keep;
    }
}

void gatherRows(const ThreadConfig& tc, const Tensor& src, const Tensor& indices, int64_t count,
                float scale, const Tensor* mean, const Tensor* invStd, Tensor& dst) {
    const int64_t features = checkGatherRows(src, indices, count, mean, invStd, dst);
    const int64_t rows = src.shape().rank() > 0 ? src.shape()[0] : 0;
    const int32_t* idx = indices.data<int32_t>();
    const float* mu = mean ? mean->f32() : nullptr;
    const float* is = invStd ? invStd->f32() : nullptr;
    const bool u8 = src.dtype() == DType::U8;
    float* y = dst.f32();
    BadIndex bad;
#pragma omp parallel for num_threads(tc.forSize(count* features)) schedule(static)
    for (int64_t r = 0; r < count; ++r) {
        const int64_t row = idx[r];
        float* out = y + r * features;
        if (row < 0 || row >= rows) {
            bad.note(row);
            continue;
        }
        if (u8) {
            const uint8_t* in = src.data<uint8_t>() + row * features;
            for (int64_t f = 0; f < features; ++f)
                out[f] = static_cast<float>(in[f]) * scale;
        } else {
            const float* in = src.f32() + row * features;
            for (int64_t f = 0; f < features; ++f)
                out[f] = in[f] * scale;
        }
        if (mu)
            for (int64_t f = 0; f < features; ++f)
                out[f] = (out[f] - mu[f]) * is[f];
    }
    if (bad.found)
        throwBadInput("gatherRows: row index " + std::to_string(bad.row.load()) +
                      " is outside the data's " + std::to_string(rows) + " rows");
}

void gatherLabels(const ThreadConfig& tc, const Tensor& labels, const Tensor& indices,
                  int64_t count, Tensor& dst) {
    const int64_t rowSize = checkGatherLabels(labels, indices, count, dst);
    const int64_t rows = labels.shape().rank() > 0 ? labels.shape()[0] : 0;
    const std::size_t rowBytes = static_cast<std::size_t>(rowSize) * 4;
    const int32_t* idx = indices.data<int32_t>();
    const char* in = static_cast<const char*>(labels.raw());
    char* out = static_cast<char*>(dst.raw());
    BadIndex bad;
#pragma omp parallel for num_threads(tc.forSize(count* rowSize)) schedule(static)
    for (int64_t r = 0; r < count; ++r) {
        const int64_t row = idx[r];
        if (row < 0 || row >= rows) {
            bad.note(row);
            continue;
        }
        std::memcpy(out + static_cast<std::size_t>(r) * rowBytes,
                    in + static_cast<std::size_t>(row) * rowBytes, rowBytes);
    }
    if (bad.found)
        throwBadInput("gatherLabels: row index " + std::to_string(bad.row.load()) +
                      " is outside the labels' " + std::to_string(rows) + " rows");
}

} // namespace neurite::cpu
