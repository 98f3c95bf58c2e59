// The controller's worker-side helpers: what a prepared run tells the GUI, and a branch's
// copied history as events.
#include "training_controller_setup.h"

#include <algorithm>
#include <map>

#include "display_convert.h"

namespace neurite {

RunPrepared preparedRun(const RunSetup& s, const DataDescription& data) {
    RunPrepared p = preparedOf(data);
    p.device = QString::fromStdString(s.backend->name());
    p.deviceNote = QString::fromStdString(s.deviceNote);
    p.weightsNote = QString::fromStdString(s.weightsNote);
    for (const auto& w : s.warnings) p.warnings << QString::fromStdString(w);
    const TrainConfig& t = s.project.training;
    p.epochs = t.epochs;
    p.stepsPerEpoch = (s.data.train.count + t.batchSize - 1) / std::max(t.batchSize, 1);
    if (t.maxSteps > 0) p.stepsPerEpoch = std::min<qint64>(p.stepsPerEpoch, t.maxSteps);
    return p;
}

RunPrepared preparedOf(const DataDescription& data) {
    RunPrepared p;
    p.classNames = namesOf(data.classNames);
    p.trainCount = data.trainCount;
    p.validationCount = data.validationCount;
    p.testCount = data.testCount;
    p.twoDimensional = data.twoDimensional;
    p.points = pointsOf(data);
    p.source = QString::fromStdString(data.source);
    p.sampleShape = QString::fromStdString(data.sampleShape.str());
    p.classCounts.assign(data.classCounts.begin(), data.classCounts.end());
    for (std::size_t i = 0; i < data.previews.size(); ++i) {
        p.previews << imageOf(data.previews[i]);
        const int label = i < data.previewLabels.size() ? data.previewLabels[i] : -1;
        p.previewLabels << (label >= 0 && label < p.classNames.size() ? p.classNames[label] : QString());
    }
    p.reconstructs = data.reconstructs;
    p.forecasts = data.forecasts;
    for (const std::string& t : data.targetNames) p.targetNames << QString::fromStdString(t);
    for (const std::string& n : data.notes) p.notes << QString::fromStdString(n);
    p.seriesTrain = data.seriesTrain;
    p.seriesValidation = data.seriesValidation;
    p.seriesTest = data.seriesTest;
    p.seriesValidationStart = data.seriesValidationStart;
    p.seriesTestStart = data.seriesTestStart;
    p.vocabularySize = data.vocabularySize;
    for (const std::string& t : data.topTokens) p.topTokens << QString::fromStdString(t);
    p.unknownShare = data.unknownShare;
    p.unknownSplit = QString::fromStdString(data.unknownSplit);
    for (std::size_t i = 0; i < data.sampleTexts.size(); ++i) {
        p.sampleTexts << QString::fromStdString(data.sampleTexts[i]);
        const int label = i < data.sampleTextLabels.size() ? data.sampleTextLabels[i] : -1;
        p.sampleTextLabels << (label >= 0 && label < p.classNames.size() ? p.classNames[label] : QString());
    }
    return p;
}

// A branch's copied history as the events the plots take.
void branchHistory(storage::RunStore& store, int64_t id, int epochs, std::vector<StepEvent>& steps,
                   std::vector<EpochEvent>& epochEvents) {
    // Where each epoch ended (its last point's step), to place the points within their epoch.
    const std::vector<storage::StepPoint> points = store.steps(id);
    std::map<int, int64_t> lastStep;
    for (const storage::StepPoint& p : points) lastStep[p.epoch] = std::max(lastStep[p.epoch], p.step);
    for (const storage::StepPoint& p : points) {
        const auto before = lastStep.lower_bound(p.epoch);
        const int64_t start = before == lastStep.begin() ? 0 : std::prev(before)->second;
        StepEvent e;
        e.epoch = p.epoch;
        e.step = p.step;
        e.stepInEpoch = p.step - start;
        e.stepsPerEpoch = std::max<int64_t>(lastStep[p.epoch] - start, 1);
        e.loss = p.loss;
        e.lr = p.lr;
        steps.push_back(e);
    }
    for (const storage::EpochRecord& r : store.epochs(id)) {
        EpochEvent e;
        e.epoch = r.epoch;
        e.epochs = epochs;
        e.trainLoss = r.trainLoss;
        e.trainAccuracy = r.trainAccuracy;
        e.valLoss = r.valLoss;
        e.valAccuracy = r.valAccuracy;
        e.lr = r.lr;
        e.seconds = r.seconds;
        e.samplesPerSec = r.samplesPerSec;
        e.best = r.best;
        epochEvents.push_back(std::move(e));
    }
}


SampleActivations sampleActivations(Model& model, const std::vector<Node>& nodes, const ResolvedGraph& graph,
                                    const Preprocessing& preprocessing, const DataSplit& split, int64_t sampleValues,
                                    int64_t index) {
    SampleActivations a;
    if (split.count <= 0 || index < 0) return a;
    a.sample = std::min(index, split.count - 1);
    const auto n = static_cast<std::size_t>(sampleValues);
    std::vector<float> raw(n);
    for (std::size_t k = 0; k < n; ++k) raw[k] = split.value(static_cast<std::size_t>(a.sample) * n + k);
    a.maps = std::make_shared<const ActivationMaps>(activationMaps(model, nodes, graph, preprocessing, raw));
    const auto i = static_cast<std::size_t>(a.sample);
    a.label = i < split.labels.size() ? split.labels[i] : -1;
    return a;
}

}  // namespace neurite
