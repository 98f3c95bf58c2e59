// ExportDialog: "Export model..." for a trained model. Picks the format (ONNX, int8 ONNX, native,
// int8 native, or a PyTorch package folder when the run's data is there) and, when the caller offers both, the checkpoint (best or final); the file name
// follows the format (.onnx, -int8.onnx, .nmodel, -int8.nmodel) and an existing file is replaced
// only when the user says so.
// It writes the file and then shows what was verified (ONNX checker and shape inference, outputs
// of the reloaded native file compared on sample inputs, file size; for int8, accuracy before and
// after). The int8 export calibrates and evaluates on the run's data on a worker thread with
// progress and Cancel; the others write at once. The caller (runs panel, training workspace)
// fills ExportRequest.
#pragma once

#include <optional>

#include "failure.h"

#include <QDialog>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "export/export_model.h"
#include "export/export_source.h"
#include "export/torch_export.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QThread;

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
    // The run's data, for the int8 format (calibration on its training split, accuracy on its
    // test split); null: the int8 format is not offered. Must outlive the dialog.
    const Dataset* data = nullptr;
    uint64_t seed = 0;
    // Keeps what the sources and `data` point into alive as long as the dialog (a stored run's
    // loaded models); may stay null when the caller keeps them alive itself.
    std::shared_ptr<const void> owner;
};

class ExportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ExportDialog(ExportRequest request, QWidget* parent = nullptr);
    ~ExportDialog() override;

    void setFormat(ExportFormat format);
    void setPytorchFormat();  // the PyTorch package (offered when the request has the run's data)
    void setCheckpoint(int index);
    void setPath(const QString& path);
    void setCalibrationSamples(int count);
    // Asked before an existing file is replaced; true replaces it (default: a message box).
    using ConfirmOverwrite = std::function<bool(const QString& path)>;
    void setOverwriteConfirmation(ConfirmOverwrite confirm) { m_confirmOverwrite = std::move(confirm); }
    // Writes and verifies the file on a worker thread (every format: the checks run the model);
    // returns whether it started. exportFinished() follows, after exported() on success; the
    // report or the error shows in the dialog.
    bool exportNow();
    void cancel();  // stops a running int8 export

    QString resultText() const;
    bool checkpointChoiceVisible() const;
    bool offersFormat(ExportFormat format) const;
    bool running() const { return m_worker != nullptr; }

signals:
    void exported(const QString& path);
    void exportFinished();  // an export ended (written, failed or cancelled)

protected:
    void reject() override;

private:
    void browse();
    void updateSuffix();
    void updateControls();
    void showReport(const QString& path, const ExportReport& report);
    void showFailure(const Failure& failure);
    void workerFinished();
    bool exportTorch(const QString& path, int index);

    ExportRequest m_request;
    QComboBox* m_format;
    QComboBox* m_checkpoint;
    QLabel* m_checkpointLabel;
    QLineEdit* m_path;
    QLabel* m_pathLabel;  // "File", or "Folder" for the PyTorch package
    QPushButton* m_export;
    QPushButton* m_cancel;
    QLabel* m_calibrationLabel;
    QSpinBox* m_calibration;
    QLabel* m_methodLabel;
    QComboBox* m_method;  // Calibration
    QProgressBar* m_progress;
    QLabel* m_result;
    ConfirmOverwrite m_confirmOverwrite;
    // The int8 worker and what it hands back (read after it finished).
    QThread* m_worker = nullptr;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_percent{0};
    QString m_workerPath;
    std::optional<Failure> m_workerFailure;  // written by the worker, read after it finished
    ExportReport m_workerReport;
    std::optional<TorchExportReport> m_workerTorch;  // set when the worker wrote a PyTorch package
};

}  // namespace neurite
