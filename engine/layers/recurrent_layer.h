// LSTM and GRU over sequences [N, T, C], as torch.nn.LSTM / torch.nn.GRU with batch_first=True,
// one layer and a zero initial state (stack two nodes for two layers; a Dropout node between
// them is dropout between layers). Parameters in torch's layout (backend.h, RnnWeights), the
// reverse direction's stacked after the forward one's:
//   weight_ih [D*G*H, C], weight_hh [D*G*H, H], bias_ih [D*G*H], bias_hh [D*G*H]
// initialized as torch does: uniform in +-1/sqrt(H) (biases too). Output: every step's state
// [N, T, O] with return_sequences, else the final state [N, O] (the reverse direction's final
// state is the one after it has read the first step); O = 2H for a bidirectional concat,
// else H. The equations are RnnPlan's (backend.h).
#pragma once

#include "layers/layer.h"

namespace neurite {

struct RecurrentConfig {
    RnnCell cell = RnnCell::Lstm;
    int64_t units = 64;
    bool returnSequences = false;
    RnnMerge merge = RnnMerge::None;  // None: one direction
    bool bias = true;
};

class RecurrentLayer : public Layer {
public:
    explicit RecurrentLayer(const RecurrentConfig& config) : m_cfg(config) {}

    RnnDesc describe(const Shape& src) const;
    std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const override;
    void bindParams(std::span<Param> params) override;
    void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) override;
    void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                  const Tensor& diffDst, std::span<Tensor* const> diffSrc) override;

private:
    RnnPlan& plan(LayerContext& ctx, const Tensor& src);
    RnnWeights weights() const;

    RecurrentConfig m_cfg;
    Param m_weightIh, m_weightHh, m_biasIh, m_biasHh;
    PlanCache<RnnPlan> m_plans;
};

} // namespace neurite
