// ROC/PR, confusion-matrix and decision-boundary plots: legends with areas, cell texts and
// colours from hand-made matrices, grid orientation, CSV.
#include <QtTest>
#include <qcustomplot.h>

#include "confusion_plot.h"
#include "decision_plot.h"
#include "roc_plot.h"

using namespace neurite::plot;

class TestEvaluationPlots : public QObject {
    Q_OBJECT
private slots:
    void rocLegendAndCsv() {
        RocPlot p(RocPlot::Kind::Roc);
        p.setCurves({{"cat", {0, 0.5, 1}, {0, 0.9, 1}, 0.95}, {"dog", {0, 1}, {0, 1}, 0.5}});
        QCOMPARE(p.curveCount(), 2);
        QCOMPARE(p.legendText(0), QString("cat (AUC 0.950)"));
        QCOMPARE(p.customPlot()->plottable(0)->name(), QString("cat (AUC 0.950)"));
        QCOMPARE(p.csv(), QString("curve,fpr,tpr\ncat,0,0\ncat,0.5,0.9\ncat,1,1\ndog,0,0\ndog,1,1\n"));
        // A new evaluation replaces the curves instead of piling them up.
        p.setCurves({{"cat", {0, 1}, {0, 1}, 0.5}});
        QCOMPARE(p.curveCount(), 1);
        QCOMPARE(p.customPlot()->plottableCount(), 1);

        RocPlot pr(RocPlot::Kind::PrecisionRecall);
        pr.setCurves({{"pos", {0, 0.5, 1}, {1, 0.8, 0.5}, 0.81}});
        QCOMPARE(pr.legendText(0), QString("pos (AP 0.810)"));
        QVERIFY(pr.csv().startsWith("curve,recall,precision\n"));
    }

    void prCurveKeepsItsOrder() {
        // A PR curve may step back in recall order; QCPCurve must not sort it by x.
        RocPlot pr(RocPlot::Kind::PrecisionRecall);
        pr.setCurves({{"pos", {0.5, 0.2, 1}, {0.9, 1.0, 0.5}, 0.7}});
        auto* c = qobject_cast<QCPCurve*>(pr.customPlot()->plottable(0));
        QVERIFY(c);
        QCOMPARE(c->data()->at(1)->key, 0.2);
    }

    void confusionCellsAndColours() {
        ConfusionPlot p;
        p.resize(400, 400);
        p.show();
        // true cat: 8 right, 2 called dog; true dog: 1 called cat, 9 right.
        p.setMatrix({{"cat", "dog"}, {8, 2, 1, 9}});
        QCOMPARE(p.cellText(0, 0), QString("8"));
        QCOMPARE(p.cellText(0, 1), QString("2"));
        QCOMPARE(p.cellText(1, 0), QString("1"));
        p.setShowShares(true);
        QCOMPARE(p.cellText(0, 1), QString("2\n20.0%"));
        QCOMPARE(p.cellText(1, 1), QString("9\n90.0%"));
        auto* map = qobject_cast<QCPColorMap*>(p.customPlot()->plottable(0));
        QVERIFY(map);
        QCOMPARE(map->data()->cell(1, 0), 0.2);  // column = predicted, row = true
        QCOMPARE(map->data()->cell(0, 1), 0.1);
        QCOMPARE(p.customPlot()->itemCount(), 4);  // one count label per cell
        QCOMPARE(p.csv(), QString("true\\predicted,cat,dog\ncat,8,2\ndog,1,9\n"));

        p.customPlot()->replot();
        const QPointF cell(p.customPlot()->xAxis->coordToPixel(1), p.customPlot()->yAxis->coordToPixel(0));
        QCOMPARE(p.tooltipAt(cell), QString("true cat, predicted dog: 2 (20.0% of cat)"));

        // A matrix whose size does not match its classes is refused, not read out of bounds.
        p.setMatrix({{"a", "b", "c"}, {1, 2, 3}});
        QVERIFY(p.matrix().classes.isEmpty());
        QCOMPARE(p.customPlot()->itemCount(), 0);
    }

    void decisionGridOrientationAndPoints() {
        DecisionPlot p;
        p.setClassNames({"inner", "outer"});
        DecisionGrid g;
        g.nx = 2;
        g.ny = 2;
        g.xMin = -1;
        g.xMax = 1;
        g.yMin = -1;
        g.yMax = 1;
        // Bottom row (j = 0): class 0 sure, class 1 unsure; top row: class 1 sure twice.
        g.cls = {0, 1, 1, 1};
        g.confidence = {1.f, 0.f, 1.f, 1.f};
        p.setGrid(g);
        const QImage& img = p.gridImage();
        QCOMPARE(img.size(), QSize(2, 2));
        const QColor bottomLeft = img.pixelColor(0, 1), topLeft = img.pixelColor(0, 0);
        QCOMPARE(bottomLeft, QColor(157, 181, 206));  // #4e79a7 at 55% over white
        QVERIFY(bottomLeft != topLeft);                // class 0 below, class 1 above
        const QColor unsure = img.pixelColor(1, 1), sure = img.pixelColor(0, 0);
        QVERIFY(unsure.lightness() > sure.lightness());  // unsure cells are paler
        QTest::qWait(50);  // the queued replot fits the view to the grid
        QCOMPARE(p.customPlot()->xAxis->range().lower, -1.0);

        LabelledPoints pts{{0, 0.5, -0.5}, {0, 0.5, -0.5}, {0, 1, 1}};
        p.setPoints(pts);
        QCOMPARE(p.pointCount(), 3);
        QCOMPARE(p.customPlot()->graph(0)->dataCount(), 1);
        QCOMPARE(p.customPlot()->graph(1)->dataCount(), 2);
        QCOMPARE(p.customPlot()->graph(1)->name(), QString("outer"));
        QVERIFY(p.csv().startsWith("kind,x,y,class,confidence\npoint,0,0,0,\n"));
        QVERIFY(p.csv().contains("grid,0.5,0.5,1,1\n"));

        // A grid with the wrong number of cells is ignored.
        DecisionGrid bad = g;
        bad.cls.pop_back();
        p.setGrid(bad);
        QCOMPARE(p.gridImage().size(), QSize(2, 2));
    }
};

QTEST_MAIN(TestEvaluationPlots)
#include "test_evaluation_plots.moc"
