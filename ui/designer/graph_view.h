// GraphView: the canvas viewport. Ctrl+wheel and pinch zoom around the cursor, the wheel and
// the middle button pan, a left drag on empty canvas draws a rubber band, and layers dragged in
// from the palette are reported with their drop position.
#pragma once

#include <QGraphicsView>

namespace neurite {

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    static constexpr const char* kLayerMime = "application/x-neurite-layer";

    explicit GraphView(QGraphicsScene* scene, QWidget* parent = nullptr);
    void zoomBy(double factor);
    void zoomToFit();
    // For a freshly opened graph: fit when that stays legible, else a readable zoom that starts
    // at the top (where the data enters) and scrolls.
    void showGraph();
    double zoom() const { return transform().m11(); }

signals:
    void layerDropped(const QString& op, QPointF scenePos);
    void zoomChanged(double zoom);

protected:
    void wheelEvent(QWheelEvent* event) override;
    bool viewportEvent(QEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragMoveEvent(QDragMoveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    bool m_panning = false;
    QPoint m_panFrom;
};

}  // namespace neurite
