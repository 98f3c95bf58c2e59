// GraphCost: what a resolved graph costs without building it on a device: trainable parameters
// per node, forward FLOPs per sample and an estimate of the memory a training step needs. The
// designer shows these live while the user edits; the numbers match Model's for the same graph.
#pragma once

#include <cstdint>
#include <vector>

#include "graph/graph.h"
#include "config/train_config.h"
#include "layers/layer.h"

namespace neurite {

struct GraphCost {
    std::vector<int64_t> params;    // per node (file order): trainable parameters; 0 when unknown
    std::vector<int64_t> buffers;   // per node: non-trainable values (BatchNorm statistics)
    std::vector<int64_t> activations;  // per node: output values per sample; 0 when unknown
    int64_t totalParams = 0;
    int64_t totalBuffers = 0;
    double flopsPerSample = 0;      // forward, multiply-adds count 2 (as Model counts them)
    bool complete = false;          // every node's shape was inferred (graph.ok())
};

// Forward FLOPs per sample of a layer's "weight" (first axis: the output channels or units) for
// its output shape `out` (batch first): each output channel's weights are used once per output
// position, whatever the layout ([N,K], [N,K,H,W], Conv1D's [N,T,K]). 0 when a size is unknown.
double weightFlopsPerSample(const Shape& weight, const Shape& out);
// Forward FLOPs per sample of one parameter: "weight" as above; a recurrent layer's "weight_ih"
// and "weight_hh" are used once per time step (src [N,T,C]); others (biases, norms) count 0.
double paramFlopsPerSample(const ParamSpec& spec, const Shape& src, const Shape& out);

// Nodes whose shape could not be inferred count as zero. Never throws on user input.
GraphCost estimateCost(const std::vector<Node>& nodes, const ResolvedGraph& graph);

// Bytes one fp32 training step at `batch` needs: parameters, gradients and the optimizer's
// state (Adam/AdamW two moments, SGD with momentum and RMSprop one or two), buffers, and each
// node's activation plus its gradient. Backend workspaces are not counted, so it is a floor.
// Counts saturate near 9e18 instead of overflowing.
int64_t estimateTrainingBytes(const GraphCost& cost, int64_t batch, const OptimizerConfig& opt);

}  // namespace neurite
