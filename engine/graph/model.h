// Model: a resolved graph instantiated on one backend. Parameters live in one contiguous store
// (values, parallel gradients) so the optimizer, clipping, the NaN scan and snapshots are each
// one pass; buffers (BatchNorm running statistics) live in a second store kept out of the
// optimizer. Activations and their gradients are allocated once per concrete batch size.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "graph/graph.h"
#include "layers/layer.h"

namespace neurite {

struct ParamInfo {
    std::string node;  // owning node id
    std::string name;  // "weight"
    Shape shape;
    int64_t offset = 0;  // in the store (values/grads for trainable, buffers otherwise)
    bool trainable = true;
    bool decay = true;
    // Multiplies the learning rate of this parameter: 0 when its node is frozen (not trainable),
    // training.pretrained_lr_scale for one loaded from the project's starting weights, else 1.
    float lrScale = 1.f;
};

class Model {
public:
    // graph must be ok(). Parameters are initialized from `seed` (per parameter, in order).
    Model(Backend& backend, const std::vector<Node>& nodes, const ResolvedGraph& graph,
          uint64_t seed);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    Backend& backend() { return m_backend; }
    // The graph it was built from: node i's id, op (layer type) and resolved parameters.
    const ResolvedGraph& graph() const { return m_graph; }
    const std::string& nodeId(int i) const { return m_ids[static_cast<std::size_t>(i)]; }
    const std::string& nodeOp(int i) const { return m_ops[static_cast<std::size_t>(i)]; }
    // Compute type of dense and convolution layers (F32, or BF16 where supports() allows it);
    // set before the first forward, plans are built with it.
    void setCompute(DType compute) { m_compute = compute; }
    const Shape& inputShape() const;   // [N, sample...]
    const Shape& outputShape() const;  // [N, units...]

    // input: f32 [n, sample...] on the model's device. Returns the output node's tensor
    // [n, units...], valid until the next forward with the same batch size.
    const Tensor& forward(const Tensor& input, bool training, int64_t step, uint64_t seed);
    // Called in forward after each node has computed its output (the input node first, with the
    // input tensor), by node index in the project's node list. It may read the tensor (activation
    // calibration) or rewrite it in place (simulated quantization: every consumer then sees the
    // rewritten values). Empty by default; training and inference never set it.
    using ForwardHook = std::function<void(int node, Tensor& output)>;
    void setForwardHook(ForwardHook hook) { m_hook = std::move(hook); }
    // The whole model compiled for inference at one batch size (backend.h, InferencePlan), with
    // the parameters as they are now; null with the reason in *whyNot when a layer has no
    // compiled form or the backend compiles none (then use forward).
    // With `int8`, the plan computes the int8 graph it describes (InferOp::output and
    // weightScales, by node index; the input node's entry quantizes the input).
    struct Int8Spec {
        std::map<int, InferQuant> outputs;
        std::map<int, std::vector<float>> weightScales;
    };
    std::unique_ptr<InferencePlan> compileInference(int64_t batch, std::string* whyNot = nullptr,
                                                    const Int8Spec* int8 = nullptr);
    // Values of every node's output per sample (the input's included): what one sample's
    // activations take, for sizing batches.
    int64_t activationValuesPerSample() const;
    // diffOutput: dLoss/dOutput for the last forward (training). Overwrites all gradients.
    void backward(const Tensor& diffOutput, int64_t step, uint64_t seed);

    Tensor& values() { return m_values; }
    Tensor& grads() { return m_grads; }
    Tensor& buffers() { return m_buffers; }
    const std::vector<ParamInfo>& params() const { return m_params; }
    // Parameter k's learning-rate multiplier (ParamInfo::lrScale); a frozen one stays at 0.
    void setLrScale(std::size_t k, float scale);
    int64_t parameterCount() const { return m_values.numel(); }
    // Forward FLOPs per sample (multiply-adds count 2), for benchmarks and the designer.
    double forwardFlopsPerSample() const { return m_flopsPerSample; }

    // Weights and buffers copied to the host and back (best-weights restore, checkpoints).
    std::vector<float> snapshot();
    void restore(const std::vector<float>& snapshot);

private:
    struct Workspace;
    Workspace& workspace(int64_t batch);
    void initialize(uint64_t seed);

    Backend& m_backend;
    const ResolvedGraph m_graph;
    std::vector<std::string> m_ids, m_ops;
    std::vector<std::unique_ptr<Layer>> m_layers;
    std::vector<std::vector<Param>> m_layerParams;
    std::vector<char> m_needsGrad;      // per node: gradient flows through it
    std::vector<int> m_consumers;       // per node: number of consumer edges
    std::vector<ParamInfo> m_params;
    std::vector<std::vector<ParamSpec>> m_specs;
    Tensor m_values, m_grads, m_buffers;
    std::vector<std::unique_ptr<Workspace>> m_workspaces;
    Workspace* m_last = nullptr;
    double m_flopsPerSample = 0;
    DType m_compute = DType::F32;
    ForwardHook m_hook;
    // Reused argument lists for the layer calls, so a steady-state step allocates nothing.
    std::vector<const Tensor*> m_srcScratch;
    std::vector<Tensor*> m_diffScratch;
};

}  // namespace neurite
