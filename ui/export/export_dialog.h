// ExportDialog: "Export model..." for a trained model. Picks the format (ONNX, native) and, when
// the caller offers both, the checkpoint (best or final); writes the file and then shows what was
// verified (ONNX checker and shape inference, outputs of the reloaded native file compared on
// sample inputs, file size). The caller (runs panel, training workspace) fills ExportRequest.
#pragma once

#include <QDialog>

#include <vector>

#include "export/export_model.h"
#include "export/export_source.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace neurite {

struct ExportCheckpoint {
    QString label;        // "Final (epoch 40)", "Best (epoch 31)"
    ExportSource source;  // must outlive the dialog
};

struct ExportRequest {
    QString modelName;                       // suggested file name stem
    std::vector<ExportCheckpoint> checkpoints;  // one or two
    std::vector<float> samples;              // raw sample inputs for the native round trip
    int64_t sampleCount = 0;
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(ExportRequest request, QWidget* parent = nullptr);

    void setFormat(ExportFormat format);
    void setCheckpoint(int index);
    void setPath(const QString& path);
    // Writes the file; shows the report or the error in the dialog. Returns success.
    bool exportNow();

    QString resultText() const;
    bool checkpointChoiceVisible() const;

signals:
    void exported(const QString& path);

private:
    void browse();
    void updateSuffix();

    ExportRequest m_request;
    QComboBox* m_format;
    QComboBox* m_checkpoint;
    QLabel* m_checkpointLabel;
    QLineEdit* m_path;
    QPushButton* m_export;
    QLabel* m_result;
};

}  // namespace neurite
