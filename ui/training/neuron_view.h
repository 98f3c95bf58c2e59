// NeuronView: TensorFlow Playground's picture of a dense network on 2-D data. Every unit is a
// node showing its output over the input plane (engine unitMaps; after its activation when one
// follows), in one column per layer; every weight is an edge whose colour is its sign (blue
// positive, orange negative) and whose thickness is its size. Hovering a node or an edge tells
// its value; clicking one while the run is paused asks for a new bias or weight, which the run
// takes before its next step (TrainingController::setWeight), and the maps are drawn again.
// Networks with layers other than Dense, activations and Dropout are described, not drawn.
#pragma once

#include <QImage>
#include <QWidget>

#include <functional>
#include <memory>
#include <vector>

#include "export/unit_maps.h"

namespace neurite {

class NeuronView : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxUnitsShown = 12;  // per column; the rest are counted

    explicit NeuronView(QWidget* parent = nullptr);

    // The newest maps (null clears the view).
    void setMaps(std::shared_ptr<const UnitMaps> maps);
    // Whether clicks may edit (the run is paused); otherwise a click says to pause first.
    void setEditable(bool editable);
    // Asks for a new value (tests replace the dialog): the current value in, nullopt = cancelled.
    using Asker = std::function<std::optional<double>(const QString& what, double current)>;
    void setAsker(Asker asker) { m_ask = std::move(asker); }

    // The drawing, for tests: columns of units and the edges drawn between them.
    struct Unit {
        QString node;      // the Dense (or Input) node whose unit this is
        QString mapNode;   // the node whose map is shown (its activation, when one follows)
        int64_t index = 0;
        QRectF rect;
    };
    struct Edge {
        QString node;  // the Dense node owning the weight
        int64_t row = 0, column = 0;  // weight[row, column]: unit row of `node` reads unit column of the layer before
        float value = 0;
        QPointF from, to;
    };
    const std::vector<std::vector<Unit>>& columns() const { return m_columns; }
    const std::vector<Edge>& edges() const { return m_edges; }
    QString unsupportedReason() const { return m_unsupported; }
    // What a hover at `pos` shows ("" when nothing is there); a click at `pos` edits it.
    QString describeAt(QPointF pos) const;
    void clickAt(QPointF pos);

signals:
    void weightEdited(const QString& node, const QString& param, qint64 index, float value);
    void message(const QString& text);  // e.g. "Pause the run to edit weights"

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;  // tooltips

private:
    // One column per layer: the input node, then each Dense node in order.
    struct Layer {
        const UnitMap* dense = nullptr;  // null for the input column
        const UnitMap* shown = nullptr;  // the map drawn (the activation after it, else itself)
    };
    void layout();
    const Unit* unitAt(QPointF pos) const;
    const Edge* edgeAt(QPointF pos) const;

    std::shared_ptr<const UnitMaps> m_maps;
    std::vector<Layer> m_layers;
    std::vector<std::vector<Unit>> m_columns;
    std::vector<std::vector<QImage>> m_images;  // per column and unit shown, made once per setMaps
    std::vector<Edge> m_edges;
    float m_maxWeight = 0;
    QString m_unsupported;
    bool m_editable = false;
    Asker m_ask;
};

}  // namespace neurite
