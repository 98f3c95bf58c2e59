// The Experiments tab's plots: parallel coordinates (axis mapping of log and categorical axes,
// brushing by real mouse drags at the widget's own pixel positions, the selection signal, the
// tooltip, repaint latency of a brush drag over 200 trials x 8 axes), parameter importance
// (sorted bars, empty states), the Pareto plot (front, markers, click signal) and the mean/std
// band plot (mean and std where curves have gaps or end early). With NEURITE_SCREENSHOT_DIR set,
// screenshots() writes each plot with a realistic sweep as PNG there.
#include <QtTest>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "band_plot.h"
#include "importance_plot.h"
#include "parallel_coordinates_plot.h"
#include "pareto_plot.h"

using namespace neurite::plot;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A realistic sweep: lr (log), batch size (categorical), units (integer), dropout (uniform),
// objective val_accuracy peaking near lr = 3e-3, dropout = 0.2.
struct Sweep {
    QVector<PcAxis> axes;
    QVector<double> accuracy, params;
    QVector<int> numbers;
};

Sweep makeSweep(int trials, unsigned seed = 7) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> u(0, 1);
    Sweep s;
    s.axes = {{"lr", true, {}, {}}, {"batch_size", false, {"16", "32", "64"}, {}},
              {"units", false, {}, {}}, {"dropout", false, {}, {}}};
    for (int k = 0; k < trials; ++k) {
        const double lr = std::pow(10.0, -4 + 3 * u(rng));
        const int batch = static_cast<int>(u(rng) * 3);
        const int units = 32 + static_cast<int>(u(rng) * 225);
        const double dropout = 0.5 * u(rng);
        const double l = std::log10(lr) + 2.5;
        const double acc = 0.93 - 0.06 * l * l - 0.15 * (dropout - 0.2) * (dropout - 0.2) +
                           0.01 * (units / 256.0) - 0.004 * batch + 0.01 * (u(rng) - 0.5);
        s.axes[0].values.push_back(lr);
        s.axes[1].values.push_back(batch);
        s.axes[2].values.push_back(units);
        s.axes[3].values.push_back(dropout);
        s.accuracy.push_back(acc);
        s.params.push_back(784.0 * units + units * 10.0 + units + 10);
        s.numbers.push_back(k);
    }
    return s;
}

// Four hand-made trials: lr 1e-4..1e-1 (log), batch 16/32/64/32, units 32..256, accuracy.
void setSmall(ParallelCoordinatesPlot& p) {
    p.setData({{"lr", true, {}, {1e-4, 1e-3, 1e-2, 1e-1}},
               {"batch_size", false, {"16", "32", "64"}, {0, 1, 2, 1}},
               {"units", false, {}, {32, 64, 128, 256}}},
              {0.5, 0.7, 0.9, 0.6}, "val_accuracy", true, {10, 11, 12, 13});
}

void drag(QWidget* w, QPointF from, QPointF to) {
    QTest::mousePress(w, Qt::LeftButton, {}, from.toPoint());
    QTest::mouseMove(w, ((from + to) / 2).toPoint());
    QTest::mouseMove(w, to.toPoint());
    QTest::mouseRelease(w, Qt::LeftButton, {}, to.toPoint());
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

}  // namespace

class TestExperimentPlots : public QObject {
    Q_OBJECT
private slots:
    void parallelAxesMapLogAndCategories() {
        ParallelCoordinatesPlot p;
        p.resize(800, 400);
        p.show();
        setSmall(p);
        p.customPlot()->replot();
        QCOMPARE(p.axisCount(), 4);  // three parameters and the objective
        QCOMPARE(p.axisName(3), QString("val_accuracy"));
        const QRect r = p.customPlot()->axisRect()->rect();
        // log: 1e-4 at the bottom, 1e-1 at the top, 1e-2 two thirds of the way up
        QCOMPARE(p.axisPoint(0, 1e-4).y(), double(r.bottom()));
        QCOMPARE(p.axisPoint(0, 1e-1).y(), double(r.top()));
        QVERIFY(std::fabs(p.axisPoint(0, 1e-2).y() - (r.bottom() - 2.0 / 3 * (r.height() - 1))) < 0.5);
        QVERIFY(std::isnan(p.axisPoint(0, 0).y()));  // not on a log axis
        // categories: three equal slots, 32 in the middle
        QVERIFY(std::fabs(p.axisPoint(1, 1).y() - (r.bottom() - 0.5 * (r.height() - 1))) < 0.5);
        QVERIFY(std::fabs(p.axisPoint(1, 0).y() - (r.bottom() - (r.height() - 1) / 6.0)) < 0.5);
        // the axes spread from the left edge of the plot area to its right edge
        QCOMPARE(p.axisPoint(0, 1e-3).x(), double(r.left()));
        QVERIFY(std::fabs(p.axisPoint(3, 0.5).x() - r.right()) <= 1);

        QStringList batch, lr;
        for (const auto& t : p.axisTicks(1)) batch << t.second;
        QCOMPARE(batch, QStringList({"16", "32", "64"}));
        for (const auto& t : p.axisTicks(0)) lr << t.second;
        QCOMPARE(lr, QStringList({"0.0001", "0.001", "0.01", "0.1"}));  // decades
        QVERIFY(p.axisTicks(2).size() >= 3);
        QCOMPARE(p.csv(), QString("trial,lr,batch_size,units,val_accuracy\n10,0.0001,16,32,0.5\n"
                                  "11,0.001,32,64,0.7\n12,0.01,64,128,0.9\n13,0.1,32,256,0.6\n"));

        // maximize: the best trial in the strong (dark) colour; minimize turns it round
        QVERIFY(p.trialColor(2).lightness() < p.trialColor(0).lightness());
        p.setData({{"x", false, {}, {1, 2}}}, {0.1, 0.9}, "loss", false, {});
        QVERIFY(p.trialColor(0).lightness() < p.trialColor(1).lightness());
        QCOMPARE(p.selectedTrials(), QVector<int>({0, 1}));  // numbered 0, 1 when not given

        // lengths that disagree clear the plot instead of reading past the end
        p.setData({{"x", false, {}, {1, 2, 3}}}, {0.1, 0.9}, "loss", false, {});
        QCOMPARE(p.axisCount(), 0);
        QCOMPARE(p.trialCount(), 0);
    }

    void parallelBrushByMouse() {
        ParallelCoordinatesPlot p;
        p.resize(800, 400);
        p.show();
        setSmall(p);
        p.customPlot()->replot();
        QSignalSpy spy(&p, &ParallelCoordinatesPlot::selectionChanged);
        QWidget* w = p.customPlot();

        // units 50..150 holds trials 11 (64) and 12 (128)
        drag(w, p.axisPoint(2, 150), p.axisPoint(2, 50));
        QVERIFY(!spy.isEmpty());
        QCOMPARE(spy.last().at(0).value<QVector<int>>(), QVector<int>({11, 12}));
        QCOMPARE(p.selectedTrials(), QVector<int>({11, 12}));
        const auto b = p.brush(2);
        QVERIFY(b && std::fabs(b->first - 50) < 2 && std::fabs(b->second - 150) < 2);

        // a second axis intersects: lr 5e-3..5e-1 holds 12 and 13, together only 12
        drag(w, p.axisPoint(0, 5e-3), p.axisPoint(0, 5e-1));
        QCOMPARE(spy.last().at(0).value<QVector<int>>(), QVector<int>({12}));
        const auto lb = p.brush(0);
        QVERIFY(lb && std::fabs(std::log10(lb->first) - std::log10(5e-3)) < 0.02);

        // a click on the units axis without dragging clears its brush only
        const int before = static_cast<int>(spy.size());
        QTest::mouseClick(w, Qt::LeftButton, {}, p.axisPoint(2, 100).toPoint());
        QVERIFY(!p.brush(2));
        QVERIFY(p.brush(0));
        QCOMPARE(spy.size(), before + 1);
        QCOMPARE(spy.last().at(0).value<QVector<int>>(), QVector<int>({12, 13}));

        // a categorical brush around 32 holds trials 11 and 13; with lr's, 13
        drag(w, p.axisPoint(1, 0.7), p.axisPoint(1, 1.3));
        QCOMPARE(p.selectedTrials(), QVector<int>({13}));
        p.clearBrush(0);
        QCOMPARE(p.selectedTrials(), QVector<int>({11, 13}));

        // the objective axis brushes too; a press away from every axis does nothing
        p.clearBrushes();
        QCOMPARE(p.selectedTrials(), QVector<int>({10, 11, 12, 13}));
        drag(w, p.axisPoint(3, 0.65), p.axisPoint(3, 0.95));
        QCOMPARE(p.selectedTrials(), QVector<int>({11, 12}));
        const QPointF between = (p.axisPoint(0, 1e-3) + p.axisPoint(1, 1)) / 2;
        drag(w, between, between + QPointF(0, 60));
        QCOMPARE(p.selectedTrials(), QVector<int>({11, 12}));
        QVERIFY(!p.brush(0) && !p.brush(1));
    }

    void parallelMissingValuesAndTooltip() {
        ParallelCoordinatesPlot p;
        p.resize(800, 400);
        p.show();
        p.setData({{"a", false, {}, {1, kNaN, 3}}, {"b", false, {"x", "y"}, {0, 1, 5}}}, {1, 2, kNaN}, "obj", true,
                  {1, 2, 3});
        p.customPlot()->replot();
        p.setBrush(0, 0, 10);  // trial 2 lacks a: outside
        QCOMPARE(p.selectedTrials(), QVector<int>({1, 3}));
        p.setBrush(1, -0.5, 1.5);  // trial 3's b is no category
        QCOMPARE(p.selectedTrials(), QVector<int>({1}));
        p.clearBrushes();

        // halfway along trial 1's first segment (a = 1 -> b = x)
        const QPointF mid = (p.axisPoint(0, 1) + p.axisPoint(1, 0)) / 2;
        const QString tip = p.tooltipAt(mid);
        QVERIFY2(tip.startsWith("trial 1\n") && tip.contains("a = 1") && tip.contains("b = x") &&
                     tip.contains("obj = 1"),
                 qPrintable(tip));
        QVERIFY(p.tooltipAt(mid + QPointF(0, 40)).isEmpty() || !p.tooltipAt(mid + QPointF(0, 40)).startsWith("trial 1\n"));
        QVERIFY(p.tooltipAt(QPointF(-50, -50)).isEmpty());
    }

    void parallelBrushRepaintLatency() {
        // 200 trials x 8 axes (7 parameters and the objective), a brush dragged up and down.
        Sweep s = makeSweep(200);
        std::mt19937 rng(3);
        std::uniform_real_distribution<double> u(0, 1);
        for (const char* name : {"weight_decay", "warmup", "layers"}) {
            PcAxis a{name, false, {}, {}};
            for (int k = 0; k < 200; ++k) a.values.push_back(u(rng));
            s.axes.push_back(a);
        }
        ParallelCoordinatesPlot p;
        p.resize(1200, 600);
        p.show();
        QVERIFY(QTest::qWaitForWindowExposed(&p));
        p.setData(s.axes, s.accuracy, "val_accuracy", true, s.numbers);
        QCOMPARE(p.axisCount(), 8);
        QCustomPlot* plot = p.customPlot();
        plot->replot();
        int replots = 0;
        connect(plot, &QCustomPlot::afterReplot, this, [&] { ++replots; });
        QSignalSpy spy(&p, &ParallelCoordinatesPlot::selectionChanged);

        const QPointF top = p.axisPoint(3, 0.45), bottom = p.axisPoint(3, 0.05);
        QTest::mousePress(plot, Qt::LeftButton, {}, top.toPoint());
        std::vector<double> ms;
        QElapsedTimer timer;
        for (int i = 0; i < 200; ++i) {
            const double f = 0.1 + 0.8 * std::fabs(std::sin(i * 0.07));
            const QPointF at = top + f * (bottom - top);
            timer.start();
            QTest::mouseMove(plot, at.toPoint());
            QCoreApplication::processEvents();
            plot->repaint();
            ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        }
        QTest::mouseRelease(plot, Qt::LeftButton, {}, top.toPoint());
        const double p50 = percentile(ms, 0.5), p99 = percentile(ms, 0.99);
        qInfo("brush drag, 200 trials x 8 axes at 1200x600: repaint p50 %.2f ms, p99 %.2f ms", p50, p99);
        QVERIFY2(replots >= 150, qPrintable(QString::number(replots)));  // each move really replotted
        QVERIFY(spy.size() > 10);
        // The 50 ms target is a benchmark figure (docs/performance.md), measured on a quiet
        // machine; a unit test on a shared CI machine only catches a repaint gone pathological
        // (drawing every line per pixel, a relayout per move), not ordinary load.
        QVERIFY2(p99 < 500, qPrintable(QString::number(p99)));
    }

    void importanceSortedWithLabels() {
        ImportancePlot p;
        p.resize(500, 300);
        p.show();
        p.setData({"lr", "batch_size", "units", "dropout"}, {0.1, 0.05, 0.6, 0.25}, "first-order variance share", 24);
        QVERIFY(p.emptyReason().isEmpty());
        QCOMPARE(p.sortedNames(), QStringList({"units", "dropout", "lr", "batch_size"}));
        QCOMPARE(p.sortedValues(), QVector<double>({0.6, 0.25, 0.1, 0.05}));
        QCOMPARE(p.valueLabel(0), QString("0.60"));
        QCOMPARE(p.valueLabel(3), QString("0.05"));
        QCOMPARE(p.subtitle(), QString("first-order variance share, 24 trials"));
        auto* bars = qobject_cast<QCPBars*>(p.customPlot()->plottable(0));
        QVERIFY(bars);
        QCOMPARE(bars->dataCount(), 4);
        QCOMPARE(bars->data()->at(0)->value, 0.6);  // rank 0 is the top bar (the axis is reversed)
        QVERIFY(p.customPlot()->yAxis->rangeReversed());
        QCOMPARE(p.csv(), QString("parameter,importance\nunits,0.6\ndropout,0.25\nlr,0.1\nbatch_size,0.05\n"));
        p.customPlot()->replot();
        const QPointF onTop(p.customPlot()->xAxis->coordToPixel(0.3), p.customPlot()->yAxis->coordToPixel(0));
        QCOMPARE(p.tooltipAt(onTop), QString("units: 0.6"));

        // NaN counts as nothing and sinks to the bottom; a tiny share keeps a digit
        p.setData({"a", "b", "c"}, {kNaN, 0.002, 0.998}, "eta^2", 5);
        QCOMPARE(p.sortedNames(), QStringList({"c", "b", "a"}));
        QCOMPARE(p.valueLabel(1), QString("0.002"));
        QCOMPARE(p.valueLabel(2), QString("0.00"));
    }

    void importanceEmptyStates() {
        ImportancePlot p;
        p.setData({"lr", "units"}, {0.7, 0.3}, "eta^2", 2);
        QVERIFY2(p.emptyReason().contains("at least 3") && p.emptyReason().contains("2 so far"),
                 qPrintable(p.emptyReason()));
        QVERIFY(p.sortedNames().isEmpty());
        QCOMPARE(qobject_cast<QCPBars*>(p.customPlot()->plottable(0))->dataCount(), 0);
        QCOMPARE(p.subtitle(), QString("eta^2, 2 trials"));
        p.setData({"lr", "units"}, {0, 0}, "eta^2", 12);
        QVERIFY2(p.emptyReason().contains("did not vary"), qPrintable(p.emptyReason()));
        p.setData({"lr"}, {0.5, 0.5}, "eta^2", 12);
        QVERIFY(!p.emptyReason().isEmpty());
        p.setData({"lr"}, {1}, "eta^2", 3);
        QVERIFY(p.emptyReason().isEmpty());
        QCOMPARE(p.subtitle(), QString("eta^2, 3 trials"));
    }

    void paretoFrontMarkersAndClick() {
        ParetoPlot p;
        p.resize(600, 400);
        p.show();
        // Trial 5 would dominate everything but was pruned; 6 is infeasible; 3 and 7 are dominated.
        p.setData({{1, 100, 0.80, TrialMark::Completed},
                   {2, 200, 0.85, TrialMark::Completed},
                   {3, 150, 0.78, TrialMark::Completed},
                   {4, 400, 0.90, TrialMark::Completed},
                   {5, 50, 0.95, TrialMark::Pruned},
                   {6, 300, 0.92, TrialMark::Infeasible},
                   {7, 500, 0.89, TrialMark::Completed}},
                  "parameters", true, false, "val_accuracy", true);
        QCOMPARE(p.frontTrials(), QVector<int>({1, 2, 4}));
        QCustomPlot* plot = p.customPlot();
        QCPGraph* front = plot->graph(0);
        QCOMPARE(front->name(), QString("Pareto front"));
        QCOMPARE(front->dataCount(), 3);
        QCOMPARE(front->data()->at(1)->key, 200.0);
        QCOMPARE(front->data()->at(1)->value, 0.85);
        QCOMPARE(front->lineStyle(), QCPGraph::lsStepLeft);  // 0.80 holds until 200 buys 0.85
        QCOMPARE(plot->graph(1)->dataCount(), 5);            // completed: filled
        QCOMPARE(plot->graph(1)->scatterStyle().brush().style(), Qt::SolidPattern);
        QCOMPARE(plot->graph(2)->dataCount(), 1);            // pruned: hollow
        QCOMPARE(plot->graph(2)->scatterStyle().brush().style(), Qt::NoBrush);
        QCOMPARE(plot->graph(3)->dataCount(), 1);            // infeasible: hollow
        QCOMPARE(plot->graph(3)->scatterStyle().brush().style(), Qt::NoBrush);
        QVERIFY(p.csv().startsWith("trial,parameters,val_accuracy,status,front\n1,100,0.8,completed,1\n"));
        QVERIFY(p.csv().contains("\n5,50,0.95,pruned,0\n"));

        plot->replot();
        auto pixel = [&](double x, double y) {
            return QPointF(plot->xAxis->coordToPixel(x), plot->yAxis->coordToPixel(y)).toPoint();
        };
        QSignalSpy spy(&p, &ParetoPlot::trialClicked);
        QTest::mouseClick(plot, Qt::LeftButton, {}, pixel(200, 0.85) + QPoint(2, -1));
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.last().at(0).toInt(), 2);
        QTest::mouseClick(plot, Qt::LeftButton, {}, pixel(50, 0.95));
        QCOMPARE(spy.last().at(0).toInt(), 5);  // any trial's point, not only the front's
        QTest::mouseClick(plot, Qt::LeftButton, {}, pixel(350, 0.80));
        QCOMPARE(spy.size(), 2);  // nothing there
        const QString tip = p.tooltipAt(pixel(400, 0.90));
        QVERIFY2(tip.startsWith("trial 4 (completed, on the front)") && tip.contains("parameters = 400"), qPrintable(tip));

        // Larger cost better and a minimized objective: the front and its step turn round.
        p.setData({{1, 1, 0.5, TrialMark::Completed}, {2, 2, 0.3, TrialMark::Completed},
                   {3, 3, 0.4, TrialMark::Completed}, {4, 0, 0.1, TrialMark::Completed}},
                  "seconds", false, true, "loss", false);
        QCOMPARE(p.frontTrials(), QVector<int>({2, 3}));  // 4 has no place on a log axis
        QCOMPARE(plot->graph(0)->lineStyle(), QCPGraph::lsStepRight);
        QCOMPARE(plot->xAxis->scaleType(), QCPAxis::stLogarithmic);
        QCOMPARE(plot->graph(1)->dataCount(), 3);
    }

    void bandMeanAndStdWithGaps() {
        // epoch:      1    2    3    4    5    6
        const QVector<QVector<double>> curves{{1, 2, 3, 4, kNaN, 6}, {3, kNaN, 5}, {2, 4}};
        const BandStats s = BandPlot::computeStats(curves);
        QCOMPARE(s.epoch, QVector<double>({1, 2, 3, 4, 5, 6}));
        QCOMPARE(s.count, QVector<int>({3, 2, 2, 1, 0, 1}));
        QCOMPARE(s.mean[0], 2.0);
        QCOMPARE(s.std[0], 1.0);  // sample std of 1, 3, 2
        QCOMPARE(s.mean[1], 3.0);  // 2 and 4; the NaN of repeat 1 is left out, not taken as 0
        QCOMPARE(s.std[1], std::sqrt(2.0));
        QCOMPARE(s.mean[2], 4.0);  // repeat 2 stopped after epoch 2
        QCOMPARE(s.mean[3], 4.0);
        QCOMPARE(s.std[3], 0.0);
        QVERIFY(std::isnan(s.mean[4]) && std::isnan(s.std[4]));  // nobody: a gap
        QCOMPARE(s.mean[5], 6.0);

        BandPlot p;
        const int a = p.addSeries("lr 1e-3", curves);
        const int b = p.addSeries("lr 1e-2", {{0.5, 0.6}, {0.7, 0.8}});
        QCOMPARE(p.seriesCount(), 2);
        QCustomPlot* plot = p.customPlot();
        QCOMPARE(plot->graphCount(), 6);         // upper, lower (filled to upper), mean per series
        QCOMPARE(plot->legend->itemCount(), 2);  // the means only
        QCPGraph* upper = plot->graph(0);
        QCPGraph* lower = plot->graph(1);
        QCPGraph* mean = plot->graph(2);
        QCOMPARE(lower->channelFillGraph(), upper);
        QCOMPARE(upper->data()->at(1)->value, 3 + std::sqrt(2.0));
        QCOMPARE(lower->data()->at(1)->value, 3 - std::sqrt(2.0));
        QVERIFY(std::isnan(mean->data()->at(4)->value));
        QCOMPARE(p.stats(b).std[0], std::sqrt(0.02));
        QVERIFY(p.csv().startsWith("series,epoch,mean,std,n\nlr 1e-3,1,2,1,3\n"));
        QVERIFY(!p.csv().contains("lr 1e-3,5,"));

        // A legend click hides a series with its band.
        emit plot->legendClick(plot->legend, plot->legend->itemWithPlottable(mean), nullptr);
        QVERIFY(!p.seriesVisible(a));
        QVERIFY(!upper->visible() && !lower->visible());
        p.setSeriesVisible(a, true);
        QVERIFY(upper->visible() && mean->visible());
        p.clear();
        QCOMPARE(plot->graphCount(), 0);
    }

    void screenshots() {
        const QString dir = qEnvironmentVariable("NEURITE_SCREENSHOT_DIR");
        if (dir.isEmpty()) QSKIP("set NEURITE_SCREENSHOT_DIR to write the plots as PNG");
        const Sweep s = makeSweep(40);
        ParallelCoordinatesPlot pc;
        pc.resize(900, 420);
        pc.setData(s.axes, s.accuracy, "val_accuracy", true, s.numbers);
        pc.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pc));
        pc.customPlot()->replot();
        pc.grab().save(dir + "/parallel.png");
        pc.setBrush(0, 1e-3, 1e-2);
        pc.setBrush(3, 0.05, 0.3);
        pc.customPlot()->replot();
        pc.grab().save(dir + "/parallel-brushed.png");

        ImportancePlot imp;
        imp.resize(440, 260);
        imp.setData({"lr", "batch_size", "units", "dropout"}, {0.71, 0.04, 0.06, 0.19},
                    "first-order variance share (eta\u00b2)", 40);
        imp.show();
        QVERIFY(QTest::qWaitForWindowExposed(&imp));
        imp.customPlot()->replot();
        imp.grab().save(dir + "/importance.png");
        imp.setData({"lr", "units"}, {0.5, 0.5}, "first-order variance share (eta\u00b2)", 2);
        imp.customPlot()->replot();
        imp.grab().save(dir + "/importance-empty.png");

        ParetoPlot par;
        par.resize(560, 380);
        QVector<ParetoTrial> trials;
        for (int k = 0; k < s.accuracy.size(); ++k) {
            const TrialMark mark = k % 7 == 3 ? TrialMark::Pruned : k % 13 == 5 ? TrialMark::Infeasible : TrialMark::Completed;
            trials.push_back({k, s.params[k], mark == TrialMark::Pruned ? s.accuracy[k] - 0.05 : s.accuracy[k], mark});
        }
        par.setData(trials, "parameters", true, true, "val_accuracy", true);
        par.show();
        QVERIFY(QTest::qWaitForWindowExposed(&par));
        par.customPlot()->replot();
        par.grab().save(dir + "/pareto.png");

        BandPlot band;
        band.resize(560, 380);
        band.setAxisLabels("epoch", "val_accuracy");
        std::mt19937 rng(5);
        std::normal_distribution<double> noise(0, 0.012);
        for (double lr : {1e-3, 3e-3, 1e-2}) {
            QVector<QVector<double>> curves;
            for (int r = 0; r < 3; ++r) {
                QVector<double> c;
                const int epochs = lr == 1e-2 && r == 2 ? 12 : 20;  // one repeat pruned
                for (int e = 1; e <= epochs; ++e)
                    c.push_back(0.93 - 0.5 * std::exp(-e * lr * 150) - (lr == 1e-2 ? 0.03 : 0) + noise(rng));
                if (r == 1) c[7] = kNaN;  // a missing evaluation
                curves.push_back(c);
            }
            band.addSeries(QString("lr %1").arg(lr), curves);
        }
        band.show();
        QVERIFY(QTest::qWaitForWindowExposed(&band));
        band.customPlot()->replot();
        band.grab().save(dir + "/bands.png");

        // All four as the Experiments tab might lay them out, for docs/.
        QWidget sheet;
        sheet.setStyleSheet("background: white");
        auto* grid = new QGridLayout(&sheet);
        ParallelCoordinatesPlot pc2;
        pc2.setData(s.axes, s.accuracy, "val_accuracy", true, s.numbers);
        pc2.setBrush(0, 1e-3, 1e-2);
        ImportancePlot imp2;
        imp2.setData({"lr", "batch_size", "units", "dropout"}, {0.71, 0.04, 0.06, 0.19},
                     "first-order variance share (eta\u00b2)", 40);
        grid->addWidget(&pc2, 0, 0, 1, 2);
        grid->addWidget(&imp2, 0, 2);
        grid->addWidget(&par, 1, 0, 1, 2);
        grid->addWidget(&band, 1, 2);
        grid->setColumnStretch(0, 1);
        grid->setColumnStretch(1, 1);
        grid->setColumnStretch(2, 1);
        sheet.resize(1500, 860);
        sheet.show();
        QVERIFY(QTest::qWaitForWindowExposed(&sheet));
        for (PlotFrame* f : sheet.findChildren<PlotFrame*>()) f->customPlot()->replot();
        sheet.grab().save(dir + "/experiment-plots.png");
        par.setParent(nullptr);  // stack widgets older than the sheet: not its to delete
        band.setParent(nullptr);
    }
};

QTEST_MAIN(TestExperimentPlots)
#include "test_experiment_plots.moc"
