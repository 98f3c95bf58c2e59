// Embedding lookup and its weight gradient (backend.h): ids are f32 whole numbers, checked and
// turned into rows before any parallel loop, so a bad id throws with nothing written.
#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "backend/cpu/cpu_kernels.h"
#include "backend/plan_checks.h"

namespace neurite::cpu {

namespace {

// The weight row of every id; -1 for the padding id.
std::vector<int64_t> rowsOf(const Tensor& ids, int64_t vocabulary, int64_t paddingIdx) {
    const float* id = ids.f32();
    std::vector<int64_t> rows(static_cast<std::size_t>(ids.numel()));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const int64_t r = embeddingRow(id[i], vocabulary);
        rows[i] = r == paddingIdx ? -1 : r;
    }
    return rows;
}

}  // namespace

void embeddingForward(const ThreadConfig& tc, const Tensor& ids, const Tensor& weight,
                      int64_t paddingIdx, Tensor& dst) {
    const int64_t d = checkEmbedding(ids, weight, dst);
    const std::vector<int64_t> rows = rowsOf(ids, weight.shape()[0], paddingIdx);
    const float* w = weight.f32();
    float* y = dst.f32();
    const auto count = static_cast<int64_t>(rows.size());
    const auto rowBytes = static_cast<std::size_t>(d) * sizeof(float);
#pragma omp parallel for num_threads(tc.forSize(count * d)) schedule(static)
    for (int64_t i = 0; i < count; ++i) {
        float* out = y + i * d;
        const int64_t r = rows[static_cast<std::size_t>(i)];
        if (r < 0)
            std::memset(out, 0, rowBytes);
        else
            std::memcpy(out, w + r * d, rowBytes);
    }
}

// Each thread owns a slice of the columns and adds every token's slice in token order: the sums
// are the same whatever the thread count.
void embeddingBackward(const ThreadConfig& tc, const Tensor& ids, const Tensor& diffDst,
                       int64_t paddingIdx, Tensor& diffWeight) {
    const int64_t d = checkEmbedding(ids, diffWeight, diffDst);
    const std::vector<int64_t> rows = rowsOf(ids, diffWeight.shape()[0], paddingIdx);
    fill(tc, diffWeight, 0.f);
    const float* dy = diffDst.f32();
    float* dw = diffWeight.f32();
    const auto count = static_cast<int64_t>(rows.size());
    const int nt = std::max(1, std::min<int>(tc.forSize(count * d), static_cast<int>(d / 8)));
#pragma omp parallel num_threads(nt)
    {
        const int64_t t = omp_get_thread_num(), n = omp_get_num_threads();
        const int64_t lo = d * t / n, hi = d * (t + 1) / n;
        for (int64_t i = 0; i < count; ++i) {
            const int64_t r = rows[static_cast<std::size_t>(i)];
            if (r < 0) continue;
            const float* g = dy + i * d;
            float* out = dw + r * d;
            for (int64_t c = lo; c < hi; ++c) out[c] += g[c];
        }
    }
}

}  // namespace neurite::cpu
