#include "experiment/importance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "io/json_text.h"

namespace neurite {

namespace {

constexpr int kBins = 5;

// The group of each trial for parameter i.
std::vector<int> groups(const SearchParam& p, std::size_t i, const std::vector<Assignment>& values) {
    const std::size_t n = values.size();
    std::vector<int> g(n, 0);
    const bool byValue = p.kind == SearchParam::Kind::Choice ||
                         (p.kind == SearchParam::Kind::Integer && p.high - p.low + 1 <= kBins);
    if (byValue) {
        std::map<std::string, int> ids;
        for (std::size_t t = 0; t < n; ++t)
            g[t] = ids.emplace(io::dumpJson(values[t][i]), static_cast<int>(ids.size())).first->second;
        return g;
    }
    std::vector<double> x(n);
    for (std::size_t t = 0; t < n; ++t) {
        const double v = values[t][i].is_number() ? values[t][i].get<double>() : 0.0;
        x[t] = p.kind == SearchParam::Kind::LogUniform && v > 0 ? std::log(v) : v;
    }
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
    const std::size_t bins = std::min<std::size_t>(kBins, n);
    for (std::size_t r = 0; r < n; ++r) g[order[r]] = static_cast<int>(r * bins / n);
    // equal values stay in one group
    for (std::size_t r = 1; r < n; ++r)
        if (x[order[r]] == x[order[r - 1]]) g[order[r]] = g[order[r - 1]];
    return g;
}

}  // namespace

std::vector<ParamImportance> parameterImportance(const std::vector<SearchParam>& space,
                                                 const std::vector<Assignment>& values,
                                                 const std::vector<double>& objectives) {
    std::vector<ParamImportance> out;
    for (const SearchParam& p : space) out.push_back({p.path, 0, 0});
    const std::size_t n = std::min(values.size(), objectives.size());
    if (n < 3) return out;
    const double mean = std::accumulate(objectives.begin(), objectives.begin() + static_cast<long>(n), 0.0) /
                        static_cast<double>(n);
    double total = 0;
    for (std::size_t t = 0; t < n; ++t) total += (objectives[t] - mean) * (objectives[t] - mean);
    if (!(total > 0)) return out;
    double sum = 0;
    for (std::size_t i = 0; i < space.size(); ++i) {
        const std::vector<int> g = groups(space[i], i, values);
        std::map<int, std::pair<double, int>> acc;  // group -> (sum, count)
        for (std::size_t t = 0; t < n; ++t) {
            auto& [s, c] = acc[g[t]];
            s += objectives[t];
            ++c;
        }
        double between = 0;
        for (const auto& [id, sc] : acc) {
            const double m = sc.first / sc.second;
            between += sc.second * (m - mean) * (m - mean);
        }
        out[i].eta2 = std::clamp(between / total, 0.0, 1.0);
        sum += out[i].eta2;
    }
    for (ParamImportance& p : out) p.importance = sum > 0 ? p.eta2 / sum : 0;
    return out;
}

}  // namespace neurite
