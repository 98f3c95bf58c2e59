#include "run_export.h"

#include <QApplication>
#include <QMessageBox>

#include <list>

#include "export/export_model.h"
#include "export_dialog.h"
#include "run_model.h"
#include "run_store.h"

namespace neurite {

void exportRunModel(QWidget* parent, storage::RunStore& store, int64_t runId) {
    // RunSetups own the models the dialog's ExportSources point into: keep them in a list, which
    // never moves its elements, until the dialog closes.
    std::list<RunSetup> setups;
    ExportRequest request;
    QString error;
    QApplication::setOverrideCursor(Qt::WaitCursor);  // the run's data is loaded again
    for (storage::CheckpointKind kind : {storage::CheckpointKind::Final, storage::CheckpointKind::Best}) {
        try {
            setups.push_back(storage::loadRunModel(store, runId, kind));
        } catch (const std::exception& e) {
            if (error.isEmpty()) error = QString::fromUtf8(e.what());
            continue;
        }
        RunSetup& s = setups.back();
        const QString label = kind == storage::CheckpointKind::Final ? QObject::tr("Final model")
                                                                      : QObject::tr("Best epoch");
        request.checkpoints.push_back({label, exportSourceOf(s)});
    }
    if (!setups.empty()) {
        const RunSetup& s = setups.front();
        request.modelName = QString::fromStdString(s.project.name.empty() ? "model" : s.project.name);
        const DataSplit& split = s.data.test.count > 0 ? s.data.test : s.data.validation;
        request.samples = rawSamples(s.data, split.count > 0 ? split : s.data.train, 256, &request.sampleCount);
        request.data = &s.data;  // the int8 export calibrates and evaluates on it
        request.seed = s.project.training.seed;
    }
    QApplication::restoreOverrideCursor();
    if (request.checkpoints.empty()) {
        QMessageBox::warning(parent, QObject::tr("Export model"),
                             QObject::tr("Run %1 has no model to export: %2").arg(runId).arg(error));
        return;
    }
    ExportDialog dialog(std::move(request), parent);
    dialog.exec();
}

}  // namespace neurite
