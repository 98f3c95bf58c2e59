// The export dialog. ONNX and native exports run on the GUI thread: even the Fashion CNN writes in
// well under a second. The int8 export runs the model over the calibration sample and twice over
// the test split (seconds for Fashion-MNIST), so it runs on a worker thread; the dialog is modal
// and owns the only user of the model meanwhile, and Cancel is polled between batches.
#include "deploy/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QTimer>
#include <QVBoxLayout>

#include "core/error.h"

namespace neurite {

namespace {

// The format combo's entry for the PyTorch package (export/torch_export.h), beside ExportFormat's.
constexpr int kPytorch = 100;

// The int8 model gets a name of its own, so exporting it beside the float model keeps both; the
// PyTorch package is a folder.
QString suffixOf(int code) {
    if (code == kPytorch) return "-pytorch";
    switch (static_cast<ExportFormat>(code)) {
    case ExportFormat::Native: return ".nmodel";
    case ExportFormat::NativeInt8: return "-int8.nmodel";
    case ExportFormat::OnnxInt8: return "-int8.onnx";
    case ExportFormat::Onnx: break;
    }
    return ".onnx";
}

// The path with the format's suffix in place of a known one (the name suggested on a switch).
QString suggestedPath(QString path, int f) {
    if (path.trimmed().isEmpty()) return path;
    for (const QString& s : {QString("-int8.onnx"), QString(".onnx"), QString("-int8.nmodel"), QString(".nmodel"),
                             QString("-pytorch")})
        if (path.endsWith(s, Qt::CaseInsensitive)) {
            path.chop(s.size());
            break;
        }
    return path + suffixOf(f);
}

// The path as written: ONNX formats end in .onnx, the native format in .nmodel, whatever was typed.
QString matchingPath(QString path, int code) {
    if (code == kPytorch) return path;  // a folder: any name
    const auto f = static_cast<ExportFormat>(code);
    const bool native = !isOnnx(f);
    const QString wanted = native ? ".nmodel" : ".onnx";
    const QString other = native ? ".onnx" : ".nmodel";
    if (path.endsWith(wanted, Qt::CaseInsensitive)) return path;
    if (path.endsWith(other, Qt::CaseInsensitive)) path.chop(other.size());
    return path + wanted;
}

}  // namespace

ExportDialog::ExportDialog(ExportRequest request, QWidget* parent)
    : QDialog(parent), m_request(std::move(request)) {
    setWindowTitle(tr("Export model"));
    m_format = new QComboBox(this);
    m_format->addItem(tr("ONNX (opset 13, for other runtimes)"), int(ExportFormat::Onnx));
    if (m_request.data)
        m_format->addItem(tr("ONNX int8 (quantized, calibrated on training data)"),
                          int(ExportFormat::OnnxInt8));
    m_format->addItem(tr("Neurite model file (for neurite-cli predict and Try it)"),
                      int(ExportFormat::Native));
    if (m_request.data)
        m_format->addItem(tr("Neurite int8 model file (Neurite's int8 runtime, calibrated on training data)"),
                          int(ExportFormat::NativeInt8));
    if (m_request.data)
        m_format->addItem(tr("PyTorch package (a folder: model.py, train.py for torchrun, the data)"), kPytorch);
    m_calibration = new QSpinBox(this);
    m_calibration->setRange(1, 100000);
    m_calibration->setValue(512);
    m_calibration->setSuffix(tr(" training samples"));
    m_calibration->setToolTip(tr("Samples of the training split whose activation ranges set the "
                                 "int8 scales (seeded, classes taken in turn)"));
    m_calibrationLabel = new QLabel(tr("Calibration"), this);
    m_method = new QComboBox(this);
    m_method->setObjectName("calibrationMethod");
    for (Calibration c : {Calibration::MinMax, Calibration::Percentile, Calibration::Entropy})
        m_method->addItem(QString::fromLatin1(nameOf(c)), int(c));
    m_method->setToolTip(tr("How each activation's range is chosen: minmax keeps every value (nothing clips); "
                            "percentile clips the 0.01% largest magnitudes; entropy clips where the int8 histogram "
                            "stays closest to the float one (KL divergence, as TensorRT)"));
    m_methodLabel = new QLabel(tr("Ranges"), this);
    m_checkpoint = new QComboBox(this);
    for (const ExportCheckpoint& c : m_request.checkpoints) m_checkpoint->addItem(c.label);
    m_checkpointLabel = new QLabel(tr("Checkpoint"), this);
    const bool choice = m_request.checkpoints.size() > 1;
    m_checkpoint->setVisible(choice);
    m_checkpointLabel->setVisible(choice);

    m_path = new QLineEdit(this);
    const QString stem = m_request.modelName.isEmpty() ? "model" : m_request.modelName;
    m_path->setText(QDir::home().filePath(stem + suffixOf(int(ExportFormat::Onnx))));
    m_confirmOverwrite = [this](const QString& path) {
        return QMessageBox::question(this, tr("Export model"),
                                     tr("%1 already exists. Replace it?").arg(path),
                                     QMessageBox::Yes | QMessageBox::No, QMessageBox::No) == QMessageBox::Yes;
    };
    auto* browse = new QPushButton(tr("Browse..."), this);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("Format"), m_format);
    form->addRow(m_checkpointLabel, m_checkpoint);
    form->addRow(m_calibrationLabel, m_calibration);
    form->addRow(m_methodLabel, m_method);
    m_pathLabel = new QLabel(tr("File"), this);
    form->addRow(m_pathLabel, pathRow);

    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumWidth(420);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    m_progress->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_cancel = buttons->addButton(tr("Cancel export"), QDialogButtonBox::ActionRole);
    m_cancel->hide();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_progress);
    layout->addWidget(m_result);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSuffix);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateControls);
    connect(m_cancel, &QPushButton::clicked, this, &ExportDialog::cancel);
    // Export keeps the dialog open so the user reads what was verified; Close leaves.
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::exportNow);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_export->setEnabled(!m_request.checkpoints.empty());
    updateControls();
}

ExportDialog::~ExportDialog() {
    if (m_worker) {
        m_stop = true;
        m_worker->wait();
        delete m_worker;
    }
}

bool ExportDialog::offersFormat(ExportFormat format) const {
    return m_format->findData(int(format)) >= 0;
}

void ExportDialog::setCalibrationSamples(int count) { m_calibration->setValue(count); }

void ExportDialog::updateControls() {
    const int code = m_format->currentData().toInt();
    const bool int8 = code != kPytorch && isInt8(static_cast<ExportFormat>(code));
    m_pathLabel->setText(code == kPytorch ? tr("Folder") : tr("File"));
    m_calibration->setVisible(int8);
    m_calibrationLabel->setVisible(int8);
    m_method->setVisible(int8);
    m_methodLabel->setVisible(int8);
    const bool busy = m_worker != nullptr;
    m_export->setEnabled(!busy && !m_request.checkpoints.empty());
    m_format->setEnabled(!busy);
    m_checkpoint->setEnabled(!busy);
    m_path->setEnabled(!busy);
    m_calibration->setEnabled(!busy);
    m_method->setEnabled(!busy);
    m_cancel->setVisible(busy && int8);  // only calibration checks for a stop; the others take moments
    m_progress->setVisible(busy);
    adjustSize();
}

void ExportDialog::cancel() { m_stop = true; }

void ExportDialog::reject() {
    // Closing while the worker runs cancels it; the dialog closes once it has stopped.
    if (m_worker) {
        m_stop = true;
        connect(this, &ExportDialog::exportFinished, this, &QDialog::reject, Qt::SingleShotConnection);
        return;
    }
    QDialog::reject();
}

void ExportDialog::showReport(const QString& path, const ExportReport& report) {
    QStringList lines{tr("Exported %1.").arg(QFileInfo(path).fileName())};
    for (const std::string& l : report.summary()) lines << QString::fromStdString(l);
    m_result->setStyleSheet({});
    m_result->setText(lines.join('\n'));
    adjustSize();  // the int8 report has seven lines: grow instead of cutting them off
}

void ExportDialog::showFailure(const Failure& failure) {
    neurite::showFailure(failure, m_result, this, tr("Export failed"));
    adjustSize();
}

void ExportDialog::workerFinished() {
    m_progress->setRange(0, 100);
    m_worker->deleteLater();
    m_worker = nullptr;
    updateControls();
    if (!m_workerFailure && m_workerTorch) {
        QStringList lines{tr("Exported the PyTorch package %1.").arg(QFileInfo(m_workerPath).fileName())};
        for (const std::string& l : m_workerTorch->summary()) lines << QString::fromStdString(l);
        m_result->setText(lines.join('\n'));
        adjustSize();
        emit exported(m_workerPath);
    } else if (!m_workerFailure) {
        showReport(m_workerPath, m_workerReport);
        emit exported(m_workerPath);
    } else if (m_workerFailure->cancelled()) {
        m_result->setStyleSheet({});
        m_result->setText(tr("Export cancelled; nothing was written."));
    } else {
        showFailure(*m_workerFailure);
    }
    emit exportFinished();
}

void ExportDialog::setFormat(ExportFormat format) {
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

void ExportDialog::setPytorchFormat() { m_format->setCurrentIndex(m_format->findData(kPytorch)); }

void ExportDialog::setCheckpoint(int index) { m_checkpoint->setCurrentIndex(index); }

void ExportDialog::setPath(const QString& path) { m_path->setText(path); }

QString ExportDialog::resultText() const { return m_result->text(); }

bool ExportDialog::checkpointChoiceVisible() const { return !m_checkpoint->isHidden(); }

void ExportDialog::updateSuffix() {
    m_path->setText(suggestedPath(m_path->text(), m_format->currentData().toInt()));
}

void ExportDialog::browse() {
    const int f = m_format->currentData().toInt();
    if (f == kPytorch) {
        const QString p = QFileDialog::getSaveFileName(this, tr("Export as a PyTorch package (a folder)"), m_path->text());
        if (!p.isEmpty()) m_path->setText(p);
        return;
    }
    const QString filter = !isOnnx(static_cast<ExportFormat>(f)) ? tr("Neurite models (*.nmodel)")
                                                                  : tr("ONNX models (*.onnx)");
    const QString p = QFileDialog::getSaveFileName(this, tr("Export model"), m_path->text(), filter);
    if (!p.isEmpty()) m_path->setText(matchingPath(p, f));
}

bool ExportDialog::exportNow() {
    const int index = std::max(0, m_checkpoint->currentIndex());
    if (m_request.checkpoints.empty() || m_path->text().trimmed().isEmpty()) {
        m_result->setText(tr("Choose a file to write."));
        return false;
    }
    const int code = m_format->currentData().toInt();
    const QString path = matchingPath(m_path->text().trimmed(), code);
    m_path->setText(path);
    if (code == kPytorch) return exportTorch(path, index);
    const auto format = static_cast<ExportFormat>(code);
    if (QFileInfo::exists(path) && !m_confirmOverwrite(path)) {
        m_result->setStyleSheet({});
        m_result->setText(tr("Not exported: %1 already exists and was kept.").arg(path));
        return false;
    }
    const ExportSource& source = m_request.checkpoints[static_cast<std::size_t>(index)].source;
    // Every format on a worker: writing and verifying runs the model (the native round trip,
    // int8 calibration), and the GUI never waits for a forward pass.
    if (m_worker) return false;
    m_stop = false;
    m_percent = 0;
    m_progress->setValue(0);
    m_workerPath = path;
    m_workerFailure.reset();
    m_workerTorch.reset();
    m_result->setStyleSheet({});
    std::optional<Int8Options> int8;
    if (isInt8(format)) {
        m_result->setText(tr("Calibrating on %1 training samples, then computing the %2 with the "
                             "float and the int8 model...")
                              .arg(m_calibration->value())
                              .arg(source.classNames.empty() ? tr("RMSE") : tr("accuracy")));
        Int8Options options;
        options.data = m_request.data;
        options.calibrationSamples = m_calibration->value();
        options.calibration = static_cast<Calibration>(m_method->currentData().toInt());
        options.seed = m_request.seed;
        options.progress = [this](double f) {
            m_percent = static_cast<int>(f * 100);
            return !m_stop.load();
        };
        int8 = std::move(options);
    } else {
        m_result->setText(tr("Writing and checking %1...").arg(path));
        m_progress->setRange(0, 0);  // busy: the write has no steps to count
    }
    m_worker = QThread::create([this, &source, format, int8, path] {
        try {
            m_workerReport = exportModel(source, format, path.toStdString(), m_request.samples, m_request.sampleCount,
                                         int8 ? &*int8 : nullptr);
        } catch (...) {
            m_workerFailure = currentFailure();
        }
    });
    if (int8) {
        auto* poll = new QTimer(m_worker);
        connect(poll, &QTimer::timeout, this, [this] { m_progress->setValue(m_percent.load()); });
        poll->start(50);
    }
    connect(m_worker, &QThread::finished, this, &ExportDialog::workerFinished);
    updateControls();
    m_worker->start();
    return true;
}

// The PyTorch package of the chosen checkpoint with the run's data, on the worker (the splits are
// megabytes of .npy files).
bool ExportDialog::exportTorch(const QString& path, int index) {
    const QFileInfo info(path);
    if (info.exists() && !info.isDir()) {
        m_result->setText(tr("Not exported: %1 is a file; the PyTorch package is a folder.").arg(path));
        return false;
    }
    if (info.isDir() && !QDir(path).isEmpty() && !m_confirmOverwrite(path)) {
        m_result->setStyleSheet({});
        m_result->setText(tr("Not exported: %1 is not empty and was kept.").arg(path));
        return false;
    }
    if (m_worker || !m_request.data) return false;
    const ExportSource& source = m_request.checkpoints[static_cast<std::size_t>(index)].source;
    m_workerPath = path;
    m_workerFailure.reset();
    m_workerTorch.reset();
    m_result->setStyleSheet({});
    m_result->setText(tr("Writing the PyTorch package to %1...").arg(path));
    m_progress->setRange(0, 0);
    TorchExportOptions options;
    options.trained = true;
    options.origin = m_request.modelName.toStdString() + ", " + m_request.checkpoints[std::size_t(index)].label.toStdString();
    m_worker = QThread::create([this, &source, options, path] {
        try {
            m_workerTorch = exportPytorch(source, *m_request.data, source.project.training, path.toStdString(), options);
        } catch (...) {
            m_workerFailure = currentFailure();
        }
    });
    connect(m_worker, &QThread::finished, this, &ExportDialog::workerFinished);
    updateControls();
    m_worker->start();
    return true;
}

}  // namespace neurite
