// CurvePlot: live line series (training loss per step, metrics per epoch, learning rate) and
// overlays of several runs. Points are appended (QCPGraph::addData), never re-set, so a 100,000
// step curve costs only its new points per update. A series can be smoothed with the
// TensorBoard-style debiased exponential moving average: the raw points stay visible, faint.
// Axes follow the data (until the user zooms), with sensible spans for empty and one-point plots.
#pragma once

#include <span>
#include <vector>

#include "plot_data.h"
#include "plot_frame.h"

class QCPGraph;

namespace neurite::plot {

struct SeriesStyle {
    QColor color;          // invalid: the next palette colour
    bool dashed = false;   // e.g. validation beside training
    bool markers = false;  // one marker per point (per-epoch series)
};

class CurvePlot : public PlotFrame {
    Q_OBJECT
public:
    explicit CurvePlot(QWidget* parent = nullptr);

    void setAxisLabels(const QString& x, const QString& y);
    void setLogScaleAvailable(bool on) { setLogScaleAllowed(on); }
    // A value axis that always spans [lo, hi] (accuracy: 0..1) whatever the data; lo >= hi
    // returns to fitting the data.
    void setFixedValueRange(double lo, double hi);

    // Returns the series id (0, 1, ... in order of creation).
    int addSeries(const QString& name, SeriesStyle style = {}, bool smoothable = false);
    void appendPoint(int id, double x, double y);
    void appendPoints(int id, std::span<const double> x, std::span<const double> y);
    void clear();
    int seriesCount() const { return static_cast<int>(m_series.size()); }
    QString seriesName(int id) const;

    // EMA weight in [0, 0.999]; 0 shows the raw points only.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    // Smoothed values of a smoothable series (empty when smoothing is 0).
    std::vector<double> smoothedValues(int id) const;

    // Draws series `id` thicker and on top, as the reference of a comparison; -1 for none.
    void setBaseline(int id);
    int baseline() const { return m_baseline; }

    void setSeriesVisible(int id, bool visible);
    bool seriesVisible(int id) const;
    int pointCount(int id) const;

    // Long format: series,x,y (raw values), one row per point.
    QString csv() const override;

protected:
    void plottableToggled(QCPAbstractPlottable* p, bool visible) override;
    // Fits the data; a single point or none still gets a readable span (epoch 0..1, never the
    // previous run's range or a span of zero around one point).
    void fitView() override;

private:
    struct Series {
        QString name;
        QColor color;
        QCPGraph* raw = nullptr;
        QCPGraph* smooth = nullptr;  // smoothable series only
        double ema = 0;              // running EMA state
        double emaPower = 1;         // smoothing^(points so far), for the debiasing
    };
    void restyle(Series& s, int id);
    void recomputeSmoothing(Series& s);
    void extendSmoothing(Series& s, std::span<const double> x, std::span<const double> y);

    std::vector<Series> m_series;
    double m_smoothing = 0;
    int m_baseline = -1;
    double m_fixedLo = 0, m_fixedHi = 0;  // lo < hi: the value axis is fixed to it
};

}  // namespace neurite::plot
