// TryItPanel: loads a native model file (*.nmodel) and predicts one sample at a time, from an
// image file or a CSV row typed or pasted in, showing the predicted class and every class's
// probability as bars (or the values of a regression model). Problems appear in the panel.
#pragma once

#include <QWidget>

#include <memory>

#include "export/native_model.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace neurite {

class ProbabilityBars;

class TryItPanel : public QWidget {
    Q_OBJECT
public:
    explicit TryItPanel(QWidget* parent = nullptr);
    ~TryItPanel() override;

    // Each returns success; failures show their message in the panel (errorText()).
    bool loadModel(const QString& path);
    bool predictImage(const QString& path);
    bool predictRow(const QString& csvRow);

    bool hasModel() const { return m_model != nullptr; }
    QString predictionText() const;
    QString errorText() const;
    const ProbabilityBars& bars() const { return *m_bars; }

private:
    bool predict(const std::vector<float>& raw);
    void showError(const QString& message);

    std::unique_ptr<NativeModel> m_model;
    QLabel* m_modelInfo;
    QLineEdit* m_row;
    QPushButton* m_image;
    QPushButton* m_predict;
    QLabel* m_prediction;
    QLabel* m_error;
    ProbabilityBars* m_bars;
};

}  // namespace neurite
