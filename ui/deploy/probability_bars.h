// ProbabilityBars: one horizontal bar per class with its name and percentage, drawn with
// QPainter; the most probable class is highlighted.
#pragma once

#include <QStringList>
#include <QWidget>

#include <vector>

namespace neurite {

class ProbabilityBars : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBars(QWidget* parent = nullptr);
    void setBars(const QStringList& names, const std::vector<float>& probabilities);
    void clear() { setBars({}, {}); }

    const QStringList& names() const { return m_names; }
    const std::vector<float>& values() const { return m_values; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QStringList m_names;
    std::vector<float> m_values;
};

}  // namespace neurite
