// DecisionPlot: for two-dimensional data, the classifier's decision regions as a background
// image (class colour, paler where the model is unsure) with the training points on top, in the
// manner of TensorFlow Playground. The grid is re-rendered whenever a new one arrives.
#pragma once

#include <optional>
#include <vector>

#include <QPoint>
#include <QPointF>

#include "plot_data.h"
#include "plot_frame.h"

class QCPGraph;
class QCPItemPixmap;
class QCPItemTracer;

namespace neurite::plot {

class DecisionPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit DecisionPlot(QWidget* parent = nullptr);

    // Forgets the classes, points and grid (a new data set): no legend entry survives.
    void clear();
    void setClassNames(const QStringList& names);
    // One legend entry per class of `points` or per class name, whichever is more; no others.
    void setPoints(const LabelledPoints& points);
    // A grid with cls/confidence sizes other than nx*ny is ignored.
    void setGrid(const DecisionGrid& grid);

    const QImage& gridImage() const { return m_image; }
    int pointCount() const { return static_cast<int>(m_points.x.size()); }
    // The legend's class entries, in class order.
    QStringList legendNames() const;

    // Points, then grid cells: kind,x,y,class,confidence.
    QString csv() const override;

    // A queried point drawn on top (a ring in its class's colour); nullopt removes it.
    void setMarker(std::optional<QPointF> at, int cls = 0);
    std::optional<QPointF> marker() const { return m_marker; }

    // The training point nearest to widget position `pos` within `pixels`, or -1.
    int pointNear(QPoint pos, double pixels) const;
    const LabelledPoints& points() const { return m_points; }

signals:
    // A click (not a drag) on the plane, in data coordinates, with the keys held and the
    // widget position.
    void planeClicked(double x, double y);
    void planeClickedAt(double x, double y, Qt::KeyboardModifiers modifiers, QPoint pos);
    // The legend's classes changed (new class names or points).
    void classesChanged(const QStringList& names);

protected:
    void fitView() override;

private:
    void setClassCount(int classes);  // adds or removes class graphs

    QStringList m_names;
    LabelledPoints m_points;
    DecisionGrid m_grid;
    QImage m_image;
    QCPItemPixmap* m_pixmap;
    std::vector<QCPGraph*> m_classGraphs;
    QCPItemTracer* m_markerItem;
    std::optional<QPointF> m_marker;
    QPoint m_pressAt;
};

}  // namespace neurite::plot
