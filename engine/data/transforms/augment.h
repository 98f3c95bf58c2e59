// On-the-fly augmentation of training samples (never validation or test). Geometric transforms
// apply to images [C, H, W] as one affine map (flip, rotation, shear, zoom, shift) sampled
// bilinearly with zero fill; brightness, Gaussian noise and cutout follow. Values are the
// scaled features (raw * scale, e.g. pixels in [0, 1]) before standardization.
// Every random draw comes from an Rng the caller seeds with (seed, epoch, position), so a
// resumed run reproduces an uninterrupted one.
#pragma once

#include <cstdint>
#include <vector>

#include "core/shape.h"
#include "data/random.h"

namespace neurite {

struct AugmentConfig {
    bool horizontalFlip = false;  // mirror left-right with probability 1/2
    bool verticalFlip = false;    // mirror top-bottom with probability 1/2
    float shift = 0;        // translate by up to this fraction of the width/height, each axis
    float rotation = 0;     // rotate by up to +- this many degrees
    float zoom = 0;         // scale by a factor in [1 - zoom, 1 + zoom]
    float shear = 0;        // shear by up to +- this many degrees
    float brightness = 0;   // add a value in [-brightness, +brightness] to every feature
    float noise = 0;        // add Gaussian noise of this standard deviation to every feature
    float cutout = 0;       // zero a square with side this fraction of the smaller image side
    float mixup = 0;        // mixup alpha: batch = lambda x + (1 - lambda) x[perm], lambda ~ Beta(alpha, alpha)
    bool any() const;
    bool geometric() const;
};

// Augments one sample in place. sampleShape: [C, H, W] for images (geometric transforms and
// cutout need rank 3; other shapes get brightness and noise only). scratch is resized as needed.
void augmentSample(const AugmentConfig& cfg, const Shape& sampleShape, float* x, Rng& rng,
                   std::vector<float>& scratch);

// The seed of the generator for one sample: a pure function of its arguments.
uint64_t augmentSeed(uint64_t seed, int epoch, int64_t position);

// A draw from Beta(alpha, alpha) (alpha > 0), from two Gamma(alpha) draws (Marsaglia-Tsang).
double sampleBeta(Rng& rng, double alpha);

} // namespace neurite
