// The "Try it" panel. Models load on the CPU backend: one sample at a time needs no GPU.
#include "export/try_it_panel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "backend/device_registry.h"
#include "export/input_files.h"
#include "export/predictor.h"
#include "export/probability_bars.h"

namespace neurite {

TryItPanel::TryItPanel(QWidget* parent) : QWidget(parent) {
    auto* open = new QPushButton(tr("Open model..."), this);
    m_modelInfo = new QLabel(tr("No model loaded. Export one as a Neurite model file (*.nmodel)."), this);
    m_modelInfo->setWordWrap(true);
    m_image = new QPushButton(tr("Image..."), this);
    m_row = new QLineEdit(this);
    m_row->setPlaceholderText(tr("or type or paste a CSV row of raw values"));
    m_predict = new QPushButton(tr("Predict"), this);
    m_prediction = new QLabel(this);
    QFont big = m_prediction->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_prediction->setFont(big);
    m_error = new QLabel(this);
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #b00020");
    m_bars = new ProbabilityBars(this);

    auto* top = new QHBoxLayout;
    top->addWidget(open);
    top->addWidget(m_modelInfo, 1);
    auto* input = new QHBoxLayout;
    input->addWidget(m_image);
    input->addWidget(m_row, 1);
    input->addWidget(m_predict);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addLayout(input);
    layout->addWidget(m_error);
    layout->addWidget(m_prediction);
    layout->addWidget(m_bars);
    layout->addStretch(1);

    connect(open, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open model"), {},
                                                       tr("Neurite models (*.nmodel);;All files (*)"));
        if (!p.isEmpty()) loadModel(p);
    });
    connect(m_image, &QPushButton::clicked, this, [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open image"), {},
                                                       tr("Images (*.png *.jpg *.jpeg *.bmp)"));
        if (!p.isEmpty()) predictImage(p);
    });
    connect(m_predict, &QPushButton::clicked, this, [this] { predictRow(m_row->text()); });
    connect(m_row, &QLineEdit::returnPressed, this, [this] { predictRow(m_row->text()); });
    m_image->setEnabled(false);
    m_predict->setEnabled(false);
}

TryItPanel::~TryItPanel() = default;

QString TryItPanel::predictionText() const { return m_prediction->text(); }
QString TryItPanel::errorText() const { return m_error->text(); }

void TryItPanel::showError(const QString& message) {
    m_error->setText(message);
    m_prediction->clear();
    m_bars->clear();
}

bool TryItPanel::loadModel(const QString& path) {
    try {
        auto m = std::make_unique<NativeModel>(loadNativeModel(path.toStdString(), backendFor("cpu")));
        const Shape sample = m->sampleShape();
        const bool image = sample.rank() == 3 && (sample[0] == 1 || sample[0] == 3 || sample[0] == 4);
        m_modelInfo->setText(
            tr("%1: %2, input %3")
                .arg(QFileInfo(path).fileName(),
                     m->isClassifier() ? tr("%n classes", nullptr, int(m->classNames.size()))
                                       : tr("regression"),
                     QString::fromStdString(sample.str())));
        m_image->setEnabled(image);
        m_predict->setEnabled(true);
        m_model = std::move(m);
        m_error->clear();
        m_prediction->clear();
        m_bars->clear();
        return true;
    } catch (const std::exception& e) {
        // The model loaded before (if any) stays usable.
        showError(QString::fromUtf8(e.what()));
        return false;
    }
}

bool TryItPanel::predictImage(const QString& path) {
    if (!m_model) return false;
    try {
        return predict(readImage(path.toStdString(), m_model->sampleShape()).values);
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
}

bool TryItPanel::predictRow(const QString& csvRow) {
    if (!m_model) return false;
    try {
        const RawInputs in = parseCsvRows(csvRow.toStdString(), "the typed row", m_model->sampleShape());
        if (in.count != 1) {
            showError(tr("Type one row (got %1).").arg(in.count));
            return false;
        }
        return predict(in.values);
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
        return false;
    }
}

bool TryItPanel::predict(const std::vector<float>& raw) {
    Predictor predictor(*m_model->model, m_model->preprocessing, 1);
    const std::vector<float> out = predictor.outputs(raw.data(), 1);
    m_error->clear();
    if (!m_model->isClassifier()) {
        QStringList values;
        for (float v : out) values << QString::number(v, 'g', 6);
        m_prediction->setText(tr("Values: %1").arg(values.join(", ")));
        m_bars->clear();
        return true;
    }
    const std::vector<float> probs = probabilitiesOf(out, predictor.units());
    const auto k = static_cast<int64_t>(m_model->classNames.size());
    const int best = argmaxRows(probs, k).front();
    QStringList names;
    for (const std::string& n : m_model->classNames) names << QString::fromStdString(n);
    m_prediction->setText(tr("Predicted: %1 (%2%)")
                              .arg(names[best])
                              .arg(100.0 * probs[static_cast<std::size_t>(best)], 0, 'f', 1));
    m_bars->setBars(names, probs);
    return true;
}

}  // namespace neurite
