// Stratified orderings by fractional rank: sample j of a class with m samples gets the key
// (j + u) / m with u uniform in [0, 1); sorting by key interleaves the classes evenly.
#include "data/split.h"

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/random.h"

namespace neurite {

std::vector<int64_t> splitOrder(int64_t n, std::span<const int32_t> labels, bool stratify,
                                uint64_t seed) {
    std::vector<int64_t> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), int64_t{0});
    Rng rng(seed ^ 0x5eed5b117ull);
    rng.shuffle(std::span<int64_t>(perm));
    if (!stratify || labels.size() != perm.size()) return perm;

    int32_t maxLabel = 0;
    for (int32_t l : labels) maxLabel = std::max(maxLabel, l);
    std::vector<int64_t> classSize(static_cast<std::size_t>(maxLabel) + 1, 0), seen(classSize.size(), 0);
    for (int32_t l : labels) ++classSize[static_cast<std::size_t>(l)];
    std::vector<std::pair<double, int64_t>> keyed;
    keyed.reserve(perm.size());
    for (int64_t row : perm) {
        const auto c = static_cast<std::size_t>(labels[static_cast<std::size_t>(row)]);
        const double key = (static_cast<double>(seen[c]++) + rng.uniform()) /
                           static_cast<double>(classSize[c]);
        keyed.emplace_back(key, row);
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t i = 0; i < keyed.size(); ++i) perm[i] = keyed[i].second;
    return perm;
}

DataSplit takeRows(const DataSplit& src, std::span<const int64_t> rows, std::size_t rowBytes) {
    DataSplit out;
    out.dtype = src.dtype;
    out.count = static_cast<int64_t>(rows.size());
    out.bytes.resize(rows.size() * rowBytes);
    out.labels.reserve(src.labels.empty() ? 0 : rows.size());
    const std::size_t targetDim =
        src.count > 0 ? src.targets.size() / static_cast<std::size_t>(src.count) : 0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto r = static_cast<std::size_t>(rows[k]);
        std::memcpy(out.bytes.data() + k * rowBytes, src.bytes.data() + r * rowBytes, rowBytes);
        if (!src.labels.empty()) out.labels.push_back(src.labels[r]);
        if (!src.texts.empty()) out.texts.push_back(src.texts[r]);
        for (std::size_t t = 0; t < targetDim; ++t) out.targets.push_back(src.targets[r * targetDim + t]);
    }
    return out;
}

} // namespace neurite
