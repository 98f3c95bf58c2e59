// Rounding sensitivity: how much does one unit in the last place change a training? Two fp32
// implementations of the same model (CPU and GPU, oneDNN and PyTorch) round differently, and some
// trainings amplify that (an LSTM under Adam turns a 1-ulp change of one weight into a 5%
// difference of the validation loss after an epoch, docs/gpu.md). Training once as it is and once
// with the initial weights moved by one ulp measures that amplification, which is the floor of
// any cross-device comparison (`neurite-cli train --perturb 1`, scripts/gpu_check.sh).
#pragma once

#include <cstdint>

namespace neurite {

class Model;

// Moves every nonzero parameter value by `ulps` units in the last place, away from zero at even
// positions of the parameter store and towards zero at odd ones (so the weights' scale stays);
// zeros stay zero (their neighbours are denormals that flush to zero). Buffers (batch-norm
// statistics) are left alone. Returns how many values moved. `ulps` in 1..1024.
int64_t perturbWeights(Model& model, int ulps);

}  // namespace neurite
