// Project -> data, graph, device and model, with every problem reported at once.
#include "train/run_setup.h"

#include "backend/device_registry.h"
#include "core/error.h"
#include "data/data_source.h"

namespace neurite {

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
            if (p.severity == Problem::Severity::Error) errors += (errors.empty() ? "" : "\n") + p.message;
            else s.warnings.push_back(p.message);
        }
    };
    collect(s.graph.problems);
    if (!errors.empty()) throwBadInput("the model has errors:\n" + errors);
    collect(lintForLoss(s.graph, project.nodes, project.training.loss.kind));
    s.backend = &backendFor(project.training.device, &s.deviceNote);
    if (project.training.precision == Precision::Bf16) {
        const Support sup = s.backend->supports(Op::Dense, DType::BF16);
        if (!sup.ok) throw Error(ErrorKind::Unsupported, "precision bf16: " + sup.reason);
    }
    s.model = std::make_unique<Model>(*s.backend, project.nodes, s.graph, project.training.seed);
    if (project.training.precision == Precision::Bf16) s.model->setCompute(DType::BF16);
    return s;
}

}  // namespace neurite
