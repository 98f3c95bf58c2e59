// Optimizer: one update pass over the model's whole parameter store (values, grads and the
// optimizer state are parallel flat arrays), after explicit L1/L2 regularization and clipping.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/model.h"
#include "config/train_config.h"

namespace neurite {

class Optimizer {
public:
    Optimizer(Model& model, const OptimizerConfig& cfg, float l1, float l2, float clipNorm);

    // Applies regularization, clips by global norm, updates. Returns the gradient norm before
    // clipping (or -1 when it was not computed). Throws Error{Diverged} on a non-finite norm.
    double step(float lr);
    // L1 and L2 penalties from the next step on (changed while a run is paused).
    void setRegularization(float l1, float l2) {
        m_l1 = l1;
        m_l2 = l2;
    }
    int64_t steps() const { return m_steps; }

    // Moments (host copies; the second is empty for SGD) and the step count, for checkpoints.
    // loadState throws Error{BadInput} when the sizes do not fit this model and optimizer.
    void saveState(std::vector<float>& state1, std::vector<float>& state2, int64_t& steps);
    void loadState(const std::vector<float>& state1, const std::vector<float>& state2, int64_t steps);
    bool fits(const std::vector<float>& state1, const std::vector<float>& state2) const;

private:
    void update(Tensor& values, const Tensor& grads, Tensor& state1, Tensor& state2, float lr);

    Model& m_model;
    OptimizerConfig m_cfg;
    float m_l1, m_l2, m_clipNorm;
    Tensor m_state1, m_state2;
    int64_t m_steps = 0;
    // Runs of the parameter store stepped with one learning-rate multiplier (ParamInfo::lrScale):
    // one run over everything when nothing is frozen or scaled; frozen parameters are in none.
    struct Range {
        int64_t offset = 0, count = 0;
        float scale = 1.f;
    };
    std::vector<Range> m_ranges;
    bool m_whole = true;  // one run covering the whole store
};

}  // namespace neurite
