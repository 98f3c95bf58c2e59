// Conv2D, as torch.nn.Conv2d (cross-correlation) with TF-style "same" padding: weight [K,C,R,S],
// bias [K].
//   forward:  y[n,k,p,q] = b[k] + sum_{c,r,s} x[n,c, p*sh - pt + r, q*sw - pl + s] W[k,c,r,s]
//   backward: dx[n,c,h,w] = sum over the taps that read x[n,c,h,w] of dy[n,k,p,q] W[k,c,r,s]
//             dW[k,c,r,s] = sum_{n,p,q} dy[n,k,p,q] x[n,c,p*sh-pt+r,q*sw-pl+s] ; db[k] = sum dy
// same: out = ceil(in/stride), total pad = max((out-1)*stride + k - in, 0), top/left = total/2;
// explicit: the pads as given (an imported ONNX Conv's). Dilation d spaces the taps d apart.
// groups G: weight [K, C/G, R, S]; output channel k reads only the C/G input channels of its
// group k / (K/G) (torch.nn.Conv2d(groups=G); G = C = K is a depthwise convolution).
#pragma once

#include <string>
#include <vector>

#include "layers/convolution_layer.h"

namespace neurite {

struct Conv2DConfig {
    int64_t filters = 1;
    int64_t kernelH = 3, kernelW = 3, strideH = 1, strideW = 1;
    int64_t dilationH = 1, dilationW = 1, groups = 1;
    std::string padding = "same";           // same | valid | explicit
    std::vector<int64_t> pads{0, 0, 0, 0};  // explicit: top, left, bottom, right
    bool bias = true;
    Init init = Init::HeUniform;
};

class Conv2DLayer : public ConvolutionLayer {
public:
    explicit Conv2DLayer(const Conv2DConfig& config)
        : ConvolutionLayer(config.bias, config.init), m_cfg(config) {}

    // src [N,C,H,W]
    ConvDesc describe(const Shape& src) const override;
    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;

private:
    Conv2DConfig m_cfg;
};

} // namespace neurite
