// File > Import ONNX Model...: the ONNX importer (engine/export/onnx_import.h) on a
// BackgroundTask behind a progress dialog, then the data to train on and the project's path
// asked for, the project written beside its weights and opened. File > Compare with Original
// ONNX...: the open project against an ONNX file (engine/export/onnx_compare.h), the same way.
// The prompts are functions so tests drive the flow without native dialogs.
#pragma once

#include <QString>
#include <QStringList>

#include <functional>

class QProgressDialog;
class QWidget;

namespace neurite {

class ProjectFiles;
struct ImportedModel;
struct OnnxComparison;
struct ProjectDocument;

struct ImportPrompts {
    std::function<QString()> chooseModel;  // the ONNX file; "" = cancelled
    // The data source, given why it is asked and a suggestion; "" = cancelled.
    std::function<QString(const QString& question, const QString& suggestion)> askData;
    std::function<QString(const QString& suggestion)> chooseProject;  // where to save; "" = cancelled
    // One sample's shape ("3,224,224"), when the file leaves the input's dimensions open; "" = cancelled.
    std::function<QString(const QString& question)> askInputShape;
    // The import's report once the project is open (a message box in the studio).
    std::function<void(const ImportedModel& model, const QString& projectPath)> report;
    // Compare with Original: the ONNX file, starting in the project's folder; "" = cancelled.
    std::function<QString(const QString& folder)> chooseOriginal;
    // Which of the file's outputs the project was imported from, when it has several; "" = cancelled.
    std::function<QString(const QStringList& outputs)> chooseOutput;
    // The comparison's result (a message box in the studio).
    std::function<void(const OnnxComparison& result)> compared;
};

// The studio's prompts: file dialogs, an input dialog and a message box with the full report.
ImportPrompts dialogPrompts(QWidget* parent);

// Starts the import; returns its progress dialog (nullptr when no file was chosen). currentData:
// the open project's data source, suggested when no bundled data set fits the model's input.
QProgressDialog* importOnnxModel(QWidget* parent, ProjectFiles* files, const ImportPrompts& prompts,
                                 const QString& currentData);

// Starts the comparison of `project` (its data and starting weights) with an ONNX file; returns
// its progress dialog (nullptr when no file was chosen). output: the ONNX output to compare, ""
// to take the only one (asked for when there are several).
QProgressDialog* compareWithOriginal(QWidget* parent, const ProjectDocument& project, const ImportPrompts& prompts,
                                     const QString& onnxPath = QString(), const QString& output = QString());

}  // namespace neurite
