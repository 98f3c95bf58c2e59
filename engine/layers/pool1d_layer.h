// MaxPool1D, AvgPool1D, GlobalMaxPool1D and GlobalAvgPool1D over sequences [N, T, C], as
// torch.nn.MaxPool1d / AvgPool1d (count_include_pad=False) on the transposed [N, C, T], with
// TF-style "same" padding; the global forms reduce the whole time axis, [N, T, C] -> [N, C]
// (Keras' GlobalMaxPooling1D / GlobalAveragePooling1D).
//   max: y[n,t,c] = max over the window's in-bounds x[n,·,c]; backward routes dy to the argmax
//   avg: y[n,t,c] = mean of the window's in-bounds x[n,·,c]; each receives dy / count
// Runs on the backend's 2-D pooling plan with the sequence seen as one image [N, 1, T, C] and a
// window of pool x 1: each channel is pooled along time on its own, and no memory moves.
#pragma once

#include "layers/layer.h"

namespace neurite {

struct Pool1DConfig {
    PoolKind kind = PoolKind::Max;
    bool global = false;
    int64_t pool = 2, stride = 2;
    bool same = false;
};

class Pool1DLayer : public Layer {
public:
    explicit Pool1DLayer(const Pool1DConfig& config) : m_cfg(config) {}

    // The plan for a concrete src shape [N, T, C] (also used by the shape rule).
    PoolDesc describe(const Shape& src) const;

    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    PoolPlan& plan(LayerContext& ctx, const Tensor& src);

    Pool1DConfig m_cfg;
    PlanCache<PoolPlan> m_plans;
};

} // namespace neurite
