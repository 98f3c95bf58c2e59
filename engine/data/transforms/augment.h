// On-the-fly augmentation of training samples (never validation or test). Geometric transforms
// apply to images [C, H, W] as one affine map (flip, rotation, shear, zoom, shift) sampled
// bilinearly with zero fill; brightness, Gaussian noise and cutout follow. Values are the
// scaled features (raw * scale, e.g. pixels in [0, 1]) before standardization.
// Every random draw comes from an Rng the caller seeds with (seed, epoch, position), so a
// resumed run reproduces an uninterrupted one.
#pragma once

#include <cstdint>
#include <vector>

#include "config/data_config.h"
#include "core/random.h"
#include "core/shape.h"

namespace neurite {

// Augments one sample in place. sampleShape: [C, H, W] for images (geometric transforms and
// cutout need rank 3; other shapes get brightness and noise only). scratch is resized as needed.
void augmentSample(const AugmentConfig& cfg, const Shape& sampleShape, float* x, Rng& rng,
                   std::vector<float>& scratch);

// The seed of the generator for one sample: a pure function of its arguments.
uint64_t augmentSeed(uint64_t seed, int epoch, int64_t position);

// A draw from Beta(alpha, alpha) (alpha > 0), from two Gamma(alpha) draws (Marsaglia-Tsang).
double sampleBeta(Rng& rng, double alpha);

} // namespace neurite
