#include "activation_view.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "designer/unit_map_image.h"

namespace neurite {

namespace {

bool spatial(const ActivationMap& m) { return m.height * m.width > 1; }

}  // namespace

// Every spatial layer's channels in rows; a click selects a node and channel.
class ActivationGrid : public QWidget {
public:
    static constexpr int kCell = 34, kGap = 3, kLabel = 18;
    std::function<void(const QString&, int64_t)> onPick;

    void setMaps(const std::shared_ptr<const ActivationMaps>& maps) {
        m_rows.clear();
        if (maps)
            for (const ActivationMap& m : maps->nodes) {
                if (!spatial(m)) continue;
                Row row{&m, {}};
                for (int64_t c = 0; c < m.channels; ++c) row.images.push_back(activationChannelImage(m, c, m.op == "Input"));
                m_rows.push_back(std::move(row));
            }
        m_maps = maps;
        relayout();
    }
    void setSelected(const QString& node, int64_t channel) {
        m_node = node;
        m_channel = channel;
        update();
    }

protected:
    void resizeEvent(QResizeEvent*) override { relayout(); }
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        QFont f = font();
        f.setPointSizeF(8.5);
        p.setFont(f);
        for (const Row& r : m_rows) {
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRectF(0, r.top, width(), kLabel), Qt::AlignLeft | Qt::AlignVCenter,
                       QStringLiteral("%1 · %2 · %3×%4×%5")
                           .arg(QString::fromStdString(r.map->node), QString::fromStdString(r.map->op))
                           .arg(r.map->channels)
                           .arg(r.map->height)
                           .arg(r.map->width));
            for (std::size_t c = 0; c < r.images.size(); ++c) {
                const QRect cell = cellRect(r, static_cast<int64_t>(c));
                p.drawImage(cell, r.images[c]);
                const bool selected = QString::fromStdString(r.map->node) == m_node && static_cast<int64_t>(c) == m_channel;
                p.setPen(QPen(selected ? palette().color(QPalette::Highlight) : palette().color(QPalette::Mid), selected ? 2.5 : 0.8));
                p.setBrush(Qt::NoBrush);
                p.drawRect(cell);
            }
        }
    }
    void mousePressEvent(QMouseEvent* e) override {
        for (const Row& r : m_rows)
            for (int64_t c = 0; c < r.map->channels; ++c)
                if (cellRect(r, c).contains(e->position().toPoint()) && onPick) {
                    onPick(QString::fromStdString(r.map->node), c);
                    return;
                }
    }

private:
    struct Row {
        const ActivationMap* map;
        std::vector<QImage> images;
        int top = 0, perLine = 1;
    };
    QRect cellRect(const Row& r, int64_t c) const {
        const int line = static_cast<int>(c) / r.perLine, col = static_cast<int>(c) % r.perLine;
        return QRect(col * (kCell + kGap), r.top + kLabel + line * (kCell + kGap), kCell, kCell);
    }
    void relayout() {
        int top = 0;
        const int perLine = std::max(1, (width() + kGap) / (kCell + kGap));
        for (Row& r : m_rows) {
            r.top = top;
            r.perLine = perLine;
            const int lines = (static_cast<int>(r.images.size()) + perLine - 1) / perLine;
            top += kLabel + lines * (kCell + kGap) + 8;
        }
        setMinimumHeight(top);
        update();
    }
    std::shared_ptr<const ActivationMaps> m_maps;
    std::vector<Row> m_rows;
    QString m_node;
    int64_t m_channel = 0;
};

// The selected channel enlarged (a click picks a value) and, for a convolution, its input
// channel with the window that made the picked value.
class ActivationDetail : public QWidget {
public:
    std::function<void(int64_t, int64_t)> onPick;
    QImage output, input;
    int64_t mapHeight = 0, mapWidth = 0, y = -1, x = -1;
    QRect window;  // in input pixels; empty when none

    QSize sizeHint() const override { return {420, 220}; }

protected:
    QRect outputRect() const {
        const int side = std::max(0, std::min(mapHeight > 0 ? height() - 8 : 0, width() / 2 - 12));
        return QRect(4, 4, side, side);
    }
    QRect inputRect() const {
        const QRect o = outputRect();
        return QRect(o.right() + 16, o.top(), o.width(), o.height());
    }
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        if (output.isNull()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, QObject::tr("Click a map above to enlarge it."));
            return;
        }
        const QRect o = outputRect();
        p.drawImage(o, output);
        if (y >= 0 && x >= 0) {
            const double cw = double(o.width()) / double(mapWidth), ch = double(o.height()) / double(mapHeight);
            p.setPen(QPen(Qt::red, 2));
            p.setBrush(Qt::NoBrush);
            p.drawRect(QRectF(o.left() + x * cw, o.top() + y * ch, cw, ch));
        }
        if (!input.isNull()) {
            const QRect i = inputRect();
            p.drawImage(i, input);
            if (!window.isEmpty()) {
                const double cw = double(i.width()) / input.width(), ch = double(i.height()) / input.height();
                p.setPen(QPen(Qt::red, 2));
                p.drawRect(QRectF(i.left() + window.left() * cw, i.top() + window.top() * ch, window.width() * cw,
                                  window.height() * ch));
            }
        }
    }
    void mousePressEvent(QMouseEvent* e) override {
        const QRect o = outputRect();
        if (output.isNull() || !o.contains(e->position().toPoint()) || !onPick) return;
        onPick(static_cast<int64_t>((e->position().y() - o.top()) * double(mapHeight) / o.height()),
               static_cast<int64_t>((e->position().x() - o.left()) * double(mapWidth) / o.width()));
    }
};

ActivationView::ActivationView(QWidget* parent) : QWidget(parent) {
    m_sample = new QSpinBox(this);
    m_sample->setRange(0, 0);
    m_sample->setToolTip(tr("Which held-out sample goes through the network (its index in the validation split)"));
    m_caption = new QLabel(this);
    m_grid = new ActivationGrid;
    m_grid->setToolTip(tr("Every layer's output for the sample: one small map per channel (blue above zero, orange "
                          "below). Click one to enlarge it."));
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_grid);
    scroll->setWidgetResizable(true);
    m_detail = new ActivationDetail;
    m_detail->setToolTip(tr("Left: the chosen map; click a value to see how a convolution computed it. Right: the input "
                            "channel it read, with the window that made the chosen value."));
    m_arithmetic = new QTextBrowser(this);
    m_arithmetic->setObjectName(QStringLiteral("convArithmetic"));
    m_arithmetic->setToolTip(tr("The chosen value of a convolution: its kernel times the input patch under it, summed, "
                                "plus the bias"));
    auto* detail = new QWidget(this);
    auto* detailLayout = new QHBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_detail, 1);
    detailLayout->addWidget(m_arithmetic, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(scroll);
    split->addWidget(detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    scroll->setMinimumHeight(70);
    detail->setMinimumHeight(100);
    split->setSizes({320, 220});
    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Sample"), this));
    top->addWidget(m_sample);
    top->addWidget(m_caption, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    connect(m_sample, &QSpinBox::valueChanged, this, [this](int v) { emit sampleChosen(v); });
    m_grid->onPick = [this](const QString& node, int64_t c) { select(node, c); };
    m_detail->onPick = [this](int64_t y, int64_t x) { selectValue(y, x); };
    clear();
}

void ActivationView::setSampleCount(qint64 count) {
    m_sample->setRange(0, static_cast<int>(std::clamp<qint64>(count - 1, 0, 1 << 30)));
}

void ActivationView::clear() {
    m_maps.reset();
    m_grid->setMaps(nullptr);
    m_caption->setText(tr("The layers' outputs for one sample appear here while a run trains or is paused (Step)."));
    m_detail->output = m_detail->input = QImage();
    m_detail->update();
    m_arithmetic->clear();
}

void ActivationView::setMaps(std::shared_ptr<const ActivationMaps> maps, qint64 sample, int label) {
    m_maps = std::move(maps);
    m_grid->setMaps(m_maps);
    // The prediction: the last node without space whose size is the number of classes.
    QString predicted;
    if (m_maps && !m_classNames.isEmpty())
        for (auto it = m_maps->nodes.rbegin(); it != m_maps->nodes.rend(); ++it)
            if (!spatial(*it) && it->channels == m_classNames.size()) {
                const auto best = std::max_element(it->values.begin(), it->values.end()) - it->values.begin();
                predicted = m_classNames.value(static_cast<int>(best));
                break;
            }
    QString caption = tr("sample %1").arg(sample);
    if (label >= 0 && label < m_classNames.size()) caption += tr(" · class %1").arg(m_classNames[label]);
    if (!predicted.isEmpty()) caption += tr(" · predicted %1").arg(predicted);
    m_caption->setText(caption);
    if (m_node.isEmpty() && m_maps)  // the first convolution, as a start
        for (const ActivationMap& m : m_maps->nodes)
            if (m.isConv) {
                m_node = QString::fromStdString(m.node);
                break;
            }
    showDetail();
}

void ActivationView::select(const QString& node, int64_t channel) {
    if (node != m_node || channel != m_channel) m_y = m_x = -1;
    m_node = node;
    m_channel = channel;
    showDetail();
}

void ActivationView::selectValue(int64_t y, int64_t x) {
    m_y = y;
    m_x = x;
    showDetail();
}

void ActivationView::showDetail() {
    m_grid->setSelected(m_node, m_channel);
    const ActivationMap* m = m_maps ? m_maps->find(m_node.toStdString()) : nullptr;
    if (!m || m_channel >= m->channels || !spatial(*m)) {
        m_detail->output = m_detail->input = QImage();
        m_detail->update();
        m_arithmetic->clear();
        return;
    }
    m_detail->output = activationChannelImage(*m, m_channel, m->op == "Input");
    m_detail->mapHeight = m->height;
    m_detail->mapWidth = m->width;
    if (m_y >= m->height || m_x >= m->width) m_y = m_x = -1;
    m_detail->y = m_y;
    m_detail->x = m_x;
    m_detail->input = QImage();
    m_detail->window = QRect();
    QString html = QStringLiteral("<b>%1</b>, channel %2").arg(m_node.toHtmlEscaped()).arg(m_channel);
    if (!m->isConv) {
        html += tr("<p>Click the map of a convolution to see how one of its values is computed.</p>");
    } else if (m_y < 0) {
        html += tr("<p>Click a value of the enlarged map to see its arithmetic.</p>");
    } else {
        const ConvArithmetic a = convArithmetic(*m_maps, m_node.toStdString(), m_channel, m_y, m_x);
        const float value = m->values[static_cast<std::size_t>((m_channel * m->height + m_y) * m->width + m_x)];
        if (const ActivationMap* in = m_maps->find(m->input)) {
            m_detail->input = activationChannelImage(*in, a.firstChannel, in->op == "Input");
            m_detail->window = QRect(static_cast<int>(a.left), static_cast<int>(a.top),
                                     static_cast<int>(m->conv.extentW()), static_cast<int>(m->conv.extentH()));
        }
        html += tr(" at row %1, column %2 = <b>%3</b><br>").arg(m_y).arg(m_x).arg(value, 0, 'g', 5);
        const int64_t shown = std::min<int64_t>(a.inChannels, 3);
        const int64_t taps = a.kernelH * a.kernelW;
        for (int64_t ci = 0; ci < shown; ++ci) {
            html += tr("<p>input channel %1: kernel × patch</p><table cellspacing=1 cellpadding=2>")
                        .arg(a.firstChannel + ci);
            for (int64_t r = 0; r < a.kernelH; ++r) {
                html += QStringLiteral("<tr>");
                for (int64_t s = 0; s < a.kernelW; ++s) {
                    const auto k = static_cast<std::size_t>(ci * taps + r * a.kernelW + s);
                    html += QStringLiteral("<td bgcolor='%1'>%2 × %3</td>")
                                .arg(unitValueColor(a.kernel[k], 1.5f * std::abs(a.kernel[k]) + 1e-6f).name())
                                .arg(a.kernel[k], 0, 'f', 2)
                                .arg(a.patch[k], 0, 'f', 2);
                }
                html += QStringLiteral("</tr>");
            }
            html += QStringLiteral("</table>");
        }
        if (a.inChannels > shown) html += tr("<p>... and %1 more input channels</p>").arg(a.inChannels - shown);
        html += tr("<p>bias %1 + Σ kernel × patch over %2 terms = <b>%3</b> (the map holds %4)</p>")
                    .arg(a.bias, 0, 'g', 4)
                    .arg(a.inChannels * taps)
                    .arg(a.sum, 0, 'g', 5)
                    .arg(value, 0, 'g', 5);
    }
    m_arithmetic->setHtml(html);
    m_detail->update();
}

QString ActivationView::arithmeticText() const { return m_arithmetic->toPlainText(); }

}  // namespace neurite
