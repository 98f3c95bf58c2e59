// NodeItem: one layer block on the canvas: its id and type, key parameters ("Conv 3x3, 32,
// same"), output shape, an input port on top and an output port below. It only reads the
// GraphModel; drawn red with the engine's message when the layer is at fault. During and after
// a run on 2-D data it also shows its units' maps over the input plane, and for an image network
// its output for the current sample (up to eight maps, on the block's right; the last says how
// many more there are).
#pragma once

#include <QGraphicsObject>
#include <QImage>
#include <QString>

#include <memory>
#include <vector>

#include "export/activation_maps.h"
#include "export/unit_maps.h"

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
    // The run's unit maps (null: none); the block shows its own node's, if the maps have them.
    void setUnitMaps(const std::shared_ptr<const UnitMaps>& maps);
    // An image network's outputs for one sample (null: none): the block shows its own node's,
    // a map per channel (or its flat output as one grid) in the same place.
    void setOutputMaps(const std::shared_ptr<const ActivationMaps>& maps);
    int shownMaps() const { return static_cast<int>(m_mapImages.size()); }
    static constexpr int kMaxMaps = 8;

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
    QString m_tip;                 // the tooltip without the maps' lines
    QString m_pruned;              // "pruned 50%" after a run that pruned this layer; else empty
    std::vector<QImage> m_mapImages;  // at most kMaxMaps
    int64_t m_mapUnits = 0;        // the node's units in the maps (more than shown when wide)
    QString m_mapTip;
    bool m_showsOutputs = false;   // the maps are an image network's outputs (setOutputMaps)
    bool m_hasInput = true;
    bool m_error = false;
    bool m_warning = false;
};

}  // namespace neurite
