// CurvePlot: appending, smoothing against hand-computed values, coalesced replots, the view that
// follows data until the user zooms, tooltips, CSV and image export.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <qcustomplot.h>

#include <cmath>
#include <limits>

#include "curve_plot.h"

using neurite::plot::CurvePlot;
using neurite::plot::SeriesStyle;

class TestCurvePlot : public QObject {
    Q_OBJECT
private slots:
    void appendKeepsEarlierPoints() {
        CurvePlot p;
        const int id = p.addSeries("loss");
        const std::vector<double> x{1, 2, 3}, y{0.9, 0.5, 0.4};
        p.appendPoints(id, x, y);
        p.appendPoint(id, 4, 0.3);
        QCOMPARE(p.pointCount(id), 4);
        const QCPGraph* g = p.customPlot()->graph(0);
        QCOMPARE(g->data()->at(0)->value, 0.9);
        QCOMPARE(g->data()->at(3)->key, 4.0);
        // Mismatched spans are ignored rather than reading out of bounds.
        const std::vector<double> shortY{1};
        p.appendPoints(id, x, shortY);
        QCOMPARE(p.pointCount(id), 4);
    }

    void smoothingIsDebiasedEma() {
        CurvePlot p;
        const int id = p.addSeries("loss", {}, true);
        const std::vector<double> x{1, 2, 3}, y{1, 0, 0};
        p.appendPoints(id, x, y);
        p.setSmoothing(0.5);
        // ema_t = 0.5 ema_{t-1} + 0.5 y_t, divided by 1 - 0.5^t.
        std::vector<double> s = p.smoothedValues(id);
        QCOMPARE(s.size(), std::size_t{3});
        QVERIFY(std::abs(s[0] - 1.0) < 1e-12);
        QVERIFY(std::abs(s[1] - 0.25 / 0.75) < 1e-12);
        QVERIFY(std::abs(s[2] - 0.125 / 0.875) < 1e-12);
        // Appending continues the same recurrence instead of restarting it.
        p.appendPoint(id, 4, 1);
        s = p.smoothedValues(id);
        QCOMPARE(s.size(), std::size_t{4});
        QVERIFY(std::abs(s[3] - (0.0625 + 0.5) / 0.9375) < 1e-12);
        // A NaN step leaves the smoothed curve finite.
        p.appendPoint(id, 5, std::numeric_limits<double>::quiet_NaN());
        for (double v : p.smoothedValues(id)) QVERIFY(std::isfinite(v));
        p.setSmoothing(0);
        QVERIFY(p.smoothedValues(id).empty());
    }

    void replotsAreCoalesced() {
        CurvePlot p;
        p.resize(400, 300);
        p.show();
        const int id = p.addSeries("loss");
        QTest::qWait(40);
        const int before = p.replotCount();
        for (int i = 0; i < 2000; ++i) p.appendPoint(id, i, 1.0 / (i + 1));
        QTest::qWait(60);
        const int replots = p.replotCount() - before;
        QVERIFY2(replots >= 1 && replots <= 3, qPrintable(QString::number(replots)));
        QCOMPARE(p.pointCount(id), 2000);
    }

    void viewFollowsDataUntilUserZooms() {
        CurvePlot p;
        p.resize(400, 300);
        p.show();
        const int id = p.addSeries("acc");
        p.appendPoint(id, 1, 0.5);
        p.appendPoint(id, 10, 0.9);
        QTest::qWait(40);
        QVERIFY(p.customPlot()->xAxis->range().upper >= 10);
        QWheelEvent wheel(QPointF(200, 150), p.customPlot()->mapToGlobal(QPointF(200, 150)), QPoint(),
                          QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(p.customPlot(), &wheel);
        QVERIFY(p.viewPinned());
        const QCPRange pinned = p.customPlot()->xAxis->range();
        p.appendPoint(id, 100, 0.95);
        QTest::qWait(40);
        QCOMPARE(p.customPlot()->xAxis->range().upper, pinned.upper);
        p.resetView();
        QTest::qWait(40);
        QVERIFY(!p.viewPinned());
        QVERIFY(p.customPlot()->xAxis->range().upper >= 100);
    }

    void tooltipNamesNearestPoint() {
        CurvePlot p;
        p.resize(400, 300);
        p.show();
        p.setAxisLabels("step", "loss");
        const int id = p.addSeries("train loss");
        const std::vector<double> x{0, 1, 2}, y{3, 2, 1};
        p.appendPoints(id, x, y);
        p.resetView();
        p.customPlot()->replot();
        const QPointF at(p.customPlot()->xAxis->coordToPixel(1), p.customPlot()->yAxis->coordToPixel(2));
        const QString tip = p.tooltipAt(at);
        QVERIFY2(tip.contains("train loss") && tip.contains("step = 1") && tip.contains("loss = 2"),
                 qPrintable(tip));
        QVERIFY(p.tooltipAt(QPointF(-500, -500)).isEmpty());
        p.setSeriesVisible(id, false);
        QVERIFY(p.tooltipAt(at).isEmpty());  // hidden series give no tooltip
    }

    void legendClickTogglesSeries() {
        CurvePlot p;
        const int id = p.addSeries("val loss", {}, true);
        p.setSmoothing(0.6);
        QCustomPlot* plot = p.customPlot();
        auto* item = plot->legend->itemWithPlottable(plot->graph(0));
        QVERIFY(item);
        emit plot->legendClick(plot->legend, item, nullptr);
        QVERIFY(!p.seriesVisible(id));
        QVERIFY(!plot->graph(1)->visible());  // the smoothed partner follows
        emit plot->legendClick(plot->legend, item, nullptr);
        QVERIFY(p.seriesVisible(id));
        QVERIFY(plot->graph(1)->visible());
    }

    void logScaleAndBaseline() {
        CurvePlot p;
        p.setLogScaleAvailable(true);
        const int a = p.addSeries("run 1"), b = p.addSeries("run 2", SeriesStyle{QColor(), true, false});
        p.setLogScale(true);
        QCOMPARE(p.customPlot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        p.setBaseline(b);
        QCOMPARE(p.customPlot()->graph(b)->pen().widthF(), 3.0);
        QCOMPARE(p.customPlot()->graph(a)->pen().widthF(), 1.5);
        QCOMPARE(p.customPlot()->graph(b)->pen().style(), Qt::DashLine);
        QCOMPARE(p.customPlot()->graph(b)->layer()->name(), QString("baseline"));
        p.setBaseline(-1);
        QCOMPARE(p.customPlot()->graph(b)->pen().widthF(), 1.5);
    }

    void csvAndImages() {
        CurvePlot p;
        p.resize(320, 240);
        const int a = p.addSeries("train, smoothed");
        const int b = p.addSeries("val");
        p.appendPoint(a, 1, 0.5);
        p.appendPoint(b, 1, 0.25);
        p.appendPoint(b, 2, 0.125);
        QCOMPARE(p.csv(), QString("series,x,y\n\"train, smoothed\",1,0.5\nval,1,0.25\nval,2,0.125\n"));

        QTemporaryDir dir;
        QString error;
        QVERIFY(p.exportCsv(dir.filePath("c.csv"), &error));
        QFile f(dir.filePath("c.csv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), p.csv());
        QVERIFY(p.exportPng(dir.filePath("c.png"), &error, 320, 240));
        const QImage img(dir.filePath("c.png"));
        QCOMPARE(img.size(), QSize(320, 240));
        QVERIFY(p.exportPdf(dir.filePath("c.pdf"), &error));
        QVERIFY(QFileInfo(dir.filePath("c.pdf")).size() > 500);

        const QString bad = dir.filePath("missing/dir/c.png");
        QVERIFY(!p.exportPng(bad, &error));
        QVERIFY2(error.contains(bad), qPrintable(error));
        QVERIFY(!p.exportCsv(dir.filePath("missing/c.csv"), &error));
        QVERIFY(error.contains("missing/c.csv"));
    }
};

QTEST_MAIN(TestCurvePlot)
#include "test_curve_plot.moc"
