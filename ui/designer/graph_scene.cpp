// The canvas: mirroring the model and turning gestures into commands.
#include "graph_scene.h"

#include <QGraphicsPathItem>
#include <QGraphicsSceneMouseEvent>
#include <QApplication>
#include <QPainter>
#include <QToolTip>
#include <QUndoStack>
#include <cmath>

#include "edge_item.h"
#include "graph_commands.h"
#include "graph_edits.h"
#include "graph_model.h"
#include "node_item.h"
#include "quick_fix.h"

namespace neurite {

namespace {

// Rich text, so a long message wraps in the tooltip instead of running off the screen.
QString tipText(const QString& text) {
    return QStringLiteral("<p>%1</p>").arg(text.toHtmlEscaped());
}

}  // namespace

GraphScene::GraphScene(GraphModel* model, QUndoStack* undo, QObject* parent)
    : QGraphicsScene(parent), m_model(model), m_undo(undo) {
    connect(model, &GraphModel::documentReset, this, &GraphScene::rebuild);
    connect(model, &GraphModel::nodeAdded, this, &GraphScene::addNode);
    connect(model, &GraphModel::nodeRemoved, this, &GraphScene::removeNode);
    connect(model, &GraphModel::nodeMoved, this, &GraphScene::followModelPosition);
    // Inputs may have changed with any structural edit; edges are few, so rebuild them all.
    connect(model, &GraphModel::analysisChanged, this, &GraphScene::refreshAll);
    connect(model, &GraphModel::sparsityChanged, this, &GraphScene::refreshAll);
    // The maps describe the network the run trained: an edit or another document outdates them.
    for (auto signal : {&GraphModel::nodeAdded, &GraphModel::nodeRemoved, &GraphModel::nodeChanged})
        connect(model, signal, this, [this] {
            setUnitMaps(nullptr);
            setOutputMaps(nullptr);
        });
    connect(model, &GraphModel::documentReset, this, [this] {
        setUnitMaps(nullptr);
        setOutputMaps(nullptr);
    });
    rebuild();
}

void GraphScene::setUnitMaps(std::shared_ptr<const UnitMaps> maps) {
    if (!maps && !m_unitMaps) return;
    m_unitMaps = std::move(maps);
    for (NodeItem* item : std::as_const(m_nodes)) item->setUnitMaps(m_unitMaps);
}

void GraphScene::setOutputMaps(std::shared_ptr<const ActivationMaps> maps) {
    if (!maps && !m_outputMaps) return;
    m_outputMaps = std::move(maps);
    for (NodeItem* item : std::as_const(m_nodes)) item->setOutputMaps(m_outputMaps);
}

// Items die before the scene: without this, their deselection would emit selectionChanged to
// listeners that read m_nodes while it holds dangling pointers.
GraphScene::~GraphScene() {
    blockSignals(true);
    m_nodes.clear();
    m_edges.clear();
    clear();
}

QList<EdgeItem*> GraphScene::edgeItems() const {
    return m_edges;
}

QStringList GraphScene::selectedIds() const {
    QStringList ids;
    for (const Node& n : m_model->nodes()) {
        const QString id = QString::fromStdString(n.id);
        if (NodeItem* item = m_nodes.value(id); item && item->isSelected()) ids << id;
    }
    return ids;
}

void GraphScene::selectIds(const QStringList& ids) {
    clearSelection();
    for (const QString& id : ids)
        if (NodeItem* item = m_nodes.value(id)) item->setSelected(true);
}

void GraphScene::rebuild() {
    m_edges.clear();
    for (NodeItem* item : std::as_const(m_nodes)) delete item;
    m_nodes.clear();
    clear();
    m_dragLine = nullptr;
    for (const Node& n : m_model->nodes()) addNode(QString::fromStdString(n.id));
    rebuildEdges();
}

void GraphScene::addNode(const QString& id) {
    if (m_nodes.contains(id)) return;
    auto* item = new NodeItem(m_model, id);
    item->setUnitMaps(m_unitMaps);
    item->setOutputMaps(m_outputMaps);
    m_nodes.insert(id, item);
    addItem(item);
    connect(item, &NodeItem::moved, this, &GraphScene::nodeItemMoved);
}

void GraphScene::removeNode(const QString& id) {
    NodeItem* item = m_nodes.take(id);
    if (!item) return;
    for (auto it = m_edges.begin(); it != m_edges.end();) {
        if ((*it)->from() == item || (*it)->to() == item) {
            delete *it;
            it = m_edges.erase(it);
        } else {
            ++it;
        }
    }
    delete item;
}

void GraphScene::rebuildEdges() {
    const QStringList keep = [this] {
        QStringList ids;
        for (EdgeItem* e : m_edges)
            if (e->isSelected()) ids << e->to()->id() + '#' + QString::number(e->slot());
        return ids;
    }();
    qDeleteAll(m_edges);
    m_edges.clear();
    for (const Node& n : m_model->nodes()) {
        NodeItem* to = m_nodes.value(QString::fromStdString(n.id));
        for (std::size_t k = 0; k < n.inputs.size(); ++k) {
            const QString fromId = QString::fromStdString(n.inputs[k]);
            NodeItem* from = m_nodes.value(fromId);
            if (!from || !to) continue;  // a dangling input: the problems panel names it
            auto* edge = new EdgeItem(from, to, static_cast<int>(k));
            edge->setLabel(m_model->shapeOf(fromId));
            addItem(edge);
            edge->setSelected(keep.contains(to->id() + '#' + QString::number(k)));
            m_edges << edge;
        }
    }
}

void GraphScene::refreshAll() {
    m_followingModel = true;
    for (NodeItem* item : std::as_const(m_nodes)) item->refresh();
    m_followingModel = false;
    rebuildEdges();
}

void GraphScene::followModelPosition(const QString& id) {
    NodeItem* item = m_nodes.value(id);
    const Node* n = m_model->node(id);
    if (!item || !n) return;
    m_followingModel = true;
    item->setPos(n->x, n->y);
    m_followingModel = false;
}

void GraphScene::nodeItemMoved(const QString& id) {
    NodeItem* item = m_nodes.value(id);
    for (EdgeItem* e : std::as_const(m_edges))
        if (e->from() == item || e->to() == item) e->updatePath();
}

NodeItem* GraphScene::targetAt(QPointF scenePos) const {
    for (QGraphicsItem* it : items(scenePos))
        if (auto* node = dynamic_cast<NodeItem*>(it)) return node;
    // The input port sticks out above the block.
    for (NodeItem* node : std::as_const(m_nodes)) {
        const QPointF d = scenePos - node->inputPort();
        if (node->hasInputPort() && std::hypot(d.x(), d.y()) <= NodeItem::kPortRadius + 6) return node;
    }
    return nullptr;
}

void GraphScene::mousePressEvent(QGraphicsSceneMouseEvent* event) {
    if (event->button() == Qt::LeftButton) {
        for (NodeItem* node : m_readOnly ? QList<NodeItem*>() : m_nodes.values())
            if (node->outputPortContains(event->scenePos())) {
                m_dragFrom = node->id();
                m_dragLine = addPath(EdgeItem::curve(node->outputPort(), event->scenePos()));
                m_dragLine->setZValue(3);
                m_dragLine->setPen(QPen(QApplication::palette().color(QPalette::Highlight), 2,
                                        Qt::DashLine));
                event->accept();
                return;
            }
        m_moving = true;
    }
    QGraphicsScene::mousePressEvent(event);
}

void GraphScene::mouseMoveEvent(QGraphicsSceneMouseEvent* event) {
    if (!m_dragLine) {
        QGraphicsScene::mouseMoveEvent(event);
        return;
    }
    NodeItem* from = m_nodes.value(m_dragFrom);
    if (!from) return;
    NodeItem* target = targetAt(event->scenePos());
    QColor color = QApplication::palette().color(QPalette::Highlight);
    QPointF end = event->scenePos();
    if (target && target != from) {
        const ConnectionCheck c = checkConnection(m_dragFrom, target->id());
        const QString connect = tr("Connect %1 → %2").arg(m_dragFrom, target->id());
        color = !c.refusal.isEmpty() ? QColor(0xe5, 0x39, 0x35)
                : c.fix.isEmpty()    ? QColor(0x22, 0xa5, 0x4e)
                                     : QColor(0xf5, 0x9e, 0x0b);
        if (c.refusal.isEmpty()) end = target->inputPort();
        QToolTip::showText(event->screenPos(),
                           tipText(!c.refusal.isEmpty() ? tr("Cannot connect: %1").arg(c.refusal)
                                   : c.fix.isEmpty()    ? connect
                                                        : tr("%1, then fix in Problems: %2").arg(connect, c.fix)));
    } else {
        QToolTip::hideText();
    }
    m_dragLine->setPath(EdgeItem::curve(from->outputPort(), end));
    m_dragLine->setPen(QPen(color, 2, Qt::DashLine));
}

void GraphScene::mouseReleaseEvent(QGraphicsSceneMouseEvent* event) {
    if (m_dragLine) {
        finishConnection(event->scenePos(), event->screenPos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    if (event->button() == Qt::LeftButton) {
        m_moving = false;
        pushMoveIfAny();
    }
}

void GraphScene::finishConnection(QPointF scenePos, QPoint screenPos) {
    delete m_dragLine;
    m_dragLine = nullptr;
    QToolTip::hideText();
    const QString from = m_dragFrom;
    m_dragFrom.clear();
    NodeItem* target = targetAt(scenePos);
    if (!target || target->id() == from) return;  // dropped on empty canvas: nothing to do
    const ConnectionCheck c = checkConnection(from, target->id());
    if (!c.refusal.isEmpty()) {
        QToolTip::showText(screenPos, tipText(tr("Cannot connect: %1").arg(c.refusal)));
        emit connectionRefused(c.refusal);
        return;
    }
    const GraphState before = stateOf(*m_model);
    m_undo->push(new EditGraphCommand(
        m_model, tr("Connect %1 → %2").arg(from, target->id()), before,
        edits::withConnection(before, from.toStdString(), target->id().toStdString())));
    if (!c.fix.isEmpty()) emit connectionNeedsFix(c.fix);
}

GraphScene::ConnectionCheck GraphScene::checkConnection(const QString& from, const QString& to) const {
    ConnectionCheck c{m_model->canConnect(from, to), {}};
    if (c.refusal.isEmpty() || !m_model->structuralRefusal(from, to).isEmpty()) return c;
    // Only the target's shape rule says no: when the engine names the repair, connect anyway.
    const GraphState after = edits::withConnection(stateOf(*m_model), from.toStdString(), to.toStdString());
    const ResolvedGraph resolved = resolveGraph(after.nodes, after.output, m_model->dataInfo());
    for (const Problem& p : resolved.problems)
        if (p.nodeId == to.toStdString())
            if (const std::optional<QuickFix> fix = quickFixFor(p, after)) return {QString(), fix->label};
    return c;
}

// Items move themselves while dragged; the model learns the final positions in one command.
void GraphScene::pushMoveIfAny() {
    MoveNodesCommand::Positions before, after;
    for (const Node& n : m_model->nodes()) {
        const QString id = QString::fromStdString(n.id);
        NodeItem* item = m_nodes.value(id);
        if (!item || (item->pos() == QPointF(n.x, n.y))) continue;
        before.push_back({id, QPointF(n.x, n.y)});
        after.push_back({id, item->pos()});
    }
    if (!after.empty()) m_undo->push(new MoveNodesCommand(m_model, before, after));
}

void GraphScene::drawBackground(QPainter* painter, const QRectF& rect) {
    const QPalette pal = QApplication::palette();
    painter->fillRect(rect, pal.color(QPalette::Window));
    if (!m_snap) return;
    // Dots every fourth grid step: visible rhythm without noise.
    const double step = kGrid * 4;
    QColor dot = pal.color(QPalette::Mid);
    dot.setAlpha(110);
    painter->setPen(QPen(dot, 1.5));
    const double left = std::floor(rect.left() / step) * step;
    const double top = std::floor(rect.top() / step) * step;
    QVector<QPointF> points;
    for (double x = left; x < rect.right(); x += step)
        for (double y = top; y < rect.bottom(); y += step) points << QPointF(x, y);
    painter->drawPoints(points.data(), static_cast<int>(points.size()));
}

}  // namespace neurite
