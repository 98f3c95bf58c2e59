// Edit distance and closest-name suggestions.
#include "core/suggest.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace neurite {

std::size_t editDistance(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
            diag = up;
        }
    }
    return row[b.size()];
}

std::string closestName(std::string_view name, std::span<const std::string> candidates) {
    const std::size_t limit = std::max<std::size_t>(1, std::max(name.size(), std::size_t{3}) / 3);
    std::string best;
    std::size_t bestDistance = limit + 1;
    for (const std::string& c : candidates) {
        std::size_t d = editDistance(name, c);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

std::string didYouMean(std::string_view name, std::span<const std::string> candidates) {
    std::string best = closestName(name, candidates);
    return best.empty() ? std::string() : " (did you mean \"" + best + "\"?)";
}

}  // namespace neurite
