// PlotFrame: the behaviour every Neurite plot shares, around one QCustomPlot: zoom (wheel) and
// pan (drag), a hover tooltip with the nearest value, legend clicks that toggle a series,
// optional log scale, export as PNG, PDF and CSV (context menu), and replots coalesced to at most
// one per frame however often data arrives.
#pragma once

#include <QElapsedTimer>
#include <QString>
#include <QTimer>
#include <QWidget>

class QCustomPlot;
class QCPAbstractPlottable;
class QMenu;

namespace neurite::plot {

class PlotFrame : public QWidget {
    Q_OBJECT
public:
    explicit PlotFrame(QWidget* parent = nullptr);

    QCustomPlot* customPlot() const { return m_plot; }
    // A row of controls above the plot (the frame takes ownership).
    void addHeaderWidget(QWidget* widget);

    // The plot's data as CSV text (header line first).
    virtual QString csv() const = 0;
    // Text for a hover at widget position `pos`, empty when nothing is near.
    virtual QString tooltipAt(QPointF pos) const;

    // Writers; on failure they return false and set *error to a message naming the file.
    bool exportPng(const QString& path, QString* error, int width = 0, int height = 0);
    bool exportPdf(const QString& path, QString* error);
    bool exportCsv(const QString& path, QString* error) const;

    // Log scale on the value axis (only plots that allow it show the menu entry).
    void setLogScale(bool on);
    bool logScale() const { return m_logScale; }

    // Fits the axes to the data and resumes following new data.
    void resetView();
    // True after the user zoomed or panned; new data then leaves the view alone.
    bool viewPinned() const { return m_viewPinned; }

    // Schedules one replot; many calls within a frame cost one replot.
    void requestReplot();
    int replotCount() const { return m_replots; }

signals:
    void exported(const QString& path);

protected:
    // Fits the axes to the data (called by resetView and after data while the view follows).
    virtual void fitView();
    // Entries a subclass adds to the context menu (before the export entries).
    virtual void extendMenu(QMenu& menu);
    // A legend click toggled `p`; subclasses keep related plottables in step.
    virtual void plottableToggled(QCPAbstractPlottable* p, bool visible);
    void setLogScaleAllowed(bool allowed) { m_logAllowed = allowed; }
    // Text of one plottable's nearest point to pixel `pos` within `maxDist` pixels.
    static QString nearestPoint(const QCPAbstractPlottable* p, QPointF pos, double maxDist, double* dist);

private:
    void showMenu(const QPoint& pos);
    void exportWithDialog(const QString& kind);
    void doReplot();

    QCustomPlot* m_plot;
    QTimer m_replotTimer;
    QElapsedTimer m_sinceReplot;
    bool m_logAllowed = false, m_logScale = false, m_viewPinned = false;
    int m_replots = 0;
};

}  // namespace neurite::plot
