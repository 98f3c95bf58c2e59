#include "neuron_view.h"

#include <QHelpEvent>
#include <QInputDialog>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

#include "designer/unit_map_image.h"
#include "layers/registry.h"
#include "plot_data.h"

namespace neurite {

namespace {

bool passesThrough(const std::string& op) {
    const LayerType* t = findLayerType(op);
    return op == "Dropout" || (t && t->category == "Activation");
}

}  // namespace

NeuronView::NeuronView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumSize(200, 150);
    setToolTip(tr("Every unit's output over the input plane, and the weights between them: blue positive, orange "
                  "negative, thicker = larger. Pause the run and click a unit or a weight to change it."));
    m_ask = [this](const QString& what, double current) -> std::optional<double> {
        bool ok = false;
        const double v = QInputDialog::getDouble(this, tr("Edit %1").arg(what), what, current, -1e6, 1e6, 4, &ok);
        return ok ? std::optional<double>(v) : std::nullopt;
    };
}

void NeuronView::setMaps(std::shared_ptr<const UnitMaps> maps) {
    m_maps = std::move(maps);
    m_layers.clear();
    m_unsupported.clear();
    if (m_maps) {
        // Input, then each Dense; a Dense reads the column before it through activations and
        // Dropout only, and its activation (if any) is what its units show.
        std::string last;  // the node the next Dense must read (through pass-through nodes)
        for (const UnitMap& m : m_maps->nodes) {
            if (m.op == "Input") {
                m_layers.push_back({nullptr, &m});
                last = m.node;
            } else if (m.op == "Dense") {
                if (m.input != last || m_layers.empty()) {
                    m_unsupported = tr("The neuron view draws chains of Dense layers; %1 does not read the layer before it.")
                                        .arg(QString::fromStdString(m.node));
                    break;
                }
                m_layers.push_back({&m, &m});
                last = m.node;
            } else if (passesThrough(m.op) && m.input == last && !m_layers.empty()) {
                if (m_layers.back().dense && m_layers.back().shown == m_layers.back().dense) m_layers.back().shown = &m;
                last = m.node;
            } else {
                m_unsupported = tr("The neuron view draws networks of Dense layers, activations and Dropout; this one has "
                                   "%1 (%2). The designer's blocks show its units' maps.")
                                    .arg(QString::fromStdString(m.node), QString::fromStdString(m.op));
                break;
            }
        }
        if (m_unsupported.isEmpty() && m_layers.size() < 2)
            m_unsupported = tr("The neuron view needs an Input and at least one Dense layer of at most %1 units.")
                                .arg(kUnitMapMaxUnits);
        if (!m_unsupported.isEmpty()) m_layers.clear();
    }
    m_images.clear();
    for (const Layer& l : m_layers) {
        std::vector<QImage> images;
        for (int64_t u = 0; u < std::min<int64_t>(l.shown->units, kMaxUnitsShown); ++u)
            images.push_back(unitMapImage(*l.shown, m_maps->side, u));
        m_images.push_back(std::move(images));
    }
    layout();
    update();
}

void NeuronView::setEditable(bool editable) { m_editable = editable; }

void NeuronView::layout() {
    m_columns.clear();
    m_edges.clear();
    m_maxWeight = 0;
    if (m_layers.empty()) return;
    const auto count = static_cast<double>(m_layers.size());
    const double colWidth = width() / count;
    int64_t most = 1;
    for (const Layer& l : m_layers) most = std::max<int64_t>(most, std::min<int64_t>(l.shown->units, kMaxUnitsShown));
    const double side = std::clamp(std::min(colWidth * 0.4, (height() - 30.0) / (static_cast<double>(most) * 1.25)), 12.0, 64.0);
    for (std::size_t c = 0; c < m_layers.size(); ++c) {
        const Layer& l = m_layers[c];
        const int64_t shown = std::min<int64_t>(l.shown->units, kMaxUnitsShown);
        const double step = side * 1.25;
        const double top = (height() - 20.0 - static_cast<double>(shown) * step) / 2 + 20.0;
        const double x = colWidth * (static_cast<double>(c) + 0.5) - side / 2;
        std::vector<Unit> units;
        for (int64_t u = 0; u < shown; ++u)
            units.push_back({QString::fromStdString(l.dense ? l.dense->node : l.shown->node),
                             QString::fromStdString(l.shown->node), u,
                             QRectF(x, top + static_cast<double>(u) * step, side, side)});
        m_columns.push_back(std::move(units));
    }
    for (std::size_t c = 1; c < m_layers.size(); ++c) {
        const UnitMap& d = *m_layers[c].dense;
        const int64_t inputs = m_layers[c - 1].shown->units;
        if (static_cast<int64_t>(d.weight.size()) != d.units * inputs) continue;
        for (const Unit& to : m_columns[c])
            for (const Unit& from : m_columns[c - 1]) {
                const float w = d.weight[static_cast<std::size_t>(to.index * inputs + from.index)];
                m_maxWeight = std::max(m_maxWeight, std::isfinite(w) ? std::abs(w) : 0.f);
                m_edges.push_back({QString::fromStdString(d.node), to.index, from.index, w,
                                   QPointF(from.rect.right(), from.rect.center().y()),
                                   QPointF(to.rect.left(), to.rect.center().y())});
            }
    }
}

void NeuronView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    layout();
}

void NeuronView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    if (!m_maps || m_layers.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap,
                   !m_unsupported.isEmpty() ? m_unsupported
                                            : tr("Every unit's output over the plane appears here once a run on 2-D "
                                                 "data starts (Step or Start)."));
        return;
    }
    for (const Edge& e : m_edges) {
        const double t = m_maxWeight > 0 ? std::abs(e.value) / m_maxWeight : 0;
        QColor c = unitValueColor(e.value >= 0 ? 1.f : -1.f, 1.f);
        c.setAlphaF(0.25 + 0.75 * t);
        p.setPen(QPen(c, 0.5 + 4.5 * t));
        p.drawLine(e.from, e.to);
    }
    QFont f = font();
    f.setPointSizeF(8);
    p.setFont(f);
    for (std::size_t c = 0; c < m_columns.size(); ++c) {
        const Layer& l = m_layers[c];
        const UnitMap& shown = *l.shown;
        if (!m_columns[c].empty()) {
            const QRectF first = m_columns[c].front().rect;
            QString title = QString::fromStdString(l.dense ? l.dense->node : shown.node);
            if (shown.units > static_cast<int64_t>(m_columns[c].size()))
                title += tr(" (%1 of %2)").arg(m_columns[c].size()).arg(shown.units);
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRectF(first.center().x() - 80, 2, 160, 16), Qt::AlignCenter, title);
        }
        for (const Unit& u : m_columns[c]) {
            p.drawImage(u.rect, m_images[c][static_cast<std::size_t>(u.index)]);
            p.setPen(QPen(palette().color(QPalette::Mid), 1));
            p.setBrush(Qt::NoBrush);
            p.drawRect(u.rect);
        }
    }
}

const NeuronView::Unit* NeuronView::unitAt(QPointF pos) const {
    for (const auto& column : m_columns)
        for (const Unit& u : column)
            if (u.rect.contains(pos)) return &u;
    return nullptr;
}

const NeuronView::Edge* NeuronView::edgeAt(QPointF pos) const {
    const Edge* best = nullptr;
    double bestDistance = 4;
    for (const Edge& e : m_edges)
        if (const double d = plot::segmentDistance(pos, e.from, e.to); d <= bestDistance) {
            bestDistance = d;
            best = &e;
        }
    return best;
}

QString NeuronView::describeAt(QPointF pos) const {
    if (const Unit* u = unitAt(pos)) {
        const UnitMap* shown = m_maps->find(u->mapNode.toStdString());
        QString text = shown ? unitMapRange(*shown, m_maps->side, u->index) : QString();
        const UnitMap* dense = m_maps->find(u->node.toStdString());
        if (dense && dense->op == "Dense" && u->index < static_cast<int64_t>(dense->bias.size()))
            text += tr("\nbias %1").arg(dense->bias[static_cast<std::size_t>(u->index)], 0, 'g', 4);
        return text;
    }
    if (const Edge* e = edgeAt(pos))
        return tr("%1.weight[%2, %3] = %4").arg(e->node).arg(e->row).arg(e->column).arg(e->value, 0, 'g', 4);
    return {};
}

void NeuronView::clickAt(QPointF pos) {
    const Unit* u = unitAt(pos);
    const Edge* e = u ? nullptr : edgeAt(pos);
    const UnitMap* dense = u ? m_maps->find(u->node.toStdString()) : nullptr;
    if (u && (!dense || dense->op != "Dense")) return;  // the inputs have nothing to edit
    if (!u && !e) return;
    if (!m_editable) {
        emit message(tr("Pause the run (F6) to edit a weight or a bias."));
        return;
    }
    if (u) {
        const auto i = static_cast<std::size_t>(u->index);
        if (i >= dense->bias.size()) return;
        if (const auto v = m_ask(tr("%1.bias[%2]").arg(u->node).arg(u->index), dense->bias[i]))
            emit weightEdited(u->node, QStringLiteral("bias"), u->index, static_cast<float>(*v));
        return;
    }
    const UnitMap* owner = m_maps->find(e->node.toStdString());
    if (!owner || owner->units <= 0) return;
    const int64_t inputs = static_cast<int64_t>(owner->weight.size()) / owner->units;
    const QString what = tr("%1.weight[%2, %3]").arg(e->node).arg(e->row).arg(e->column);
    if (const auto v = m_ask(what, e->value))
        emit weightEdited(e->node, QStringLiteral("weight"), e->row * inputs + e->column, static_cast<float>(*v));
}

void NeuronView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) clickAt(event->position());
    QWidget::mousePressEvent(event);
}

bool NeuronView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = m_maps ? describeAt(help->pos()) : QString();
        if (!text.isEmpty()) {
            QToolTip::showText(help->globalPos(), text, this);
            return true;
        }
    }
    return QWidget::event(event);
}

}  // namespace neurite
