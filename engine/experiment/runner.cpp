#include "experiment/runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.h"
#include "data/data_source.h"
#include "devices/device_registry.h"
#include "experiment/objective.h"
#include "experiment/tpe.h"
#include "train/trainer.h"

namespace neurite {

namespace {

using Clock = std::chrono::steady_clock;

// Loaded data by data key, so trials that vary only the model or the training settings load it
// once; each training gets a copy (prepareRun takes the data by value). Trials at once that need
// the same data wait for the one load in progress instead of loading it again (twice the memory).
class DataCache {
public:
    Dataset dataset(const ProjectDocument& p, uint64_t seed) {
        return *get<Dataset>(m_sets, dataKey(p.data, seed), [&] { return loadDataset(p.data, seed); });
    }
    Dataset fold(const ProjectDocument& p, uint64_t seed, int k, int fold) {
        const auto folds = get<std::vector<Dataset>>(m_folds, dataKey(p.data, seed) + "|folds=" + std::to_string(k),
                                                     [&] { return loadFolds(p.data, seed, k); });
        return (*folds)[static_cast<std::size_t>(fold - 1)];
    }

private:
    template <class T>
    using Slot = std::shared_future<std::shared_ptr<const T>>;

    // The entry for `key`, loading it here when no other worker has started to; a load's error
    // reaches every worker waiting for it, and the next request tries again.
    template <class T, class Load>
    std::shared_ptr<const T> get(std::map<std::string, Slot<T>>& entries, const std::string& key, Load load) {
        std::promise<std::shared_ptr<const T>> promise;
        Slot<T> slot;
        bool mine = false;
        {
            std::lock_guard lock(m_mutex);
            if (auto it = entries.find(key); it != entries.end()) {
                slot = it->second;
            } else {
                trim();
                slot = promise.get_future().share();
                entries.emplace(key, slot);
                mine = true;
            }
        }
        if (mine) {
            try {
                promise.set_value(std::make_shared<const T>(load()));
            } catch (...) {
                promise.set_exception(std::current_exception());
                std::lock_guard lock(m_mutex);
                entries.erase(key);
            }
        }
        return slot.get();
    }
    // A few data settings at a time (a sweep over data settings would otherwise keep them all);
    // a worker still holding a cleared entry keeps its data until it is done with it.
    void trim() {
        if (m_sets.size() + m_folds.size() < 4) return;
        m_sets.clear();
        m_folds.clear();
    }
    std::mutex m_mutex;
    std::map<std::string, Slot<Dataset>> m_sets;
    std::map<std::string, Slot<std::vector<Dataset>>> m_folds;
};

std::pair<std::optional<double>, std::optional<double>> meanStd(const std::vector<double>& v) {
    if (v.empty()) return {std::nullopt, std::nullopt};
    double mean = 0, var = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v) var += (x - mean) * (x - mean);
    return {mean, v.size() > 1 ? std::sqrt(var / static_cast<double>(v.size() - 1)) : 0.0};
}

std::string formatNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// Between the trainer and the host's observer: records the objective after each epoch, asks the
// pruner, stops this training alone when pruned (and every training when the user stops), and
// reports a pruned training as "pruned" instead of "cancelled".
class TrialObserver : public TrainObserver {
public:
    TrialObserver(TrainObserver& inner, const StopToken& global, StopToken& local,
                  const ExperimentDefinition& def, Pruner& pruner, int trial, int slot)
        : m_inner(inner), m_global(global), m_local(local), m_def(def), m_pruner(pruner),
          m_trial(trial), m_slot(slot) {}

    void onStep(const StepEvent& e) override {
        if (m_global.stopRequested()) m_local.requestStop();
        m_inner.onStep(e);
    }
    void onEpoch(const EpochEvent& e) override {
        m_inner.onEpoch(e);
        TrainingOutcome now;
        now.finished.trainLoss = e.trainLoss;
        now.finished.trainAccuracy = e.trainAccuracy;
        now.finished.valLoss = e.valLoss;
        now.finished.valAccuracy = e.valAccuracy;
        now.finished.valMetrics = e.valMetrics;
        const std::optional<double> v = metricValue(m_def.objective, now);
        curve.push_back(v ? *v : std::nan(""));
        if (v && !pruned && m_pruner.report(m_trial, m_slot, e.epoch, *v) && e.epoch < e.epochs) {
            pruned = true;
            m_local.requestStop();
        }
    }
    void onFinished(const FinishedEvent& e) override {
        if (!pruned || m_global.stopRequested()) return m_inner.onFinished(e);
        FinishedEvent copy = e;
        copy.status = "pruned";
        m_inner.onFinished(copy);
    }
    void onFailed(const Error& e) override { m_inner.onFailed(e); }
    bool wantsCheckpoints() const override { return m_inner.wantsCheckpoints(); }
    void onCheckpoint(const TrainerState& s) override { m_inner.onCheckpoint(s); }

    std::vector<double> curve;
    bool pruned = false;

private:
    TrainObserver& m_inner;
    const StopToken& m_global;
    StopToken& m_local;
    const ExperimentDefinition& m_def;
    Pruner& m_pruner;
    int m_trial, m_slot;
};

class Runner {
public:
    Runner(const ExperimentDefinition& def, ExperimentHost& host, StopToken& stop,
           const ExperimentOptions& options, std::vector<TrialResult> done)
        : m_def(def), m_host(host), m_stop(stop), m_options(options), m_results(std::move(done)),
          m_pruner(def.pruner, def.maximize) {
        for (const TrialResult& r : m_results) {
            m_done.insert(r.number);
            for (std::size_t slot = 0; slot < r.curves.size(); ++slot)
                m_pruner.restore(r.number, static_cast<int>(slot), r.curves[slot]);
        }
    }

    ExperimentOutcome run() {
        m_plan = plannedTrials(m_def);
        m_total = static_cast<std::size_t>(plannedTrialCount(m_def));
        m_uncapped = m_def.strategy == SearchStrategy::Bayesian ? static_cast<std::size_t>(m_def.trials)
                                                                : m_plan.size();
        m_start = Clock::now();
        const int parallel = std::max(1, m_options.parallel);
        const int cores = m_options.threads > 0
                              ? m_options.threads
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        const std::string device = m_options.device.empty() ? projectWithValues(m_def, firstValues()).training.device
                                                            : m_options.device;
        bool gpu = false;
        if (parallel > 1 && device == "auto")
            for (const DeviceEntry& d : listDevices().devices) gpu = gpu || (d.usable && d.id != "cpu");
        m_slots = planSlots(parallel, cores, device, gpu);
        std::vector<std::thread> workers;
        for (int w = 1; w < parallel; ++w) workers.emplace_back([this, w] { work(w); });
        work(0);
        for (std::thread& t : workers) t.join();
        if (m_hostError) std::rethrow_exception(m_hostError);  // e.g. the store could not be written

        ExperimentOutcome out;
        std::sort(m_results.begin(), m_results.end(),
                  [](const TrialResult& a, const TrialResult& b) { return a.number < b.number; });
        out.trials = std::move(m_results);
        out.status = m_stop.stopRequested() ? "stopped" : m_budgetHit ? "budget" : "completed";
        return out;
    }

private:
    // The next trial to run and its values, or 0 when none is left (all done, stopped, out of
    // budget, or a Bayesian search that has tried every combination of a finite space).
    int next(Assignment& values) {
        std::lock_guard lock(m_mutex);
        while (m_next < m_total) {
            if (m_stop.stopRequested() || m_hostError) return 0;
            if (m_def.maxMinutes > 0 &&
                std::chrono::duration<double>(Clock::now() - m_start).count() >= m_def.maxMinutes * 60) {
                m_budgetHit = true;
                return 0;
            }
            const int number = static_cast<int>(++m_next);
            if (m_done.count(number)) continue;
            if (m_def.strategy != SearchStrategy::Bayesian) {
                values = m_plan[static_cast<std::size_t>(number - 1)];
            } else {
                std::optional<Assignment> proposal = propose(number);
                if (!proposal) return 0;
                values = std::move(*proposal);
            }
            m_running[number] = values;
            return number;
        }
        // all drawn: the trial budget ended it when the strategy had more to draw
        if (m_next >= m_total && m_total < m_uncapped) m_budgetHit = true;
        return 0;
    }

    // TPE from the trials finished so far (under m_mutex). Infeasible and pruned trials count as
    // worse than every completed one; the running ones are not proposed again.
    std::optional<Assignment> propose(int number) {
        std::vector<TpeObservation> observed;
        std::vector<Assignment> tried;
        double worst = -std::numeric_limits<double>::infinity();
        for (const TrialResult& r : m_results) {
            tried.push_back(r.values);
            if (r.status == "completed" && r.objective)
                worst = std::max(worst, m_def.maximize ? -*r.objective : *r.objective);
        }
        for (const TrialResult& r : m_results) {
            if (r.values.size() != m_def.space.size() || !r.objective) continue;
            if (r.status != "completed" && r.status != "infeasible" && r.status != "pruned") continue;
            const double v = m_def.maximize ? -*r.objective : *r.objective;
            if (!std::isfinite(v)) continue;
            observed.push_back({r.values, r.status == "completed" ? v : std::max(v, worst) + 1.0});
        }
        for (const auto& [n, v] : m_running) tried.push_back(v);
        return tpePropose(m_def.space, observed, tried, m_def.startupTrials, m_def.seed, number);
    }

    // Any valid assignment (to read the project's device): the first planned trial, or the low
    // ends of the ranges and the first choices.
    Assignment firstValues() const {
        if (!m_plan.empty()) return m_plan.front();
        Assignment a;
        for (const SearchParam& p : m_def.space)
            a.push_back(p.kind == SearchParam::Kind::Choice    ? p.values.front()
                        : p.kind == SearchParam::Kind::Integer ? nlohmann::json(static_cast<int64_t>(p.low))
                                                               : nlohmann::json(p.low));
        return a;
    }

    // A worker thread: trials until none is left. An exception from the host (a store that cannot
    // be written) ends every worker after its trial and is rethrown by run(); nothing escapes a
    // thread.
    void work(int slot) {
        try {
            Assignment values;
            while (const int number = next(values)) {
                TrialResult result = runTrial(number, values, m_slots[static_cast<std::size_t>(slot)]);
                std::lock_guard lock(m_mutex);
                m_running.erase(number);
                if (result.status != "cancelled") m_host.trialFinished(result);
                else m_host.trialStopped(number);
                m_results.push_back(std::move(result));
            }
        } catch (...) {
            std::lock_guard lock(m_mutex);
            if (!m_hostError) m_hostError = std::current_exception();
        }
    }

    TrialResult runTrial(int number, const Assignment& values, const TrialSlot& slot) {
        TrialResult r;
        r.number = number;
        r.values = values;
        const auto started = Clock::now();
        {
            std::lock_guard lock(m_mutex);
            m_host.trialStarted(number, r.values);
        }
        std::vector<std::vector<double>> constraintValues(m_def.constraints.size());
        std::vector<double> objectives;
        try {
            ProjectDocument project = projectWithValues(m_def, r.values);
            project.training.threads = slot.threads;
            project.training.device = slot.device;
            const std::vector<TrainingSpec> specs = trainingsOf(m_def, number, project.training.seed);
            for (std::size_t slot = 0; slot < specs.size(); ++slot) {
                const TrainingSpec& spec = specs[slot];
                if (m_stop.stopRequested()) {
                    r.status = "cancelled";
                    break;
                }
                project.training.seed = spec.seed;
                const std::optional<TrainingOutcome> outcome =
                    train(project, spec, static_cast<int>(slot), r.values, r);
                if (!outcome) break;  // failed, cancelled or pruned: r says which
                const std::optional<double> v = metricValue(m_def.objective, *outcome);
                r.trainingObjectives.push_back(v);
                if (v && std::isfinite(*v)) objectives.push_back(*v);
                for (std::size_t c = 0; c < m_def.constraints.size(); ++c)
                    if (auto cv = metricValue(m_def.constraints[c].metric, *outcome))
                        constraintValues[c].push_back(*cv);
            }
        } catch (const Error& e) {
            r.status = "failed";
            r.message = e.what();
        } catch (const std::bad_alloc&) {
            r.status = "failed";
            r.message = "out of memory";
        }
        r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        if (r.status == "pruned") {
            // the value it was stopped at, for the table and the plots; never the best
            const std::vector<double>& last = r.curves.back();
            for (auto it = last.rbegin(); it != last.rend(); ++it)
                if (std::isfinite(*it)) {
                    r.objective = *it;
                    break;
                }
            return r;
        }
        if (!r.status.empty()) return r;
        std::tie(r.objective, r.objectiveStd) = meanStd(objectives);
        r.status = "completed";
        if (!r.objective) {
            r.status = "failed";
            r.message = "no training gave a value of " + m_def.objective;
            return r;
        }
        for (std::size_t c = 0; c < m_def.constraints.size(); ++c) {
            const Constraint& k = m_def.constraints[c];
            const auto [mean, sd] = meanStd(constraintValues[c]);
            (void)sd;
            if (!mean) {
                r.status = "infeasible";
                r.message = k.metric + " has no value, so its constraint cannot be checked";
            } else if ((k.min && *mean < *k.min) || (k.max && *mean > *k.max)) {
                r.status = "infeasible";
                r.message = k.metric + " = " + formatNumber(*mean) + " is " +
                            (k.min && *mean < *k.min ? "below the minimum " + formatNumber(*k.min)
                                                     : "above the maximum " + formatNumber(*k.max));
            }
            if (r.status == "infeasible") break;
        }
        return r;
    }

    // One training; nothing when it failed (r.status = failed), was stopped (cancelled) or
    // pruned (pruned).
    std::optional<TrainingOutcome> train(const ProjectDocument& project, const TrainingSpec& spec, int slot,
                                         const Assignment& values, TrialResult& r) {
        std::unique_ptr<TrainingSink> sink;
        try {
            Dataset data = spec.fold > 0 ? m_cache.fold(project, spec.seed, m_def.folds, spec.fold)
                                         : m_cache.dataset(project, spec.seed);
            RunSetup setup = prepareRun(project, std::move(data));
            r.parameters = setup.model->parameterCount();
            r.flopsPerSample = setup.model->forwardFlopsPerSample();
            {
                std::lock_guard lock(m_mutex);
                sink = m_host.beginTraining(spec, values, setup);
            }
            StopToken local;
            TrialObserver observer(sink->observer(), m_stop, local, m_def, m_pruner, r.number, slot);
            Trainer trainer(*setup.model, setup.data, project.training);
            FinishedEvent fin = trainer.run(observer, local);
            r.curves.push_back(observer.curve);
            if (observer.pruned && !m_stop.stopRequested()) fin.status = "pruned";
            sink->finished(setup, fin);
            if (fin.status == "cancelled" || fin.status == "pruned") {
                r.status = fin.status;
                return std::nullopt;
            }
            TrainingOutcome out;
            out.finished = fin;
            out.parameters = setup.model->parameterCount();
            out.flopsPerSample = setup.model->forwardFlopsPerSample();
            return out;
        } catch (const Error& e) {
            if (sink) sink->failed(e);
            r.status = "failed";
            r.message = e.what();
            return std::nullopt;
        } catch (const std::bad_alloc&) {
            const Error e(ErrorKind::Unsupported, "out of memory");
            if (sink) sink->failed(e);
            r.status = "failed";
            r.message = e.what();
            return std::nullopt;
        }
    }

    const ExperimentDefinition& m_def;
    ExperimentHost& m_host;
    StopToken& m_stop;
    ExperimentOptions m_options;
    std::vector<TrialResult> m_results;
    std::set<int> m_done;
    std::vector<Assignment> m_plan;
    std::map<int, Assignment> m_running;
    std::size_t m_total = 0, m_uncapped = 0, m_next = 0;
    bool m_budgetHit = false;
    std::vector<TrialSlot> m_slots;
    std::exception_ptr m_hostError;
    Clock::time_point m_start;
    std::mutex m_mutex;
    DataCache m_cache;
    Pruner m_pruner;
};

}  // namespace

std::vector<TrainingSpec> trainingsOf(const ExperimentDefinition& def, int trial, uint64_t baseSeed) {
    std::vector<TrainingSpec> specs;
    for (int rep = 0; rep < def.repeats; ++rep)
        for (int f = def.folds > 0 ? 1 : 0; f <= def.folds; ++f)
            specs.push_back({trial, rep, f, baseSeed + static_cast<uint64_t>(rep)});
    return specs;
}

std::vector<TrialSlot> planSlots(int parallel, int cores, const std::string& device, bool gpuUsable) {
    parallel = std::max(1, parallel);
    cores = std::max(1, cores);
    std::vector<TrialSlot> slots;
    if (parallel > 1 && device == "auto" && gpuUsable) {
        slots.push_back({"cuda", 1});  // the GPU trial's host work is one thread
        for (int i = 1; i < parallel; ++i) slots.push_back({"cpu", std::max(1, cores / (parallel - 1))});
        return slots;
    }
    for (int i = 0; i < parallel; ++i) slots.push_back({device, std::max(1, cores / parallel)});
    return slots;
}

ExperimentOutcome runExperiment(const ExperimentDefinition& def, ExperimentHost& host,
                                StopToken& stop, const ExperimentOptions& options,
                                std::vector<TrialResult> done) {
    if (options.parallel < 1 || options.parallel > 256)
        throwBadInput("trials at once must be 1 to 256, got " + std::to_string(options.parallel));
    return Runner(def, host, stop, options, std::move(done)).run();
}

std::vector<ParamImportance> trialImportance(const ExperimentDefinition& def, const std::vector<TrialResult>& trials,
                                             std::size_t* used) {
    std::vector<Assignment> values;
    std::vector<double> objectives;
    for (const TrialResult& t : trials)
        if (t.status == "completed" && t.objective && std::isfinite(*t.objective) &&
            t.values.size() == def.space.size()) {
            values.push_back(t.values);
            objectives.push_back(*t.objective);
        }
    if (used) *used = values.size();
    return parameterImportance(def.space, values, objectives);
}

std::optional<std::size_t> bestTrial(const ExperimentDefinition& def,
                                     const std::vector<TrialResult>& trials) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        const TrialResult& t = trials[i];
        if (t.status != "completed" || !t.objective) continue;
        if (!best || (def.maximize ? *t.objective > *trials[*best].objective
                                   : *t.objective < *trials[*best].objective))
            best = i;
    }
    return best;
}

}  // namespace neurite
