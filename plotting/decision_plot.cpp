#include "decision_plot.h"

#include <qcustomplot.h>

#include <algorithm>

namespace neurite::plot {

DecisionPlot::DecisionPlot(QWidget* parent) : PlotFrame(parent) {
    QCustomPlot* plot = customPlot();
    plot->xAxis->setLabel(QStringLiteral("x1"));
    plot->yAxis->setLabel(QStringLiteral("x2"));
    m_pixmap = new QCPItemPixmap(plot);
    m_pixmap->setLayer(QStringLiteral("background"));  // under the grid lines and points
    m_pixmap->setScaled(true, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    m_pixmap->setClipToAxisRect(true);
    m_pixmap->setVisible(false);
    // An item, not a graph: the class graphs keep their indices and the view its range.
    m_markerItem = new QCPItemTracer(plot);
    m_markerItem->setStyle(QCPItemTracer::tsCircle);
    m_markerItem->setSize(14);
    m_markerItem->setLayer(QStringLiteral("axes"));  // above the class points
    m_markerItem->setVisible(false);
    // A click is a press and release within a few pixels; a drag pans the view instead.
    connect(plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) { m_pressAt = e->pos(); });
    connect(plot, &QCustomPlot::mouseRelease, this, [this, plot](QMouseEvent* e) {
        if (e->button() != Qt::LeftButton || (e->pos() - m_pressAt).manhattanLength() > 4) return;
        if (!plot->axisRect()->rect().contains(e->pos())) return;
        const double x = plot->xAxis->pixelToCoord(e->pos().x()), y = plot->yAxis->pixelToCoord(e->pos().y());
        emit planeClicked(x, y);
        emit planeClickedAt(x, y, e->modifiers(), plot->mapTo(this, e->pos()));
    });
}

int DecisionPlot::pointNear(QPoint pos, double pixels) const {
    const QCustomPlot* plot = customPlot();
    const QPointF at = plot->mapFrom(this, pos);
    int best = -1;
    double bestD = pixels * pixels;
    for (std::size_t i = 0; i < m_points.x.size(); ++i) {
        const double dx = plot->xAxis->coordToPixel(m_points.x[i]) - at.x();
        const double dy = plot->yAxis->coordToPixel(m_points.y[i]) - at.y();
        if (dx * dx + dy * dy <= bestD) {
            bestD = dx * dx + dy * dy;
            best = static_cast<int>(i);
        }
    }
    return best;
}

void DecisionPlot::setMarker(std::optional<QPointF> at, int cls) {
    m_marker = at;
    if (at) {
        m_markerItem->setPen(QPen(seriesColor(cls).darker(170), 3));
        m_markerItem->setBrush(Qt::white);
        m_markerItem->position->setCoords(at->x(), at->y());
    }
    m_markerItem->setVisible(at.has_value());
    requestReplot();
}

void DecisionPlot::clear() {
    m_names.clear();
    m_points = {};
    m_grid = {};
    m_image = QImage();
    m_pixmap->setVisible(false);
    setClassCount(0);
    setMarker(std::nullopt);
    resetView();
    emit classesChanged({});
}

void DecisionPlot::setClassNames(const QStringList& names) {
    m_names = names;
    for (std::size_t k = 0; k < m_classGraphs.size(); ++k)
        m_classGraphs[k]->setName(static_cast<qsizetype>(k) < names.size() ? names[static_cast<qsizetype>(k)]
                                                                           : tr("class %1").arg(k));
    requestReplot();
    emit classesChanged(legendNames());
}

QStringList DecisionPlot::legendNames() const {
    QStringList out;
    for (const QCPGraph* g : m_classGraphs) out << g->name();
    return out;
}

void DecisionPlot::setClassCount(int classes) {
    QCustomPlot* plot = customPlot();
    while (static_cast<int>(m_classGraphs.size()) > classes) {
        plot->removeGraph(m_classGraphs.back());
        m_classGraphs.pop_back();
    }
    while (static_cast<int>(m_classGraphs.size()) < classes) {
        const int k = static_cast<int>(m_classGraphs.size());
        QCPGraph* g = plot->addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColor(k).darker(130),
                                           seriesColor(k), 6));
        g->setName(k < m_names.size() ? m_names[k] : tr("class %1").arg(k));
        m_classGraphs.push_back(g);
    }
}

void DecisionPlot::setPoints(const LabelledPoints& points) {
    const std::size_t n = std::min({points.x.size(), points.y.size(), points.label.size()});
    m_points = points;
    m_points.x.resize(n);
    m_points.y.resize(n);
    m_points.label.resize(n);
    int classes = static_cast<int>(m_names.size());
    for (int l : m_points.label) classes = std::max(classes, l + 1);
    setClassCount(classes);
    std::vector<QVector<double>> xs(m_classGraphs.size()), ys(m_classGraphs.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int l = m_points.label[i];
        if (l < 0) continue;
        xs[static_cast<std::size_t>(l)].push_back(m_points.x[i]);
        ys[static_cast<std::size_t>(l)].push_back(m_points.y[i]);
    }
    for (std::size_t k = 0; k < m_classGraphs.size(); ++k) m_classGraphs[k]->setData(xs[k], ys[k]);
    requestReplot();
    emit classesChanged(legendNames());
}

void DecisionPlot::setGrid(const DecisionGrid& grid) {
    const auto cells = static_cast<std::size_t>(grid.nx) * static_cast<std::size_t>(grid.ny);
    if (grid.nx <= 0 || grid.ny <= 0 || grid.cls.size() != cells || grid.confidence.size() != cells ||
        grid.xMax <= grid.xMin || grid.yMax <= grid.yMin)
        return;
    m_grid = grid;
    m_image = QImage(grid.nx, grid.ny, QImage::Format_RGB32);
    for (int j = 0; j < grid.ny; ++j) {
        // Image rows run top-down, grid rows bottom-up (y grows upwards on the plot).
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(grid.ny - 1 - j));
        for (int i = 0; i < grid.nx; ++i) {
            const auto idx = static_cast<std::size_t>(j) * static_cast<std::size_t>(grid.nx) +
                             static_cast<std::size_t>(i);
            const QColor c = seriesColor(grid.cls[idx]);
            // Blend towards white: 25% of the class colour when unsure, 55% when certain.
            const double a = 0.25 + 0.30 * std::clamp(static_cast<double>(grid.confidence[idx]), 0.0, 1.0);
            line[i] = qRgb(static_cast<int>(255 + (c.red() - 255) * a),
                           static_cast<int>(255 + (c.green() - 255) * a),
                           static_cast<int>(255 + (c.blue() - 255) * a));
        }
    }
    m_pixmap->setPixmap(QPixmap::fromImage(m_image));
    m_pixmap->topLeft->setCoords(grid.xMin, grid.yMax);
    m_pixmap->bottomRight->setCoords(grid.xMax, grid.yMin);
    m_pixmap->setVisible(true);
    requestReplot();
}

void DecisionPlot::fitView() {
    QCustomPlot* plot = customPlot();
    if (m_pixmap->visible()) {
        plot->xAxis->setRange(m_grid.xMin, m_grid.xMax);
        plot->yAxis->setRange(m_grid.yMin, m_grid.yMax);
    } else if (!m_points.x.empty()) {
        plot->rescaleAxes();
    } else {  // nothing yet: not the previous data set's range
        plot->xAxis->setRange(-1, 1);
        plot->yAxis->setRange(-1, 1);
    }
}

QString DecisionPlot::csv() const {
    QString out = QStringLiteral("kind,x,y,class,confidence\n");
    for (std::size_t i = 0; i < m_points.x.size(); ++i)
        out += QStringLiteral("point,%1,%2,%3,\n")
                   .arg(m_points.x[i], 0, 'g', 10)
                   .arg(m_points.y[i], 0, 'g', 10)
                   .arg(m_points.label[i]);
    const double dx = (m_grid.xMax - m_grid.xMin) / std::max(m_grid.nx, 1);
    const double dy = (m_grid.yMax - m_grid.yMin) / std::max(m_grid.ny, 1);
    for (int j = 0; j < m_grid.ny; ++j)
        for (int i = 0; i < m_grid.nx; ++i) {
            const auto idx = static_cast<std::size_t>(j * m_grid.nx + i);
            out += QStringLiteral("grid,%1,%2,%3,%4\n")
                       .arg(m_grid.xMin + (i + 0.5) * dx, 0, 'g', 10)
                       .arg(m_grid.yMin + (j + 0.5) * dy, 0, 'g', 10)
                       .arg(m_grid.cls[idx])
                       .arg(static_cast<double>(m_grid.confidence[idx]), 0, 'g', 6);
        }
    return out;
}

}  // namespace neurite::plot
