// Reconstructions of an autoencoder (data.reconstruct): the first held-out samples as the model
// sees them (the dataset's fitted scaling, gatherFeatures) and the model's outputs for them, in
// inference mode. The Training tab shows them after each epoch; the training worker calls this
// between two steps, so it may use the model being trained.
#pragma once

#include <cstdint>
#include <vector>

#include "data/data_description.h"
#include "data/dataset.h"
#include "graph/model.h"

namespace neurite {

struct Reconstructions {
    int64_t count = 0;  // samples reconstructed
    Shape sampleShape;
    // [count, sample...] each: the scaled inputs (also the training targets) and the outputs.
    std::vector<float> inputs, outputs;
    // The same as pictures, each pair on its input's range (a perfect reconstruction looks alike).
    std::vector<SampleImage> inputImages, outputImages;
};

inline constexpr int64_t kReconstructedSamples = 8;

// The first `count` samples of the validation split (the training split when there is none).
// Throws Error{BadInput} when the samples are not images (isImageShape) or the model's output
// does not hold one value per input value; returns count 0 when the split is empty.
Reconstructions reconstructSamples(Model& model, const Dataset& data, int64_t count = kReconstructedSamples);

}  // namespace neurite
