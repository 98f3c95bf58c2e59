#include "experiment/runner.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.h"
#include "data/data_source.h"
#include "experiment/objective.h"
#include "train/trainer.h"

namespace neurite {

namespace {

using Clock = std::chrono::steady_clock;

// Loaded data by data key, so trials that vary only the model or the training settings load it
// once; each training gets a copy (prepareRun takes the data by value).
class DataCache {
public:
    Dataset dataset(const ProjectDocument& p, uint64_t seed) {
        const std::string key = dataKey(p.data, seed);
        {
            std::lock_guard lock(m_mutex);
            if (auto it = m_sets.find(key); it != m_sets.end()) return it->second;
        }
        Dataset d = loadDataset(p.data, seed);
        std::lock_guard lock(m_mutex);
        trim();
        return m_sets.emplace(key, std::move(d)).first->second;
    }
    Dataset fold(const ProjectDocument& p, uint64_t seed, int k, int fold) {
        const std::string key = dataKey(p.data, seed) + "|folds=" + std::to_string(k);
        {
            std::lock_guard lock(m_mutex);
            if (auto it = m_folds.find(key); it != m_folds.end())
                return it->second[static_cast<std::size_t>(fold - 1)];
        }
        std::vector<Dataset> folds = loadFolds(p.data, seed, k);
        std::lock_guard lock(m_mutex);
        trim();
        return m_folds.emplace(key, std::move(folds)).first->second[static_cast<std::size_t>(fold - 1)];
    }

private:
    // A few data settings at a time (a sweep over data settings would otherwise keep them all).
    void trim() {
        if (m_sets.size() + m_folds.size() < 4) return;
        m_sets.clear();
        m_folds.clear();
    }
    std::mutex m_mutex;
    std::map<std::string, Dataset> m_sets;
    std::map<std::string, std::vector<Dataset>> m_folds;
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

class Runner {
public:
    Runner(const ExperimentDefinition& def, ExperimentHost& host, StopToken& stop,
           const ExperimentOptions& options, std::vector<TrialResult> done)
        : m_def(def), m_host(host), m_stop(stop), m_options(options), m_results(std::move(done)) {
        for (const TrialResult& r : m_results) m_done.insert(r.number);
    }

    ExperimentOutcome run() {
        m_plan = plannedTrials(m_def);
        if (m_def.maxTrials > 0 && m_plan.size() > static_cast<std::size_t>(m_def.maxTrials))
            m_plan.resize(static_cast<std::size_t>(m_def.maxTrials));
        m_start = Clock::now();
        const int parallel = std::max(1, m_options.parallel);
        const int cores = m_options.threads > 0
                              ? m_options.threads
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        m_threadsPerTrial = std::max(1, cores / parallel);
        std::vector<std::thread> workers;
        for (int w = 1; w < parallel; ++w) workers.emplace_back([this] { work(); });
        work();
        for (std::thread& t : workers) t.join();

        ExperimentOutcome out;
        std::sort(m_results.begin(), m_results.end(),
                  [](const TrialResult& a, const TrialResult& b) { return a.number < b.number; });
        out.trials = std::move(m_results);
        out.status = m_stop.stopRequested() ? "stopped" : m_budgetHit ? "budget" : "completed";
        return out;
    }

private:
    // The next trial to run, or 0 when none is left (all done, stopped, out of budget).
    int next() {
        std::lock_guard lock(m_mutex);
        while (m_next < m_plan.size()) {
            if (m_stop.stopRequested()) return 0;
            if (m_def.maxMinutes > 0 &&
                std::chrono::duration<double>(Clock::now() - m_start).count() >= m_def.maxMinutes * 60) {
                m_budgetHit = true;
                return 0;
            }
            const int number = static_cast<int>(++m_next);
            if (!m_done.count(number)) return number;
        }
        if (m_def.maxTrials > 0 && plannedTrials(m_def).size() > m_plan.size()) m_budgetHit = true;
        return 0;
    }

    void work() {
        while (const int number = next()) {
            TrialResult result = runTrial(number);
            std::lock_guard lock(m_mutex);
            if (result.status != "cancelled") m_host.trialFinished(result);
            m_results.push_back(std::move(result));
        }
    }

    TrialResult runTrial(int number) {
        TrialResult r;
        r.number = number;
        r.values = m_plan[static_cast<std::size_t>(number - 1)];
        const auto started = Clock::now();
        {
            std::lock_guard lock(m_mutex);
            m_host.trialStarted(number, r.values);
        }
        std::vector<std::vector<double>> constraintValues(m_def.constraints.size());
        std::vector<double> objectives;
        try {
            ProjectDocument project = projectWithValues(m_def, r.values);
            project.training.threads = m_threadsPerTrial;
            if (!m_options.device.empty()) project.training.device = m_options.device;
            for (const TrainingSpec& spec : trainingsOf(m_def, number, project.training.seed)) {
                if (m_stop.stopRequested()) {
                    r.status = "cancelled";
                    break;
                }
                project.training.seed = spec.seed;
                const std::optional<TrainingOutcome> outcome = train(project, spec, r.values, r);
                if (!outcome) break;  // failed or cancelled: r says which
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
        }
        r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
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

    // One training; nothing when it failed (r.status = failed) or was stopped (cancelled).
    std::optional<TrainingOutcome> train(const ProjectDocument& project, const TrainingSpec& spec,
                                         const Assignment& values, TrialResult& r) {
        std::unique_ptr<TrainingSink> sink;
        try {
            Dataset data = spec.fold > 0 ? m_cache.fold(project, spec.seed, m_def.folds, spec.fold)
                                         : m_cache.dataset(project, spec.seed);
            RunSetup setup = prepareRun(project, std::move(data));
            {
                std::lock_guard lock(m_mutex);
                sink = m_host.beginTraining(spec, values, setup);
            }
            Trainer trainer(*setup.model, setup.data, project.training);
            const FinishedEvent fin = trainer.run(sink->observer(), m_stop);
            sink->finished(setup, fin);
            if (fin.status == "cancelled") {
                r.status = "cancelled";
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
        }
    }

    const ExperimentDefinition& m_def;
    ExperimentHost& m_host;
    StopToken& m_stop;
    ExperimentOptions m_options;
    std::vector<TrialResult> m_results;
    std::set<int> m_done;
    std::vector<Assignment> m_plan;
    std::size_t m_next = 0;
    bool m_budgetHit = false;
    int m_threadsPerTrial = 1;
    Clock::time_point m_start;
    std::mutex m_mutex;
    DataCache m_cache;
};

}  // namespace

std::vector<TrainingSpec> trainingsOf(const ExperimentDefinition& def, int trial, uint64_t baseSeed) {
    std::vector<TrainingSpec> specs;
    for (int rep = 0; rep < def.repeats; ++rep)
        for (int f = def.folds > 0 ? 1 : 0; f <= def.folds; ++f)
            specs.push_back({trial, rep, f, baseSeed + static_cast<uint64_t>(rep)});
    return specs;
}

ExperimentOutcome runExperiment(const ExperimentDefinition& def, ExperimentHost& host,
                                StopToken& stop, const ExperimentOptions& options,
                                std::vector<TrialResult> done) {
    if (options.parallel < 1 || options.parallel > 256)
        throwBadInput("trials at once must be 1 to 256, got " + std::to_string(options.parallel));
    return Runner(def, host, stop, options, std::move(done)).run();
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
