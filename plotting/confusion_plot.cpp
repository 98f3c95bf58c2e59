#include "confusion_plot.h"

#include <QMenu>
#include <qcustomplot.h>

#include <cmath>

namespace neurite::plot {

namespace {
// Beyond this many classes the cell labels would overlap; the tooltip still gives the numbers.
constexpr int kMaxLabelledClasses = 20;
}

ConfusionPlot::ConfusionPlot(QWidget* parent) : PlotFrame(parent) {
    QCustomPlot* plot = customPlot();
    plot->setInteractions({});  // a matrix has nothing to pan
    plot->legend->setVisible(false);
    plot->xAxis->setLabel(tr("predicted class"));
    plot->yAxis->setLabel(tr("true class"));
    plot->yAxis->setRangeReversed(true);  // class 0 at the top, like a printed matrix
    plot->xAxis->grid()->setVisible(false);
    plot->yAxis->grid()->setVisible(false);
    m_map = new QCPColorMap(plot->xAxis, plot->yAxis);
    m_map->setName(tr("confusion"));
    m_map->removeFromLegend();  // the axes say what the cells are
    QCPColorGradient gradient;
    gradient.setColorStopAt(0, QColor(247, 251, 255));
    gradient.setColorStopAt(1, QColor(8, 48, 107));
    m_map->setGradient(gradient);
    m_map->setDataRange(QCPRange(0, 1));
    m_map->setInterpolate(false);
}

int64_t ConfusionPlot::rowSum(int r) const {
    const int n = static_cast<int>(m_data.classes.size());
    int64_t sum = 0;
    for (int c = 0; c < n; ++c) sum += m_data.counts[static_cast<std::size_t>(r * n + c)];
    return sum;
}

void ConfusionPlot::setMatrix(const ConfusionData& data) {
    const auto n = static_cast<std::size_t>(data.classes.size());
    m_data = data.counts.size() == n * n ? data : ConfusionData{};
    const int k = static_cast<int>(m_data.classes.size());
    m_map->data()->setSize(k, k);
    m_map->data()->setRange(QCPRange(0, std::max(k - 1, 0)), QCPRange(0, std::max(k - 1, 0)));
    for (int r = 0; r < k; ++r) {
        const int64_t sum = rowSum(r);
        for (int c = 0; c < k; ++c) {
            const auto v = static_cast<double>(m_data.counts[static_cast<std::size_t>(r * k + c)]);
            m_map->data()->setCell(c, r, sum > 0 ? v / static_cast<double>(sum) : 0.0);
        }
    }
    rebuildLabels();
    fitView();
    requestReplot();
}

QString ConfusionPlot::cellText(int r, int c) const {
    const int k = static_cast<int>(m_data.classes.size());
    if (r < 0 || c < 0 || r >= k || c >= k) return {};
    const int64_t v = m_data.counts[static_cast<std::size_t>(r * k + c)];
    if (!m_shares) return QString::number(v);
    const int64_t sum = rowSum(r);
    const double share = sum > 0 ? 100.0 * static_cast<double>(v) / static_cast<double>(sum) : 0.0;
    return QStringLiteral("%1\n%2%").arg(v).arg(share, 0, 'f', 1);
}

void ConfusionPlot::rebuildLabels() {
    QCustomPlot* plot = customPlot();
    plot->clearItems();
    const int k = static_cast<int>(m_data.classes.size());
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    for (int i = 0; i < k; ++i) ticker->addTick(i, m_data.classes[i]);
    plot->xAxis->setTicker(ticker);
    plot->yAxis->setTicker(ticker);
    plot->xAxis->setTickLabelRotation(k > 6 ? 45 : 0);
    if (k > kMaxLabelledClasses) return;
    for (int r = 0; r < k; ++r) {
        const int64_t sum = rowSum(r);
        for (int c = 0; c < k; ++c) {
            const auto v = static_cast<double>(m_data.counts[static_cast<std::size_t>(r * k + c)]);
            const double share = sum > 0 ? v / static_cast<double>(sum) : 0.0;
            auto* text = new QCPItemText(plot);
            text->position->setCoords(c, r);
            text->setText(cellText(r, c));
            text->setColor(share > 0.5 ? Qt::white : Qt::black);  // readable on dark cells
            text->setClipToAxisRect(true);
        }
    }
}

void ConfusionPlot::setShowShares(bool on) {
    m_shares = on;
    rebuildLabels();
    requestReplot();
}

void ConfusionPlot::fitView() {
    const int k = static_cast<int>(m_data.classes.size());
    customPlot()->xAxis->setRange(-0.5, std::max(k, 1) - 0.5);
    customPlot()->yAxis->setRange(-0.5, std::max(k, 1) - 0.5);
}

void ConfusionPlot::extendMenu(QMenu& menu) {
    QAction* shares = menu.addAction(tr("Show row shares"));
    shares->setCheckable(true);
    shares->setChecked(m_shares);
    connect(shares, &QAction::toggled, this, &ConfusionPlot::setShowShares);
}

QString ConfusionPlot::tooltipAt(QPointF pos) const {
    const int k = static_cast<int>(m_data.classes.size());
    const int c = static_cast<int>(std::lround(customPlot()->xAxis->pixelToCoord(pos.x())));
    const int r = static_cast<int>(std::lround(customPlot()->yAxis->pixelToCoord(pos.y())));
    if (r < 0 || c < 0 || r >= k || c >= k) return {};
    const int64_t v = m_data.counts[static_cast<std::size_t>(r * k + c)];
    const int64_t sum = rowSum(r);
    return tr("true %1, predicted %2: %3 (%4% of %1)")
        .arg(m_data.classes[r], m_data.classes[c])
        .arg(v)
        .arg(sum > 0 ? 100.0 * static_cast<double>(v) / static_cast<double>(sum) : 0.0, 0, 'f', 1);
}

QString ConfusionPlot::csv() const {
    const int k = static_cast<int>(m_data.classes.size());
    QString out = QStringLiteral("true\\predicted");
    for (const QString& c : m_data.classes) out += QLatin1Char(',') + csvField(c);
    out += QLatin1Char('\n');
    for (int r = 0; r < k; ++r) {
        out += csvField(m_data.classes[r]);
        for (int c = 0; c < k; ++c)
            out += QLatin1Char(',') + QString::number(m_data.counts[static_cast<std::size_t>(r * k + c)]);
        out += QLatin1Char('\n');
    }
    return out;
}

}  // namespace neurite::plot
