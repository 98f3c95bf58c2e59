#include "trial_scatter_plot.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "plot_data.h"

namespace neurite::plot {

namespace {

QCPScatterStyle dot(const QColor& color, double size) {
    QColor fill = color;
    fill.setAlpha(170);
    return QCPScatterStyle(QCPScatterStyle::ssCircle, color, fill, size);
}

}  // namespace

TrialScatterPlot::TrialScatterPlot(QWidget* parent) : PlotFrame(parent) {
    QCustomPlot* plot = customPlot();
    plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_best = plot->addGraph();
    m_best->setName(tr("best so far"));
    m_best->setLineStyle(QCPGraph::lsStepLeft);
    m_best->setPen(QPen(seriesColor(1), 1.5));
    m_other = plot->addGraph();
    m_other->setName(tr("pruned or infeasible"));
    m_other->setLineStyle(QCPGraph::lsNone);
    m_other->setScatterStyle(dot(QColor(150, 150, 150), 6));
    m_done = plot->addGraph();
    m_done->setName(tr("completed"));
    m_done->setLineStyle(QCPGraph::lsNone);
    m_done->setScatterStyle(dot(seriesColor(0), 7));
    m_empty = new QCPItemText(plot);
    m_empty->setClipToAxisRect(false);
    m_empty->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_empty->position->setCoords(0.5, 0.5);
    m_empty->setColor(QColor(120, 120, 120));
    m_empty->setText(tr("No trial has an objective yet"));
    clear();
}

void TrialScatterPlot::setAxisLabels(const QString& x, const QString& y) {
    customPlot()->xAxis->setLabel(x);
    customPlot()->yAxis->setLabel(y);
    requestReplot();
}

void TrialScatterPlot::setEmptyText(const QString& text) {
    m_empty->setText(text);
    requestReplot();
}

QString TrialScatterPlot::emptyText() const { return m_empty->visible() ? m_empty->text() : QString(); }

void TrialScatterPlot::clear() {
    setPoints({});
    setBestLine({}, {});
}

void TrialScatterPlot::setPoints(const std::vector<TrialPoint>& points, XScale scale, const QStringList& categories) {
    m_scale = scale;
    m_categories = categories;
    m_points.clear();
    QVector<double> dx, dy, ox, oy;
    for (const TrialPoint& p : points) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y) || (scale == XScale::Log && p.x <= 0)) continue;
        m_points.push_back(p);
        (p.completed ? dx : ox).push_back(p.x);
        (p.completed ? dy : oy).push_back(p.y);
    }
    m_done->setData(dx, dy);
    m_other->setData(ox, oy);
    // The legend lists only what is drawn, and only when there is more than one kind of it.
    m_done->removeFromLegend();
    m_other->removeFromLegend();
    if (!dx.isEmpty() && (!ox.isEmpty() || m_best->dataCount() > 0)) m_done->addToLegend();
    if (!ox.isEmpty()) m_other->addToLegend();
    QCPAxis* x = customPlot()->xAxis;
    if (scale == XScale::Log) {
        x->setScaleType(QCPAxis::stLogarithmic);
        x->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    } else if (scale == XScale::Categories) {
        x->setScaleType(QCPAxis::stLinear);
        auto ticker = QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText);
        for (int i = 0; i < categories.size(); ++i) ticker->addTick(i, categories[i]);
        x->setTicker(ticker);
    } else {
        x->setScaleType(QCPAxis::stLinear);
        x->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    m_empty->setVisible(m_points.empty());
    resetView();
}

void TrialScatterPlot::setBestLine(const std::vector<double>& x, const std::vector<double>& y) {
    const std::size_t n = std::min(x.size(), y.size());
    m_best->setData(QVector<double>(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n)),
                    QVector<double>(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(n)), true);
    m_best->removeFromLegend();
    m_done->removeFromLegend();
    if (n > 0) {
        if (m_done->dataCount() > 0) m_done->addToLegend();
        m_best->addToLegend();
    }
    requestReplot();
}

int TrialScatterPlot::pointCount() const { return static_cast<int>(m_points.size()); }

int TrialScatterPlot::bestLineCount() const { return m_best->dataCount(); }

void TrialScatterPlot::fitView() {
    QCustomPlot* plot = customPlot();
    double xlo = std::numeric_limits<double>::max(), xhi = std::numeric_limits<double>::lowest();
    double ylo = xlo, yhi = xhi;
    for (const TrialPoint& p : m_points) {
        xlo = std::min(xlo, p.x);
        xhi = std::max(xhi, p.x);
        ylo = std::min(ylo, p.y);
        yhi = std::max(yhi, p.y);
    }
    if (m_points.empty()) {
        plot->xAxis->setRange(m_scale == XScale::Log ? QCPRange(0.1, 10) : QCPRange(0, 1));
        plot->yAxis->setRange(0, 1);
        return;
    }
    if (m_scale == XScale::Categories) {
        plot->xAxis->setRange(-0.5, std::max<double>(m_categories.size(), 1) - 0.5);
    } else if (m_scale == XScale::Log) {
        plot->xAxis->setRange(xlo / 1.6, xhi * 1.6);
    } else {
        const double pad = xhi > xlo ? (xhi - xlo) * 0.06 : std::max(std::fabs(xlo) * 0.1, 0.5);
        plot->xAxis->setRange(xlo - pad, xhi + pad);
    }
    const double pad = yhi > ylo ? (yhi - ylo) * 0.08 : std::max(std::fabs(ylo) * 0.1, 1e-9);
    // Room above the highest point for the legend in the top corner.
    const double legendRoom = plot->legend->itemCount() > 0 ? (yhi - ylo + 2 * pad) * 0.3 : 0;
    plot->yAxis->setRange(ylo - pad, yhi + pad + legendRoom);
}

QString TrialScatterPlot::tooltipAt(QPointF pos) const {
    const QCustomPlot* plot = customPlot();
    const TrialPoint* best = nullptr;
    double bestDist = 12.0;
    for (const TrialPoint& p : m_points) {
        const double d = std::hypot(plot->xAxis->coordToPixel(p.x) - pos.x(), plot->yAxis->coordToPixel(p.y) - pos.y());
        if (d <= bestDist) {
            bestDist = d;
            best = &p;
        }
    }
    if (!best) return {};
    const int index = static_cast<int>(std::lround(best->x));
    const QString x = m_scale == XScale::Categories && index >= 0 && index < m_categories.size()
                          ? m_categories[index] : QString::number(best->x, 'g', 6);
    return tr("trial %1%2\n%3 = %4\n%5 = %6")
        .arg(best->trial)
        .arg(best->completed ? QString() : tr(" (not completed)"),
             plot->xAxis->label().isEmpty() ? QStringLiteral("x") : plot->xAxis->label(), x,
             plot->yAxis->label().isEmpty() ? QStringLiteral("y") : plot->yAxis->label(),
             QString::number(best->y, 'g', 6));
}

QString TrialScatterPlot::csv() const {
    QString out = QStringLiteral("trial,%1,%2,completed\n")
                      .arg(csvField(customPlot()->xAxis->label()), csvField(customPlot()->yAxis->label()));
    for (const TrialPoint& p : m_points) {
        const int index = static_cast<int>(std::lround(p.x));
        const QString x = m_scale == XScale::Categories && index >= 0 && index < m_categories.size()
                              ? csvField(m_categories[index]) : QString::number(p.x, 'g', 17);
        out += QStringLiteral("%1,%2,%3,%4\n")
                   .arg(p.trial)
                   .arg(x, QString::number(p.y, 'g', 17), p.completed ? QStringLiteral("1") : QStringLiteral("0"));
    }
    return out;
}

}  // namespace neurite::plot
