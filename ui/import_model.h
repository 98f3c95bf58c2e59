// File > Import ONNX Model...: the ONNX importer (engine/export/onnx_import.h) on a
// BackgroundTask behind a progress dialog, then the data to train on and the project's path
// asked for, the project written beside its weights and opened. The prompts are functions so
// tests drive the flow without native dialogs.
#pragma once

#include <QString>

#include <functional>

class QProgressDialog;
class QWidget;

namespace neurite {

class ProjectFiles;
struct ImportedModel;

struct ImportPrompts {
    std::function<QString()> chooseModel;  // the ONNX file; "" = cancelled
    // The data source, given why it is asked and a suggestion; "" = cancelled.
    std::function<QString(const QString& question, const QString& suggestion)> askData;
    std::function<QString(const QString& suggestion)> chooseProject;  // where to save; "" = cancelled
    // One sample's shape ("3,224,224"), when the file leaves the input's dimensions open; "" = cancelled.
    std::function<QString(const QString& question)> askInputShape;
    // The import's report once the project is open (a message box in the studio).
    std::function<void(const ImportedModel& model, const QString& projectPath)> report;
};

// The studio's prompts: file dialogs, an input dialog and a message box with the full report.
ImportPrompts dialogPrompts(QWidget* parent);

// Starts the import; returns its progress dialog (nullptr when no file was chosen). currentData:
// the open project's data source, suggested when no bundled data set fits the model's input.
QProgressDialog* importOnnxModel(QWidget* parent, ProjectFiles* files, const ImportPrompts& prompts,
                                 const QString& currentData);

}  // namespace neurite
