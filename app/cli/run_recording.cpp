// The printer and the recorder: the trainer takes one observer, the CommittedRelay feeds both.
#include "run_recording.h"

#include "committed_relay.h"
#include "metrics_json.h"

namespace neurite::cli {

std::string dbPath(const Args& args, bool create) {
    if (auto p = args.str("db")) {
        if (p->empty()) throwBadInput("--db needs a file name");
        return *p;
    }
    return storage::RunStore::defaultPath(create);
}

int runRecorded(Trainer& trainer, RunSetup& setup, CliPrinter& printer, storage::Recorder* recorder) {
    StopToken* stop = installInterruptHandler();
    if (!recorder) {
        const FinishedEvent fin = trainer.run(printer, *stop);
        return fin.status == "cancelled" ? 130 : 0;
    }
    // The printer sees each epoch once it is in the store (docs/run-store.md).
    storage::CommittedRelay relay(*recorder, printer);
    FinishedEvent fin;
    try {
        fin = trainer.run(relay, *stop);
    } catch (...) {
        relay.close(false);  // the training error is the one to report
        throw;
    }
    recorder->setFinalModel(setup.model->snapshot(), fin.epochs);
    relay.close();
    return fin.status == "cancelled" ? 130 : 0;
}

}  // namespace neurite::cli
