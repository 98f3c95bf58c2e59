// The command line's experiment host (engine/experiment/runner.h): records each training in the
// run store under its experiment and trial (storage/experiment_store.h), prints it as `train`
// does, and writes the trial events. Without a store (`train --folds --no-db`) it only prints.
// Shared by `neurite-cli experiment` and `neurite-cli train --folds`.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/runner.h"
#include "experiment_store.h"

namespace neurite::cli {

// Shared by the experiment commands: a number or null in JSON, a number or "-" in text, and one
// JSON Lines event on stdout when `asJson`.
nlohmann::json optionalJson(const std::optional<double>& v);
std::string shortNumber(const std::optional<double>& v);
void emitEvent(bool asJson, const nlohmann::json& event);

class CliExperimentHost : public ExperimentHost {
public:
    // Trials: "trial 3 fold 2: " before each line and trial events; Folds (`train --folds`):
    // "fold 2/5: N train, M validation" before each fold and no trial lines.
    enum class Style { Trials, Folds };
    // `store` null: nothing is recorded and `id` is 0.
    CliExperimentHost(storage::RunStore* store, int64_t id, const ExperimentDefinition& def, int planned,
                      bool asJson, Style style = Style::Trials);
    ~CliExperimentHost() override;

    void trialStarted(int number, const Assignment& values) override;
    std::unique_ptr<TrainingSink> beginTraining(const TrainingSpec& spec, const Assignment& values,
                                                RunSetup& setup) override;
    void trialFinished(const TrialResult& result) override;
    void trialStopped(int number) override;

    // Every training's spec and finished event, in the order they finished.
    struct Finished {
        TrainingSpec spec;
        FinishedEvent event;
    };
    std::vector<Finished> finished() const;

private:
    friend class HostSink;
    void record(const TrainingSpec& spec, const FinishedEvent& e);

    storage::RunStore* m_store;
    std::optional<storage::ExperimentStore> m_experiments;
    int64_t m_id;
    const ExperimentDefinition& m_def;
    int m_planned;
    bool m_json;
    Style m_style;
    mutable std::mutex m_mutex;
    std::vector<Finished> m_finished;
};

}  // namespace neurite::cli
