// Export a stored run's model from the GUI: loads the run's final and best models (the best one
// only when the run kept it) and opens the ExportDialog with both offered.
#pragma once

#include <cstdint>

class QWidget;

namespace neurite::storage {
class RunStore;
}

namespace neurite {

// Shows the dialog modally; a run without a stored model gets a message instead.
void exportRunModel(QWidget* parent, storage::RunStore& store, int64_t runId);

}  // namespace neurite
