// The synthetic spiral (CS231n): K interleaved arms, radius growing linearly from 0 to 1 and
// the angle noisy, from our own seeded generator so that a spec gives the same points everywhere.
#include <charconv>
#include <cmath>
#include <cstring>
#include <map>
#include <numeric>

#include "core/error.h"
#include "core/suggest.h"
#include "core/random.h"
#include "data/sources.h"

namespace neurite {

namespace {

struct SpiralParams {
    int64_t samples = 1000;
    int64_t classes = 3;
    double noise = 0.2;
    uint64_t seed = 1;
};

template <class T>
T parseNumber(const std::string& key, const std::string& text, double min, double max,
              const std::string& where) {
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    const bool ok = ec == std::errc() && end == text.data() + text.size() &&
                    static_cast<double>(value) >= min && static_cast<double>(value) <= max;
    if (!ok) {
        const char* kind = std::is_integral_v<T> ? "an integer" : "a number";
        auto bound = [](double v) {
            if (v == std::floor(v) && std::fabs(v) < 1e15)
                return std::to_string(static_cast<int64_t>(v));
            char buf[32];
            auto res = std::to_chars(buf, buf + sizeof buf, v);
            return std::string(buf, res.ptr);
        };
        throwBadInput(where + key + " must be " + kind + " in [" + bound(min) + ", " + bound(max) +
                      "], got \"" + text + "\"");
    }
    return value;
}

SpiralParams parseQuery(const std::string& query, const std::string& where) {
    static const std::vector<std::string> kKeys = {"samples", "classes", "noise", "seed"};
    SpiralParams p;
    std::size_t pos = 0;
    while (pos < query.size()) {
        std::size_t amp = query.find('&', pos);
        if (amp == std::string::npos) amp = query.size();
        const std::string item = query.substr(pos, amp - pos);
        pos = amp + 1;
        if (item.empty()) continue;
        const std::size_t eq = item.find('=');
        const std::string key = item.substr(0, eq);
        if (eq == std::string::npos)
            throwBadInput(where + "parameter \"" + key + "\" has no value; write " + key +
                          "=VALUE");
        const std::string value = item.substr(eq + 1);
        if (key == "samples")
            p.samples = parseNumber<int64_t>(key, value, 2, 1e7, where);
        else if (key == "classes")
            p.classes = parseNumber<int64_t>(key, value, 2, 1000, where);
        else if (key == "noise")
            p.noise = parseNumber<double>(key, value, 0, 10, where);
        else if (key == "seed")
            p.seed = parseNumber<uint64_t>(key, value, 0, 1.8446744073709552e19, where);
        else
            throwBadInput(where + "unknown parameter \"" + key + "\"" + didYouMean(key, kKeys) +
                          "; spiral takes samples, classes, noise, seed");
    }
    if (p.samples < p.classes)
        throwBadInput(where + "samples (" + std::to_string(p.samples) +
                      ") must be at least classes (" + std::to_string(p.classes) + ")");
    return p;
}

} // namespace

Dataset makeSpiral(const std::string& query, const std::string& spec) {
    const SpiralParams p = parseQuery(query, "data source \"" + spec + "\": ");
    Rng rng(p.seed);
    std::vector<float> points;
    std::vector<int32_t> labels;
    points.reserve(static_cast<std::size_t>(p.samples) * 2);
    for (int64_t c = 0; c < p.classes; ++c) {
        const int64_t n = p.samples / p.classes + (c < p.samples % p.classes ? 1 : 0);
        for (int64_t i = 0; i < n; ++i) {
            const double r = n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.0;
            const double t = 4.0 * (static_cast<double>(c) + r) + rng.normal() * p.noise;
            points.push_back(static_cast<float>(r * std::sin(t)));
            points.push_back(static_cast<float>(r * std::cos(t)));
            labels.push_back(static_cast<int32_t>(c));
        }
    }
    // Interleave the classes so that any prefix of the data holds all of them.
    std::vector<int64_t> order(static_cast<std::size_t>(p.samples));
    std::iota(order.begin(), order.end(), int64_t{0});
    rng.shuffle(std::span<int64_t>(order));

    Dataset ds;
    ds.sampleShape = Shape({2});
    ds.numClasses = static_cast<int>(p.classes);
    for (int c = 0; c < ds.numClasses; ++c)
        ds.classNames.push_back(std::to_string(c));
    DataSplit& train = ds.train;
    train.dtype = DType::F32;
    train.count = p.samples;
    train.bytes.resize(static_cast<std::size_t>(p.samples) * 2 * sizeof(float));
    float* dst = reinterpret_cast<float*>(train.bytes.data());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const auto src = static_cast<std::size_t>(order[k]);
        dst[2 * k] = points[2 * src];
        dst[2 * k + 1] = points[2 * src + 1];
        train.labels.push_back(labels[src]);
    }
    return ds;
}

} // namespace neurite
