// Gradient checking by central finite differences, for any backend: a layer's backward (diffSrc
// and parameter gradients) and a fused loss's diffLogits are compared with numerical derivatives.
// Data moves through copyFromHost/copyToHost, so the same checks run on a device backend.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "layers/registry.h"

namespace neurite::test {

struct GradCheckOptions {
    uint64_t seed = 1;  // data, parameters, R and the probed elements
    double step = 5e-3; // central-difference step h
    double rtol = 1e-2; // pass iff |a - n| <= atol + rtol * max(|a|, |n|)
    double atol = 1e-3;
    int probes = 40;       // elements checked per tensor (all of them when fewer)
    double minAbs = 0;     // inputs drawn with |x| in [minAbs, 1]: keeps ReLU-like kinks away
    bool distinct = false; // inputs are a shuffled grid spaced 4h apart (max pooling ties)
    bool training = true;  // LayerContext::training
    int64_t ids = 0;       // > 0: input 0 holds whole token ids in [0, ids) (LayerExample::ids)
};

struct GradCheckResult {
    bool ok = true;
    std::string message; // what failed, where, with the seed
    int checked = 0;     // derivatives compared
    double worst = 0;    // largest |a - n| / (atol + rtol * max(|a|, |n|)); ok iff <= 1
};

// Builds the layer from the registry (checkParams must pass), binds random parameters (buffers
// take their declared init), runs forward and backward with L = sum(dst * R), R random, and
// compares diffSrc of every input and the gradient of every trainable parameter with central
// differences of L. diffSrc and gradients are pre-filled with a sentinel, so a backward that
// accumulates or skips a write fails. srcShapes are concrete (batch included).
GradCheckResult gradCheckLayer(Backend& backend, const std::string& typeName,
                               const std::map<std::string, ParamValue>& params,
                               const std::vector<Shape>& srcShapes,
                               const GradCheckOptions& options);

// A fused loss: returns the loss of x and writes dLoss/dx into diff (both on the backend).
using LossFn = std::function<float(Backend& backend, const Tensor& x, Tensor& diff)>;

// Compares the loss's diff with central differences of its returned value. x starts at `initial`
// (host values, numel of shape) when given, else uniform in [-2, 2].
GradCheckResult gradCheckLoss(Backend& backend, const Shape& shape, const LossFn& loss,
                              const GradCheckOptions& options,
                              const std::vector<float>* initial = nullptr);

// Host <-> backend helpers for tests.
Tensor toBackend(Backend& backend, const std::vector<float>& values, const Shape& shape);
Tensor toBackendI32(Backend& backend, const std::vector<int32_t>& values, const Shape& shape);
std::vector<float> toHost(Backend& backend, const Tensor& t);
std::vector<float> uniform(std::mt19937_64& rng, int64_t count, double lo, double hi);

} // namespace neurite::test
