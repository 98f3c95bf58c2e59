#include "experiment_host.h"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "committed_relay.h"
#include "io/json_text.h"
#include "metrics_json.h"
#include "printer.h"
#include "run_info.h"
#include "trial_records.h"

namespace neurite::cli {

using nlohmann::json;

json optionalJson(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string shortNumber(const std::optional<double>& v) {
    if (!v) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", *v);
    return buf;
}

void emitEvent(bool asJson, const json& event) {
    if (!asJson) return;
    std::printf("%s\n", io::dumpJson(event).c_str());
    std::fflush(stdout);
}

// One training: its printer and, with a store, its recorder behind the relay that shows only
// what is stored. Tells the host each finished event.
class HostSink : public TrainingSink {
public:
    HostSink(CliExperimentHost& host, TrainingSpec spec, const std::string* db, int64_t runId, int epochs,
             bool asJson, const std::string& label, const json& fields, bool classifier)
        : m_host(host), m_spec(spec), m_printer(asJson, "", false) {
        if (db) {
            m_recorder = std::make_unique<storage::Recorder>(*db, runId, epochs, storage::reportJson());
            m_relay = std::make_unique<storage::CommittedRelay>(*m_recorder, m_printer);
            m_printer.setRunId(runId);
        }
        m_printer.setClassifier(classifier);
        m_printer.setContext(label, io::dumpJson(fields));
    }
    TrainObserver& observer() override {
        return m_relay ? static_cast<TrainObserver&>(*m_relay) : static_cast<TrainObserver&>(m_printer);
    }
    void finished(RunSetup& setup, const FinishedEvent& fin) override {
        if (m_recorder) {
            m_recorder->setFinalModel(setup.model->snapshot(), fin.epochs);
            m_relay->close();
        }
        m_host.record(m_spec, fin);
    }
    void failed(const Error&) override {
        if (m_relay) m_relay->close(false);
    }

private:
    CliExperimentHost& m_host;
    TrainingSpec m_spec;
    CliPrinter m_printer;
    std::unique_ptr<storage::Recorder> m_recorder;
    std::unique_ptr<storage::CommittedRelay> m_relay;
};

CliExperimentHost::CliExperimentHost(storage::RunStore* store, int64_t id, const ExperimentDefinition& def,
                                     int planned, bool asJson, Style style)
    : m_store(store), m_id(id), m_def(def), m_planned(planned), m_json(asJson), m_style(style) {
    if (m_store) m_experiments.emplace(*m_store);
}

CliExperimentHost::~CliExperimentHost() = default;

void CliExperimentHost::trialStarted(int number, const Assignment& values) {
    if (m_experiments) m_experiments->startTrial(m_id, number, io::dumpJson(valuesToJson(m_def, values)));
    if (m_style == Style::Folds) return;
    std::fprintf(stderr, "trial %d/%d: %s\n", number, m_planned, describeValues(m_def, values).c_str());
    emitEvent(m_json, {{"event", "trial_started"}, {"experiment_id", m_id}, {"trial", number},
                  {"params", valuesToJson(m_def, values)}});
}

std::unique_ptr<TrainingSink> CliExperimentHost::beginTraining(const TrainingSpec& spec, const Assignment& values,
                                                               RunSetup& setup) {
    storage::NewRun run = storage::describeRun(setup);
    std::string label;
    if (m_style == Style::Folds) {
        if (spec.fold == 1)
            for (const auto& note : setup.data.notes) std::fprintf(stderr, "data: %s\n", note.c_str());
        std::fprintf(stderr, "fold %d/%d: %lld train, %lld validation\n", spec.fold, m_def.folds,
                     static_cast<long long>(setup.data.train.count),
                     static_cast<long long>(setup.data.validation.count));
        run.name = m_def.name + " f" + std::to_string(spec.fold);
        label = "fold " + std::to_string(spec.fold) + ": ";
    } else {
        run.name = m_def.name + " #" + std::to_string(spec.trial);
        label = "trial " + std::to_string(spec.trial);
        if (m_def.repeats > 1) {
            run.name += " r" + std::to_string(spec.repeat + 1);
            label += " repeat " + std::to_string(spec.repeat + 1);
        }
        if (spec.fold > 0) {
            run.name += " f" + std::to_string(spec.fold);
            label += " fold " + std::to_string(spec.fold);
        }
        label += ": ";
    }
    json fields{{"trial", spec.trial}, {"repeat", spec.repeat}, {"fold", spec.fold},
                {"params", valuesToJson(m_def, values)}};
    int64_t runId = 0;
    if (m_store) {
        run.experiment = storage::NewRun::ExperimentLink{m_id, spec.trial, spec.repeat, spec.fold};
        runId = m_store->beginRun(run);
        fields["experiment_id"] = m_id;
    }
    return std::make_unique<HostSink>(*this, spec, m_store ? &m_store->path() : nullptr, runId,
                                      setup.project.training.epochs, m_json, label, fields,
                                      setup.data.numClasses > 0);
}

void CliExperimentHost::trialFinished(const TrialResult& r) {
    json each = json::array();
    for (const auto& v : r.trainingObjectives) each.push_back(optionalJson(v));
    if (m_experiments) m_experiments->finishTrial(m_id, trialRecordOf(m_def, r));
    if (m_style == Style::Folds) return;
    std::fprintf(stderr, "trial %d/%d %s: %s %s", r.number, m_planned, r.status.c_str(), m_def.objective.c_str(),
                 shortNumber(r.objective).c_str());
    if (r.objectiveStd && (m_def.repeats > 1 || m_def.folds > 0))
        std::fprintf(stderr, " +- %s", shortNumber(r.objectiveStd).c_str());
    std::fprintf(stderr, "  (%.1f s)%s%s\n", r.seconds, r.message.empty() ? "" : ": ", r.message.c_str());
    emitEvent(m_json, {{"event", "trial"}, {"experiment_id", m_id}, {"trial", r.number}, {"status", r.status},
                  {"params", valuesToJson(m_def, r.values)}, {"objective", optionalJson(r.objective)},
                  {"objective_std", optionalJson(r.objectiveStd)}, {"trainings", each}, {"message", r.message},
                  {"seconds", r.seconds}, {"parameters", r.parameters}, {"flops", r.flopsPerSample}});
}

void CliExperimentHost::trialStopped(int number) {
    if (m_experiments) m_experiments->stopTrial(m_id, number);
    if (m_style == Style::Trials)
        std::fprintf(stderr, "trial %d/%d stopped before it finished; it runs again on resume\n", number, m_planned);
}

void CliExperimentHost::record(const TrainingSpec& spec, const FinishedEvent& e) {
    std::lock_guard lock(m_mutex);
    m_finished.push_back({spec, e});
}

std::vector<CliExperimentHost::Finished> CliExperimentHost::finished() const {
    std::lock_guard lock(m_mutex);
    return m_finished;
}

}  // namespace neurite::cli
