// The experiment file (`*.experiment.json`, docs/project-format.md "Experiments"): a project, the
// parameters to vary (each addressed by its path in the project file), how trials are drawn,
// repeats over seeds, k-fold cross-validation, the objective and constraints, and the budget.
// The reader checks everything it can before a trial runs: every path must exist in the project
// and every value (or bound) must be one the field accepts, so a sweep never fails at trial 40
// on a typo. Errors name the file and the entry: "sweep.experiment.json: $.parameters[1].path:
// ...".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment/pruner.h"
#include "experiment/search_space.h"
#include "io/project.h"

namespace neurite {

enum class SearchStrategy { Grid, Random, Bayesian };

struct Constraint {
    std::string metric;  // a name of experiment/objective.h
    std::optional<double> min, max;
};

struct ExperimentDefinition {
    static constexpr int kVersion = 1;
    std::string fileName;     // as given, for messages
    std::string name;
    std::string projectPath;  // absolute, resolved against the experiment file's folder
    nlohmann::json project;   // the project file as read (parameters are set in a copy)
    std::vector<SearchParam> space;
    SearchStrategy strategy = SearchStrategy::Grid;
    bool shuffle = false;     // grid: in a seeded random order
    uint64_t seed = 0;        // of the trial order (not of the trainings)
    int trials = 0;           // random, bayesian: how many; grid: 0 = every combination
    int startupTrials = 0;    // bayesian: random trials before the model proposes (tpe.h)
    int repeats = 1;          // trainings per trial, seeds training.seed + 0..repeats-1
    int folds = 0;            // k-fold cross-validation per repeat (0: the project's splits)
    std::string objective = "val_loss";
    bool maximize = false;
    std::vector<Constraint> constraints;
    PrunerConfig pruner;      // early termination of weak trials (pruner.h)
    int maxTrials = 0;        // budget: 0 = no limit
    double maxMinutes = 0;    // budget: 0 = no limit
};

// Throws Error{BadInput} (file and JSON path in the message) for a bad definition, an unreadable
// project, an unknown parameter path, a value or bound the field rejects, an unknown metric.
ExperimentDefinition loadExperiment(const std::string& path);
ExperimentDefinition parseExperiment(std::string_view json, const std::string& fileName,
                                     const std::string& baseDir);

// The definition as JSON with the project inline (what the run store keeps with the experiment;
// parseExperiment of it gives the same definition, whatever became of the project file).
nlohmann::json experimentToJson(const ExperimentDefinition& def);

// The project with one trial's values set at their paths, parsed. Throws Error{BadInput} naming
// the path when a value does not fit (the reader has checked the bounds and choices already).
ProjectDocument projectWithValues(const ExperimentDefinition& def, const Assignment& values);

// The trials a grid or random search draws, in order (grid: every combination or the first
// `trials`). A Bayesian search proposes each trial from the results so far: its list is empty.
std::vector<Assignment> plannedTrials(const ExperimentDefinition& def);
// How many trials the experiment runs at most (its strategy's count and the trial budget).
int plannedTrialCount(const ExperimentDefinition& def);

// "lr=0.001, batch_size=32": the last path element of each parameter with its value.
std::string describeValues(const ExperimentDefinition& def, const Assignment& values);
// {"training.optimizer.lr": 0.001, ...}
nlohmann::json valuesToJson(const ExperimentDefinition& def, const Assignment& values);

}  // namespace neurite
