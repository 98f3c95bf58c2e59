// TrainingPanel's restarts: Reset (the same initial weights) and Rewind (a branch from an earlier
// epoch's kept state, storage::branchState). Either stops a run that is going first; the new run
// starts once the controller says the old one has ended.
#include <QAction>
#include <QLabel>

#include <utility>

#include "rewind_dialog.h"
#include "training_panel.h"

namespace neurite {

namespace {

// Said with the prepared run; %1 is the seed.
QString resetNote() {
    return QObject::tr("Reset: the same initial weights (seed %1), paused before the first step. "
                       "Step (F10), Step epoch (Shift+F10) or Resume (F6).");
}

QString rewindNote(const storage::BranchPoint& from) {
    return QObject::tr("Rewound: a new run from run %1's weights after epoch %2. Change a setting, then Step (F10), "
                       "Step epoch (Shift+F10) or Resume (F6); both runs are in the Runs tab.")
        .arg(from.run)
        .arg(from.epoch);
}

}  // namespace

void TrainingPanel::resetRun() {
    m_pendingBranch.reset();
    if (!m_controller.running()) {
        if (startRun(true)) m_startNote = resetNote();
        return;
    }
    m_resetPending = true;
    m_controller.stop();
    setStatus(tr("Resetting..."));
}

void TrainingPanel::rewindRun() {
    if (m_info.runId <= 0 || m_controller.storePath().isEmpty()) {
        setStatus(tr("Rewind goes back to an epoch of a recorded run: train first."), true);
        return;
    }
    const qint64 run = m_info.runId;
    RewindDialog dialog(m_controller.storePath(), run, this);
    if (dialog.exec() != QDialog::Accepted || dialog.epoch() <= 0) return;
    rewindTo(run, dialog.epoch());
}

void TrainingPanel::rewindTo(qint64 runId, int epoch) {
    const storage::BranchPoint from{runId, epoch};
    if (!m_controller.running()) {
        if (startRun(true, from)) m_branchNote = rewindNote(from);
        return;
    }
    m_resetPending = true;
    m_pendingBranch = from;
    m_controller.stop();
    setStatus(tr("Rewinding to epoch %1 of run %2...").arg(epoch).arg(runId));
}

void TrainingPanel::restartIfPending() {
    if (!m_resetPending || m_controller.running()) {
        showPaused();
        return;
    }
    m_resetPending = false;
    const std::optional<storage::BranchPoint> branch = std::exchange(m_pendingBranch, std::nullopt);
    if (!startRun(true, branch)) return;
    if (branch) m_branchNote = rewindNote(*branch);
    else m_startNote = resetNote();
}

}  // namespace neurite
