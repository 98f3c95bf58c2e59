// ActivationView: CNN Explainer's view of an image network, in the Training tab. For one sample
// of the held-out data (chosen with the Sample field), every layer's output: one small map per
// channel, in a row per layer. Clicking a map of a convolution enlarges it; clicking a pixel of
// the enlarged map shows how that value was computed: the kernel, the input patch it lay over
// (for up to three input channels), the bias, and their sum (engine convArithmetic). The maps
// come from the running model, a few times a second and at once while it is paused.
#pragma once

#include <QImage>
#include <QWidget>

#include <memory>
#include <vector>

#include "export/activation_maps.h"

class QLabel;
class QSpinBox;
class QTextBrowser;

namespace neurite {

class ActivationGrid;
class ActivationDetail;

class ActivationView : public QWidget {
    Q_OBJECT
public:
    explicit ActivationView(QWidget* parent = nullptr);

    void setClassNames(const QStringList& names) { m_classNames = names; }
    void setSampleCount(qint64 count);  // samples of the split the maps come from
    void setMaps(std::shared_ptr<const ActivationMaps> maps, qint64 sample, int label);
    void clear();

    // The selected map (a node and channel) and value (y, x), for tests; "" when none.
    QString selectedNode() const { return m_node; }
    void select(const QString& node, int64_t channel);
    void selectValue(int64_t y, int64_t x);
    QString arithmeticText() const;  // what the arithmetic panel says
    QSpinBox* sampleEditor() const { return m_sample; }
    const std::shared_ptr<const ActivationMaps>& maps() const { return m_maps; }

signals:
    void sampleChosen(qint64 index);

private:
    void showDetail();

    std::shared_ptr<const ActivationMaps> m_maps;
    QStringList m_classNames;
    QString m_node;
    int64_t m_channel = 0, m_y = -1, m_x = -1;
    QSpinBox* m_sample;
    QLabel* m_caption;
    ActivationGrid* m_grid;
    ActivationDetail* m_detail;
    QTextBrowser* m_arithmetic;
};

}  // namespace neurite
