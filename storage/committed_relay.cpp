// Epoch events wait in m_waiting until the writer thread reports their commit; they are then
// forwarded on that thread, under the mutex that also guards the training thread's calls.
#include "committed_relay.h"

#include <algorithm>

namespace neurite::storage {

CommittedRelay::CommittedRelay(Recorder& recorder, TrainObserver& shown)
    : m_recorder(recorder), m_shown(shown) {
    m_recorder.setCommitListener([this](int epoch) { committed(epoch); });
}

CommittedRelay::~CommittedRelay() {
    try {
        close(false);
    } catch (...) {
        // An observer threw (they must not); nothing is left to report it to.
    }
}

void CommittedRelay::onStep(const StepEvent& e) {
    m_recorder.onStep(e);
    std::lock_guard lock(m_mutex);
    m_shown.onStep(e);
}

void CommittedRelay::onEpoch(const EpochEvent& e) {
    m_recorder.onEpoch(e);
    std::lock_guard lock(m_mutex);
    if (m_recordingFailed || e.epoch <= m_committed) m_shown.onEpoch(e);
    else m_waiting.push_back(e);
}

void CommittedRelay::committed(int epoch) {
    std::lock_guard lock(m_mutex);
    if (epoch == Recorder::kRecordingFailed) m_recordingFailed = true;
    else m_committed = std::max(m_committed, epoch);
    std::size_t shown = 0;
    for (; shown < m_waiting.size(); ++shown) {
        if (!m_recordingFailed && m_waiting[shown].epoch > m_committed) break;
        m_shown.onEpoch(m_waiting[shown]);
    }
    m_waiting.erase(m_waiting.begin(), m_waiting.begin() + static_cast<std::ptrdiff_t>(shown));
}

void CommittedRelay::onFinished(const FinishedEvent& e) {
    m_recorder.onFinished(e);
    std::lock_guard lock(m_mutex);
    m_finished = e;
}

void CommittedRelay::onFailed(const Error& e) {
    m_recorder.onFailed(e);
    std::lock_guard lock(m_mutex);
    m_failed = e;
}

void CommittedRelay::close(bool throwStorageError) {
    std::optional<Error> storageError;
    try {
        m_recorder.close();
    } catch (const Error& e) {
        storageError = e;
    }
    {
        std::lock_guard lock(m_mutex);
        for (const EpochEvent& e : m_waiting) m_shown.onEpoch(e);
        m_waiting.clear();
        if (m_finished) m_shown.onFinished(*m_finished);
        if (m_failed) m_shown.onFailed(*m_failed);
        m_finished.reset();
        m_failed.reset();
    }
    if (storageError && throwStorageError) throw *storageError;
}

}  // namespace neurite::storage
