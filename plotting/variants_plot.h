// VariantsPlot: a run's compression variants as points of accuracy (or RMSE) against batch-1
// latency, float models as circles and int8 models as squares, each labelled with its run, so
// the trade-off reads at a glance (the Runs tab's Compare Variants, docs/compression.md).
#pragma once

#include <QString>
#include <QVector>

#include "plot_frame.h"

class QCPGraph;
class QCPItemText;

namespace neurite::plot {

class VariantsPlot : public PlotFrame {
    Q_OBJECT
public:
    struct Point {
        QString label;  // "run 3"
        bool int8 = false;
        double latencyMs = 0;
        double metric = 0;
    };
    explicit VariantsPlot(QWidget* parent = nullptr);

    // metricName: "accuracy" or "RMSE" (the value axis' label).
    void setPoints(const QVector<Point>& points, const QString& metricName);
    const QVector<Point>& points() const { return m_points; }

    QString tooltipAt(QPointF pos) const override;
    QString csv() const override;  // label,model,latency_ms,metric

protected:
    void fitView() override;

private:
    QVector<Point> m_points;
    QString m_metric;
    QCPGraph *m_float, *m_int8;
    QVector<QCPItemText*> m_labels;
};

}  // namespace neurite::plot
