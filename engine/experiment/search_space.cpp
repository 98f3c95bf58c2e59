#include "experiment/search_space.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/error.h"
#include "core/random.h"
#include "io/json_text.h"

namespace neurite {

namespace {

[[noreturn]] void bad(const SearchParam& p, const std::string& what) {
    throwBadInput("parameter \"" + p.path + "\": " + what);
}

// The space's size, or 0 when it passes `cap` (or is continuous).
uint64_t spaceSize(const std::vector<SearchParam>& space, uint64_t cap) {
    uint64_t n = 1;
    for (const SearchParam& p : space) {
        if (!p.finite()) return 0;
        const uint64_t c = p.count();
        if (c > cap / n) return 0;
        n *= c;
    }
    return n;
}

// Combination `index` of a finite space (mixed radix, the first parameter slowest).
Assignment combination(const std::vector<SearchParam>& space, uint64_t index) {
    Assignment a(space.size());
    for (std::size_t i = space.size(); i-- > 0;) {
        const SearchParam& p = space[i];
        const uint64_t c = p.count();
        const uint64_t k = index % c;
        index /= c;
        a[i] = p.kind == SearchParam::Kind::Choice ? p.values[k]
                                                 : nlohmann::json(static_cast<int64_t>(p.low) + static_cast<int64_t>(k));
    }
    return a;
}

nlohmann::json draw(const SearchParam& p, Rng& rng) {
    switch (p.kind) {
    case SearchParam::Kind::Choice: return p.values[rng.below(p.values.size())];
    case SearchParam::Kind::Integer: return static_cast<int64_t>(p.low) + static_cast<int64_t>(rng.below(p.count()));
    case SearchParam::Kind::Uniform: return p.low + (p.high - p.low) * rng.uniform();
    case SearchParam::Kind::LogUniform:
        return std::exp(std::log(p.low) + (std::log(p.high) - std::log(p.low)) * rng.uniform());
    }
    return nullptr;
}

}  // namespace

uint64_t SearchParam::count() const {
    if (kind == Kind::Choice) return values.size();
    if (kind == Kind::Integer) return static_cast<uint64_t>(static_cast<int64_t>(high) - static_cast<int64_t>(low)) + 1;
    return 0;
}

void checkSpace(const std::vector<SearchParam>& space) {
    std::set<std::string> paths;
    for (const SearchParam& p : space) {
        if (!paths.insert(p.path).second) bad(p, "appears twice");
        switch (p.kind) {
        case SearchParam::Kind::Choice: {
            if (p.values.empty()) bad(p, "the choice has no values");
            for (std::size_t i = 0; i < p.values.size(); ++i)
                for (std::size_t j = 0; j < i; ++j)
                    if (p.values[i] == p.values[j]) bad(p, "the choice repeats " + io::dumpJson(p.values[i]));
            break;
        }
        case SearchParam::Kind::Integer:
            if (!std::isfinite(p.low) || !std::isfinite(p.high) || p.low != std::floor(p.low) || p.high != std::floor(p.high) ||
                std::fabs(p.low) > 1e15 || std::fabs(p.high) > 1e15)
                bad(p, "integer bounds must be whole numbers");
            if (p.low > p.high) bad(p, "the range is empty (low > high)");
            break;
        case SearchParam::Kind::Uniform:
        case SearchParam::Kind::LogUniform:
            if (!std::isfinite(p.low) || !std::isfinite(p.high)) bad(p, "the bounds must be finite numbers");
            if (p.low >= p.high) bad(p, "the range is empty (low >= high)");
            if (p.kind == SearchParam::Kind::LogUniform && p.low <= 0) bad(p, "a log-uniform range must be above 0");
            break;
        }
    }
}

std::vector<Assignment> gridTrials(const std::vector<SearchParam>& space, bool shuffled, uint64_t seed) {
    checkSpace(space);
    for (const SearchParam& p : space)
        if (!p.finite()) bad(p, "a grid needs values (a choice or an integer range), not a continuous range");
    const uint64_t n = spaceSize(space, kMaxGridTrials);
    if (n == 0) throwBadInput("the grid has more than " + std::to_string(kMaxGridTrials) + " combinations; use random search or fewer values");
    std::vector<uint64_t> order(n);
    for (uint64_t i = 0; i < n; ++i) order[i] = i;
    if (shuffled) {
        Rng rng(seed);
        for (uint64_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);  // Fisher-Yates
    }
    std::vector<Assignment> out;
    out.reserve(n);
    for (uint64_t i : order) out.push_back(combination(space, i));
    return out;
}

std::vector<Assignment> randomTrials(const std::vector<SearchParam>& space, int count, uint64_t seed) {
    checkSpace(space);
    if (count < 0) throwBadInput("a random search needs a trial count of 0 or more");
    Rng rng(seed);
    std::vector<Assignment> out;
    const uint64_t size = spaceSize(space, std::numeric_limits<uint64_t>::max());
    if (size > 0) {
        // Without replacement: distinct combination indices, drawn by rejection while the space is
        // large against the count, else as a shuffled prefix of every index.
        const uint64_t want = std::min<uint64_t>(static_cast<uint64_t>(count), size);
        if (size <= 4 * want && size <= kMaxGridTrials) {
            std::vector<uint64_t> order(size);
            for (uint64_t i = 0; i < size; ++i) order[i] = i;
            for (uint64_t i = 0; i < want; ++i) std::swap(order[i], order[i + rng.below(size - i)]);
            for (uint64_t i = 0; i < want; ++i) out.push_back(combination(space, order[i]));
        } else {
            std::set<uint64_t> seen;
            while (seen.size() < want) {
                const uint64_t k = rng.below(size);
                if (seen.insert(k).second) out.push_back(combination(space, k));
            }
        }
        return out;
    }
    for (int t = 0; t < count; ++t) {
        Assignment a;
        for (const SearchParam& p : space) a.push_back(draw(p, rng));
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace neurite
