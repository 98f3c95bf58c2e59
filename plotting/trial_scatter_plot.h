// TrialScatterPlot: an experiment's trials as points with the objective on the value axis, against
// the trial number (the optimization history, with the best value so far as a step line) or
// against one parameter's values (linear, logarithmic for log-uniform ranges, or categories for
// choices such as optimizer types). Completed trials are drawn in colour, the others that have a
// value (pruned, infeasible) in grey; an empty plot says why it is empty. Plain numbers in: the
// experiments tab turns trials into points.
#pragma once

#include <QStringList>

#include <vector>

#include "plot_frame.h"

class QCPGraph;
class QCPItemText;

namespace neurite::plot {

struct TrialPoint {
    double x = 0, y = 0;
    int trial = 0;         // shown in the tooltip
    bool completed = true;  // false: pruned or infeasible, drawn grey
};

class TrialScatterPlot : public PlotFrame {
    Q_OBJECT
public:
    enum class XScale { Linear, Log, Categories };
    explicit TrialScatterPlot(QWidget* parent = nullptr);

    void setAxisLabels(const QString& x, const QString& y);
    // Replaces the points. Categories: x is the index into `categories` (the tick labels).
    // Log: points with x <= 0 are left out.
    void setPoints(const std::vector<TrialPoint>& points, XScale scale = XScale::Linear,
                   const QStringList& categories = {});
    // The best value so far after each trial (a step line); empty removes it.
    void setBestLine(const std::vector<double>& x, const std::vector<double>& y);
    // What the plot says while it has no points ("No completed trial yet").
    void setEmptyText(const QString& text);
    void clear();

    int pointCount() const;  // completed and other points together
    int bestLineCount() const;
    XScale xScale() const { return m_scale; }
    QString emptyText() const;

    // trial,x,objective,completed per point (x as a category name for categories).
    QString csv() const override;
    QString tooltipAt(QPointF pos) const override;

protected:
    void fitView() override;

private:
    QCPGraph* m_done;
    QCPGraph* m_other;
    QCPGraph* m_best;
    QCPItemText* m_empty;
    std::vector<TrialPoint> m_points;
    QStringList m_categories;
    XScale m_scale = XScale::Linear;
};

}  // namespace neurite::plot
