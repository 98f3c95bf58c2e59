// NodeItem: one layer block on the canvas: its id and type, key parameters ("Conv 3x3, 32,
// same"), output shape, an input port on top and an output port below. It only reads the
// GraphModel; drawn red with the engine's message when the layer is at fault.
#pragma once

#include <QGraphicsObject>
#include <QString>

namespace neurite {

class GraphModel;

class NodeItem : public QGraphicsObject {
    Q_OBJECT
public:
    static constexpr double kWidth = 196;
    static constexpr double kHeight = 64;
    static constexpr double kPortRadius = 6;

    NodeItem(const GraphModel* model, const QString& id);
    const QString& id() const { return m_id; }
    void setId(const QString& id) { m_id = id; }
    // Re-reads the model (parameters, shape, problems) and repaints.
    void refresh();

    QPointF inputPort() const;   // scene coordinates
    QPointF outputPort() const;
    bool hasInputPort() const { return m_hasInput; }
    bool outputPortContains(QPointF scenePos) const;

    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

signals:
    void moved(const QString& id);

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant& value) override;

private:
    const GraphModel* m_model;
    QString m_id, m_op, m_summary, m_shape, m_problem;
    bool m_hasInput = true;
    bool m_error = false;
    bool m_warning = false;
};

}  // namespace neurite
