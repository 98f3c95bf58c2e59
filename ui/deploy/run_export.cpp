// The export of a stored run: load on a BackgroundTask, then the dialog.
#include "run_export.h"

#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>

#include <memory>

#include "background_task.h"
#include "export/export_model.h"
#include "export_dialog.h"
#include "run_model.h"
#include "run_store.h"

namespace neurite {

namespace {

void showExportDialog(QWidget* parent, const std::shared_ptr<storage::RunModels>& models) {
    ExportRequest request;
    for (std::size_t i = 0; i < models->models.size(); ++i) {
        const QString label = models->models[i].kind == storage::CheckpointKind::Final
                                  ? QObject::tr("Final model")
                                  : QObject::tr("Best epoch");
        request.checkpoints.push_back({label, models->exportSource(i)});
    }
    const RunSetup& s = models->setup;
    request.modelName = QString::fromStdString(s.project.name.empty() ? "model" : s.project.name);
    const DataSplit& split = s.data.test.count > 0 ? s.data.test : s.data.validation;
    request.samples = rawSamples(s.data, split.count > 0 ? split : s.data.train, 256, &request.sampleCount);
    request.data = &s.data;  // the int8 export calibrates and evaluates on it
    request.seed = s.project.training.seed;
    request.owner = models;  // the sources and the data point into it
    auto* dialog = new ExportDialog(std::move(request), parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}


}  // namespace

QProgressDialog* exportRunModel(QWidget* parent, const QString& dbPath, int64_t runId) {
    const TaskProgress started =
        startTaskProgress(parent, QObject::tr("Export model"), QObject::tr("Loading run %1...").arg(runId));
    QProgressDialog* progress = started.dialog;
    BackgroundTask* task = started.task;
    QObject::connect(task, &BackgroundTask::stageChanged, progress, [progress, runId](const QString& stage) {
        progress->setLabelText(QObject::tr("Run %1: %2...").arg(runId).arg(stage));
    });
    auto models = std::make_shared<storage::RunModels>();
    const std::string db = dbPath.toStdString();
    task->start(
        [db, runId, models](const StopToken& stop, const BackgroundTask::Stage& stage) {
            storage::RunStore store(db, storage::RunStore::Mode::ReadOnly);
            *models = storage::loadRunModels(store, runId, storage::RunModelChoice::FinalAndBest, &stop, stage);
        },
        [parent, progress = QPointer<QProgressDialog>(progress), runId, models](const std::optional<Failure>& failure) {
            if (progress) progress->close();
            if (!failure) showExportDialog(parent, models);
            else if (!failure->cancelled())  // the user closed the progress: nothing to say
                showFailure(*failure, nullptr, parent, QObject::tr("Cannot export run %1").arg(runId));
        });
    progress->open();
    return progress;
}

}  // namespace neurite
