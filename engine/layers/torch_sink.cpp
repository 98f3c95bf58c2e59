// Python literals for the layers' PyTorch emitters (layers/torch_sink.h).
#include "layers/torch_sink.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace neurite {

namespace {
// "open v0, v1, ... close" (appends only: GCC 12 warns wrongly about chains of operator+)
std::string joined(const char* open, const std::vector<int64_t>& values, const char* close) {
    std::string s = open;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i) s.append(", ");
        s.append(std::to_string(values[i]));
    }
    s.append(close);
    return s;
}
}  // namespace

std::string pyTuple(const std::vector<int64_t>& values) {
    return joined("(", values, values.size() == 1 ? ",)" : ")");
}

std::string pyList(const std::vector<int64_t>& values) { return joined("[", values, "]"); }

// The shortest text that reads back as the same double ("0.1", "1e-05", "2.0").
std::string pyFloat(double value) {
    if (std::isnan(value)) return "float('nan')";
    if (std::isinf(value)) return value > 0 ? "float('inf')" : "-float('inf')";
    char buf[40];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*g", digits, value);
        if (std::strtod(buf, nullptr) == value) break;
    }
    std::string s = buf;
    if (s.find_first_of(".en") == std::string::npos) s += ".0";
    return s;
}

}  // namespace neurite
