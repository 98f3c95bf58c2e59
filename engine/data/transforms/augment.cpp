// The augmentation kernels. The affine map is built forward (source -> output) around the image
// centre and inverted per pixel, so that every output pixel samples one source location.
#include "data/transforms/augment.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace neurite {

namespace {

double sampleGamma(Rng& rng, double k) {
    if (k < 1) return sampleGamma(rng, k + 1) * std::pow(1.0 - rng.uniform(), 1.0 / k);
    const double d = k - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    while (true) {
        double x = 0, v = 0;
        do {
            x = rng.normal();
            v = 1.0 + c * x;
        } while (v <= 0);
        v = v * v * v;
        const double u = 1.0 - rng.uniform();
        if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) return d * v;
    }
}

} // namespace

double sampleBeta(Rng& rng, double alpha) {
    const double a = sampleGamma(rng, alpha), b = sampleGamma(rng, alpha);
    return a + b > 0 ? a / (a + b) : 0.5;
}

uint64_t augmentSeed(uint64_t seed, int epoch, int64_t position) {
    uint64_t x = seed ^ 0xa5a5a5a5a5a5a5a5ull;
    uint64_t h = Rng::splitmix64(x);
    x = h ^ (static_cast<uint64_t>(epoch) * 0x9E3779B97F4A7C15ull);
    h = Rng::splitmix64(x);
    x = h ^ static_cast<uint64_t>(position);
    return Rng::splitmix64(x);
}

namespace {

double symmetric(Rng& rng, double range) { return range * (2.0 * rng.uniform() - 1.0); }

void affine(const AugmentConfig& cfg, int64_t c, int64_t h, int64_t w, float* x, Rng& rng,
            std::vector<float>& scratch) {
    // Forward map on centred coordinates (u = column, v = row): M = R * Sh * Z * F, then + t.
    const double fx = cfg.horizontalFlip && rng.uniform() < 0.5 ? -1.0 : 1.0;
    const double fy = cfg.verticalFlip && rng.uniform() < 0.5 ? -1.0 : 1.0;
    const double angle = symmetric(rng, cfg.rotation) * std::numbers::pi / 180.0;
    const double shear = symmetric(rng, cfg.shear) * std::numbers::pi / 180.0;
    const double zoom = 1.0 + symmetric(rng, cfg.zoom);
    const double tx = symmetric(rng, cfg.shift) * static_cast<double>(w);
    const double ty = symmetric(rng, cfg.shift) * static_cast<double>(h);
    const double cr = std::cos(angle), sr = std::sin(angle), sh = std::tan(shear);
    // R * [[1, sh], [0, 1]] * zoom * diag(fx, fy)
    const double m00 = cr * zoom * fx, m01 = (cr * sh - sr) * zoom * fy;
    const double m10 = sr * zoom * fx, m11 = (sr * sh + cr) * zoom * fy;
    const double det = m00 * m11 - m01 * m10;
    const double i00 = m11 / det, i01 = -m01 / det, i10 = -m10 / det, i11 = m00 / det;
    const double cu = (static_cast<double>(w) - 1) / 2, cv = (static_cast<double>(h) - 1) / 2;
    const auto plane = static_cast<std::size_t>(h * w);
    scratch.assign(x, x + static_cast<std::size_t>(c) * plane);
    for (int64_t v = 0; v < h; ++v)
        for (int64_t u = 0; u < w; ++u) {
            const double du = static_cast<double>(u) - cu - tx, dv = static_cast<double>(v) - cv - ty;
            const double su = i00 * du + i01 * dv + cu, sv = i10 * du + i11 * dv + cv;
            const double u0 = std::floor(su), v0 = std::floor(sv);
            const double au = su - u0, av = sv - v0;
            for (int64_t ch = 0; ch < c; ++ch) {
                const float* src = scratch.data() + static_cast<std::size_t>(ch) * plane;
                auto at = [&](double uu, double vv) -> double {
                    if (uu < 0 || vv < 0 || uu > static_cast<double>(w - 1) || vv > static_cast<double>(h - 1)) return 0.0;
                    return src[static_cast<std::size_t>(vv) * static_cast<std::size_t>(w) + static_cast<std::size_t>(uu)];
                };
                const double value = (1 - av) * ((1 - au) * at(u0, v0) + au * at(u0 + 1, v0)) +
                                     av * ((1 - au) * at(u0, v0 + 1) + au * at(u0 + 1, v0 + 1));
                x[static_cast<std::size_t>(ch) * plane + static_cast<std::size_t>(v * w + u)] = static_cast<float>(value);
            }
        }
}

} // namespace

void augmentSample(const AugmentConfig& cfg, const Shape& sampleShape, float* x, Rng& rng,
                   std::vector<float>& scratch) {
    const bool image = sampleShape.rank() == 3;
    const int64_t n = sampleShape.numel();
    if (image && cfg.geometric()) affine(cfg, sampleShape[0], sampleShape[1], sampleShape[2], x, rng, scratch);
    if (cfg.brightness > 0) {
        const auto delta = static_cast<float>(symmetric(rng, cfg.brightness));
        for (int64_t i = 0; i < n; ++i) x[i] += delta;
    }
    if (cfg.noise > 0)
        for (int64_t i = 0; i < n; ++i) x[i] += static_cast<float>(cfg.noise * rng.normal());
    if (image && cfg.cutout > 0) {
        const int64_t c = sampleShape[0], h = sampleShape[1], w = sampleShape[2];
        const auto side = std::max<int64_t>(1, std::llround(cfg.cutout * static_cast<double>(std::min(h, w))));
        // The square's centre is uniform over the image; it may hang over the border.
        const auto cy = static_cast<int64_t>(rng.below(static_cast<uint64_t>(h)));
        const auto cx = static_cast<int64_t>(rng.below(static_cast<uint64_t>(w)));
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t v = std::max<int64_t>(0, cy - side / 2); v < std::min(h, cy - side / 2 + side); ++v)
                for (int64_t u = std::max<int64_t>(0, cx - side / 2); u < std::min(w, cx - side / 2 + side); ++u)
                    x[(ch * h + v) * w + u] = 0.f;
    }
}

} // namespace neurite
