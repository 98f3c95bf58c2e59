#include "pareto_plot.h"

#include <qcustomplot.h>

#include <cmath>
#include <vector>

#include "experiment/pareto.h"
#include "plot_data.h"

namespace neurite::plot {

namespace {

QString markName(TrialMark m) {
    switch (m) {
        case TrialMark::Completed: return QStringLiteral("completed");
        case TrialMark::Pruned: return QStringLiteral("pruned");
        case TrialMark::Infeasible: return QStringLiteral("infeasible");
    }
    return {};
}

// Cost ticks: 1-2-5 steps on a log axis even within a decade (QCPAxisTickerLog falls back to
// linear steps there, which crowd at the right end), labels as 25k, 1.2M.
class CostTicker : public QCPAxisTicker {
public:
    explicit CostTicker(bool log) : m_log(log) {}

protected:
    QVector<double> createTickVector(double tickStep, const QCPRange& range) override {
        if (!m_log) return QCPAxisTicker::createTickVector(tickStep, range);
        const std::vector<double> t = logTicks(range.lower, range.upper);
        return QVector<double>(t.begin(), t.end());
    }
    int getSubTickCount(double tickStep) override { return m_log ? 0 : QCPAxisTicker::getSubTickCount(tickStep); }
    QString getTickLabel(double tick, const QLocale&, QChar, int) override { return shortNumber(tick); }

private:
    bool m_log;
};

QCPGraph* pointGraph(QCustomPlot* plot, const QString& name, QCPScatterStyle style) {
    QCPGraph* g = plot->addGraph();
    g->setName(name);
    g->setLineStyle(QCPGraph::lsNone);
    g->setScatterStyle(style);
    return g;
}

}  // namespace

ParetoPlot::ParetoPlot(QWidget* parent) : PlotFrame(parent) {
    QCustomPlot* plot = customPlot();
    const QColor completed = seriesColor(0), front = seriesColor(1);
    // The legend in a row above the plot: inside, it would hide the dominated points.
    plot->axisRect()->insetLayout()->take(plot->legend);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(0, 0.001);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setBorderPen(Qt::NoPen);
    plot->legend->setMargins(QMargins(4, 2, 4, 0));
    m_frontLine = plot->addGraph();
    m_frontLine->setName(tr("Pareto front"));
    m_frontLine->setPen(QPen(front, 2));
    m_frontLine->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(front, 2), Qt::NoBrush, 12));
    m_completed = pointGraph(plot, tr("completed"),
                             QCPScatterStyle(QCPScatterStyle::ssDisc, completed, completed, 7));
    m_pruned = pointGraph(plot, tr("pruned"),
                          QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(QColor(120, 120, 120), 1.5), Qt::NoBrush, 7));
    m_infeasible = pointGraph(plot, tr("infeasible"),
                              QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(seriesColor(2), 1.5), Qt::NoBrush, 7));
    // A click is a press and release within a few pixels; a drag pans the view instead.
    connect(plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { m_pressAt = e->pos(); });
    connect(plot, &QCustomPlot::mouseRelease, this, [this](QMouseEvent* e) {
        if (e->button() != Qt::LeftButton || (e->pos() - m_pressAt).manhattanLength() > 4) return;
        const int k = trialAt(e->position());
        if (k >= 0) emit trialClicked(m_trials[k].number);
    });
}

bool ParetoPlot::drawable(const ParetoTrial& t) const {
    return std::isfinite(t.cost) && std::isfinite(t.objective) && (!m_logCost || t.cost > 0);
}

void ParetoPlot::setData(const QVector<ParetoTrial>& trials, const QString& costName, bool smallerCostBetter,
                         bool logCost, const QString& objectiveName, bool maximize) {
    QCustomPlot* plot = customPlot();
    m_trials = trials;
    m_costName = costName;
    m_objectiveName = objectiveName;
    m_logCost = logCost;
    plot->xAxis->setLabel(costName);
    plot->yAxis->setLabel(objectiveName);
    plot->xAxis->setScaleType(logCost ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    plot->xAxis->setTicker(QSharedPointer<QCPAxisTicker>(new CostTicker(logCost)));

    QVector<double> x[3], y[3];
    std::vector<ParetoPoint> points;  // completed trials only; the others are NaN, never on the front
    for (const ParetoTrial& t : m_trials) {
        const bool ok = drawable(t);
        const int g = static_cast<int>(t.mark);
        if (ok) {
            x[g].push_back(t.cost);
            y[g].push_back(t.objective);
        }
        const bool candidate = ok && t.mark == TrialMark::Completed;
        points.push_back(candidate ? ParetoPoint{t.cost, t.objective}
                                   : ParetoPoint{std::nan(""), std::nan("")});
    }
    m_completed->setData(x[0], y[0]);
    m_pruned->setData(x[1], y[1]);
    m_infeasible->setData(x[2], y[2]);
    for (QCPGraph* g : {m_pruned, m_infeasible}) {
        if (g->dataCount() > 0)
            g->addToLegend();
        else
            g->removeFromLegend();  // no entry for a kind of trial the experiment does not have
    }

    m_front.clear();
    QVector<double> fx, fy;
    for (std::size_t i : paretoFront(points, smallerCostBetter, maximize)) {
        m_front.push_back(m_trials[static_cast<qsizetype>(i)].number);
        fx.push_back(points[i].x);
        fy.push_back(points[i].y);
    }
    // The best objective reachable at each cost: held from a front point to the next cheaper-or-
    // better one, so the step keeps the value of the point on its better-cost side.
    m_frontLine->setLineStyle(smallerCostBetter ? QCPGraph::lsStepLeft : QCPGraph::lsStepRight);
    m_frontLine->setData(fx, fy, true);
    resetView();
}

void ParetoPlot::fitView() {
    QCustomPlot* plot = customPlot();
    plot->rescaleAxes(true);
    if (m_trials.isEmpty() || plot->xAxis->range().size() <= 0) {
        const QCPRange x = plot->xAxis->range();
        plot->xAxis->setRange(m_logCost ? QCPRange(x.lower / 2, x.lower * 2) : QCPRange(x.lower - 1, x.lower + 1));
    }
    if (plot->yAxis->range().size() <= 0) plot->yAxis->setRange(plot->yAxis->range().lower - 0.5, plot->yAxis->range().lower + 0.5);
    plot->xAxis->scaleRange(1.08);  // points on the edge stay whole
    plot->yAxis->scaleRange(1.1);
}

int ParetoPlot::trialAt(QPointF pos, double maxPx) const {
    const QCustomPlot* plot = customPlot();
    int best = -1;
    double bestDist = maxPx;
    for (qsizetype k = 0; k < m_trials.size(); ++k) {
        if (!drawable(m_trials[k])) continue;
        const double dx = plot->xAxis->coordToPixel(m_trials[k].cost) - pos.x();
        const double dy = plot->yAxis->coordToPixel(m_trials[k].objective) - pos.y();
        const double d = std::hypot(dx, dy);
        if (d <= bestDist) {
            bestDist = d;
            best = static_cast<int>(k);
        }
    }
    return best;
}

QString ParetoPlot::tooltipAt(QPointF pos) const {
    const int k = trialAt(pos);
    if (k < 0) return {};
    const ParetoTrial& t = m_trials[k];
    QString text = tr("trial %1 (%2%3)")
                       .arg(t.number)
                       .arg(markName(t.mark), m_front.contains(t.number) ? tr(", on the front") : QString());
    text += QStringLiteral("\n%1 = %2\n%3 = %4")
                .arg(m_costName, QString::number(t.cost, 'g', 6), m_objectiveName, QString::number(t.objective, 'g', 6));
    return text;
}

QString ParetoPlot::csv() const {
    QString out = QStringLiteral("trial,%1,%2,status,front\n").arg(csvField(m_costName), csvField(m_objectiveName));
    for (const ParetoTrial& t : m_trials)
        out += QStringLiteral("%1,%2,%3,%4,%5\n")
                   .arg(t.number)
                   .arg(QString::number(t.cost, 'g', 10), QString::number(t.objective, 'g', 10), markName(t.mark),
                        m_front.contains(t.number) ? QStringLiteral("1") : QStringLiteral("0"));
    return out;
}

}  // namespace neurite::plot
