// Runs trained elsewhere, brought into the store: a JSON Lines file of `neurite-cli train --json`
// events (the pytorch export's train.py writes the same, docs/scale-out.md) becomes a run beside
// the local ones, with its epochs, final evaluations and where it ran. The whole file is checked
// before anything is written, so a bad file leaves the store as it was.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "run/run_setup.h"
#include "run_store.h"

namespace neurite::storage {

struct ImportedRun {
    NewRun run;
    std::vector<EpochRecord> epochs;
    std::vector<EvaluationRecord> evaluations;  // validation and test, when the file has them
    // One point per epoch (its mean training loss at the epoch's last step), so the runs view
    // draws the training loss of a run that kept no per-step losses.
    std::vector<StepPoint> steps;
    RunOutcome outcome;
    std::string ranOn;  // "pytorch 2.11.0 on 2 processes (gloo, cpu) at host"; "" when not said
};

// Reads the events. Every line must be a JSON object with "event" "epoch" (epochs 1, 2, ... in
// order, the same "epochs" total, numbers where numbers belong) or "finished" (exactly one, last,
// counting the epochs before it). Throws Error{BadInput} "<what>: line N: ..." naming the first
// line at fault: not JSON, another tool's events, a missing or misplaced epoch, a truncated file.
// `base` gives the run's name and settings (describeProject of --project), else the finished
// event's "project" names it.
ImportedRun parseRunEvents(std::string_view text, const std::string& what, const NewRun& base);

// The final weights of a run trained by the pytorch export's train.py (its weights/ folder: one
// .npy per state_dict key) as the model `setup` builds holds them (parameters, then buffers): every
// tensor the export writes must be there, with its shape and finite values. Throws
// Error{BadInput} naming the file.
std::vector<float> importedWeights(RunSetup& setup, const std::string& dir);

// What an import reads before it writes: the events file checked (parseRunEvents) and, with a
// project and its weights folder, the final weights mapped onto the model (importedWeights; this
// builds the model and loads the project's data, so it takes as long as a training's setup).
// `projectPath` may be empty (the run is named by its events); `weightsDir` needs a project.
// Throws Error{BadInput} naming the file at fault. Both `runs import` and the Runs tab use it.
struct PreparedImport {
    ImportedRun run;
    std::optional<std::vector<float>> weights;
};
PreparedImport prepareImport(const std::string& eventsPath, const std::string& projectPath,
                             const std::string& weightsDir);

// Stores a parsed run as finished, tagged "imported" (and "pytorch" when it ran there), with
// `finalWeights` (importedWeights) as its final model when given; returns its id. A failure while
// writing removes what was written.
int64_t importRun(RunStore& store, const ImportedRun& run, const std::vector<float>* finalWeights = nullptr);

}  // namespace neurite::storage
