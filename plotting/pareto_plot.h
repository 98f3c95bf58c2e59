// ParetoPlot: an experiment's objective (y) against a cost (x: parameters, FLOPs, seconds), every
// trial a point (completed filled, pruned and infeasible hollow), and the Pareto front of the
// completed trials (neurite::paretoFront, the engine's one definition of it) drawn as a step
// line through its highlighted points. A click on a point emits trialClicked.
#pragma once

#include <QVector>

#include <limits>

#include "plot_frame.h"

class QCPGraph;

namespace neurite::plot {

enum class TrialMark { Completed, Pruned, Infeasible };

struct ParetoTrial {
    int number = 0;
    double cost = std::numeric_limits<double>::quiet_NaN();       // x; NaN (or <= 0 on a log axis): not drawn
    double objective = std::numeric_limits<double>::quiet_NaN();  // y; NaN: not drawn
    TrialMark mark = TrialMark::Completed;
};

class ParetoPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit ParetoPlot(QWidget* parent = nullptr);

    // Replaces the trials. Only completed trials can be on the front (a pruned trial's objective
    // is a partial one, an infeasible trial is never best). `logCost` draws x on a log scale.
    void setData(const QVector<ParetoTrial>& trials, const QString& costName, bool smallerCostBetter,
                 bool logCost, const QString& objectiveName, bool maximize);

    // The trial numbers on the front, by increasing cost.
    QVector<int> frontTrials() const { return m_front; }
    // The trial drawn nearest pixel `pos` (customPlot() coordinates) within `maxPx`, or -1.
    int trialAt(QPointF pos, double maxPx = 8) const;

    // "trial N", cost, objective and status of the point under `pos`.
    QString tooltipAt(QPointF pos) const override;
    // trial,<cost>,<objective>,status,front
    QString csv() const override;

signals:
    // A click (press and release within a few pixels) on a trial's point.
    void trialClicked(int trialNumber);

protected:
    void fitView() override;

private:
    bool drawable(const ParetoTrial& t) const;

    QVector<ParetoTrial> m_trials;
    QVector<int> m_front;
    QString m_costName, m_objectiveName;
    bool m_logCost = false;
    QCPGraph* m_completed;
    QCPGraph* m_pruned;
    QCPGraph* m_infeasible;
    QCPGraph* m_frontLine;
    QPoint m_pressAt;
};

}  // namespace neurite::plot
