// Layer: the contract every layer type implements (one .h/.cpp pair per type in this folder).
// Forward overwrites dst; backward overwrites diffSrc (entries may be null when that input needs
// no gradient) and overwrites its parameters' gradients (each parameter belongs to one layer). Layers hold per-shape plans from
// the backend and never touch oneDNN or CUDA themselves.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/backend.h"
#include "core/shape.h"
#include "core/tensor.h"

namespace neurite {

struct LayerContext {
    Backend& backend;
    bool training = true;
    uint64_t seed = 0;  // run seed
    int64_t step = 0;   // global step, mixed into per-step randomness (dropout)
    DType compute = DType::F32;  // BF16: dense and conv compute in bf16 (fp32 master weights)
};

// UniformFanIn: uniform in +-1/sqrt(fanIn), torch's default for recurrent layers; StandardNormal:
// N(0, 1), torch's default for embeddings.
enum class Init { Zeros, Ones, HeUniform, HeNormal, GlorotUniform, GlorotNormal, UniformFanIn, StandardNormal };

// A parameter (trainable) or buffer (running statistics) a layer needs, declared from the
// layer's symbolic input shapes. fanIn/fanOut feed the initializers.
struct ParamSpec {
    std::string name;  // "weight", "bias", "running_mean"
    Shape shape;
    Init init = Init::Zeros;
    int64_t fanIn = 0, fanOut = 0;
    bool trainable = true;  // false: a buffer, kept out of the optimizer
    bool decay = true;      // subject to L1/L2 regularization (weights, not biases)
    bool lookup = false;    // a table read by index (Embedding): costs no multiply-adds
};

// A view into the parameter store. grad is undefined for buffers.
struct Param {
    std::string name;
    Tensor value;
    Tensor grad;
};

class Layer {
public:
    virtual ~Layer() = default;

    // Parameters and buffers, from the inferred input shapes (symbolic batch).
    virtual std::vector<ParamSpec> paramSpecs(std::span<const Shape> srcShapes) const {
        (void)srcShapes;
        return {};
    }
    // Views into the store, in paramSpecs() order; called once before the first forward.
    virtual void bindParams(std::span<Param> params) { (void)params; }
    // A frozen layer (its node is not trainable) keeps its parameters; one with state it updates
    // in training (BatchNorm's running statistics) keeps that too.
    virtual void setFrozen(bool frozen) { (void)frozen; }

    virtual void forward(LayerContext& ctx, std::span<const Tensor* const> src, Tensor& dst) = 0;
    // Compiled inference (backend.h, InferenceDesc): fills `op` with this layer in inference mode
    // for concrete src shapes (kind, parameters as views of the bound ones; the caller sets
    // inputs, dst and node), or returns false when the layer has no compiled form (the model
    // then runs layer by layer).
    virtual bool inferenceOp(std::span<const Shape> srcShapes, InferOp& op) const {
        (void)srcShapes;
        (void)op;
        return false;
    }
    virtual void backward(LayerContext& ctx, std::span<const Tensor* const> src, const Tensor& dst,
                          const Tensor& diffDst, std::span<Tensor* const> diffSrc) = 0;

    // A per-node constant the model sets once (layerSalt(node id)); layers that draw random
    // numbers (Dropout) mix it into their seed so that two such nodes draw different masks.
    void setSalt(uint64_t salt) { m_salt = salt; }
    uint64_t salt() const { return m_salt; }

private:
    uint64_t m_salt = 0;
};

// FNV-1a of a node id: a stable per-node salt for Layer::setSalt.
inline uint64_t layerSalt(std::string_view nodeId) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (char c : nodeId) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return h;
}

// A few plans per layer, one per concrete batch size (training, last batch, evaluation).
template <class Plan>
class PlanCache {
public:
    template <class Make>
    Plan& get(int64_t batch, Make&& make) {
        for (auto& [n, plan] : m_plans)
            if (n == batch) return *plan;
        m_plans.emplace_back(batch, make());
        return *m_plans.back().second;
    }

private:
    std::vector<std::pair<int64_t, std::unique_ptr<Plan>>> m_plans;
};

}  // namespace neurite
