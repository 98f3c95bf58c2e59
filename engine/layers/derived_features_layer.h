// DerivedFeatures: TensorFlow Playground's input features for 2-D data. It reads the two raw
// features (x, y) of a sample and writes the chosen ones of x, y, x², y², xy, sin x, sin y, in
// that order, so that a single neuron can separate a circle (x² + y²) or XOR (xy). Computed on
// the host (a few values per sample), so every backend has it; its gradient is the derivative
// of each feature, for a model that puts layers before it.
#pragma once

#include <cstdint>
#include <vector>

#include "layers/layer.h"

namespace neurite {

enum class DerivedFeature { X, Y, XSquared, YSquared, XY, SinX, SinY };

class DerivedFeaturesLayer : public Layer {
public:
    explicit DerivedFeaturesLayer(std::vector<DerivedFeature> features) : m_features(std::move(features)) {}

    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

    // One feature of (x, y), and its partial derivatives.
    static float value(DerivedFeature f, float x, float y);
    static void gradient(DerivedFeature f, float x, float y, float& dx, float& dy);

private:
    std::vector<DerivedFeature> m_features;
    std::vector<float> m_in, m_out, m_diff;  // host buffers, reused
};

}  // namespace neurite
