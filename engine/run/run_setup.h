// RunSetup: everything between a project document and a Trainer, shared by the CLI and the GUI:
// load the data, resolve the graph against it, lint the loss, pick the device, build the model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "data/dataset.h"
#include "graph/graph.h"
#include "graph/model.h"
#include "io/project.h"

namespace neurite {

struct RunSetup {
    ProjectDocument project;
    Dataset data;
    ResolvedGraph graph;
    std::vector<std::string> warnings;  // "fc1: ..." lines for the user
    Backend* backend = nullptr;
    std::string deviceNote;              // e.g. why "auto" chose the CPU
    std::string weightsNote;             // where model.weights came from (io/initial_weights.h)
    std::unique_ptr<Model> model;
};

// Throws Error{BadInput} listing every graph error (one per line), or the data/device error.
RunSetup prepareRun(const ProjectDocument& project);
// The same with data already loaded (one fold of a cross-validation).
RunSetup prepareRun(const ProjectDocument& project, Dataset data);

// Memory the system can give this process now, in bytes (the smaller of MemAvailable and its
// cgroup's limit minus usage, train/host_memory.h); 0 when unknown.
double availableHostBytes();
// Throws Error{BadInput} when training `graph` at the project's batch size needs more than
// `availableBytes` (estimateTrainingBytes, a floor), saying which batch size fits or that the
// parameters alone do not. prepareRun calls it for the CPU. cgroupLimited: the figure is what
// the process's cgroup limit leaves (the message says so instead of "this machine has").
void checkTrainingMemory(const ProjectDocument& project, const ResolvedGraph& graph,
                         double availableBytes, bool cgroupLimited = false);

}  // namespace neurite
