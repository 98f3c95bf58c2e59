// File > Import ONNX Model... (import_model.h).
#include "import_model.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>

#include <memory>

#include "action_guard.h"
#include "background_task.h"
#include "core/error.h"
#include "export/onnx_compare.h"
#include "export/onnx_import.h"
#include "failure.h"
#include "project_files.h"

namespace neurite {

ImportPrompts dialogPrompts(QWidget* parent) {
    ImportPrompts p;
    p.chooseModel = [parent] {
        return QFileDialog::getOpenFileName(parent, QObject::tr("Import ONNX Model"), QString(),
                                            QObject::tr("ONNX models (*.onnx);;All files (*)"));
    };
    p.askData = [parent](const QString& question, const QString& suggestion) {
        bool ok = false;
        const QString text = QInputDialog::getText(parent, QObject::tr("Data for the imported model"), question,
                                                   QLineEdit::Normal, suggestion, &ok);
        return ok ? text.trimmed() : QString();
    };
    p.askInputShape = [parent](const QString& question) {
        bool ok = false;
        const QString text = QInputDialog::getText(parent, QObject::tr("Input shape"), question, QLineEdit::Normal,
                                                   QString(), &ok);
        return ok ? text.trimmed() : QString();
    };
    p.chooseProject = [parent](const QString& suggestion) {
        return QFileDialog::getSaveFileName(parent, QObject::tr("Save the Imported Project"), suggestion,
                                            QObject::tr("Neurite projects (*.neurite.json)"));
    };
    p.report = [parent](const ImportedModel& model, const QString& projectPath) {
        QMessageBox box(QMessageBox::Information, QObject::tr("Model imported"),
                        QObject::tr("%1\n\nThe project %2 starts from the model's weights (%3). Change its head, "
                                    "freeze layers in the inspector, and train to fine-tune it.")
                            .arg(QString::fromStdString(model.report.summary()), QFileInfo(projectPath).fileName(),
                                 QString::fromStdString(model.project.weights)),
                        QMessageBox::Ok, parent);
        box.setDetailedText(QString::fromStdString(model.report.text()));
        box.exec();
    };
    p.chooseOriginal = [parent](const QString& folder) {
        return QFileDialog::getOpenFileName(parent, QObject::tr("Compare with Original ONNX"), folder,
                                            QObject::tr("ONNX models (*.onnx);;All files (*)"));
    };
    p.chooseOutput = [parent](const QStringList& outputs) {
        bool ok = false;
        const QString o = QInputDialog::getItem(parent, QObject::tr("Compare with Original ONNX"),
                                                QObject::tr("The model has several outputs. Which one did the project "
                                                            "come from?"),
                                                outputs, 0, false, &ok);
        return ok ? o : QString();
    };
    p.compared = [parent](const OnnxComparison& c) {
        const QString file = QFileInfo(QString::fromStdString(c.onnxFile)).fileName();
        const QString verdict =
            c.agrees() ? QObject::tr("The project computes what %1 computes.").arg(file)
                       : QObject::tr("The project's outputs differ from %1's by more than %2 relative. If the project "
                                     "was not trained since it was imported, this is a mistake in the import: please "
                                     "report the file.")
                             .arg(file)
                             .arg(OnnxComparison::kTolerance);
        QMessageBox box(c.agrees() ? QMessageBox::Information : QMessageBox::Warning, QObject::tr("Compared with original"),
                        QObject::tr("%1\n\n%2\n\nBoth ran on the same samples: the ONNX file node by node in "
                                    "Neurite's reference interpreter, the project with its starting weights.")
                            .arg(verdict, QString::fromStdString(c.summary())),
                        QMessageBox::Ok, parent);
        box.exec();
    };
    return p;
}

namespace {

// The graph's one input has dimensions besides the batch that the file leaves open.
bool inputShapeOpen(const onnximport::OnnxGraph& g) {
    if (g.inputs.size() != 1) return false;  // refused by the import, which says why
    const onnximport::GraphInput& in = g.inputs.front();
    if (!in.known || in.dims.size() < 2) return !in.known;
    for (std::size_t k = 1; k < in.dims.size(); ++k)
        if (in.dims[k] <= 0) return true;
    return false;
}

// After the import: the data, the path, then the files written and the project opened.
void finishImport(QWidget* parent, ProjectFiles* files, const ImportPrompts& prompts, const QString& onnxPath,
                  const QString& currentData, const std::shared_ptr<ImportedModel>& model) {
    const QString shape = QString::fromStdString(model->sampleShape.str());
    QString data = QString::fromStdString(bundledDataFor(model->sampleShape));
    const QString question =
        data.isEmpty()
            ? QObject::tr("The model takes samples of shape %1, which fits none of the bundled data sets. Which data "
                          "will it train on? (e.g. images:DIR?size=224, csv:FILE.csv; see the Data tab's help)")
                  .arg(shape)
            : QObject::tr("The model takes samples of shape %1. Which data will it train on?").arg(shape);
    data = prompts.askData(question, data.isEmpty() ? currentData : data);
    if (data.isEmpty()) return;
    model->project.data.source = data.toStdString();
    const QFileInfo onnx(onnxPath);
    const QString path = prompts.chooseProject(onnx.dir().filePath(onnx.completeBaseName() + ".neurite.json"));
    if (path.isEmpty()) return;
    const bool saved = guarded(parent, QObject::tr("Cannot save the imported project"),
                               [&] { saveImported(*model, path.toStdString()); });
    if (!saved || !files->open(path)) return;
    prompts.report(*model, path);
}

}  // namespace

QProgressDialog* importOnnxModel(QWidget* parent, ProjectFiles* files, const ImportPrompts& prompts,
                                 const QString& currentData) {
    const QString onnxPath = prompts.chooseModel();
    if (onnxPath.isEmpty()) return nullptr;
    const TaskProgress started = startTaskProgress(parent, QObject::tr("Import ONNX Model"),
                                                   QObject::tr("Importing %1...").arg(QFileInfo(onnxPath).fileName()));
    QProgressDialog* progress = started.dialog;
    BackgroundTask* task = started.task;
    auto model = std::make_shared<ImportedModel>();
    auto graph = std::make_shared<onnximport::OnnxGraph>();  // kept when the input's shape must be asked
    const std::string path = onnxPath.toStdString();
    task->start(
        [path, model, graph](const StopToken&, const BackgroundTask::Stage&) {
            *graph = onnximport::readOnnxFile(path);
            if (!inputShapeOpen(*graph)) *model = importOnnx(*graph, {});
        },
        [parent, files, prompts, onnxPath, currentData, progress = QPointer<QProgressDialog>(progress), model,
         graph](const std::optional<Failure>& failure) {
            if (progress) progress->close();
            const QString context = QObject::tr("Cannot import %1").arg(QFileInfo(onnxPath).fileName());
            if (failure) {
                if (!failure->cancelled()) showFailure(*failure, nullptr, parent, context);
                return;
            }
            if (model->project.nodes.empty()) {  // the file leaves the input's shape open: ask it
                const QString shape = prompts.askInputShape(
                    QObject::tr("The model's input \"%1\" leaves its dimensions open. The shape of one sample, "
                                "without the batch (e.g. 3,224,224):")
                        .arg(QString::fromStdString(graph->inputs.empty() ? std::string() : graph->inputs.front().name)));
                if (shape.isEmpty()) return;
                ImportOptions options;
                for (const QString& part : shape.split(',', Qt::SkipEmptyParts)) {
                    bool ok = false;
                    const qlonglong d = part.trimmed().toLongLong(&ok);
                    options.inputShape.push_back(ok && d > 0 ? d : -1);
                }
                if (!guarded(parent, context, [&] {
                        for (int64_t d : options.inputShape)
                            if (d < 0) throwBadInput("\"" + shape.toStdString() + "\" is not a shape: give positive whole numbers separated by commas, e.g. 3,224,224");
                        *model = importOnnx(*graph, options);
                    }))
                    return;
            }
            finishImport(parent, files, prompts, onnxPath, currentData, model);
        });
    progress->open();
    return progress;
}

QProgressDialog* compareWithOriginal(QWidget* parent, const ProjectDocument& project, const ImportPrompts& prompts,
                                     const QString& onnxPath, const QString& output) {
    const QString path = onnxPath.isEmpty() ? prompts.chooseOriginal(QString::fromStdString(project.folder)) : onnxPath;
    if (path.isEmpty()) return nullptr;
    const TaskProgress started =
        startTaskProgress(parent, QObject::tr("Compare with Original ONNX"),
                          QObject::tr("Running %1 and the project on the same samples...").arg(QFileInfo(path).fileName()));
    auto result = std::make_shared<OnnxComparison>();
    auto outputs = std::make_shared<QStringList>();  // set when the file's output must be chosen
    const std::string file = path.toStdString(), chosen = output.toStdString();
    started.task->start(
        [project, file, chosen, result, outputs](const StopToken& stop, const BackgroundTask::Stage&) {
            const onnximport::OnnxGraph g = onnximport::readOnnxFile(file);
            if (chosen.empty() && g.outputs.size() > 1 && !onnximport::exportedByNeurite(g)) {
                for (const std::string& o : g.outputs) outputs->push_back(QString::fromStdString(o));
                return;  // asked on the GUI thread, then compared again
            }
            CompareOptions options;
            options.output = chosen;
            options.stop = &stop;
            *result = compareWithOnnx(project, g, options);
        },
        [parent, project, prompts, path, result, outputs,
         progress = QPointer<QProgressDialog>(started.dialog)](const std::optional<Failure>& failure) {
            if (progress) progress->close();
            if (failure) {
                if (!failure->cancelled())
                    showFailure(*failure, nullptr, parent, QObject::tr("Cannot compare with %1").arg(QFileInfo(path).fileName()));
                return;
            }
            if (!outputs->isEmpty()) {
                const QString o = prompts.chooseOutput(*outputs);
                if (!o.isEmpty()) compareWithOriginal(parent, project, prompts, path, o);
                return;
            }
            prompts.compared(*result);
        });
    started.dialog->open();
    return started.dialog;
}

}  // namespace neurite
