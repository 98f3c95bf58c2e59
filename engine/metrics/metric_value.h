// MetricValue: a metric that may be undefined. An undefined value carries the reason in words
// ("precision of class 'Bag' undefined: never predicted") instead of a NaN.
#pragma once

#include <string>
#include <utility>

namespace neurite {

struct MetricValue {
    double v = 0;                 // meaningful only when defined()
    std::string undefinedReason;  // empty when defined

    bool defined() const { return undefinedReason.empty(); }
    static MetricValue of(double value) { return {value, {}}; }
    static MetricValue undefined(std::string reason) { return {0, std::move(reason)}; }
};

}  // namespace neurite
