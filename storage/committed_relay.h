// CommittedRelay: the observer that records a run and shows it, in that order. It hands every
// event to the Recorder and forwards it to another observer (the CLI's printer), but an epoch
// only once the recorder has committed it with its checkpoint, so a line on the console (or an
// epoch event of --json) is never ahead of the store: a process killed right after printing
// epoch N still has epoch N recorded. The finished or failed event waits for close().
#pragma once

#include <mutex>
#include <optional>
#include <vector>

#include "recorder.h"

namespace neurite::storage {

class CommittedRelay : public TrainObserver {
public:
    // Both must outlive the relay. Installs the recorder's commit listener.
    CommittedRelay(Recorder& recorder, TrainObserver& shown);
    // close(false) unless close() was called: the recorder's writer thread is done with the relay.
    ~CommittedRelay() override;
    CommittedRelay(const CommittedRelay&) = delete;
    CommittedRelay& operator=(const CommittedRelay&) = delete;

    void onStep(const StepEvent& e) override;
    void onEpoch(const EpochEvent& e) override;
    void onFinished(const FinishedEvent& e) override;
    void onFailed(const Error& e) override;
    bool wantsCheckpoints() const override { return m_recorder.wantsCheckpoints(); }
    void onCheckpoint(const TrainerState& s) override { m_recorder.onCheckpoint(s); }

    // Closes the recorder (its last commit), forwards the epochs still waiting (all of them:
    // after a storage error they were not recorded) and then the finished or failed event, and
    // throws the recorder's error when throwStorageError is set (after a training error that
    // one is reported instead).
    void close(bool throwStorageError = true);

private:
    void committed(int epoch);  // the recorder's writer thread

    Recorder& m_recorder;
    TrainObserver& m_shown;
    // Serializes the calls into m_shown: epochs arrive from the writer thread, the rest from
    // the training thread.
    std::mutex m_mutex;
    std::vector<EpochEvent> m_waiting;
    int m_committed = 0;
    bool m_recordingFailed = false;
    std::optional<FinishedEvent> m_finished;
    std::optional<Error> m_failed;
};

}  // namespace neurite::storage
