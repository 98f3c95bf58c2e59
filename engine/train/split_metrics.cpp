// Collects per-sample scores during evaluation and builds the split's report.
#include "train/split_metrics.h"

namespace neurite {

void beginCollecting(EvalResult& r, const Dataset& data, const DataSplit& split, int64_t units) {
    if (data.numClasses > 0) {
        r.scores.classNames = data.classNames;
        if (static_cast<int>(r.scores.classNames.size()) != data.numClasses) {
            r.scores.classNames.clear();
            for (int c = 0; c < data.numClasses; ++c)
                r.scores.classNames.push_back(std::to_string(c));
        }
        r.scores.labels = split.labels;
        r.scores.probs.reserve(static_cast<std::size_t>(split.count * data.numClasses));
    } else {
        r.outputs.reserve(static_cast<std::size_t>(split.count * units));
    }
}

void collectBatch(EvalResult& r, const float* outputs, int64_t n, int64_t units) {
    if (!r.scores.classNames.empty())
        appendProbabilities(outputs, n, units, r.scores.probs);
    else
        r.outputs.insert(r.outputs.end(), outputs, outputs + n * units);
}

double collectedAccuracy(const EvalResult& r) {
    if (r.scores.count() == 0) return 0;
    const std::vector<int32_t> predicted = r.scores.predictions();
    int64_t correct = 0;
    for (std::size_t i = 0; i < predicted.size(); ++i)
        correct += predicted[i] == r.scores.labels[i];
    return static_cast<double>(correct) / static_cast<double>(predicted.size());
}

EvaluationReport splitReport(const EvalResult& r, const Dataset& data, const DataSplit& split,
                             const std::string& name) {
    if (data.numClasses > 0) return evaluateClassification(r.scores, name);
    return evaluateRegression(r.outputs, split.targets, data.targetDim, name);
}

}  // namespace neurite
