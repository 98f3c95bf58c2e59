// ParallelCoordinatesPlot: the trials of an experiment across their parameters, one vertical
// axis per parameter and a last one for the objective; each trial is a polyline coloured by its
// objective (the better end, by `maximize`, in the strong colour; a colour bar names the scale).
// Dragging along an axis brushes a range on it; the brushes of several axes intersect, trials
// outside them turn faint grey, and selectionChanged() names the trials inside. A click on an
// axis without dragging clears its brush. The lines and axes are painted directly (two custom
// layerables), so a brush drag over 200 trials x 8 axes repaints in a few milliseconds.
#pragma once

#include <optional>
#include <utility>

#include <QVector>

#include "plot_data.h"
#include "plot_frame.h"

class QCPColorScale;

namespace neurite::plot {

// One parameter axis. `values` has one entry per trial; NaN is a missing value (a parameter the
// trial does not have): the trial's line breaks there and no brush on this axis contains it.
struct PcAxis {
    QString name;
    bool log = false;        // numbers on a log scale; values <= 0 count as missing
    QStringList categories;  // non-empty: a categorical axis, values are indices into it
    QVector<double> values;
};

class ParallelCoordinatesPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit ParallelCoordinatesPlot(QWidget* parent = nullptr);

    // Replaces the trials and clears every brush. Every axis's values, `objective` and
    // `trialNumbers` must have the same length (empty trialNumbers: numbered 0, 1, ...);
    // anything else clears the plot. NaN objectives (failed trials) are drawn grey.
    void setData(const QVector<PcAxis>& axes, const QVector<double>& objective,
                 const QString& objectiveName, bool maximize, const QVector<int>& trialNumbers = {});
    int trialCount() const { return static_cast<int>(m_trialNumbers.size()); }
    // The parameter axes plus the objective's (the last), 0 without data.
    int axisCount() const { return static_cast<int>(m_axes.size()); }
    QString axisName(int axis) const;

    // Brushes in the axis's own units (a categorical axis: category indices); lo > hi swaps.
    void setBrush(int axis, double lo, double hi);
    void clearBrush(int axis);
    void clearBrushes();
    std::optional<std::pair<double, double>> brush(int axis) const;
    // The trial numbers inside every brush, in data order (all trials when nothing is brushed).
    QVector<int> selectedTrials() const;

    // Geometry, valid after a replot, in customPlot() pixels: where `value` (a category index on
    // a categorical axis) lies on `axis`; NaN y when it cannot be shown (missing, <= 0 on log).
    QPointF axisPoint(int axis, double value) const;
    // The tick values and labels an axis shows (category names on a categorical axis).
    QVector<std::pair<double, QString>> axisTicks(int axis) const;
    // The colour trial `index` (data order) is drawn in while selected.
    QColor trialColor(int index) const;

    // "trial N" and each axis's value of the line nearest `pos` (within a few pixels).
    QString tooltipAt(QPointF pos) const override;
    // trial,<parameters...>,<objective>; categories by name.
    QString csv() const override;

    // Internals shared with the painting layerables (parallel_coordinates_plot.cpp).
    struct Axis {
        QString name;
        bool log = false;
        QStringList categories;
        QVector<double> values;  // raw, per trial
        QVector<double> unit;    // per trial, 0 (bottom) .. 1 (top); NaN when missing
        double lo = 0, hi = 1;   // the numeric range the axis spans (log10 units on a log axis)
        QVector<std::pair<double, QString>> ticks;  // value, label
        QVector<double> tickUnit;                    // each tick's unit coordinate
        std::optional<std::pair<double, double>> brush;  // in unit coordinates, lo <= hi
    };
    const QVector<Axis>& axes() const { return m_axes; }
    const QVector<int>& drawOrder() const { return m_drawOrder; }
    const QVector<char>& selectedMask() const { return m_selected; }
    bool anyBrush() const;
    // Pixel x of axis i and pixel y of unit coordinate t inside the axis rect.
    double axisX(int axis) const;
    double unitY(double t) const;

signals:
    // After every change of the selected set (a brush drawn, moved or cleared).
    void selectionChanged(const QVector<int>& trialNumbers);

protected:
    void fitView() override;
    void extendMenu(QMenu& menu) override;  // "Clear brushes"

private:
    double toUnit(const Axis& a, double v) const;
    double fromUnit(const Axis& a, double t) const;
    void updateSelection();
    void updateMargins();
    int axisAt(QPointF pos) const;
    void onPress(QMouseEvent* e);
    void onMove(QMouseEvent* e);
    void onRelease(QMouseEvent* e);

    QVector<Axis> m_axes;
    QVector<double> m_objective;
    QVector<int> m_trialNumbers;
    QVector<int> m_drawOrder;  // worst objective first, so the best lines lie on top
    QVector<char> m_selected;  // per trial
    QVector<QColor> m_colors;  // per trial, by objective
    QVector<int> m_lastEmitted;
    QString m_objectiveName;
    bool m_maximize = true;
    QCPColorScale* m_colorScale;
    int m_dragAxis = -1;
    double m_pressY = 0;
    bool m_dragging = false;
};

}  // namespace neurite::plot
