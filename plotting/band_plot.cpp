#include "band_plot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "plot_data.h"

namespace neurite::plot {

BandPlot::BandPlot(QWidget* parent) : PlotFrame(parent) {
    customPlot()->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    setAxisLabels(tr("epoch"), QString());
}

void BandPlot::setAxisLabels(const QString& x, const QString& y) {
    customPlot()->xAxis->setLabel(x);
    customPlot()->yAxis->setLabel(y);
}

BandStats BandPlot::computeStats(const QVector<QVector<double>>& curves) {
    qsizetype epochs = 0;
    for (const auto& c : curves) epochs = std::max(epochs, c.size());
    BandStats s;
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    for (qsizetype e = 0; e < epochs; ++e) {
        double sum = 0;
        int n = 0;
        for (const auto& c : curves)
            if (e < c.size() && std::isfinite(c[e])) {
                sum += c[e];
                ++n;
            }
        const double mean = n > 0 ? sum / n : kNaN;
        double ss = 0;  // two passes: the spread of values near 1 (accuracies) stays exact
        for (const auto& c : curves)
            if (e < c.size() && std::isfinite(c[e])) ss += (c[e] - mean) * (c[e] - mean);
        s.epoch.push_back(static_cast<double>(e + 1));
        s.mean.push_back(mean);
        s.std.push_back(n > 1 ? std::sqrt(ss / (n - 1)) : n == 1 ? 0.0 : kNaN);
        s.count.push_back(n);
    }
    return s;
}

int BandPlot::addSeries(const QString& name, const QVector<QVector<double>>& curves) {
    QCustomPlot* plot = customPlot();
    const int id = seriesCount();
    const QColor color = seriesColor(id);
    Series s;
    s.name = name;
    s.stats = computeStats(curves);
    QVector<double> hi, lo;
    for (qsizetype e = 0; e < s.stats.mean.size(); ++e) {
        hi.push_back(s.stats.mean[e] + s.stats.std[e]);  // NaN stays NaN: a gap in the band too
        lo.push_back(s.stats.mean[e] - s.stats.std[e]);
    }
    QColor fill = color;
    fill.setAlpha(55);
    s.upper = plot->addGraph();
    s.lower = plot->addGraph();
    for (QCPGraph* g : {s.upper, s.lower}) {
        g->setPen(Qt::NoPen);
        g->removeFromLegend();
    }
    s.upper->setData(s.stats.epoch, hi, true);
    s.lower->setData(s.stats.epoch, lo, true);
    s.lower->setBrush(fill);
    s.lower->setChannelFillGraph(s.upper);
    s.mean = plot->addGraph();
    s.mean->setName(name);
    s.mean->setPen(QPen(color, 2));
    s.mean->setData(s.stats.epoch, s.stats.mean, true);
    if (s.stats.mean.size() <= 30)
        s.mean->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, color, color, 4));
    m_series.push_back(s);
    resetView();
    return id;
}

void BandPlot::clear() {
    for (const Series& s : m_series)
        for (QCPGraph* g : {s.mean, s.upper, s.lower}) customPlot()->removeGraph(g);
    m_series.clear();
    resetView();
}

BandStats BandPlot::stats(int id) const { return id >= 0 && id < seriesCount() ? m_series[id].stats : BandStats{}; }

void BandPlot::setSeriesVisible(int id, bool visible) {
    if (id < 0 || id >= seriesCount()) return;
    for (QCPGraph* g : {m_series[id].mean, m_series[id].upper, m_series[id].lower}) g->setVisible(visible);
    requestReplot();
}

bool BandPlot::seriesVisible(int id) const { return id >= 0 && id < seriesCount() && m_series[id].mean->visible(); }

void BandPlot::plottableToggled(QCPAbstractPlottable* p, bool visible) {
    for (const Series& s : m_series)
        if (s.mean == p) {
            s.upper->setVisible(visible);
            s.lower->setVisible(visible);
        }
}

void BandPlot::fitView() {
    QCustomPlot* plot = customPlot();
    bool any = false;
    QCPRange keys, values;
    for (const Series& s : m_series) {
        if (!s.mean->visible()) continue;
        for (QCPGraph* g : {s.upper, s.lower, s.mean}) {
            bool fk = false, fv = false;
            const QCPRange k = g->getKeyRange(fk), v = g->getValueRange(fv);
            if (!fk || !fv) continue;
            keys = any ? QCPRange(std::min(keys.lower, k.lower), std::max(keys.upper, k.upper)) : k;
            values = any ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
            any = true;
        }
    }
    if (!any) keys = values = QCPRange(0, 1);
    if (keys.size() <= 0) keys = QCPRange(keys.lower - 1, keys.lower + 1);
    if (values.size() <= 0) values = QCPRange(values.lower - 0.5, values.lower + 0.5);
    plot->xAxis->setRange(keys);
    plot->yAxis->setRange(values);
    plot->xAxis->scaleRange(1.04);
    plot->yAxis->scaleRange(1.08);
}

QString BandPlot::csv() const {
    QString out = QStringLiteral("series,epoch,mean,std,n\n");
    for (const Series& s : m_series)
        for (qsizetype e = 0; e < s.stats.epoch.size(); ++e) {
            if (s.stats.count[e] == 0) continue;
            out += csvField(s.name) + QLatin1Char(',') + QString::number(s.stats.epoch[e]) + QLatin1Char(',') +
                   QString::number(s.stats.mean[e], 'g', 10) + QLatin1Char(',') +
                   QString::number(s.stats.std[e], 'g', 10) + QLatin1Char(',') + QString::number(s.stats.count[e]) +
                   QLatin1Char('\n');
        }
    return out;
}

}  // namespace neurite::plot
