// Zoom, pan and drops on the canvas.
#include "graph_view.h"

#include <QGestureEvent>
#include <QMimeData>
#include <QNativeGestureEvent>
#include <QPinchGesture>
#include <QScrollBar>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace neurite {

namespace {
constexpr double kMinZoom = 0.15;
constexpr double kMaxZoom = 3.0;
}  // namespace

GraphView::GraphView(QGraphicsScene* scene, QWidget* parent) : QGraphicsView(scene, parent) {
    setRenderHint(QPainter::Antialiasing);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(AnchorUnderMouse);
    setViewportUpdateMode(BoundingRectViewportUpdate);
    setAcceptDrops(true);
    viewport()->grabGesture(Qt::PinchGesture);
}

void GraphView::zoomBy(double factor) {
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double f = target / zoom();
    if (std::abs(f - 1) < 1e-9) return;
    scale(f, f);
    emit zoomChanged(zoom());
}

void GraphView::zoomToFit() {
    if (!scene()) return;
    QRectF r = scene()->itemsBoundingRect();
    if (r.isEmpty()) return;
    r.adjust(-40, -40, 40, 40);
    fitInView(r, Qt::KeepAspectRatio);
    // Never blow a two-layer graph up to giant blocks; never shrink below legibility floor.
    const double z = std::clamp(zoom(), kMinZoom, 1.25);
    setTransform(QTransform::fromScale(z, z));
    centerOn(r.center());
    emit zoomChanged(zoom());
}

void GraphView::showGraph() {
    if (!scene()) return;
    QRectF r = scene()->itemsBoundingRect();
    if (r.isEmpty()) return;
    r.adjust(-40, -40, 40, 40);
    fitInView(r, Qt::KeepAspectRatio);
    const double z = std::clamp(zoom(), 0.8, 1.0);
    setTransform(QTransform::fromScale(z, z));
    const double halfHeight = viewport()->height() / (2 * z);
    centerOn(r.center().x(), std::min(r.center().y(), r.top() + halfHeight));
    emit zoomChanged(zoom());
}

void GraphView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = event->angleDelta().y() / 120.0;
        zoomBy(std::pow(1.15, steps));
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);  // scrolls: pan
}

bool GraphView::viewportEvent(QEvent* event) {
    if (event->type() == QEvent::NativeGesture) {  // touchpad pinch on macOS and Wayland
        auto* g = static_cast<QNativeGestureEvent*>(event);
        if (g->gestureType() == Qt::ZoomNativeGesture) {
            zoomBy(1 + g->value());
            return true;
        }
    }
    if (event->type() == QEvent::Gesture) {  // touch screens
        auto* g = static_cast<QGestureEvent*>(event);
        if (auto* pinch = static_cast<QPinchGesture*>(g->gesture(Qt::PinchGesture))) {
            zoomBy(pinch->scaleFactor());
            return true;
        }
    }
    return QGraphicsView::viewportEvent(event);
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_panFrom = event->pos();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseMoveEvent(QMouseEvent* event) {
    if (m_panning) {
        const QPoint d = event->pos() - m_panFrom;
        m_panFrom = event->pos();
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - d.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - d.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (m_panning && event->button() == Qt::MiddleButton) {
        m_panning = false;
        viewport()->unsetCursor();
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void GraphView::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasFormat(kLayerMime))
        event->acceptProposedAction();
    else
        QGraphicsView::dragEnterEvent(event);
}

void GraphView::dragMoveEvent(QDragMoveEvent* event) {
    if (event->mimeData()->hasFormat(kLayerMime))
        event->acceptProposedAction();
    else
        QGraphicsView::dragMoveEvent(event);
}

void GraphView::dropEvent(QDropEvent* event) {
    if (!event->mimeData()->hasFormat(kLayerMime)) {
        QGraphicsView::dropEvent(event);
        return;
    }
    const QString op = QString::fromUtf8(event->mimeData()->data(kLayerMime));
    emit layerDropped(op, mapToScene(event->position().toPoint()));
    event->acceptProposedAction();
}

}  // namespace neurite
