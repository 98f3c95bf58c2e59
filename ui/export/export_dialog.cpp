// The export dialog. Export runs on the GUI thread: even the Fashion CNN writes in well under a
// second, and a model that changes under a worker thread would be worse than a short wait.
#include "export/export_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/error.h"

namespace neurite {

namespace {

QString suffixOf(ExportFormat f) { return f == ExportFormat::Onnx ? ".onnx" : ".nmodel"; }

}  // namespace

ExportDialog::ExportDialog(ExportRequest request, QWidget* parent)
    : QDialog(parent), m_request(std::move(request)) {
    setWindowTitle(tr("Export model"));
    m_format = new QComboBox(this);
    m_format->addItem(tr("ONNX (opset 13, for other runtimes)"), int(ExportFormat::Onnx));
    m_format->addItem(tr("Neurite model file (for neurite-cli predict and Try it)"),
                      int(ExportFormat::Native));
    m_checkpoint = new QComboBox(this);
    for (const ExportCheckpoint& c : m_request.checkpoints) m_checkpoint->addItem(c.label);
    m_checkpointLabel = new QLabel(tr("Checkpoint"), this);
    const bool choice = m_request.checkpoints.size() > 1;
    m_checkpoint->setVisible(choice);
    m_checkpointLabel->setVisible(choice);

    m_path = new QLineEdit(this);
    const QString stem = m_request.modelName.isEmpty() ? "model" : m_request.modelName;
    m_path->setText(QDir::home().filePath(stem + ".onnx"));
    auto* browse = new QPushButton(tr("Browse..."), this);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    auto* form = new QFormLayout;
    form->addRow(tr("Format"), m_format);
    form->addRow(m_checkpointLabel, m_checkpoint);
    form->addRow(tr("File"), pathRow);

    m_result = new QLabel(this);
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setMinimumWidth(420);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_export = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_result);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::updateSuffix);
    // Export keeps the dialog open so the user reads what was verified; Close leaves.
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::exportNow);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    m_export->setEnabled(!m_request.checkpoints.empty());
}

void ExportDialog::setFormat(ExportFormat format) {
    m_format->setCurrentIndex(m_format->findData(int(format)));
}

void ExportDialog::setCheckpoint(int index) { m_checkpoint->setCurrentIndex(index); }

void ExportDialog::setPath(const QString& path) { m_path->setText(path); }

QString ExportDialog::resultText() const { return m_result->text(); }

bool ExportDialog::checkpointChoiceVisible() const { return !m_checkpoint->isHidden(); }

void ExportDialog::updateSuffix() {
    // Switching the format switches a known suffix, never a name the user typed differently.
    const auto f = static_cast<ExportFormat>(m_format->currentData().toInt());
    QString p = m_path->text();
    for (const QString& s : {QString(".onnx"), QString(".nmodel")})
        if (p.endsWith(s)) p = p.left(p.size() - s.size()) + suffixOf(f);
    m_path->setText(p);
}

void ExportDialog::browse() {
    const auto f = static_cast<ExportFormat>(m_format->currentData().toInt());
    const QString filter = f == ExportFormat::Onnx ? tr("ONNX models (*.onnx)")
                                                   : tr("Neurite models (*.nmodel)");
    const QString p = QFileDialog::getSaveFileName(this, tr("Export model"), m_path->text(), filter);
    if (!p.isEmpty()) m_path->setText(p);
}

bool ExportDialog::exportNow() {
    const int index = std::max(0, m_checkpoint->currentIndex());
    if (m_request.checkpoints.empty() || m_path->text().trimmed().isEmpty()) {
        m_result->setText(tr("Choose a file to write."));
        return false;
    }
    const auto format = static_cast<ExportFormat>(m_format->currentData().toInt());
    const QString path = m_path->text().trimmed();
    try {
        const ExportReport report =
            exportModel(m_request.checkpoints[static_cast<std::size_t>(index)].source, format,
                        path.toStdString(), m_request.samples, m_request.sampleCount);
        QStringList lines{tr("Exported %1.").arg(QFileInfo(path).fileName())};
        for (const std::string& l : report.summary()) lines << QString::fromStdString(l);
        m_result->setStyleSheet({});
        m_result->setText(lines.join('\n'));
        emit exported(path);
        return true;
    } catch (const std::exception& e) {
        m_result->setStyleSheet("color: #b00020");
        m_result->setText(tr("Export failed: %1").arg(QString::fromUtf8(e.what())));
        return false;
    }
}

}  // namespace neurite
