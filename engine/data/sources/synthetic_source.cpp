// Synthetic 2-D sets after scikit-learn's generators (make_circles, make_moons, make_blobs),
// the XOR quadrants, and TensorFlow Playground's two Gaussian clusters and linearly separable
// plane, from our own seeded Rng so that a spec gives the same points on every platform.
// Samples are shuffled so that any prefix holds every class. The two-class sets take `ratio`,
// class 1's share of the samples (class imbalance lessons); without it the classes are halves.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>
#include <numeric>
#include <optional>
#include <utility>

#include "core/error.h"
#include "core/random.h"
#include "data/sources.h"
#include "data/spec_query.h"

namespace neurite {

namespace {

struct Points {
    std::vector<float> xy;  // [n, dims]
    std::vector<int32_t> labels;
};

// n0 samples of class 0 (outer circle, upper moon) and n1 of class 1.
void circles(Points& p, int64_t n0, int64_t n1, double noise, double factor, Rng& rng) {
    for (int64_t ring = 0; ring < 2; ++ring) {
        const int64_t m = ring == 0 ? n0 : n1;
        const double radius = ring == 0 ? 1.0 : factor;
        for (int64_t i = 0; i < m; ++i) {
            const double t = 2.0 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(m);
            p.xy.push_back(static_cast<float>(radius * std::cos(t) + noise * rng.normal()));
            p.xy.push_back(static_cast<float>(radius * std::sin(t) + noise * rng.normal()));
            p.labels.push_back(static_cast<int32_t>(ring));
        }
    }
}

void moons(Points& p, int64_t n0, int64_t n1, double noise, Rng& rng) {
    for (int64_t moon = 0; moon < 2; ++moon) {
        const int64_t m = moon == 0 ? n0 : n1;
        for (int64_t i = 0; i < m; ++i) {
            const double t = m > 1 ? std::numbers::pi * static_cast<double>(i) / static_cast<double>(m - 1) : 0.0;
            const double x = moon == 0 ? std::cos(t) : 1.0 - std::cos(t);
            const double y = moon == 0 ? std::sin(t) : 0.5 - std::sin(t);
            p.xy.push_back(static_cast<float>(x + noise * rng.normal()));
            p.xy.push_back(static_cast<float>(y + noise * rng.normal()));
            p.labels.push_back(static_cast<int32_t>(moon));
        }
    }
}

// Points uniform in [-1, 1]^2 labelled by `label(x, y)` (before the noise moves them). With
// counts (n0, n1) a point of a class already full is drawn again; each class covers about half
// the square, so this ends after about 2 * max(n0, n1) draws.
template <typename Label>
void uniformSquare(Points& p, int64_t n, std::optional<std::pair<int64_t, int64_t>> counts, double noise, Rng& rng,
                   Label label) {
    int64_t left[2] = {counts ? counts->first : 0, counts ? counts->second : 0};
    for (int64_t i = 0; i < n;) {
        const double x = 2.0 * rng.uniform() - 1.0, y = 2.0 * rng.uniform() - 1.0;
        const int c = label(x, y) ? 1 : 0;
        if (counts && left[c] == 0) continue;
        if (counts) --left[c];
        p.labels.push_back(c);
        p.xy.push_back(static_cast<float>(x + noise * rng.normal()));
        p.xy.push_back(static_cast<float>(y + noise * rng.normal()));
        ++i;
    }
}

// Playground's "Gaussian": class 0 around (-2, -2), class 1 around (2, 2), standard deviation
// `noise` on each axis.
void gaussians(Points& p, int64_t n0, int64_t n1, double noise, Rng& rng) {
    for (int c = 0; c < 2; ++c) {
        const double centre = c == 0 ? -2.0 : 2.0;
        for (int64_t i = 0; i < (c == 0 ? n0 : n1); ++i) {
            p.xy.push_back(static_cast<float>(centre + noise * rng.normal()));
            p.xy.push_back(static_cast<float>(centre + noise * rng.normal()));
            p.labels.push_back(c);
        }
    }
}

// Centres uniform in [-10, 10]^dims; each class gets n/classes points with standard deviation
// `noise` around its centre.
void blobs(Points& p, int64_t n, int64_t classes, int64_t dims, double noise, Rng& rng) {
    std::vector<double> centres(static_cast<std::size_t>(classes * dims));
    for (double& c : centres) c = 20.0 * rng.uniform() - 10.0;
    for (int64_t c = 0; c < classes; ++c) {
        const int64_t m = n / classes + (c < n % classes ? 1 : 0);
        for (int64_t i = 0; i < m; ++i) {
            for (int64_t d = 0; d < dims; ++d)
                p.xy.push_back(static_cast<float>(centres[static_cast<std::size_t>(c * dims + d)] +
                                                  noise * rng.normal()));
            p.labels.push_back(static_cast<int32_t>(c));
        }
    }
}

} // namespace

Dataset makeSynthetic(const std::string& name, const std::string& query, const std::string& spec) {
    const std::string where = "data source \"" + spec + "\": ";
    std::vector<std::string> keys = {"samples", "noise", "seed"};
    if (name == "circles") keys.push_back("factor");
    if (name == "blobs") keys.insert(keys.end(), {"classes", "features"});
    if (name == "linear") keys.push_back("angle");
    if (name != "blobs") keys.push_back("ratio");
    const SpecQuery q(query, where, keys);
    const int64_t n = q.integer("samples", 1000, 2, 10000000);
    const double defaultNoise = name == "blobs" ? 1.0 : name == "gaussian" ? 0.8 : name == "circles" ? 0.05 : 0.1;
    const double noise = q.number("noise", defaultNoise, 0, 100);
    // Class 1's count: `ratio` of the samples, at least one of each class; else the larger half.
    std::optional<std::pair<int64_t, int64_t>> counts;
    if (q.has("ratio")) {
        const double ratio = q.number("ratio", 0.5, 0.001, 0.999);
        const int64_t n1 = std::clamp<int64_t>(std::llround(ratio * static_cast<double>(n)), 1, n - 1);
        counts = std::pair{n - n1, n1};
    }
    const int64_t n0 = counts ? counts->first : n / 2, n1 = n - n0;
    Rng rng(q.seed("seed", 1));
    Points p;
    int64_t classes = 2, dims = 2;
    if (name == "circles") {
        circles(p, n0, n1, noise, q.number("factor", 0.5, 0, 1), rng);
    } else if (name == "moons") {
        moons(p, n0, n1, noise, rng);
    } else if (name == "xor") {
        uniformSquare(p, n, counts, noise, rng, [](double x, double y) { return (x > 0) != (y > 0); });
    } else if (name == "linear") {
        // Class 1 above the line through the origin at `angle` degrees.
        const double a = q.number("angle", 30, -90, 90) * std::numbers::pi / 180.0;
        const double sa = std::sin(a), ca = std::cos(a);
        uniformSquare(p, n, counts, noise, rng, [sa, ca](double x, double y) { return ca * y - sa * x > 0; });
    } else if (name == "gaussian") {
        gaussians(p, n0, n1, noise, rng);
    } else if (name == "blobs") {
        classes = q.integer("classes", 3, 2, 1000);
        dims = q.integer("features", 2, 1, 10000);
        if (n < classes)
            throwBadInput(where + "samples (" + std::to_string(n) + ") must be at least classes (" +
                          std::to_string(classes) + ")");
        blobs(p, n, classes, dims, noise, rng);
    } else {
        throwInternal("makeSynthetic: unknown generator " + name);
    }

    std::vector<int64_t> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), int64_t{0});
    rng.shuffle(std::span<int64_t>(order));
    Dataset ds;
    ds.sampleShape = Shape({dims});
    ds.numClasses = static_cast<int>(classes);
    for (int c = 0; c < ds.numClasses; ++c) ds.classNames.push_back(std::to_string(c));
    DataSplit& train = ds.train;
    train.dtype = DType::F32;
    train.count = n;
    const auto d = static_cast<std::size_t>(dims);
    train.bytes.resize(static_cast<std::size_t>(n) * d * sizeof(float));
    float* dst = reinterpret_cast<float*>(train.bytes.data());
    for (std::size_t k = 0; k < order.size(); ++k) {
        const auto src = static_cast<std::size_t>(order[k]);
        std::memcpy(dst + k * d, p.xy.data() + src * d, d * sizeof(float));
        train.labels.push_back(p.labels[src]);
    }
    return ds;
}

} // namespace neurite
