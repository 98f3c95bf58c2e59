#include "variants_plot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

#include "plot_data.h"

namespace neurite::plot {

VariantsPlot::VariantsPlot(QWidget* parent) : PlotFrame(parent) {
    QCustomPlot* plot = customPlot();
    plot->legend->setVisible(true);
    const auto series = [plot](const QString& name, QCPScatterStyle::ScatterShape shape, int color) {
        QCPGraph* g = plot->addGraph();
        g->setName(name);
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(shape, seriesColor(color), seriesColor(color), 9));
        return g;
    };
    m_float = series(tr("float"), QCPScatterStyle::ssDisc, 0);
    m_int8 = series(tr("int8"), QCPScatterStyle::ssSquare, 1);
    plot->xAxis->setLabel(tr("batch-1 latency p50 (ms)"));
    setPoints({}, QStringLiteral("accuracy"));
}

void VariantsPlot::setPoints(const QVector<Point>& points, const QString& metricName) {
    QCustomPlot* plot = customPlot();
    m_points = points;
    m_metric = metricName;
    plot->yAxis->setLabel(metricName == QLatin1String("RMSE") ? tr("test RMSE (lower is better)")
                                                              : tr("test %1").arg(metricName));
    QVector<double> fx, fy, qx, qy;
    for (const Point& p : points) {
        (p.int8 ? qx : fx).push_back(p.latencyMs);
        (p.int8 ? qy : fy).push_back(p.metric);
    }
    m_float->setData(fx, fy);
    m_int8->setData(qx, qy);
    for (QCPItemText* label : m_labels) plot->removeItem(label);
    m_labels.clear();
    resetView();
    // A label above its point, or below it and further right when earlier points sit close by
    // (within 4% of the axes), so that neighbours' labels do not overprint.
    const QCPRange xr = plot->xAxis->range(), yr = plot->yAxis->range();
    for (int k = 0; k < points.size(); ++k) {
        const Point& p = points[k];
        int near = 0;
        for (int j = 0; j < k; ++j)
            near += std::fabs(points[j].latencyMs - p.latencyMs) < 0.04 * xr.size() &&
                    std::fabs(points[j].metric - p.metric) < 0.04 * yr.size();
        auto* label = new QCPItemText(plot);
        label->setText(p.label);
        label->position->setCoords(p.latencyMs, p.metric);
        label->setPositionAlignment(Qt::AlignLeft | (near % 2 ? Qt::AlignTop : Qt::AlignBottom));
        label->setPadding(QMargins(6 + 40 * (near / 2), 0, 0, 2));
        label->setColor(QColor(70, 70, 70));
        m_labels.push_back(label);
    }
    requestReplot();
}

void VariantsPlot::fitView() {
    QCustomPlot* plot = customPlot();
    if (m_points.isEmpty()) {
        plot->xAxis->setRange(0, 1);
        plot->yAxis->setRange(0, 1);
        return;
    }
    double x0 = m_points[0].latencyMs, x1 = x0, y0 = m_points[0].metric, y1 = y0;
    for (const Point& p : m_points) {
        x0 = std::min(x0, p.latencyMs);
        x1 = std::max(x1, p.latencyMs);
        y0 = std::min(y0, p.metric);
        y1 = std::max(y1, p.metric);
    }
    const double dx = std::max((x1 - x0) * 0.25, std::max(x1, 1e-3) * 0.1);
    const double dy = std::max((y1 - y0) * 0.25, std::max(std::fabs(y1), 1e-3) * 0.005);
    plot->xAxis->setRange(std::max(0.0, x0 - dx), x1 + dx);
    plot->yAxis->setRange(y0 - dy, y1 + dy);
}

QString VariantsPlot::tooltipAt(QPointF pos) const {
    const QCustomPlot* plot = customPlot();
    for (const Point& p : m_points) {
        const double px = plot->xAxis->coordToPixel(p.latencyMs), py = plot->yAxis->coordToPixel(p.metric);
        if (std::hypot(px - pos.x(), py - pos.y()) <= 8)
            return tr("%1 (%2): %3 %4, p50 %5 ms")
                .arg(p.label, p.int8 ? tr("int8") : tr("float"), m_metric)
                .arg(p.metric, 0, 'f', 4)
                .arg(p.latencyMs, 0, 'f', 4);
    }
    return {};
}

QString VariantsPlot::csv() const {
    QString out = QStringLiteral("label,model,latency_ms,%1\n").arg(m_metric);
    for (const Point& p : m_points)
        out += QStringLiteral("%1,%2,%3,%4\n").arg(p.label, p.int8 ? "int8" : "float").arg(p.latencyMs).arg(p.metric);
    return out;
}

}  // namespace neurite::plot
