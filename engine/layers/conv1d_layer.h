// Conv1D over sequences [N, T, C] (time, then channels, as Keras and as an LSTM's output), as
// torch.nn.Conv1d (cross-correlation) on the transposed [N, C, T]: weight [K, C, k], bias [K].
//   forward:  y[n,t,k] = b[k] + sum_{c,j} x[n, t*s - pl + j*d, c] W[k,c,j]   (out-of-range x = 0)
//   backward: dx[n,u,c] = sum over the (t, j) that read x[n,u,c] of dy[n,t,k] W[k,c,j]
//             dW[k,c,j] = sum_{n,t} dy[n,t,k] x[n, t*s - pl + j*d, c] ; db[k] = sum dy
// The taps span e = d (k - 1) + 1 steps. Padding: valid (none: T' = (T - e) / s + 1), same
// (T' = ceil(T / s), the total max((T' - 1) s + e - T, 0) split with the extra step after, as
// TensorFlow), causal (e - 1 steps before, none after: output t sees inputs up to t * s only).
// Runs on the backend's convolution plan in channels-last form (ConvDesc::channelsLast, height 1).
#pragma once

#include "layers/convolution_layer.h"

namespace neurite {

struct Conv1DConfig {
    enum class Padding { Valid, Same, Causal };
    int64_t filters = 1, kernel = 3, stride = 1, dilation = 1;
    Padding padding = Padding::Same;
    bool bias = true;
    Init init = Init::HeUniform;
};

class Conv1DLayer : public ConvolutionLayer {
public:
    explicit Conv1DLayer(const Conv1DConfig& config)
        : ConvolutionLayer(config.bias, config.init), m_cfg(config) {}

    // src [N, T, C], as a channels-last plan of height 1
    ConvDesc describe(const Shape& src) const override;
    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;

private:
    Conv1DConfig m_cfg;
};

} // namespace neurite
