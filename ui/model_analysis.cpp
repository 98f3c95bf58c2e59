// Summarizes a RunSetup for display.
#include "model_analysis.h"

#include <exception>

#include "train/run_setup.h"

namespace neurite {

ModelAnalysis analyzeProject(const ProjectDocument& doc) {
    ModelAnalysis a;
    try {
        RunSetup s = prepareRun(doc);
        for (std::size_t i = 0; i < doc.nodes.size() && i < s.graph.shapes.size(); ++i)
            a.shapes[QString::fromStdString(doc.nodes[i].id)] = QString::fromStdString(s.graph.shapes[i].str());
        for (const ParamInfo& p : s.model->params())
            if (p.trainable) a.params[QString::fromStdString(p.node)] += p.shape.numel();
        a.totalParams = s.model->parameterCount();
        a.flopsPerSample = s.model->forwardFlopsPerSample();
        a.data = QString("%1 train, %2 validation, %3 test")
                     .arg(s.data.train.count)
                     .arg(s.data.validation.count)
                     .arg(s.data.test.count);
        for (const auto& w : s.warnings) a.warnings << QString::fromStdString(w);
    } catch (const std::exception& e) {
        a.error = QString::fromUtf8(e.what());
    }
    return a;
}

}  // namespace neurite
