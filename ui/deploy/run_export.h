// Export a stored run's model from the GUI. The run's final and best models (the best one only
// when the run kept it) load on a worker thread (storage::loadRunModels: the run is prepared once
// for both) behind a progress dialog that names the step and can cancel; then the ExportDialog
// opens with both offered. The event loop never waits for the run's data.
#pragma once

#include <QString>

#include <cstdint>

class QProgressDialog;
class QWidget;

namespace neurite {

// Returns the progress dialog, shown at once and deleted when it closes. The ExportDialog (or a
// message box when the run has no model or cannot be loaded) follows, window-modal, without
// blocking; a cancelled load shows nothing.
QProgressDialog* exportRunModel(QWidget* parent, const QString& dbPath, int64_t runId);

}  // namespace neurite
