// Trials between the runner and the run store: a finished TrialResult as the store's TrialRecord,
// and stored trials back as TrialResults in the definition's parameter order (what resume passes
// to the runner as done, and what the results view draws). One reading and one writer for
// neurite-cli (experiment, train --folds) and the studio.
#pragma once

#include <string>
#include <vector>

#include "experiment/runner.h"
#include "experiment_store.h"

namespace neurite {

// {"path": value} back in the order of the definition's parameters (null for a missing path).
Assignment storedValues(const ExperimentDefinition& def, const std::string& valuesJson);
std::vector<TrialResult> storedResults(const ExperimentDefinition& def,
                                       const std::vector<storage::TrialRecord>& stored);
storage::TrialRecord trialRecordOf(const ExperimentDefinition& def, const TrialResult& r);

}  // namespace neurite
