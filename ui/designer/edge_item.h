// EdgeItem: one connection, from a producer's output port to a consumer's input port, labelled
// with the tensor shape it carries. Selectable so it can be deleted; identified by the consumer
// and the input slot, which is how the project file stores it.
#pragma once

#include <QGraphicsPathItem>
#include <QString>

namespace neurite {

class NodeItem;

class EdgeItem : public QGraphicsPathItem {
public:
    EdgeItem(NodeItem* from, NodeItem* to, int slot);
    NodeItem* from() const { return m_from; }
    NodeItem* to() const { return m_to; }
    int slot() const { return m_slot; }
    void setLabel(const QString& shape);
    // Follows the ports after a move.
    void updatePath();

    // The curve between two points, shared with the connection being dragged.
    static QPainterPath curve(QPointF a, QPointF b);

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    NodeItem* m_from;
    NodeItem* m_to;
    int m_slot;
    QString m_label;
};

}  // namespace neurite
