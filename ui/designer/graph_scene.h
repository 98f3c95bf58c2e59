// GraphScene: the canvas. It mirrors the GraphModel as NodeItems and EdgeItems (rebuilt from the
// model's signals, never edited directly) and turns the user's gestures into undo commands:
// dragging from an output port to another layer connects them (refused with the model's reason
// while dragging), moving blocks pushes one merged move command per drag. A connection whose
// only fault has a quick fix (an image into a Dense: insert a Flatten) is made, as the palette
// makes it, and the Problems panel offers the fix.
#pragma once

#include <QGraphicsScene>
#include <QHash>
#include <QStringList>

#include <memory>

#include "export/activation_maps.h"
#include "export/unit_maps.h"

class QUndoStack;

namespace neurite {

class EdgeItem;
class GraphModel;
class NodeItem;

class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    static constexpr double kGrid = 10;

    GraphScene(GraphModel* model, QUndoStack* undo, QObject* parent = nullptr);
    ~GraphScene() override;
    GraphModel* model() const { return m_model; }
    NodeItem* nodeItem(const QString& id) const { return m_nodes.value(id); }
    QList<EdgeItem*> edgeItems() const;
    QStringList selectedIds() const;  // in file order
    void selectIds(const QStringList& ids);

    // Read-only (a lesson locks the network): no connection can be dragged.
    void setReadOnly(bool on) { m_readOnly = on; }
    bool readOnly() const { return m_readOnly; }
    bool snapToGrid() const { return m_snap; }
    void setSnapToGrid(bool on) { m_snap = on; }
    bool isMovingItems() const { return m_moving; }

    // What dropping a connection from -> to does: refused (with the reason), or made, with the
    // label of the quick fix it will need when the target's shape rule has one.
    struct ConnectionCheck {
        QString refusal;
        QString fix;
    };
    ConnectionCheck checkConnection(const QString& from, const QString& to) const;

    // A run's unit maps, drawn inside the blocks (null clears them). Any change to the graph
    // (a layer added, removed or edited, another document) clears them: they no longer describe it.
    void setUnitMaps(std::shared_ptr<const UnitMaps> maps);
    const std::shared_ptr<const UnitMaps>& unitMaps() const { return m_unitMaps; }
    // Image networks: each block's output for the run's current sample (the Activations tab's),
    // drawn in the blocks like the unit maps and cleared the same way.
    void setOutputMaps(std::shared_ptr<const ActivationMaps> maps);
    const std::shared_ptr<const ActivationMaps>& outputMaps() const { return m_outputMaps; }

signals:
    // A dragged connection was dropped on a layer that cannot take it.
    void connectionRefused(const QString& reason);
    // A connection was made that needs the quick fix `fix` (the Problems panel offers it).
    void connectionNeedsFix(const QString& fix);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent* event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent* event) override;
    void drawBackground(QPainter* painter, const QRectF& rect) override;

private:
    void rebuild();
    void addNode(const QString& id);
    void removeNode(const QString& id);
    void rebuildEdges();
    void refreshAll();
    void followModelPosition(const QString& id);
    void nodeItemMoved(const QString& id);
    NodeItem* targetAt(QPointF scenePos) const;
    void finishConnection(QPointF scenePos, QPoint screenPos);
    void pushMoveIfAny();

    GraphModel* m_model;
    QUndoStack* m_undo;
    std::shared_ptr<const UnitMaps> m_unitMaps;
    std::shared_ptr<const ActivationMaps> m_outputMaps;
    QHash<QString, NodeItem*> m_nodes;
    QList<EdgeItem*> m_edges;
    bool m_snap = true;
    bool m_readOnly = false;
    bool m_moving = false;
    bool m_followingModel = false;
    // Connection being dragged from an output port.
    QString m_dragFrom;
    QGraphicsPathItem* m_dragLine = nullptr;
};

}  // namespace neurite
