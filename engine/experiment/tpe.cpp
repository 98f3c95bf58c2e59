#include "experiment/tpe.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/random.h"
#include "io/json_text.h"

namespace neurite {

namespace {

constexpr double kPi = 3.14159265358979323846;

double normalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// A parameter's space: the logarithm for log-uniform, integers widened by half a step.
struct Axis {
    double low = 0, high = 0;
    bool log = false, integer = false;
    double toAxis(double v) const { return log ? std::log(v) : v; }
};

Axis axisOf(const SearchParam& p) {
    Axis a;
    a.log = p.kind == SearchParam::Kind::LogUniform;
    a.integer = p.kind == SearchParam::Kind::Integer;
    a.low = a.integer ? p.low - 0.5 : a.toAxis(p.low);
    a.high = a.integer ? p.high + 0.5 : a.toAxis(p.high);
    return a;
}

// Truncated Gaussians at the observations plus one wide prior component.
struct Parzen {
    std::vector<double> mu, sigma;
    double low = 0, high = 0;

    Parzen(std::vector<double> points, double lo, double hi) : low(lo), high(hi) {
        const double range = hi - lo;
        points.push_back(0.5 * (lo + hi));  // the prior's centre
        std::sort(points.begin(), points.end());
        const double minSigma = range / std::min(100.0, static_cast<double>(points.size()));
        for (std::size_t i = 0; i < points.size(); ++i) {
            const double left = i > 0 ? points[i] - points[i - 1] : points[i] - lo;
            const double right = i + 1 < points.size() ? points[i + 1] - points[i] : hi - points[i];
            mu.push_back(points[i]);
            sigma.push_back(std::clamp(std::max(left, right), minSigma, range));
        }
        // the prior is wide whatever its neighbours
        for (std::size_t i = 0; i < mu.size(); ++i)
            if (mu[i] == 0.5 * (lo + hi)) {
                sigma[i] = range;
                break;
            }
    }

    double logDensity(double x) const {
        double sum = 0;
        for (std::size_t i = 0; i < mu.size(); ++i) {
            const double s = sigma[i], z = (x - mu[i]) / s;
            const double mass = normalCdf((high - mu[i]) / s) - normalCdf((low - mu[i]) / s);
            sum += std::exp(-0.5 * z * z) / (s * std::sqrt(2 * kPi) * std::max(mass, 1e-12));
        }
        return std::log(std::max(sum / static_cast<double>(mu.size()), 1e-300));
    }

    double sample(Rng& rng) const {
        const std::size_t i = static_cast<std::size_t>(rng.below(mu.size()));
        for (int tries = 0; tries < 100; ++tries) {
            const double x = mu[i] + sigma[i] * rng.normal();
            if (x >= low && x < high) return x;
        }
        return std::clamp(mu[i], low, std::nextafter(high, low));
    }
};

// Counts plus one per value.
struct Categorical {
    std::vector<double> p;
    Categorical(const std::vector<std::size_t>& picks, std::size_t n) : p(n, 1.0) {
        for (std::size_t k : picks) p[k] += 1.0;
        const double total = std::accumulate(p.begin(), p.end(), 0.0);
        for (double& v : p) v /= total;
    }
    std::size_t sample(Rng& rng) const {
        double u = rng.uniform();
        for (std::size_t k = 0; k < p.size(); ++k) {
            if (u < p[k]) return k;
            u -= p[k];
        }
        return p.size() - 1;
    }
};

std::size_t choiceIndex(const SearchParam& p, const nlohmann::json& v) {
    for (std::size_t k = 0; k < p.values.size(); ++k)
        if (p.values[k] == v) return k;
    return 0;
}

nlohmann::json valueAt(const SearchParam& p, double x) {
    const Axis a = axisOf(p);
    if (a.integer)
        return nlohmann::json(static_cast<int64_t>(std::clamp(std::round(x), p.low, p.high)));
    const double v = a.log ? std::exp(x) : x;
    return nlohmann::json(std::clamp(v, p.low, std::nextafter(p.high, p.low)));
}

bool finiteSpace(const std::vector<SearchParam>& space) {
    return std::all_of(space.begin(), space.end(), [](const SearchParam& p) { return p.finite(); });
}

}  // namespace

std::optional<Assignment> tpePropose(const std::vector<SearchParam>& space,
                                     const std::vector<TpeObservation>& observed,
                                     const std::vector<Assignment>& tried, int startup,
                                     uint64_t seed, int trial) {
    std::set<std::string> seen;
    for (const Assignment& a : tried) seen.insert(io::dumpJson(nlohmann::json(a)));
    const bool finite = finiteSpace(space);
    auto untriedAtRandom = [&]() -> std::optional<Assignment> {
        // a space fully drawn has nothing left; otherwise its random order holds an untried one
        const std::vector<Assignment> order =
            randomTrials(space, finite ? static_cast<int>(std::min<uint64_t>(seen.size() + 1, 100000)) : 1,
                         seed ^ (0x9e3779b97f4a7c15ull * static_cast<uint64_t>(trial)));
        for (const Assignment& a : order)
            if (!finite || !seen.count(io::dumpJson(nlohmann::json(a)))) return a;
        return std::nullopt;
    };
    if (static_cast<int>(observed.size()) < std::max(1, startup)) return untriedAtRandom();

    std::vector<std::size_t> order(observed.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return observed[a].objective < observed[b].objective; });
    const std::size_t nGood = std::clamp<std::size_t>(
        static_cast<std::size_t>(std::ceil(0.1 * static_cast<double>(observed.size()))), 1, 25);

    Rng rng(seed * 0x2545F4914F6CDD1Dull + static_cast<uint64_t>(trial));
    std::vector<Assignment> candidates(kTpeCandidates, Assignment(space.size()));
    std::vector<double> score(kTpeCandidates, 0.0);
    for (std::size_t i = 0; i < space.size(); ++i) {
        const SearchParam& p = space[i];
        if (p.kind == SearchParam::Kind::Choice) {
            std::vector<std::size_t> good, bad;
            for (std::size_t r = 0; r < order.size(); ++r)
                (r < nGood ? good : bad).push_back(choiceIndex(p, observed[order[r]].values[i]));
            const Categorical l(good, p.values.size()), g(bad, p.values.size());
            for (int c = 0; c < kTpeCandidates; ++c) {
                const std::size_t k = l.sample(rng);
                candidates[c][i] = p.values[k];
                score[c] += std::log(l.p[k]) - std::log(g.p[k]);
            }
            continue;
        }
        const Axis a = axisOf(p);
        std::vector<double> good, bad;
        for (std::size_t r = 0; r < order.size(); ++r)
            (r < nGood ? good : bad).push_back(a.toAxis(observed[order[r]].values[i].get<double>()));
        const Parzen l(good, a.low, a.high), g(bad, a.low, a.high);
        for (int c = 0; c < kTpeCandidates; ++c) {
            const double x = l.sample(rng);
            candidates[c][i] = valueAt(p, x);
            score[c] += l.logDensity(x) - g.logDensity(x);
        }
    }
    std::vector<int> rank(kTpeCandidates);
    std::iota(rank.begin(), rank.end(), 0);
    std::stable_sort(rank.begin(), rank.end(), [&](int a, int b) { return score[a] > score[b]; });
    for (int c : rank)
        if (!finite || !seen.count(io::dumpJson(nlohmann::json(candidates[c])))) return candidates[c];
    return untriedAtRandom();
}

}  // namespace neurite
