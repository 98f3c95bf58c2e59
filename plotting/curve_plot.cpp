#include "curve_plot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace neurite::plot {

CurvePlot::CurvePlot(QWidget* parent) : PlotFrame(parent) {
    QCustomPlot* plot = customPlot();
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    plot->addLayer(QStringLiteral("baseline"), plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
}

void CurvePlot::setAxisLabels(const QString& x, const QString& y) {
    customPlot()->xAxis->setLabel(x);
    customPlot()->yAxis->setLabel(y);
}

void CurvePlot::setFixedValueRange(double lo, double hi) {
    m_fixedLo = lo;
    m_fixedHi = hi;
    resetView();
}

void CurvePlot::fitView() {
    QCustomPlot* plot = customPlot();
    // Visible graphs only: a series toggled off in the legend leaves the axes to the others.
    bool any = false;
    QCPRange keys, values;
    for (int i = 0; i < plot->graphCount(); ++i) {
        QCPGraph* g = plot->graph(i);
        if (!g->visible() || g->dataCount() == 0) continue;
        bool foundKeys = false, foundValues = false;
        const QCPRange k = g->getKeyRange(foundKeys);
        const QCPRange v = g->getValueRange(foundValues, logScale() ? QCP::sdPositive : QCP::sdBoth);
        if (!foundKeys || !foundValues) continue;
        keys = any ? QCPRange(std::min(keys.lower, k.lower), std::max(keys.upper, k.upper)) : k;
        values = any ? QCPRange(std::min(values.lower, v.lower), std::max(values.upper, v.upper)) : v;
        any = true;
    }
    if (!any) keys = values = QCPRange(0, 1);
    if (keys.upper - keys.lower <= 0) keys = QCPRange(std::min(0.0, keys.lower), keys.lower + 1);
    if (values.upper - values.lower <= 0) {
        // One value (or a flat line): centre it in a span of 10% of its size, at least 1e-9.
        const double pad = std::max(std::fabs(values.lower) * 0.1, 1e-9);
        values = logScale() && values.lower > 0 ? QCPRange(values.lower / 2, values.lower * 2)
                                                 : QCPRange(values.lower - pad, values.upper + pad);
    }
    if (m_fixedLo < m_fixedHi && !logScale()) values = QCPRange(m_fixedLo, m_fixedHi);
    plot->xAxis->setRange(keys);
    plot->yAxis->setRange(values);
    if (any) plot->yAxis->scaleRange(m_fixedLo < m_fixedHi ? 1.04 : 1.05);  // points on the edge stay visible
}

int CurvePlot::addSeries(const QString& name, SeriesStyle style, bool smoothable) {
    const int id = static_cast<int>(m_series.size());
    Series s;
    s.name = name;
    s.color = style.color.isValid() ? style.color : seriesColor(id);
    QCustomPlot* plot = customPlot();
    s.raw = plot->addGraph();
    s.raw->setName(name);
    QPen pen(s.color, 1.5);
    if (style.dashed) pen.setStyle(Qt::DashLine);
    s.raw->setPen(pen);
    if (style.markers) s.raw->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    if (smoothable) {
        s.smooth = plot->addGraph();
        s.smooth->setName(name);
        s.smooth->setPen(pen);
        s.smooth->removeFromLegend();
        s.smooth->setVisible(false);
    }
    m_series.push_back(s);
    restyle(m_series.back(), id);
    requestReplot();
    return id;
}

void CurvePlot::appendPoint(int id, double x, double y) {
    appendPoints(id, std::span<const double>(&x, 1), std::span<const double>(&y, 1));
}

void CurvePlot::appendPoints(int id, std::span<const double> x, std::span<const double> y) {
    if (id < 0 || id >= seriesCount() || x.size() != y.size() || x.empty()) return;
    Series& s = m_series[static_cast<std::size_t>(id)];
    // Points arrive in x order, so addData may skip its sort (alreadySorted = true).
    s.raw->addData(QVector<double>(x.begin(), x.end()), QVector<double>(y.begin(), y.end()), true);
    if (s.smooth && m_smoothing > 0) extendSmoothing(s, x, y);
    requestReplot();
}

void CurvePlot::clear() {
    for (Series& s : m_series) {
        customPlot()->removeGraph(s.raw);
        if (s.smooth) customPlot()->removeGraph(s.smooth);
    }
    m_series.clear();
    m_baseline = -1;
    requestReplot();
}

QString CurvePlot::seriesName(int id) const {
    return id >= 0 && id < seriesCount() ? m_series[static_cast<std::size_t>(id)].name : QString();
}

void CurvePlot::setSmoothing(double weight) {
    m_smoothing = std::clamp(weight, 0.0, 0.999);
    for (std::size_t i = 0; i < m_series.size(); ++i) {
        Series& s = m_series[i];
        if (!s.smooth) continue;
        recomputeSmoothing(s);
        restyle(s, static_cast<int>(i));
    }
    requestReplot();
}

void CurvePlot::recomputeSmoothing(Series& s) {
    s.smooth->data()->clear();
    s.ema = 0;
    s.emaPower = 1;
    if (m_smoothing <= 0) return;
    std::vector<double> x, y;
    x.reserve(static_cast<std::size_t>(s.raw->dataCount()));
    y.reserve(x.capacity());
    for (auto it = s.raw->data()->constBegin(); it != s.raw->data()->constEnd(); ++it) {
        x.push_back(it->key);
        y.push_back(it->value);
    }
    extendSmoothing(s, x, y);
}

void CurvePlot::extendSmoothing(Series& s, std::span<const double> x, std::span<const double> y) {
    QVector<double> keys, values;
    keys.reserve(static_cast<qsizetype>(x.size()));
    values.reserve(keys.capacity());
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!std::isfinite(y[i])) continue;  // a NaN loss must not poison the whole curve
        s.ema = s.ema * m_smoothing + (1 - m_smoothing) * y[i];
        s.emaPower *= m_smoothing;  // smoothing^count, without a pow per point
        const double debias = 1 - s.emaPower;
        keys.push_back(x[i]);
        values.push_back(s.ema / debias);
    }
    s.smooth->addData(keys, values, true);
}

std::vector<double> CurvePlot::smoothedValues(int id) const {
    std::vector<double> out;
    if (id < 0 || id >= seriesCount()) return out;
    const Series& s = m_series[static_cast<std::size_t>(id)];
    if (!s.smooth || m_smoothing <= 0) return out;
    for (auto it = s.smooth->data()->constBegin(); it != s.smooth->data()->constEnd(); ++it)
        out.push_back(it->value);
    return out;
}

void CurvePlot::setBaseline(int id) {
    m_baseline = id >= 0 && id < seriesCount() ? id : -1;
    for (std::size_t i = 0; i < m_series.size(); ++i) {
        Series& s = m_series[i];
        restyle(s, static_cast<int>(i));
        // The baseline is drawn on its own layer, above the others.
        const QString layer = static_cast<int>(i) == m_baseline ? QStringLiteral("baseline") : QStringLiteral("main");
        s.raw->setLayer(layer);
        if (s.smooth) s.smooth->setLayer(layer);
    }
    requestReplot();
}

void CurvePlot::restyle(Series& s, int id) {
    const bool smoothed = s.smooth && m_smoothing > 0;
    const double width = id == m_baseline ? 3.0 : 1.5;
    QPen pen = s.raw->pen();
    pen.setWidthF(smoothed ? 1.0 : width);
    QColor c = s.color;
    if (smoothed) c.setAlpha(70);  // raw points stay visible, faint, under the smoothed line
    pen.setColor(c);
    s.raw->setPen(pen);
    s.raw->setAntialiased(!smoothed);  // the faint raw line is noise anyway: draw it fast
    if (s.smooth) {
        QPen sp = pen;
        sp.setColor(s.color);
        sp.setWidthF(width);
        s.smooth->setPen(sp);
        s.smooth->setVisible(smoothed && s.raw->visible());
    }
}

void CurvePlot::setSeriesVisible(int id, bool visible) {
    if (id < 0 || id >= seriesCount()) return;
    Series& s = m_series[static_cast<std::size_t>(id)];
    s.raw->setVisible(visible);
    if (s.smooth) s.smooth->setVisible(visible && m_smoothing > 0);
    requestReplot();
}

bool CurvePlot::seriesVisible(int id) const {
    return id >= 0 && id < seriesCount() && m_series[static_cast<std::size_t>(id)].raw->visible();
}

int CurvePlot::pointCount(int id) const {
    return id >= 0 && id < seriesCount() ? m_series[static_cast<std::size_t>(id)].raw->dataCount() : 0;
}

void CurvePlot::plottableToggled(QCPAbstractPlottable* p, bool visible) {
    for (Series& s : m_series)
        if (s.raw == p && s.smooth) s.smooth->setVisible(visible && m_smoothing > 0);
}

QString CurvePlot::csv() const {
    QString out = QStringLiteral("series,x,y\n");
    for (const Series& s : m_series) {
        const QString name = csvField(s.name);
        for (auto it = s.raw->data()->constBegin(); it != s.raw->data()->constEnd(); ++it)
            out += name + QLatin1Char(',') + QString::number(it->key, 'g', 10) + QLatin1Char(',') +
                   QString::number(it->value, 'g', 10) + QLatin1Char('\n');
    }
    return out;
}

}  // namespace neurite::plot
