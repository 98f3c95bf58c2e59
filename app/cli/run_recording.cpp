// The tee observer lives here: the trainer takes one observer, the CLI has two.
#include "run_recording.h"

#include "metrics_json.h"

namespace neurite::cli {

namespace {

class Tee : public TrainObserver {
public:
    Tee(TrainObserver& a, TrainObserver* b) : m_a(a), m_b(b) {}
    void onStep(const StepEvent& e) override {
        if (m_b) m_b->onStep(e);
        m_a.onStep(e);
    }
    void onEpoch(const EpochEvent& e) override {
        if (m_b) m_b->onEpoch(e);
        m_a.onEpoch(e);
    }
    void onFinished(const FinishedEvent& e) override {
        if (m_b) m_b->onFinished(e);
        m_a.onFinished(e);
    }
    void onFailed(const Error& e) override {
        if (m_b) m_b->onFailed(e);
        m_a.onFailed(e);
    }
    bool wantsCheckpoints() const override { return m_b && m_b->wantsCheckpoints(); }
    void onCheckpoint(const TrainerState& s) override {
        if (m_b) m_b->onCheckpoint(s);
    }

private:
    TrainObserver& m_a;
    TrainObserver* m_b;
};

}  // namespace

std::string dbPath(const Args& args, bool create) {
    if (auto p = args.str("db")) {
        if (p->empty()) throwBadInput("--db needs a file name");
        return *p;
    }
    return storage::RunStore::defaultPath(create);
}

int runRecorded(Trainer& trainer, RunSetup& setup, CliPrinter& printer, storage::Recorder* recorder) {
    StopToken* stop = installInterruptHandler();
    Tee tee(printer, recorder);
    const FinishedEvent fin = trainer.run(tee, *stop);
    if (recorder) {
        recorder->setFinalModel(setup.model->snapshot(), fin.epochs);
        recorder->close();
    }
    return fin.status == "cancelled" ? 130 : 0;
}

}  // namespace neurite::cli
