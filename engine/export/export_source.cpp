// Building an ExportSource and re-resolving its graph for the exporters.
#include "export/export_source.h"

#include "core/error.h"
#include "run/run_setup.h"

namespace neurite {

Preprocessing preprocessingOf(const Dataset& data) {
    Preprocessing p;
    p.scale = data.scale;
    if (data.mean.size() == static_cast<std::size_t>(data.sampleShape.numel())) {
        p.mean = data.mean;
        p.invStd = data.invStd;
    }
    p.rawDType = data.train.dtype;
    if (data.numClasses == 0) p.target = data.targetScaling;
    if (data.text.fitted()) p.text = data.text;
    return p;
}

std::vector<std::string> classNamesOf(const Dataset& data) {
    if (data.numClasses <= 0) return {};
    if (static_cast<int>(data.classNames.size()) == data.numClasses) return data.classNames;
    std::vector<std::string> names;
    for (int c = 0; c < data.numClasses; ++c) names.push_back(std::to_string(c));
    return names;
}

ExportSource exportSourceOf(RunSetup& setup) {
    return ExportSource{setup.project, *setup.model, preprocessingOf(setup.data),
                        classNamesOf(setup.data)};
}

Shape sampleShapeOf(const Model& model) {
    const Shape& in = model.inputShape();
    return Shape(in.begin() + 1, in.end());
}

ResolvedGraph resolveExported(const ExportSource& source) {
    DataInfo info;
    info.sampleShape = sampleShapeOf(source.model);
    info.outputUnits = source.classNames.empty()
                           ? static_cast<int>(source.model.outputShape().numelFrom(1))
                           : static_cast<int>(source.classNames.size());
    if (source.preprocessing.text.fitted()) info.vocabularySize = source.preprocessing.text.size();
    ResolvedGraph g = resolveGraph(source.project.nodes, source.project.output, info);
    if (!g.ok()) throwBadInput("the model to export has errors: " + g.firstError());
    if (g.shapes[static_cast<std::size_t>(g.output)] != source.model.outputShape())
        throwInternal("export: the project's output shape " +
                      g.shapes[static_cast<std::size_t>(g.output)].str() +
                      " differs from the model's " + source.model.outputShape().str());
    return g;
}

}  // namespace neurite
