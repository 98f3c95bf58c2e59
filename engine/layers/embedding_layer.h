// Embedding: token ids [N, T] (whole numbers held as f32, as every sample is) to vectors
// [N, T, dimension], as torch.nn.Embedding(vocabulary_size, dimension, padding_idx). weight
// [vocabulary_size, dimension] starts as N(0, 1) like torch's, with the padding row zero; the
// padding id always gives a zero vector and its row gets no gradient. The ids themselves take
// no gradient (the layer writes zeros where one is asked for).
#pragma once

#include "layers/layer.h"

namespace neurite {

class EmbeddingLayer : public Layer {
public:
    EmbeddingLayer(int64_t vocabulary, int64_t dimension, int64_t paddingIdx)
        : m_vocabulary(vocabulary), m_dimension(dimension), m_paddingIdx(paddingIdx) {}

    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;
    void bindParams(std::span<Param> params) override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    int64_t m_vocabulary, m_dimension, m_paddingIdx;
    Param m_weight;
};

}  // namespace neurite
