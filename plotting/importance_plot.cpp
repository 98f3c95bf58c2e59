#include "importance_plot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "plot_data.h"

namespace neurite::plot {

ImportancePlot::ImportancePlot(QWidget* parent) : PlotFrame(parent) {
    QCustomPlot* plot = customPlot();
    plot->setInteractions({});  // a handful of bars: nothing to pan or zoom
    plot->legend->setVisible(false);
    plot->plotLayout()->insertRow(0);
    m_subtitle = new QCPTextElement(plot, QString(), QFont(plot->font().family(), plot->font().pointSize()));
    m_subtitle->setTextColor(QColor(90, 90, 90));
    plot->plotLayout()->addElement(0, 0, m_subtitle);
    // Bars across: the parameters are the key axis (left, most important on top).
    m_bars = new QCPBars(plot->yAxis, plot->xAxis);
    m_bars->setName(tr("importance"));
    m_bars->removeFromLegend();
    m_bars->setWidth(0.65);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(seriesColor(0));
    plot->yAxis->setRangeReversed(true);
    plot->yAxis->grid()->setVisible(false);
    plot->yAxis->setTickLength(0, 0);
    plot->yAxis->setSubTickLength(0, 0);
    plot->xAxis->setLabel(tr("importance"));
    m_empty = new QCPItemText(plot);
    m_empty->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_empty->position->setCoords(0.5, 0.5);
    m_empty->setColor(QColor(90, 90, 90));
    m_empty->setClipToAxisRect(false);
    setData({}, {}, QString(), 0);
}

void ImportancePlot::setData(const QStringList& names, const QVector<double>& importance,
                             const QString& method, int trials) {
    QCustomPlot* plot = customPlot();
    m_method = method;
    m_trials = trials;
    m_names.clear();
    m_values.clear();
    for (QCPItemText* label : m_labels) plot->removeItem(label);
    m_labels.clear();

    const bool sized = names.size() == importance.size() && !names.isEmpty();
    const bool varied = sized && std::any_of(importance.begin(), importance.end(),
                                             [](double v) { return std::isfinite(v) && v > 0; });
    if (!sized)
        m_emptyReason = tr("No parameters to rank.");
    else if (trials < kMinTrials)
        m_emptyReason = tr("Importance needs at least %1 completed trials (%2 so far).").arg(kMinTrials).arg(trials);
    else if (!varied)
        m_emptyReason = tr("The objective did not vary across the %1 trials: nothing to attribute.").arg(trials);
    else
        m_emptyReason.clear();

    if (m_emptyReason.isEmpty()) {
        QVector<int> order(names.size());
        std::iota(order.begin(), order.end(), 0);
        auto value = [&](int i) { return std::isfinite(importance[i]) ? importance[i] : 0.0; };
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return value(a) > value(b); });
        for (int i : order) {
            m_names.push_back(names[i]);
            m_values.push_back(value(i));
        }
    }
    QVector<double> keys(m_values.size());
    std::iota(keys.begin(), keys.end(), 0.0);
    m_bars->setData(keys, m_values, true);
    auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
    for (qsizetype i = 0; i < m_names.size(); ++i) ticker->addTick(static_cast<double>(i), m_names[i]);
    plot->yAxis->setTicker(ticker);
    for (qsizetype i = 0; i < m_values.size(); ++i) {
        auto* label = new QCPItemText(plot);
        label->position->setCoords(m_values[i], static_cast<double>(i));
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->setPadding(QMargins(4, 0, 0, 0));
        label->setText(valueLabel(static_cast<int>(i)));
        label->setClipToAxisRect(false);
        m_labels.push_back(label);
    }
    const bool empty = !m_emptyReason.isEmpty();
    m_empty->setText(m_emptyReason);
    m_empty->setVisible(empty);
    plot->xAxis->setVisible(!empty);
    plot->yAxis->setVisible(!empty);
    plot->xAxis->grid()->setVisible(!empty);
    m_subtitle->setText(subtitle());
    resetView();
}

QString ImportancePlot::subtitle() const {
    const QString trials = m_trials == 1 ? tr("1 trial") : tr("%1 trials").arg(m_trials);
    return m_method.isEmpty() ? trials : m_method + QStringLiteral(", ") + trials;
}

QString ImportancePlot::valueLabel(int rank) const {
    if (rank < 0 || rank >= m_values.size()) return {};
    const double v = m_values[rank];
    // Two decimals; a small non-zero share keeps one significant digit instead of "0.00".
    return v > 0 && v < 0.005 ? QString::number(v, 'g', 1) : QString::number(v, 'f', 2);
}

void ImportancePlot::fitView() {
    QCustomPlot* plot = customPlot();
    const double top = m_values.isEmpty() ? 1.0 : std::max(m_values.first(), 1e-9);
    plot->xAxis->setRange(0, top * 1.15);  // room for the value labels right of the longest bar
    plot->yAxis->setRange(-0.6, std::max(static_cast<double>(m_values.size()), 1.0) - 0.4);
}

QString ImportancePlot::tooltipAt(QPointF pos) const {
    const int rank = static_cast<int>(std::lround(customPlot()->yAxis->pixelToCoord(pos.y())));
    if (rank < 0 || rank >= m_values.size() || !customPlot()->axisRect()->rect().contains(pos.toPoint()))
        return {};
    return QStringLiteral("%1: %2").arg(m_names[rank], QString::number(m_values[rank], 'g', 4));
}

QString ImportancePlot::csv() const {
    QString out = QStringLiteral("parameter,importance\n");
    for (qsizetype i = 0; i < m_names.size(); ++i)
        out += csvField(m_names[i]) + QLatin1Char(',') + QString::number(m_values[i], 'g', 10) + QLatin1Char('\n');
    return out;
}

}  // namespace neurite::plot
