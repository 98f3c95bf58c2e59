// What the store keeps about a run's inputs, built from the prepared run: the project as
// trained, its settings as flat "training.optimizer.lr" keys (what `runs compare` diffs) and a
// data summary, with the regression target scaling the weights were trained with.
#pragma once

#include <string>
#include <vector>

#include "run_store.h"
#include "run/run_setup.h"
#include "train/checkpoint.h"

namespace neurite::storage {

NewRun describeRun(const RunSetup& setup);
// describeRun's project part (name, the project as trained, its flat settings, seed, epochs)
// without a prepared run: what an imported run records (run_import.h).
NewRun describeProject(const ProjectDocument& p);

// The target scaling a run's weights were trained with, from its data description
// ("target_mean", "target_std"). A run recorded before target scaling has neither: it trained on
// the raw targets, so the identity. Throws Error{BadInput} naming `what` when they are damaged
// or do not fit `targetDim`.
TargetScaling storedTargetScaling(const std::string& dataJson, int targetDim, const std::string& what);
// A stored run prepared again (export, resume): its data gets the run's own target scaling in
// place of the one just fitted, so outputs are mapped back as in training.
void restoreTargetScaling(const RunDetails& run, RunSetup& setup, const std::string& what);

// Rewind: where a branch starts, a stored run and the epoch after which its state was kept.
struct BranchPoint {
    int64_t run = 0;
    int epoch = 0;
};

// The kept state a branch of `setup` starts from (for Trainer::resumeFrom, marked as a branch).
// Checks that the state fits setup's model (the network may gain or lose only layers without
// weights, such as Dropout) and that the project trains past that epoch, and gives setup's data
// the parent's target scaling. `notes` gets what does not carry over (an optimizer of another
// kind starts afresh). Throws Error{BadInput} naming the run and the epochs it can branch from.
TrainerState branchState(RunStore& store, RunSetup& setup, BranchPoint from, std::vector<std::string>& notes);
// describeRun for a branch: named "<name>, from run P epoch E".
NewRun describeBranch(const RunSetup& setup, BranchPoint from);
// "3, 5, 9" (at most 16 numbers; the middle ones elided) for messages naming kept epochs.
std::string epochList(const std::vector<int>& epochs);

}  // namespace neurite::storage
