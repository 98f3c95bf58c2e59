#include "plot_frame.h"

#include <QFile>
#include <QFileDialog>
#include <QMenu>
#include <QMessageBox>
#include <QToolTip>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

namespace neurite::plot {

namespace {
constexpr int kFrameMs = 16;  // at most one replot per 60 Hz frame
}

void PlotFrame::addHeaderWidget(QWidget* widget) {
    auto* box = static_cast<QVBoxLayout*>(layout());
    widget->setSizePolicy(widget->sizePolicy().horizontalPolicy(), QSizePolicy::Fixed);
    box->insertWidget(box->indexOf(m_plot), widget);
    box->setStretchFactor(m_plot, 1);  // the plot takes the height the row leaves
}

PlotFrame::PlotFrame(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom | QCP::iSelectLegend);
    m_plot->setNoAntialiasingOnDrag(true);
    // Long curves (10 runs x 20,000 points) are drawn as plain polylines; dashes survive only on
    // short series, which are the per-epoch ones anyway.
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    m_plot->legend->setVisible(true);
    m_plot->legend->setBrush(QColor(255, 255, 255, 200));
    m_plot->setMouseTracking(true);

    m_replotTimer.setSingleShot(true);
    connect(&m_replotTimer, &QTimer::timeout, this, &PlotFrame::doReplot);
    m_sinceReplot.start();

    connect(m_plot, &QWidget::customContextMenuRequested, this, &PlotFrame::showMenu);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        if (e->buttons() != Qt::NoButton) {
            m_viewPinned = true;  // dragging pans the view: stop following new data
            return;
        }
        const QString text = tooltipAt(e->position());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(e->globalPosition().toPoint(), text, m_plot);
    });
    connect(m_plot, &QCustomPlot::mouseWheel, this, [this](QWheelEvent*) { m_viewPinned = true; });
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this](QMouseEvent*) { resetView(); });
    connect(m_plot, &QCustomPlot::legendClick, this,
            [this](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) {
                auto* pli = qobject_cast<QCPPlottableLegendItem*>(item);
                if (!pli) return;
                QCPAbstractPlottable* p = pli->plottable();
                p->setVisible(!p->visible());
                pli->setTextColor(p->visible() ? Qt::black : Qt::gray);  // on the legend's white, in every theme
                plottableToggled(p, p->visible());
                requestReplot();
            });
}

QString PlotFrame::nearestPoint(const QCPAbstractPlottable* p, QPointF pos, double maxDist,
                                double* dist) {
    QVariant details;
    const double d = const_cast<QCPAbstractPlottable*>(p)->selectTest(pos, false, &details);
    if (d < 0 || d > maxDist) return {};
    const QCPDataSelection sel = details.value<QCPDataSelection>();
    if (sel.isEmpty()) return {};
    const int i = sel.dataRange().begin();
    double x = 0, y = 0;
    if (auto* g = qobject_cast<const QCPGraph*>(p)) {
        auto it = g->data()->at(i);
        x = it->key;
        y = it->value;
    } else if (auto* c = qobject_cast<const QCPCurve*>(p)) {
        auto it = c->data()->at(i);
        x = it->key;
        y = it->value;
    } else {
        return {};
    }
    *dist = d;
    return QStringLiteral("%1\n%2 = %3\n%4 = %5")
        .arg(p->name(), p->keyAxis()->label().isEmpty() ? QStringLiteral("x") : p->keyAxis()->label(),
             QString::number(x, 'g', 6),
             p->valueAxis()->label().isEmpty() ? QStringLiteral("y") : p->valueAxis()->label(),
             QString::number(y, 'g', 6));
}

QString PlotFrame::tooltipAt(QPointF pos) const {
    QString best;
    double bestDist = std::numeric_limits<double>::max();
    for (int i = 0; i < m_plot->plottableCount(); ++i) {
        const QCPAbstractPlottable* p = m_plot->plottable(i);
        if (!p->visible() || p->name().isEmpty()) continue;
        double d = 0;
        const QString text = nearestPoint(p, pos, 12.0, &d);
        if (!text.isEmpty() && d < bestDist) {
            bestDist = d;
            best = text;
        }
    }
    return best;
}

bool PlotFrame::exportPng(const QString& path, QString* error, int width, int height) {
    doReplot();
    if (m_plot->savePng(path, width, height)) return true;
    if (error) *error = tr("could not write %1 (check the folder exists and is writable)").arg(path);
    return false;
}

bool PlotFrame::exportPdf(const QString& path, QString* error) {
    doReplot();
    if (m_plot->savePdf(path)) return true;
    if (error) *error = tr("could not write %1 (check the folder exists and is writable)").arg(path);
    return false;
}

bool PlotFrame::exportCsv(const QString& path, QString* error) const {
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) {
        if (error) *error = tr("could not write %1: %2").arg(path, f.errorString());
        return false;
    }
    const QByteArray bytes = csv().toUtf8();
    if (f.write(bytes) != bytes.size() || !f.flush()) {
        if (error) *error = tr("could not write %1: %2").arg(path, f.errorString());
        return false;
    }
    return true;
}

void PlotFrame::setLogScale(bool on) {
    m_logScale = on;
    QCPAxis* y = m_plot->yAxis;
    if (on) {
        y->setScaleType(QCPAxis::stLogarithmic);
        y->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    } else {
        y->setScaleType(QCPAxis::stLinear);
        y->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
    fitView();
    requestReplot();
}

void PlotFrame::resetView() {
    m_viewPinned = false;
    fitView();
    requestReplot();
}

void PlotFrame::fitView() { m_plot->rescaleAxes(true); }

void PlotFrame::extendMenu(QMenu&) {}

void PlotFrame::plottableToggled(QCPAbstractPlottable*, bool) {}

void PlotFrame::requestReplot() {
    if (m_replotTimer.isActive()) return;
    const qint64 since = m_sinceReplot.elapsed();
    m_replotTimer.start(since >= kFrameMs ? 0 : static_cast<int>(kFrameMs - since));
}

void PlotFrame::doReplot() {
    m_replotTimer.stop();
    if (!m_viewPinned) fitView();
    m_plot->legend->setVisible(m_plot->legend->itemCount() > 0);  // no empty legend frame
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    m_sinceReplot.restart();
    ++m_replots;
}

void PlotFrame::showMenu(const QPoint& pos) {
    QMenu menu(this);
    menu.addAction(tr("Reset view"), this, &PlotFrame::resetView);
    if (m_logAllowed) {
        QAction* log = menu.addAction(tr("Log scale"));
        log->setCheckable(true);
        log->setChecked(m_logScale);
        connect(log, &QAction::toggled, this, &PlotFrame::setLogScale);
    }
    extendMenu(menu);
    menu.addSeparator();
    menu.addAction(tr("Export PNG..."), this, [this] { exportWithDialog(QStringLiteral("png")); });
    menu.addAction(tr("Export PDF..."), this, [this] { exportWithDialog(QStringLiteral("pdf")); });
    menu.addAction(tr("Export CSV..."), this, [this] { exportWithDialog(QStringLiteral("csv")); });
    menu.exec(m_plot->mapToGlobal(pos));
}

void PlotFrame::exportWithDialog(const QString& kind) {
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export plot"), QString(), tr("%1 files (*.%2)").arg(kind.toUpper(), kind));
    if (path.isEmpty()) return;
    QString error;
    const bool ok = kind == QLatin1String("png")   ? exportPng(path, &error)
                    : kind == QLatin1String("pdf") ? exportPdf(path, &error)
                                                   : exportCsv(path, &error);
    if (ok)
        emit exported(path);
    else
        QMessageBox::warning(this, tr("Export failed"), error);
}

}  // namespace neurite::plot
