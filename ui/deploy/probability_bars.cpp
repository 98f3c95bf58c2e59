// Bar chart of class probabilities.
#include "deploy/probability_bars.h"

#include <QPainter>

#include <algorithm>

namespace neurite {

namespace {
constexpr int kRow = 22;
}

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent) {
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
}

void ProbabilityBars::setBars(const QStringList& names, const std::vector<float>& probabilities) {
    m_names = names;
    m_values = probabilities;
    updateGeometry();
    update();
}

QSize ProbabilityBars::sizeHint() const {
    return {320, std::max<int>(1, static_cast<int>(m_values.size())) * kRow + 4};
}

void ProbabilityBars::paintEvent(QPaintEvent*) {
    QPainter p(this);
    const QFontMetrics fm = fontMetrics();
    int labelWidth = 0;
    for (const QString& n : m_names) labelWidth = std::max(labelWidth, fm.horizontalAdvance(n));
    // 4 px of slack: advances are rounded, and a name exactly as wide as its box gets elided.
    labelWidth = std::min(labelWidth + 12, width() / 3);
    const int percentWidth = fm.horizontalAdvance("100.0%") + 8;
    const int barWidth = std::max(10, width() - labelWidth - percentWidth);
    const auto best = std::max_element(m_values.begin(), m_values.end()) - m_values.begin();
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        const int y = static_cast<int>(i) * kRow + 2;
        const QRect label(0, y, labelWidth - 8, kRow);
        p.setPen(palette().color(QPalette::WindowText));
        const QString name = i < static_cast<std::size_t>(m_names.size()) ? m_names[int(i)] : QString();
        p.drawText(label, Qt::AlignRight | Qt::AlignVCenter, fm.elidedText(name, Qt::ElideRight, label.width()));
        const QRect track(labelWidth, y + 4, barWidth, kRow - 8);
        p.fillRect(track, palette().color(QPalette::AlternateBase));
        const float v = std::clamp(m_values[i], 0.f, 1.f);
        QRect bar = track;
        bar.setWidth(static_cast<int>(v * float(track.width())));
        p.fillRect(bar, static_cast<std::ptrdiff_t>(i) == best ? palette().color(QPalette::Highlight)
                                                               : palette().color(QPalette::Mid));
        p.drawText(QRect(labelWidth + barWidth + 6, y, percentWidth, kRow),
                   Qt::AlignLeft | Qt::AlignVCenter, QString::number(100.0 * v, 'f', 1) + "%");
    }
}

}  // namespace neurite
