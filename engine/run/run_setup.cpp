// Project -> data, graph, device and model, with every problem reported at once.
#include "run/run_setup.h"

#include <cstdio>
#include <string>

#include "devices/device_registry.h"
#include "core/error.h"
#include "data/data_source.h"
#include "graph/graph_cost.h"
#include "io/initial_weights.h"
#include "layers/registry.h"
#include "train/host_memory.h"

namespace neurite {

namespace {

std::string gib(double bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GiB", bytes / double(1 << 30));
    return text;
}

}  // namespace

double availableHostBytes() { return hostMemory().bytes; }

void checkTrainingMemory(const ProjectDocument& project, const ResolvedGraph& graph,
                         double availableBytes, bool cgroupLimited) {
    if (availableBytes <= 0) return;  // unknown: nothing to compare with
    const GraphCost cost = estimateCost(project.nodes, graph);
    const OptimizerConfig& opt = project.training.optimizer;
    // In double: absurd layer sizes must not overflow on the way to the message.
    const double fixed = double(estimateTrainingBytes(cost, 0, opt));
    const double perSample = double(estimateTrainingBytes(cost, 1, opt)) - fixed;
    const int64_t batch = project.training.batchSize;
    const double need = fixed + perSample * double(batch);
    if (need <= availableBytes) return;
    std::string fits;
    if (fixed >= availableBytes)
        fits = "the parameters with their gradients and optimizer state alone need " + gib(fixed) +
               "; make the layers smaller (fewer units or filters)";
    else
        fits = "a batch size of at most " +
               std::to_string(static_cast<int64_t>((availableBytes - fixed) / perSample)) +
               " fits, or make the layers smaller";
    throwBadInput("training this model at batch size " + std::to_string(batch) + " needs at least " +
                  gib(need) + " of memory, but " +
                  (cgroupLimited ? "the memory limit of this process's cgroup (memory.max) leaves "
                                 : "this machine has ") +
                  gib(availableBytes) + (cgroupLimited ? "; " : " available; ") + fits);
}

RunSetup prepareRun(const ProjectDocument& project) {
    return prepareRun(project, loadDataset(project.data, project.training.seed));
}

RunSetup prepareRun(const ProjectDocument& project, Dataset data) {
    RunSetup s;
    s.project = project;
    s.data = std::move(data);
    s.graph = resolveGraph(project.nodes, project.output, dataInfo(s.data));
    std::string errors;
    auto collect = [&](const std::vector<Problem>& problems) {
        for (const auto& p : problems) {
            if (p.severity != Problem::Severity::Error) {
                s.warnings.push_back(p.message);
                continue;
            }
            // Where in the project file, as the parser's own errors say it.
            std::string where;
            if (p.nodeIndex >= 0)
                where = "$.model.nodes[" + std::to_string(p.nodeIndex) + "]" +
                        (p.param.empty() ? "" : ".params." + p.param) + ": ";
            errors += (errors.empty() ? "" : "\n") + where + p.message;
        }
    };
    collect(s.graph.problems);
    if (!errors.empty()) throwBadInput("the model has errors:\n" + errors);
    collect(lintForLoss(s.graph, project.nodes, project.training.loss.kind));
    s.backend = &backendFor(project.training.device, &s.deviceNote);
    // A layer the chosen backend lacks: auto falls back to the CPU, an explicit device is refused
    // with the reason, before anything is allocated.
    for (const Node& node : project.nodes) {
        const LayerType* type = findLayerType(node.op);
        if (!type || type->needs == Op::Other) continue;
        const Support sup = s.backend->supports(type->needs, DType::F32);
        if (sup.ok) continue;
        if (project.training.device != "auto")
            throw Error(ErrorKind::Unsupported, "node " + node.id + " (" + node.op + "): " + sup.reason);
        s.backend = &backendFor("cpu");
        s.deviceNote = "device auto: using the CPU (node " + node.id + " (" + node.op + "): " + sup.reason + ")";
        break;
    }
    // A GPU's allocator refuses what does not fit with its own message; on the CPU an absurd
    // allocation would succeed (overcommit) and the kernel would kill the process later.
    if (s.backend->device().isCpu()) {
        const HostMemory host = hostMemory();
        checkTrainingMemory(project, s.graph, host.bytes, host.cgroupLimited);
    }
    if (project.training.precision == Precision::Bf16) {
        const Support sup = s.backend->supports(Op::Dense, DType::BF16);
        if (!sup.ok) throw Error(ErrorKind::Unsupported, "precision bf16: " + sup.reason);
    }
    s.model = std::make_unique<Model>(*s.backend, project.nodes, s.graph, project.training.seed);
    if (project.training.precision == Precision::Bf16) s.model->setCompute(DType::BF16);
    const WeightsReport weights = applyInitialWeights(*s.model, project);
    s.weightsNote = weights.summary();
    // pretrained layers learn at training.pretrained_lr_scale times the rate of new ones
    if (project.training.pretrainedLrScale != 1.f)
        for (std::size_t k : weights.loadedParams) s.model->setLrScale(k, project.training.pretrainedLrScale);
    return s;
}

}  // namespace neurite
