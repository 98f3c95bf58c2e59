#include "train/loop_state.h"

namespace neurite {

// Into `st`, reusing its buffers from the previous epoch: fresh host memory every epoch would
// cost page faults on the training thread.
void exportState(Model& model, const LoopState& l, bool earlyStopped, TrainerState& st) {
    st.epoch = l.fin.epochs;
    st.globalStep = l.globalStep;
    const int64_t nv = model.values().numel();
    st.model.resize(static_cast<std::size_t>(nv + model.buffers().numel()));
    model.backend().copyToHost(st.model.data(), model.values());
    model.backend().copyToHost(st.model.data() + nv, model.buffers());
    l.optimizer.saveState(st.optState1, st.optState2, st.optSteps);
    const LrSchedule::State sched = l.schedule.state();
    st.plateauLr = sched.plateauLr;
    st.plateauBest = sched.best;
    st.plateauHasBest = sched.hasBest;
    st.plateauBad = sched.bad;
    st.monitorHasBest = l.monitor.hasBest;
    st.monitorBest = l.monitor.best;
    st.monitorBad = l.monitor.bad;
    st.bestEpoch = l.fin.bestEpoch;
    st.earlyStopped = earlyStopped;
    st.bestWeights = l.bestWeights;
    st.trainSeconds = l.trainSeconds;
    st.trainSamples = l.trainSamples;
    st.trainLoss = l.fin.trainLoss;
    st.trainAccuracy = l.fin.trainAccuracy;
    st.valLoss = l.fin.valLoss;
    st.valAccuracy = l.fin.valAccuracy;
}

// Returns the 0-based epoch to continue with.
int importState(Model& model, const TrainerState& st, const LoopState& l) {
    checkWeights(model, st.model, "the checkpoint");
    if (!st.bestWeights.empty()) checkWeights(model, st.bestWeights, "the checkpoint's best weights");
    model.restore(st.model);
    if (!st.branch || l.optimizer.fits(st.optState1, st.optState2))
        l.optimizer.loadState(st.optState1, st.optState2, st.optSteps);
    l.schedule.setState({st.plateauLr, st.plateauBest, st.plateauHasBest, st.plateauBad});
    l.monitor.hasBest = st.monitorHasBest;
    l.monitor.best = st.monitorBest;
    l.monitor.bad = st.monitorBad;
    l.bestWeights = st.bestWeights;
    l.fin.epochs = st.epoch;
    l.fin.bestEpoch = st.bestEpoch;
    l.fin.trainLoss = st.trainLoss;
    l.fin.trainAccuracy = st.trainAccuracy;
    l.fin.valLoss = st.valLoss;
    l.fin.valAccuracy = st.valAccuracy;
    if (st.earlyStopped && !st.branch) l.fin.status = "early_stopped";
    l.trainSeconds = st.trainSeconds;
    l.trainSamples = st.trainSamples;
    l.globalStep = st.globalStep;
    return st.epoch;
}


}  // namespace neurite
