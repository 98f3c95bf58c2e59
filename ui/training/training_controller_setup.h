// Worker-side helpers of the TrainingController (training_controller_setup.cpp).
#pragma once

#include <memory>
#include <vector>

#include "run/run_setup.h"
#include "run_store.h"
#include "training_controller.h"

namespace neurite {

// The prepared run as the Training tab shows it: the data's description, device and steps.
RunPrepared preparedRun(const RunSetup& s, const DataDescription& data);
// A branch's copied history (its step losses and epochs in the store) as the events the plots
// take, each step placed within its epoch.
void branchHistory(storage::RunStore& store, int64_t id, int epochs, std::vector<StepEvent>& steps,
                   std::vector<EpochEvent>& epochEvents);

// The activation maps of sample `index` (clamped to the split) of `split`, with its class (-1
// without labels). Throws what activationMaps throws.
struct SampleActivations {
    std::shared_ptr<const ActivationMaps> maps;
    int64_t sample = -1;
    int label = -1;
};
SampleActivations sampleActivations(Model& model, const std::vector<Node>& nodes, const ResolvedGraph& graph,
                                    const Preprocessing& preprocessing, const DataSplit& split, int64_t sampleValues,
                                    int64_t index);

// What the Activations tab needs once a run has ended: the trained model (as the run left it)
// and the split its samples come from, kept until the next run starts.
struct ModelAfterRun {
    std::unique_ptr<Model> model;
    ResolvedGraph graph;
    std::vector<Node> nodes;
    Preprocessing preprocessing;
    DataSplit split;
    int64_t sampleValues = 0;
};

}  // namespace neurite
