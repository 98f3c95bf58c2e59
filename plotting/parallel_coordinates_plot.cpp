#include "parallel_coordinates_plot.h"

#include <QFontMetricsF>
#include <QMenu>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace neurite::plot {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kGrabPx = 12;   // how far from an axis line a press still starts a brush
constexpr double kDragPx = 3;    // a press that moves less is a click (clears the brush)
constexpr double kHoverPx = 6;   // tooltip distance to a line
// Opaque colours and 1-pixel pens: Qt's raster engine draws them ~20x faster than translucent
// or wider antialiased lines (200 x 8 axes: ~5 ms against ~200 ms), which keeps a brush drag live.
const QColor kFaint(222, 222, 222);
const QColor kMissingObjective(150, 150, 150);

// Light (worse) to strong (better): viridis without its palest yellow, readable on white.
QCPColorGradient objectiveGradient(bool maximize) {
    const QColor stops[] = {QColor(0xd9, 0xc2, 0x1f), QColor(0x5e, 0xc9, 0x62), QColor(0x21, 0x91, 0x8c),
                            QColor(0x3b, 0x52, 0x8b), QColor(0x44, 0x01, 0x54)};
    QCPColorGradient g;
    g.clearColorStops();
    for (int i = 0; i < 5; ++i) g.setColorStopAt(maximize ? i / 4.0 : 1 - i / 4.0, stops[i]);
    return g;
}

// Nice numeric ticks inside [lo, hi] (raw units), decades (or 1-2-5 steps) on a log axis; the
// ends when fewer than two fall inside.
QVector<std::pair<double, QString>> numericTicks(double lo, double hi, bool log) {
    QVector<double> ticks;
    if (log) {
        for (double t : logTicks(lo, hi)) ticks.push_back(t);
    } else {
        QCPAxisTicker ticker;
        ticker.setTickCount(5);
        QVector<QString> labels;
        ticker.generate(QCPRange(lo, hi), QLocale::c(), QLatin1Char('g'), 4, ticks, nullptr, &labels);
    }
    QVector<std::pair<double, QString>> out;
    const double eps = 1e-9 * (hi - lo);
    for (double t : ticks)
        if (t >= lo - eps && t <= hi + eps) out.push_back({t, QString::number(t, 'g', 4)});
    if (out.size() < 2) out = {{lo, QString::number(lo, 'g', 3)}, {hi, QString::number(hi, 'g', 3)}};
    return out;
}

// The trial polylines, painted straight from the owner's unit coordinates.
class LinesLayerable : public QCPLayerable {
public:
    LinesLayerable(QCustomPlot* plot, const ParallelCoordinatesPlot* owner)
        : QCPLayerable(plot, QStringLiteral("main")), m_owner(owner) {}

protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override {
        applyAntialiasingHint(painter, mAntialiased, QCP::aePlottables);
    }
    void draw(QCPPainter* painter) override {
        const auto& axes = m_owner->axes();
        const int n = static_cast<int>(axes.size());
        if (n == 0) return;
        QVector<double> xs(n);
        for (int i = 0; i < n; ++i) xs[i] = m_owner->axisX(i);
        const bool brushed = m_owner->anyBrush();
        const auto& selected = m_owner->selectedMask();
        QVector<QPointF> run;
        run.reserve(n);
        auto drawTrial = [&](int k) {
            run.clear();
            for (int i = 0; i <= n; ++i) {
                const double t = i < n ? axes[i].unit[k] : kNaN;
                if (std::isfinite(t)) {
                    run.push_back(QPointF(xs[i], m_owner->unitY(t)));
                    continue;
                }
                if (run.size() >= 2) painter->drawPolyline(run.constData(), static_cast<int>(run.size()));
                run.clear();  // a missing value breaks the line
            }
        };
        if (brushed) {
            painter->setPen(QPen(kFaint, 1));
            for (int k : m_owner->drawOrder())
                if (!selected[k]) drawTrial(k);
        }
        for (int k : m_owner->drawOrder()) {
            if (brushed && !selected[k]) continue;
            painter->setPen(QPen(m_owner->trialColor(k), 1));
            drawTrial(k);
        }
    }

private:
    const ParallelCoordinatesPlot* m_owner;
};

// The vertical axes: line, ticks with labels on a light halo, the name on top, the brush band.
class AxesLayerable : public QCPLayerable {
public:
    AxesLayerable(QCustomPlot* plot, const ParallelCoordinatesPlot* owner)
        : QCPLayerable(plot, QStringLiteral("pcAxes")), m_owner(owner) {}

protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override {
        applyAntialiasingHint(painter, false, QCP::aeAxes);
    }
    void draw(QCPPainter* painter) override {
        const auto& axes = m_owner->axes();
        const int n = static_cast<int>(axes.size());
        if (n == 0) return;
        const QRect rect = mParentPlot->axisRect()->rect();
        const QFont font = mParentPlot->font();
        QFont bold = font;
        bold.setBold(true);
        const QFontMetricsF fm(font), bfm(bold);
        const double spacing = n > 1 ? rect.width() / (n - 1.0) : rect.width();
        for (int i = 0; i < n; ++i) {
            const auto& a = axes[i];
            const double x = m_owner->axisX(i);
            if (a.brush) {
                const QRectF band(QPointF(x - 7, m_owner->unitY(a.brush->second)),
                                  QPointF(x + 7, m_owner->unitY(a.brush->first)));
                painter->setPen(QPen(QColor(25, 100, 200, 200), 1));
                painter->setBrush(QColor(25, 100, 200, 70));
                painter->drawRect(band);
            }
            painter->setPen(QPen(QColor(70, 70, 70), 1));
            painter->drawLine(QLineF(x, rect.top(), x, rect.bottom()));
            drawTicks(painter, a, x, fm);
            const QFont& nameFont = i == n - 1 ? bold : font;
            const QFontMetricsF& nfm = i == n - 1 ? bfm : fm;
            const QString name = nfm.elidedText(a.name, Qt::ElideMiddle, std::max(40.0, spacing - 8));
            painter->setFont(nameFont);
            painter->setPen(QColor(30, 30, 30));
            const double w = nfm.horizontalAdvance(name);
            painter->drawText(QPointF(x - w / 2, rect.top() - nfm.descent() - 8), name);
        }
    }

private:
    void drawTicks(QCPPainter* painter, const ParallelCoordinatesPlot::Axis& a, double x,
                   const QFontMetricsF& fm) const {
        painter->setFont(mParentPlot->font());
        // Every k-th label when they would overlap (many categories on a short axis).
        int step = 1;
        if (a.tickUnit.size() >= 2) {
            const double gap = std::fabs(m_owner->unitY(a.tickUnit[0]) - m_owner->unitY(a.tickUnit[1]));
            if (gap > 0) step = std::max(1, static_cast<int>(std::ceil(fm.height() / gap)));
        }
        for (qsizetype j = 0; j < a.ticks.size(); ++j) {
            const double y = m_owner->unitY(a.tickUnit[j]);
            painter->setPen(QPen(QColor(70, 70, 70), 1));
            painter->drawLine(QLineF(x - 4, y, x, y));
            if (j % step != 0) continue;
            const QString& text = a.ticks[j].second;
            const double w = fm.horizontalAdvance(text);
            const QRectF box(x - 7 - w, y - fm.height() / 2, w, fm.height());
            painter->fillRect(box.adjusted(-2, 0, 1, 0), QColor(255, 255, 255, 200));
            painter->setPen(QColor(40, 40, 40));
            painter->drawText(box, Qt::AlignRight | Qt::AlignVCenter, text);
        }
    }

    const ParallelCoordinatesPlot* m_owner;
};

}  // namespace

ParallelCoordinatesPlot::ParallelCoordinatesPlot(QWidget* parent) : PlotFrame(parent) {
    QCustomPlot* plot = customPlot();
    plot->setInteractions({});  // drags brush axes; nothing pans or zooms
    plot->legend->setVisible(false);
    for (QCPAxis* axis : plot->axisRect()->axes()) {
        axis->setVisible(false);
        axis->grid()->setVisible(false);
    }
    plot->axisRect()->setAutoMargins(QCP::msNone);
    plot->addLayer(QStringLiteral("pcAxes"), plot->layer(QStringLiteral("main")), QCustomPlot::limAbove);
    new LinesLayerable(plot, this);  // owned by the plot
    new AxesLayerable(plot, this);

    m_colorScale = new QCPColorScale(plot);
    plot->plotLayout()->addElement(0, 1, m_colorScale);
    m_colorScale->setType(QCPAxis::atRight);
    m_colorScale->setBarWidth(10);
    m_colorScale->setAutoMargins(QCP::msLeft | QCP::msRight);
    m_colorScale->setVisible(false);
    plot->plotLayout()->setColumnStretchFactor(1, 0.01);
    updateMargins();

    connect(plot, &QCustomPlot::mousePress, this, &ParallelCoordinatesPlot::onPress);
    connect(plot, &QCustomPlot::mouseMove, this, &ParallelCoordinatesPlot::onMove);
    connect(plot, &QCustomPlot::mouseRelease, this, &ParallelCoordinatesPlot::onRelease);
}

void ParallelCoordinatesPlot::setData(const QVector<PcAxis>& axes, const QVector<double>& objective,
                                      const QString& objectiveName, bool maximize,
                                      const QVector<int>& trialNumbers) {
    const qsizetype n = objective.size();
    bool ok = trialNumbers.isEmpty() || trialNumbers.size() == n;
    for (const PcAxis& a : axes) ok = ok && a.values.size() == n;
    m_axes.clear();
    m_objective = ok ? objective : QVector<double>();
    m_trialNumbers.clear();
    m_objectiveName = objectiveName;
    m_maximize = maximize;
    m_dragAxis = -1;
    if (ok && n > 0) {
        for (qsizetype k = 0; k < n; ++k)
            m_trialNumbers.push_back(trialNumbers.isEmpty() ? static_cast<int>(k) : trialNumbers[k]);
        for (const PcAxis& a : axes) m_axes.push_back(Axis{a.name, a.log, a.categories, a.values, {}, 0, 1, {}, {}, {}});
        m_axes.push_back(Axis{objectiveName, false, {}, objective, {}, 0, 1, {}, {}, {}});
    }
    for (Axis& a : m_axes) {
        if (!a.categories.isEmpty()) {
            a.lo = 0;
            a.hi = static_cast<double>(a.categories.size() - 1);
            for (qsizetype c = 0; c < a.categories.size(); ++c)
                a.ticks.push_back({static_cast<double>(c), a.categories[c]});
        } else {
            double lo = std::numeric_limits<double>::infinity(), hi = -lo;
            for (double v : a.values)
                if (std::isfinite(v) && (!a.log || v > 0)) {
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                }
            if (!(lo <= hi)) lo = hi = a.log ? 1.0 : 0.0;
            if (lo == hi) {
                a.ticks = {{lo, QString::number(lo, 'g', 4)}};
                lo = a.log ? lo / 10 : lo - std::max(0.5, std::fabs(lo) * 0.1);
                hi = a.log ? hi * 10 : hi + std::max(0.5, std::fabs(hi) * 0.1);
            } else {
                a.ticks = numericTicks(lo, hi, a.log);
            }
            a.lo = a.log ? std::log10(lo) : lo;
            a.hi = a.log ? std::log10(hi) : hi;
        }
        for (const auto& tick : a.ticks) a.tickUnit.push_back(toUnit(a, tick.first));
        a.unit.resize(a.values.size());
        for (qsizetype k = 0; k < a.values.size(); ++k) {
            const double v = a.values[k];
            const bool valid = a.categories.isEmpty()
                                   ? std::isfinite(v) && (!a.log || v > 0)
                                   : std::isfinite(v) && v == std::round(v) && v >= 0 && v < a.categories.size();
            a.unit[k] = valid ? toUnit(a, v) : kNaN;
        }
    }

    // Colours by objective, and the drawing order: failed trials first, then worst to best.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double v : m_objective)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    if (!(lo <= hi)) lo = hi = 0;
    if (lo == hi) hi = lo + 1;
    QCPColorGradient gradient = objectiveGradient(maximize);  // color() is not const
    m_colorScale->setGradient(gradient);
    m_colorScale->setDataRange(QCPRange(lo, hi));
    m_colorScale->axis()->setLabel(objectiveName);
    m_colorScale->setVisible(!m_axes.isEmpty());
    m_colors.clear();
    for (double v : m_objective)
        m_colors.push_back(std::isfinite(v) ? QColor::fromRgba(gradient.color(v, QCPRange(lo, hi)))
                                            : kMissingObjective);
    m_drawOrder.clear();
    for (int k = 0; k < static_cast<int>(m_objective.size()); ++k) m_drawOrder.push_back(k);
    auto goodness = [&](int k) {
        const double v = m_objective[k];
        return std::isfinite(v) ? (maximize ? v : -v) : -std::numeric_limits<double>::infinity();
    };
    std::stable_sort(m_drawOrder.begin(), m_drawOrder.end(), [&](int a, int b) { return goodness(a) < goodness(b); });

    m_selected = QVector<char>(m_objective.size(), 1);
    m_lastEmitted = m_trialNumbers;
    updateMargins();
    requestReplot();
}

QString ParallelCoordinatesPlot::axisName(int axis) const {
    return axis >= 0 && axis < axisCount() ? m_axes[axis].name : QString();
}

double ParallelCoordinatesPlot::toUnit(const Axis& a, double v) const {
    if (!a.categories.isEmpty()) return (v + 0.5) / static_cast<double>(a.categories.size());
    const double x = a.log ? std::log10(v) : v;
    return (x - a.lo) / (a.hi - a.lo);
}

double ParallelCoordinatesPlot::fromUnit(const Axis& a, double t) const {
    if (!a.categories.isEmpty()) return t * static_cast<double>(a.categories.size()) - 0.5;
    const double x = a.lo + t * (a.hi - a.lo);
    return a.log ? std::pow(10.0, x) : x;
}

void ParallelCoordinatesPlot::setBrush(int axis, double lo, double hi) {
    if (axis < 0 || axis >= axisCount()) return;
    Axis& a = m_axes[axis];
    if (a.log && (lo <= 0 || hi <= 0)) return;
    double t0 = toUnit(a, lo), t1 = toUnit(a, hi);
    if (t0 > t1) std::swap(t0, t1);
    a.brush = std::make_pair(t0, t1);
    updateSelection();
    requestReplot();
}

void ParallelCoordinatesPlot::clearBrush(int axis) {
    if (axis < 0 || axis >= axisCount() || !m_axes[axis].brush) return;
    m_axes[axis].brush.reset();
    updateSelection();
    requestReplot();
}

void ParallelCoordinatesPlot::clearBrushes() {
    for (Axis& a : m_axes) a.brush.reset();
    updateSelection();
    requestReplot();
}

std::optional<std::pair<double, double>> ParallelCoordinatesPlot::brush(int axis) const {
    if (axis < 0 || axis >= axisCount() || !m_axes[axis].brush) return std::nullopt;
    const Axis& a = m_axes[axis];
    return std::make_pair(fromUnit(a, a.brush->first), fromUnit(a, a.brush->second));
}

bool ParallelCoordinatesPlot::anyBrush() const {
    return std::any_of(m_axes.begin(), m_axes.end(), [](const Axis& a) { return a.brush.has_value(); });
}

QVector<int> ParallelCoordinatesPlot::selectedTrials() const {
    QVector<int> out;
    for (qsizetype k = 0; k < m_selected.size(); ++k)
        if (m_selected[k]) out.push_back(m_trialNumbers[k]);
    return out;
}

void ParallelCoordinatesPlot::updateSelection() {
    for (qsizetype k = 0; k < m_selected.size(); ++k) {
        bool in = true;
        for (const Axis& a : m_axes) {
            if (!a.brush) continue;
            const double t = a.unit[k];
            // NaN compares false: a missing value is outside every brush.
            if (!(t >= a.brush->first && t <= a.brush->second)) {
                in = false;
                break;
            }
        }
        m_selected[k] = in ? 1 : 0;
    }
    QVector<int> now = selectedTrials();
    if (now == m_lastEmitted) return;
    m_lastEmitted = now;
    emit selectionChanged(now);
}

QColor ParallelCoordinatesPlot::trialColor(int index) const {
    return index >= 0 && index < m_colors.size() ? m_colors[index] : QColor();
}

double ParallelCoordinatesPlot::axisX(int axis) const {
    const QRect r = customPlot()->axisRect()->rect();
    const int n = axisCount();
    if (n <= 1) return r.center().x();
    return r.left() + axis * (r.width() - 1) / (n - 1.0);
}

double ParallelCoordinatesPlot::unitY(double t) const {
    const QRect r = customPlot()->axisRect()->rect();
    return r.bottom() - t * (r.height() - 1);
}

QPointF ParallelCoordinatesPlot::axisPoint(int axis, double value) const {
    if (axis < 0 || axis >= axisCount()) return {kNaN, kNaN};
    const Axis& a = m_axes[axis];
    const bool valid = std::isfinite(value) && (!a.log || value > 0);
    return {axisX(axis), valid ? unitY(toUnit(a, value)) : kNaN};
}

QVector<std::pair<double, QString>> ParallelCoordinatesPlot::axisTicks(int axis) const {
    return axis >= 0 && axis < axisCount() ? m_axes[axis].ticks : QVector<std::pair<double, QString>>();
}

void ParallelCoordinatesPlot::updateMargins() {
    // Room on the left for the first axis's tick labels, on top for the names.
    const QFontMetricsF fm(customPlot()->font());
    double left = 30;
    if (!m_axes.isEmpty())
        for (const auto& tick : m_axes.first().ticks) left = std::max(left, fm.horizontalAdvance(tick.second) + 16);
    if (!m_axes.isEmpty()) left = std::max(left, fm.horizontalAdvance(m_axes.first().name) / 2 + 6);
    const int top = static_cast<int>(std::ceil(fm.height())) + 18, bottom = 14;
    customPlot()->axisRect()->setMargins(QMargins(static_cast<int>(std::ceil(left)), top, 30, bottom));
    m_colorScale->setMargins(QMargins(0, top, 0, bottom));
}

void ParallelCoordinatesPlot::fitView() {}  // the axes span their data; nothing to fit

void ParallelCoordinatesPlot::extendMenu(QMenu& menu) {
    QAction* clear = menu.addAction(tr("Clear brushes"), this, &ParallelCoordinatesPlot::clearBrushes);
    clear->setEnabled(anyBrush());
}

int ParallelCoordinatesPlot::axisAt(QPointF pos) const {
    const QRect r = customPlot()->axisRect()->rect();
    if (pos.y() < r.top() - kGrabPx || pos.y() > r.bottom() + kGrabPx) return -1;
    int best = -1;
    double bestDist = kGrabPx;
    for (int i = 0; i < axisCount(); ++i) {
        const double d = std::fabs(pos.x() - axisX(i));
        if (d <= bestDist) {
            bestDist = d;
            best = i;
        }
    }
    return best;
}

void ParallelCoordinatesPlot::onPress(QMouseEvent* e) {
    m_dragAxis = e->button() == Qt::LeftButton ? axisAt(e->position()) : -1;
    m_pressY = e->position().y();
    m_dragging = false;
}

void ParallelCoordinatesPlot::onMove(QMouseEvent* e) {
    if (m_dragAxis < 0 || !(e->buttons() & Qt::LeftButton)) return;
    const double y = e->position().y();
    if (!m_dragging && std::fabs(y - m_pressY) < kDragPx) return;
    m_dragging = true;
    const QRect r = customPlot()->axisRect()->rect();
    auto unitAt = [&](double py) { return std::clamp((r.bottom() - py) / (r.height() - 1), 0.0, 1.0); };
    const double t0 = unitAt(m_pressY), t1 = unitAt(y);
    m_axes[m_dragAxis].brush = std::make_pair(std::min(t0, t1), std::max(t0, t1));
    updateSelection();
    customPlot()->replot(QCustomPlot::rpQueuedReplot);  // at most one per event-loop pass
}

void ParallelCoordinatesPlot::onRelease(QMouseEvent* e) {
    if (e->button() == Qt::LeftButton && m_dragAxis >= 0 && !m_dragging) clearBrush(m_dragAxis);
    m_dragAxis = -1;
    m_dragging = false;
}

QString ParallelCoordinatesPlot::tooltipAt(QPointF pos) const {
    const int n = axisCount();
    if (n < 2) return {};
    int best = -1;
    double bestDist = kHoverPx;
    // Selected lines first: they are drawn on top, and the faint ones are what the user dismissed.
    for (int pass = 0; pass < 2 && best < 0; ++pass) {
        for (int k : m_drawOrder) {
            if ((m_selected[k] != 0) != (pass == 0)) continue;
            for (int i = 0; i + 1 < n; ++i) {
                const double t0 = m_axes[i].unit[k], t1 = m_axes[i + 1].unit[k];
                if (!std::isfinite(t0) || !std::isfinite(t1)) continue;
                const double d = segmentDistance(pos, {axisX(i), unitY(t0)}, {axisX(i + 1), unitY(t1)});
                if (d <= bestDist) {
                    bestDist = d;
                    best = k;
                }
            }
        }
    }
    if (best < 0) return {};
    QString text = tr("trial %1").arg(m_trialNumbers[best]);
    for (const Axis& a : m_axes) {
        const double v = a.values[best];
        const QString value = !std::isfinite(a.unit[best]) ? tr("(none)")
                              : a.categories.isEmpty()     ? QString::number(v, 'g', 4)
                                                           : a.categories[static_cast<qsizetype>(v)];
        text += QStringLiteral("\n%1 = %2").arg(a.name, value);
    }
    return text;
}

QString ParallelCoordinatesPlot::csv() const {
    QString out = QStringLiteral("trial");
    for (const Axis& a : m_axes) out += QLatin1Char(',') + csvField(a.name);
    out += QLatin1Char('\n');
    for (qsizetype k = 0; k < m_trialNumbers.size(); ++k) {
        out += QString::number(m_trialNumbers[k]);
        for (const Axis& a : m_axes) {
            const double v = a.values[k];
            out += QLatin1Char(',');
            if (!a.categories.isEmpty() && std::isfinite(a.unit[k]))
                out += csvField(a.categories[static_cast<qsizetype>(v)]);
            else if (std::isfinite(v))
                out += QString::number(v, 'g', 10);
        }
        out += QLatin1Char('\n');
    }
    return out;
}

}  // namespace neurite::plot
