// Distinct numeric labels -> classes.
#include "data/sources/class_labels.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "core/error.h"

namespace neurite {

std::vector<double> distinctValues(std::initializer_list<std::span<const double>> labels) {
    std::vector<double> out;
    for (std::span<const double> s : labels) out.insert(out.end(), s.begin(), s.end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

int32_t classIndex(const std::vector<double>& classes, double v) {
    const auto it = std::lower_bound(classes.begin(), classes.end(), v);
    NEURITE_CHECK(it != classes.end() && *it == v, "label value missing from its class list");
    return static_cast<int32_t>(it - classes.begin());
}

std::string labelName(double v) {
    char buf[32];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

void noteManyClasses(Dataset& ds, int64_t rows, const std::string& targetName) {
    const auto classes = static_cast<int64_t>(ds.numClasses);
    if (classes < 20 || classes * 2 <= rows) return;
    ds.notes.push_back("warning: " + targetName + " has " + std::to_string(classes) +
                       " classes for " + std::to_string(rows) +
                       " rows, so most classes have one or two samples; if it is a quantity "
                       "(a count, a year, a price), add task=regression");
}

} // namespace neurite
