#include "run_data.h"
#include "run_records.h"

#include <algorithm>
#include <cmath>

namespace neurite {

QString runLabel(const storage::RunSummary& run) {
    return QStringLiteral("#%1 %2").arg(run.id).arg(QString::fromStdString(run.name));
}

RunSeries makeSeries(const storage::RunStore& store, const storage::RunDetails& run) {
    RunSeries s;
    s.id = run.id;
    s.label = s.legend = runLabel(run);
    const storage::RunSettings settings = storage::parseSettings(run.settingsJson, storage::storedWhere(store, run.id, "settings"));
    const storage::DataSummary data = storage::parseDataSummary(run.dataJson, storage::storedWhere(store, run.id, "data description"));
    const double batch = storage::numberSetting(settings, "training.batch_size").value_or(0);
    const auto train = static_cast<double>(data.train);
    double steps = batch > 0 && train > 0 ? std::ceil(train / batch) : 1;
    const double maxSteps = storage::numberSetting(settings, "training.max_steps").value_or(0);
    if (maxSteps > 0) steps = std::min(steps, maxSteps);
    s.stepsPerEpoch = std::max(steps, 1.0);
    return s;
}

int64_t loadNew(storage::RunStore& store, RunSeries& s) {
    int64_t added = 0;
    for (const storage::StepPoint& p : store.steps(s.id, s.lastStep)) {
        s.stepX.push_back(static_cast<double>(p.step) / s.stepsPerEpoch);
        s.stepLoss.push_back(p.loss);
        s.stepLr.push_back(p.lr);
        s.lastStep = p.step;
        ++added;
    }
    for (const storage::EpochRecord& e : store.epochs(s.id, s.lastEpoch)) {
        s.epochX.push_back(e.epoch);
        s.trainLoss.push_back(e.trainLoss);
        s.trainAcc.push_back(e.trainAccuracy);
        s.valLoss.push_back(e.valLoss.value_or(std::nan("")));
        s.valAcc.push_back(e.valAccuracy.value_or(std::nan("")));
        s.lastEpoch = e.epoch;
        ++added;
    }
    return added;
}

}  // namespace neurite
