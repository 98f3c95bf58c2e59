// Drawing a connection and its shape label.
#include "edge_item.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPathStroker>
#include <QPalette>

#include "node_item.h"

namespace neurite {

EdgeItem::EdgeItem(NodeItem* from, NodeItem* to, int slot) : m_from(from), m_to(to), m_slot(slot) {
    setFlag(ItemIsSelectable);
    setZValue(0);
    updatePath();
}

void EdgeItem::setLabel(const QString& shape) {
    prepareGeometryChange();
    m_label = shape;
    setToolTip(QObject::tr("%1 → %2: %3")
                   .arg(m_from->id(), m_to->id(), shape.isEmpty() ? QObject::tr("shape unknown") : shape));
    update();
}

QPainterPath EdgeItem::curve(QPointF a, QPointF b) {
    QPainterPath path(a);
    const double bend = std::max(30.0, std::abs(b.y() - a.y()) / 2);
    // A skip connection in a column would run straight through the blocks between its ends:
    // bow it out to the right instead.
    const double side = b.y() - a.y() > 1.5 * NodeItem::kHeight + 40 && std::abs(b.x() - a.x()) < NodeItem::kWidth
                            ? NodeItem::kWidth * 0.85
                            : 0.0;
    path.cubicTo(a + QPointF(side, bend), b + QPointF(side, -bend), b);
    return path;
}

void EdgeItem::updatePath() {
    prepareGeometryChange();
    setPath(curve(m_from->outputPort(), m_to->inputPort()));
}

QRectF EdgeItem::boundingRect() const {
    // Room for the label to the right of the curve's midpoint.
    return QGraphicsPathItem::boundingRect().adjusted(-4, -10, 140, 10);
}

QPainterPath EdgeItem::shape() const {
    QPainterPathStroker stroker;
    stroker.setWidth(10);  // easy to click
    return stroker.createStroke(path());
}

void EdgeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) {
    (void)option;
    (void)widget;
    const QPalette pal = QApplication::palette();
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor color = isSelected() ? pal.color(QPalette::Highlight) : pal.color(QPalette::Dark);
    painter->setPen(QPen(color, isSelected() ? 2.5 : 1.5));
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
    // Arrow head at the consumer's port.
    const QPointF tip = m_to->inputPort() - QPointF(0, NodeItem::kPortRadius);
    QPolygonF head;
    head << tip << tip + QPointF(-5, -8) << tip + QPointF(5, -8);
    painter->setBrush(color);
    painter->drawPolygon(head);
    if (m_label.isEmpty()) return;
    QFont f = painter->font();
    f.setPointSizeF(8);
    painter->setFont(f);
    const QPointF mid = path().pointAtPercent(0.5);
    const QFontMetricsF fm(f);
    const QRectF box(mid.x() + 6, mid.y() - fm.height() / 2, fm.horizontalAdvance(m_label) + 6,
                     fm.height());
    painter->setPen(Qt::NoPen);
    QColor back = pal.color(QPalette::Window);
    back.setAlpha(220);
    painter->setBrush(back);
    painter->drawRoundedRect(box, 3, 3);
    painter->setPen(pal.color(QPalette::PlaceholderText));
    painter->drawText(box, Qt::AlignCenter, m_label);
}

}  // namespace neurite
