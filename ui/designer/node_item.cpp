// Drawing a layer block. Colours come from the application palette so light and dark themes
// both read well; the category stripe uses fixed hues that work on either.
#include "node_item.h"

#include <QLocale>
#include <QApplication>
#include <QGraphicsScene>
#include <QPainter>
#include <QPalette>
#include <QStringList>
#include <QStyleOptionGraphicsItem>

#include <algorithm>

#include "graph_edits.h"
#include "graph_model.h"
#include "graph_scene.h"
#include "layers/registry.h"
#include "unit_map_image.h"

namespace neurite {

namespace {

// The registry's colour of the category (Core's slate for unknown ops).
QColor categoryColor(const std::string& category) {
    for (const LayerCategory& c : layerCategories())
        if (category == c.name) return QColor::fromRgb(c.rgb);
    return QColor::fromRgb(layerCategories()[0].rgb);
}

}  // namespace

NodeItem::NodeItem(const GraphModel* model, const QString& id) : m_model(model), m_id(id) {
    setFlags(ItemIsSelectable | ItemIsMovable | ItemSendsGeometryChanges);
    setAcceptHoverEvents(true);
    setZValue(1);
    refresh();
}

void NodeItem::refresh() {
    const Node* node = m_model->node(m_id);
    if (!node) return;
    prepareGeometryChange();
    m_op = QString::fromStdString(node->op);
    const LayerType* type = findLayerType(node->op);
    m_hasInput = !type || type->maxInputs != 0;
    m_summary = m_model->summaryOf(m_id);
    if (m_summary.isEmpty()) m_summary = m_op;
    m_shape = m_model->shapeOf(m_id);
    m_error = m_warning = false;
    QStringList messages;
    for (const Problem& p : m_model->problemsOf(m_id)) {
        (p.severity == Problem::Severity::Error ? m_error : m_warning) = true;
        messages << QString::fromStdString(p.message);
    }
    m_problem = messages.join('\n');
    QString tip = QStringLiteral("<b>%1</b> (%2)").arg(m_id.toHtmlEscaped(), m_op);
    if (type) tip += "<br>" + QString::fromStdString(type->help).toHtmlEscaped();
    if (!m_problem.isEmpty())
        tip += "<br><span style='color:#d32f2f'>" + m_problem.toHtmlEscaped().replace('\n', "<br>") +
               "</span>";
    // After a run that pruned: a badge, and the numbers in the tooltip.
    m_pruned.clear();
    for (const LayerSparsity& s : m_model->sparsity()) {
        if (QString::fromStdString(s.node) != m_id || s.zeros == 0) continue;
        m_pruned = QObject::tr("pruned %1%").arg(QLocale().toString(100.0 * s.sparsity(), 'f', 0));
        tip += "<br>" + QObject::tr("Pruned in the last run: %1% of %2 weights zero")
                            .arg(QLocale().toString(100.0 * s.sparsity(), 'f', 1))
                            .arg(s.weights);
        if (s.unitsPruned > 0) tip += QObject::tr(", %1 of %2 units (removed on export)").arg(s.unitsPruned).arg(s.units);
    }
    m_tip = tip;
    setToolTip(m_mapTip.isEmpty() ? m_tip : m_tip + m_mapTip);
    setPos(node->x, node->y);
    update();
}

void NodeItem::setUnitMaps(const std::shared_ptr<const UnitMaps>& maps) {
    if (!maps && m_showsOutputs) return;  // an image network's outputs stay
    m_showsOutputs = false;
    m_mapImages.clear();
    m_mapUnits = 0;
    m_mapTip.clear();
    const UnitMap* map = maps ? maps->find(m_id.toStdString()) : nullptr;
    if (map && map->units > 0) {
        m_mapUnits = map->units;
        const int64_t shown = std::min<int64_t>(map->units, kMaxMaps);
        QStringList lines;
        for (int64_t u = 0; u < shown; ++u) {
            m_mapImages.push_back(unitMapImage(*map, maps->side, u));
            lines << unitMapRange(*map, maps->side, u).toHtmlEscaped();
        }
        if (map->units > shown) lines << QObject::tr("... and %1 more units").arg(map->units - shown);
        m_mapTip = QObject::tr("<br><br><i>The maps: each unit's output over the input plane (x to the right, y up); "
                               "blue above zero, orange below, white at zero.</i><br>") +
                   lines.join(QStringLiteral("<br>"));
    }
    setToolTip(m_mapTip.isEmpty() ? m_tip : m_tip + m_mapTip);
    update();
}

void NodeItem::setOutputMaps(const std::shared_ptr<const ActivationMaps>& maps) {
    const ActivationMap* map = maps ? maps->find(m_id.toStdString()) : nullptr;
    if (!map && !m_showsOutputs) return;  // the unit maps (2-D data) stay
    m_showsOutputs = map != nullptr;
    m_mapImages.clear();
    m_mapUnits = 0;
    m_mapTip.clear();
    if (map && !map->values.empty()) {
        m_mapImages = outputPreviewImages(*map, kMaxMaps);
        const bool spatial = map->height * map->width > 1;
        m_mapUnits = spatial ? map->channels : 1;
        m_mapTip = spatial ? QObject::tr("<br><br><i>This layer's output for the current sample (the Activations tab's): "
                                         "%1 channels of %2x%3; blue above zero, orange below, white at zero.</i>")
                                 .arg(map->channels)
                                 .arg(map->height)
                                 .arg(map->width)
                           : QObject::tr("<br><br><i>This layer's output for the current sample (the Activations tab's): "
                                         "%1 values, row by row; blue above zero, orange below, white at zero.</i>")
                                 .arg(map->channels);
        if (map->op == "Input") m_mapTip.replace(QObject::tr("blue above zero, orange below, white at zero"), QObject::tr("grey levels"));
    }
    setToolTip(m_mapTip.isEmpty() ? m_tip : m_tip + m_mapTip);
    update();
}

QPointF NodeItem::inputPort() const {
    return mapToScene(QPointF(0, 0));
}

QPointF NodeItem::outputPort() const {
    return mapToScene(QPointF(0, kHeight));
}

bool NodeItem::outputPortContains(QPointF scenePos) const {
    const QPointF d = scenePos - outputPort();
    const double r = kPortRadius + 5;  // a little slack: ports are small targets
    return d.x() * d.x() + d.y() * d.y() <= r * r;
}

QRectF NodeItem::boundingRect() const {
    const double m = kPortRadius + 2;
    return QRectF(-kWidth / 2 - 2, -m, kWidth + 4, kHeight + 2 * m);
}

void NodeItem::paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) {
    (void)option;
    (void)widget;
    const QPalette pal = QApplication::palette();
    const Node* node = m_model->node(m_id);
    const LayerType* type = node ? findLayerType(node->op) : nullptr;
    const QRectF body(-kWidth / 2, 0, kWidth, kHeight);
    painter->setRenderHint(QPainter::Antialiasing);

    QColor border = pal.color(QPalette::Mid);
    if (m_warning) border = QColor(0xf5, 0x9e, 0x0b);
    if (m_error) border = QColor(0xe5, 0x39, 0x35);
    if (isSelected()) border = pal.color(QPalette::Highlight);
    painter->setPen(QPen(border, isSelected() || m_error ? 2.5 : 1.2));
    painter->setBrush(m_error ? QColor(0xe5, 0x39, 0x35, 40) : pal.color(QPalette::Base));
    painter->drawRoundedRect(body, 7, 7);

    // Category stripe on the left edge.
    painter->setPen(Qt::NoPen);
    painter->setBrush(categoryColor(type ? type->category : std::string()));
    painter->drawRoundedRect(QRectF(body.left() + 1.5, body.top() + 6, 5, kHeight - 12), 2, 2);

    // Unit maps on the right: two rows of up to four, the text keeps the rest.
    constexpr double kMap = 22, kGap = 2;
    const int maps = static_cast<int>(m_mapImages.size());
    const int columns = std::min(maps, kMaxMaps / 2);
    const double mapsWidth = maps > 0 ? columns * (kMap + kGap) + 4 : 0;
    if (maps > 0) {
        const double left = body.right() - 6 - columns * (kMap + kGap) + kGap;
        const double top = body.top() + (kHeight - (maps > columns ? 2 * kMap + kGap : kMap)) / 2;
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        for (int k = 0; k < maps; ++k) {
            const QRectF cell(left + (k % columns) * (kMap + kGap), top + (k / columns) * (kMap + kGap), kMap, kMap);
            const bool more = k == maps - 1 && m_mapUnits > maps;
            painter->drawImage(cell, m_mapImages[static_cast<std::size_t>(k)]);
            painter->setPen(QPen(pal.color(QPalette::Mid), 0.8));
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(cell);
            if (more) {  // "+56": the units not shown
                painter->setBrush(QColor(0, 0, 0, 150));
                painter->setPen(Qt::NoPen);
                painter->drawRect(cell);
                QFont small = painter->font();
                small.setPointSizeF(7);
                small.setBold(true);
                painter->setFont(small);
                painter->setPen(Qt::white);
                painter->drawText(cell, Qt::AlignCenter, QStringLiteral("+%1").arg(m_mapUnits - maps + 1));
            }
        }
    }
    const QRectF text = body.adjusted(14, 5, -8 - mapsWidth, -5);
    QFont f = painter->font();
    f.setPointSizeF(9);
    f.setBold(true);
    painter->setFont(f);
    painter->setPen(pal.color(QPalette::Text));
    const QFontMetricsF fm(f);
    painter->drawText(QRectF(text.left(), text.top(), text.width(), fm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(m_id, Qt::ElideRight, mapsWidth > 0 ? text.width() : text.width() * 0.6));
    f.setBold(false);
    painter->setFont(f);
    const QFontMetricsF fn(f);
    const double line = fn.height();
    painter->setPen(pal.color(QPalette::PlaceholderText));
    if (mapsWidth == 0)  // with maps the row is too narrow for both: the summary below names the kind
        painter->drawText(QRectF(text.left(), text.top(), text.width(), line), Qt::AlignRight | Qt::AlignVCenter, m_op);
    // frozen for transfer learning: a blue tag on the bottom edge
    if (node && !node->trainable && edits::hasParameters(*node)) {
        const QString tag = QObject::tr("frozen");
        const double w = fn.horizontalAdvance(tag) + 10;
        const QRectF badge(body.right() - w - 8, body.bottom() - line / 2 - 1, w, line + 2);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0x1e, 0x88, 0xe5));
        painter->drawRoundedRect(badge, 4, 4);
        painter->setPen(Qt::white);
        painter->drawText(badge, Qt::AlignCenter, tag);
    }
    if (!m_pruned.isEmpty()) {  // after a run that pruned: an orange tag on the bottom edge, left
        const double w = fn.horizontalAdvance(m_pruned) + 10;
        const QRectF badge(body.left() + 8, body.bottom() - line / 2 - 1, w, line + 2);
        painter->setPen(Qt::NoPen);
        painter->setBrush(QColor(0xef, 0x6c, 0x00));
        painter->drawRoundedRect(badge, 4, 4);
        painter->setPen(Qt::white);
        painter->drawText(badge, Qt::AlignCenter, m_pruned);
    }
    painter->setPen(pal.color(QPalette::Text));
    painter->drawText(QRectF(text.left(), text.top() + line + 1, text.width(), line),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      fn.elidedText(m_summary, Qt::ElideRight, text.width()));
    QString bottom = m_shape.isEmpty() ? QObject::tr("shape unknown") : QStringLiteral("→ ") + m_shape;
    if (m_error) {
        bottom = m_problem.section('\n', 0, 0);
        if (bottom.startsWith(m_id + ": ")) bottom = bottom.mid(m_id.size() + 2);  // id is above
    }
    painter->setPen(m_error ? QColor(0xe5, 0x39, 0x35) : pal.color(QPalette::PlaceholderText));
    painter->drawText(QRectF(text.left(), text.top() + 2 * line + 2, text.width(), line),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      fn.elidedText(bottom, Qt::ElideRight, text.width()));

    painter->setPen(QPen(pal.color(QPalette::Dark), 1));
    painter->setBrush(pal.color(QPalette::Button));
    if (m_hasInput) painter->drawEllipse(QPointF(0, 0), kPortRadius, kPortRadius);
    painter->setBrush(pal.color(QPalette::Highlight));
    painter->drawEllipse(QPointF(0, kHeight), kPortRadius, kPortRadius);
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant& value) {
    if (change == ItemPositionChange) {
        auto* s = qobject_cast<GraphScene*>(scene());
        if (s && s->snapToGrid() && s->isMovingItems()) {
            const double g = GraphScene::kGrid;
            const QPointF p = value.toPointF();
            return QPointF(std::round(p.x() / g) * g, std::round(p.y() / g) * g);
        }
    }
    if (change == ItemPositionHasChanged) emit moved(m_id);
    return QGraphicsObject::itemChange(change, value);
}

}  // namespace neurite
