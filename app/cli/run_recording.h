// Recording a training run from the command line: the --db option, and the observer pair
// (printer + recorder) that `train` and `runs resume` hand to the trainer.
#pragma once

#include <memory>
#include <string>

#include "cli.h"
#include "printer.h"
#include "metrics_json.h"
#include "recorder.h"
#include "run/run_setup.h"
#include "train/trainer.h"

namespace neurite::cli {

// --db FILE, or the default database ($XDG_DATA_HOME/neurite/runs.db).
std::string dbPath(const Args& args, bool create);

// Runs the trainer with the printer and, when recorder is set, the recorder (through a
// storage::CommittedRelay: each epoch line and event is printed once the epoch is committed,
// the finished line after the last commit); stores the final model and closes the recorder
// (throwing a storage error after the run when there was one). Returns the process exit code.
int runRecorded(Trainer& trainer, RunSetup& setup, CliPrinter& printer,
                storage::Recorder* recorder);

using storage::reportJson;  // the serializer the recorder stores evaluations with

}  // namespace neurite::cli
