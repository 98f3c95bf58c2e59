// Softmax over dimension 1 of [N,C,...], as torch.nn.Softmax(dim=1), and LogSoftmax, its
// logarithm, as torch.nn.LogSoftmax(dim=1).
//   softmax:     y[n,c] = exp(x[n,c] - max) / sum_j exp(x[n,j] - max)
//                dx[n,c] = y[n,c] (dy[n,c] - sum_j dy[n,j] y[n,j])
//   log-softmax: y[n,c] = x[n,c] - max - log(sum_j exp(x[n,j] - max))
//                dx[n,c] = dy[n,c] - exp(y[n,c]) sum_j dy[n,j]
// A classifier trained with cross-entropy needs neither: the loss applies its own softmax. A
// trailing LogSoftmax (as a PyTorch model trained with NLLLoss ends) does no harm there, since
// softmax(log_softmax(x)) = softmax(x); a trailing Softmax would apply it twice.
#pragma once

#include "layers/layer.h"

namespace neurite {

class SoftmaxLayer : public Layer {
public:
    explicit SoftmaxLayer(bool log = false) : m_log(log) {}
    bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    bool m_log;
};

} // namespace neurite
