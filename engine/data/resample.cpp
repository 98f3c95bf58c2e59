// Class-imbalance resampling of the training split (never validation or test): random over-
// and undersampling, and SMOTE (Chawla et al. 2002): a synthetic sample lies at a uniform
// random point of the segment between a minority sample and one of its k nearest neighbours of
// the same class. Neighbours are found with each feature divided by its training standard
// deviation, so that one large-valued feature does not decide them alone. A class with a single
// training sample is refused (there is nothing to interpolate with), as imbalanced-learn does.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "core/error.h"
#include "data/preprocess.h"
#include "core/random.h"
#include "data/split.h"

namespace neurite {

namespace {

std::string countsText(const std::vector<int64_t>& counts) {
    std::string out;
    for (int64_t c : counts) {
        if (!out.empty()) out += '/';
        out += std::to_string(c);
    }
    return out;
}

double featureAt(const DataSplit& s, std::size_t row, std::size_t i, std::size_t d) {
    return s.dtype == DType::U8 ? double(s.bytes[row * d + i]) : double(s.f32()[row * d + i]);
}

// The kk nearest same-class neighbours of every member, each list ordered by (distance, row):
// Euclidean distance with each feature times invStd, summed in feature order. Exactly the
// brute-force search's result (bit-identical sums, the same tie order), but blocked: the
// class's features are transposed once into a (d, m) double matrix, and each row's distances
// to a block of candidates are summed feature by feature across the block, so the inner loop
// runs over contiguous candidates (vectorized; every candidate's sum still adds its terms in
// feature order). Rows run in parallel; each row's result depends on nothing else.
std::vector<int64_t> nearestNeighbours(const DataSplit& train, const std::vector<int64_t>& members,
                                       std::size_t kk, const std::vector<double>& invStd) {
    constexpr std::size_t kBlock = 512;
    const std::size_t d = invStd.size(), m = members.size();
    std::vector<double> xt(d * m);  // (d, m)
    for (std::size_t a = 0; a < m; ++a)
        for (std::size_t i = 0; i < d; ++i)
            xt[i * m + a] = featureAt(train, static_cast<std::size_t>(members[a]), i, d);
    std::vector<int64_t> out(m * kk);  // (m, kk)
    if (kk == 0) return out;
#pragma omp parallel
    {
        std::vector<std::pair<double, int64_t>> best;  // ascending, at most kk
        std::vector<double> sums(kBlock);
#pragma omp for schedule(dynamic, 16)
        for (std::ptrdiff_t sa = 0; sa < static_cast<std::ptrdiff_t>(m); ++sa) {
            const auto a = static_cast<std::size_t>(sa);
            best.clear();
            for (std::size_t b0 = 0; b0 < m; b0 += kBlock) {
                const std::size_t nb = std::min(kBlock, m - b0);
                std::fill(sums.begin(), sums.begin() + static_cast<std::ptrdiff_t>(nb), 0.0);
                for (std::size_t i = 0; i < d; ++i) {
                    const double xa = xt[i * m + a], s = invStd[i];
                    const double* xb = xt.data() + i * m + b0;
                    double* sum = sums.data();
                    for (std::size_t j = 0; j < nb; ++j) {
                        const double diff = (xa - xb[j]) * s;
                        sum[j] += diff * diff;
                    }
                }
                for (std::size_t j = 0; j < nb; ++j) {
                    if (b0 + j == a) continue;
                    const std::pair<double, int64_t> candidate(sums[j], members[b0 + j]);
                    if (best.size() == kk && !(candidate < best.back())) continue;
                    best.insert(std::upper_bound(best.begin(), best.end(), candidate), candidate);
                    if (best.size() > kk) best.pop_back();
                }
            }
            for (std::size_t j = 0; j < kk; ++j) out[a * kk + j] = best[j].second;
        }
    }
    return out;
}

// Appends `count` SMOTE samples of class rows `members` to `out` (raw bytes and labels).
void smoteClass(const DataSplit& train, const std::vector<int64_t>& members, int64_t count, int k,
                const std::vector<double>& invStd, int32_t label, Rng& rng, DataSplit& out) {
    const std::size_t d = invStd.size();
    const auto m = members.size();
    const std::size_t kk = std::min<std::size_t>(static_cast<std::size_t>(k), m - 1);
    const std::vector<int64_t> neighbours = nearestNeighbours(train, members, kk, invStd);
    const std::size_t elem = dtypeSize(train.dtype);
    std::vector<uint8_t> row(d * elem);
    for (int64_t s = 0; s < count; ++s) {
        const std::size_t a = static_cast<std::size_t>(rng.below(m));
        const auto base = static_cast<std::size_t>(members[a]);
        const auto other = static_cast<std::size_t>(neighbours[a * kk + rng.below(kk)]);
        const double gap = rng.uniform();
        for (std::size_t i = 0; i < d; ++i) {
            const double x = featureAt(train, base, i, d), y = featureAt(train, other, i, d);
            const double v = x + gap * (y - x);
            if (train.dtype == DType::U8) row[i] = static_cast<uint8_t>(std::lround(v));
            else {
                const auto f = static_cast<float>(v);
                std::memcpy(row.data() + i * elem, &f, sizeof f);
            }
        }
        out.bytes.insert(out.bytes.end(), row.begin(), row.end());
        out.labels.push_back(label);
        ++out.count;
    }
}

} // namespace

void rebalance(Dataset& ds, const std::string& balance, int k, uint64_t seed) {
    if (balance == "none") return;
    if (ds.numClasses <= 0)
        throwBadInput("data: balance=" + balance + " needs class labels, but \"" + ds.source +
                      "\" has regression targets");
    const std::vector<int64_t> before = classCounts(ds.train, ds.numClasses);
    std::vector<std::vector<int64_t>> members(before.size());
    for (int64_t r = 0; r < ds.train.count; ++r)
        members[static_cast<std::size_t>(ds.train.labels[static_cast<std::size_t>(r)])].push_back(r);
    int64_t most = 0, fewest = ds.train.count;
    for (int64_t c : before)
        if (c > 0) most = std::max(most, c), fewest = std::min(fewest, c);
    Rng rng(seed * 0x9E3779B97F4A7C15ull + 0xba1a9ce);
    const std::size_t rowBytes = rowBytesOf(ds, ds.train);

    if (balance == "undersample") {
        std::vector<int64_t> keep;
        for (auto& rows : members) {
            rng.shuffle(std::span<int64_t>(rows));
            keep.insert(keep.end(), rows.begin(), rows.begin() + std::min<int64_t>(fewest, static_cast<int64_t>(rows.size())));
        }
        std::sort(keep.begin(), keep.end());
        ds.train = takeRows(ds.train, keep, rowBytes);
    } else if (balance == "oversample") {
        std::vector<int64_t> rows(static_cast<std::size_t>(ds.train.count));
        std::iota(rows.begin(), rows.end(), int64_t{0});
        for (const auto& m : members)
            for (int64_t i = static_cast<int64_t>(m.size()); i < most && !m.empty(); ++i)
                rows.push_back(m[rng.below(m.size())]);
        ds.train = takeRows(ds.train, rows, rowBytes);
    } else if (balance == "smote") {
        const auto d = static_cast<std::size_t>(ds.sampleShape.numel());
        std::vector<double> invStd(d, 1.0);
        for (std::size_t i = 0; i < d; ++i) {
            double s = 0, s2 = 0;
            for (std::size_t r = 0; r < static_cast<std::size_t>(ds.train.count); ++r) {
                const double v = featureAt(ds.train, r, i, d);
                s += v;
                s2 += v * v;
            }
            const double n = static_cast<double>(ds.train.count);
            const double var = s2 / n - (s / n) * (s / n);
            invStd[i] = var > 1e-12 ? 1.0 / std::sqrt(var) : 1.0;
        }
        for (std::size_t c = 0; c < members.size(); ++c) {
            const auto m = static_cast<int64_t>(members[c].size());
            if (m == 1 && most > 1)
                throwBadInput("data: balance=smote: class " + ds.classNames[c] +
                              " has 1 training sample, and SMOTE interpolates between a sample "
                              "and its neighbours of the same class (imbalanced-learn refuses "
                              "this too); use balance=oversample, or add samples of that class");
            if (m > 1 && m < most && m <= k)
                ds.notes.push_back("balance=smote: class " + ds.classNames[c] + " has " +
                                   std::to_string(m) + " training samples, so its synthetic samples use " +
                                   std::to_string(m - 1) + " neighbours instead of smote_k " +
                                   std::to_string(k));
        }
        DataSplit out = ds.train;
        for (std::size_t c = 0; c < members.size(); ++c)
            if (!members[c].empty() && static_cast<int64_t>(members[c].size()) < most)
                smoteClass(ds.train, members[c], most - static_cast<int64_t>(members[c].size()), k,
                           invStd, static_cast<int32_t>(c), rng, out);
        ds.train = std::move(out);
    } else {
        throwBadInput("data: unknown balance \"" + balance +
                      "\"; expected none, oversample, undersample or smote");
    }
    ds.notes.push_back("balance=" + balance + ": training class counts " + countsText(before) +
                       " -> " + countsText(classCounts(ds.train, ds.numClasses)));
}

} // namespace neurite
