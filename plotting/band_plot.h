// BandPlot: curves over epochs summarized per series (the repeats or folds of one trial): the
// mean line and a translucent mean +- standard deviation band, one legend entry per series
// (a click hides the series with its band). NaN values are gaps; curves of different lengths
// (a pruned training stops early) count at the epochs where they have a value.
#pragma once

#include <QVector>

#include "plot_frame.h"

class QCPGraph;

namespace neurite::plot {

// Per epoch (epoch = index + 1): mean and sample standard deviation (n - 1) of the finite
// values, and how many there were. No value: mean and std NaN (a gap); one value: std 0.
struct BandStats {
    QVector<double> epoch, mean, std;
    QVector<int> count;
};

class BandPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit BandPlot(QWidget* parent = nullptr);

    void setAxisLabels(const QString& x, const QString& y);
    // curves[r][e] is repeat r's value at epoch e + 1. Returns the series id (0, 1, ...).
    int addSeries(const QString& name, const QVector<QVector<double>>& curves);
    void clear();
    int seriesCount() const { return static_cast<int>(m_series.size()); }
    BandStats stats(int id) const;
    static BandStats computeStats(const QVector<QVector<double>>& curves);

    void setSeriesVisible(int id, bool visible);
    bool seriesVisible(int id) const;

    // series,epoch,mean,std,n: one row per epoch with a value.
    QString csv() const override;

protected:
    void plottableToggled(QCPAbstractPlottable* p, bool visible) override;
    void fitView() override;

private:
    struct Series {
        QString name;
        BandStats stats;
        QCPGraph* mean = nullptr;
        QCPGraph* upper = nullptr;
        QCPGraph* lower = nullptr;  // filled up to `upper`
    };
    QVector<Series> m_series;
};

}  // namespace neurite::plot
