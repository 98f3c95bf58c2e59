// Plain data the plots draw. plotting/ knows no engine: the training workspace converts engine
// events and run-store rows into these structs.
#pragma once

#include <QColor>
#include <QPointF>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace neurite::plot {

// One curve of a ROC or PR plot: x = false-positive rate (ROC) or recall (PR), y = TPR or
// precision, in threshold order. `area` is the AUC (ROC) or average precision (PR).
struct CurveData {
    QString label;
    std::vector<double> x, y;
    double area = 0;
};

// Confusion matrix counts, row-major [true class][predicted class], classes.size()^2 entries.
struct ConfusionData {
    QStringList classes;
    std::vector<int64_t> counts;
};

// A classifier's decision over a 2-D grid: cls[j * nx + i] is the predicted class at
// x = xMin + (i + 0.5) * (xMax - xMin) / nx (row j likewise in y), confidence in [0,1].
struct DecisionGrid {
    int nx = 0, ny = 0;
    double xMin = 0, xMax = 1, yMin = 0, yMax = 1;
    std::vector<int> cls;
    std::vector<float> confidence;
};

// Points of a 2-D data set with their class.
struct LabelledPoints {
    std::vector<double> x, y;
    std::vector<int> label;
};

// A CSV field, quoted when it holds a comma, quote or newline.
QString csvField(const QString& text);

// The colour of class / series k: Tableau 10, then hue steps for more.
QColor seriesColor(int k);

// Tick values for a log axis over [lo, hi] (0 < lo < hi): the powers of ten when the range spans
// three or more of them, else 1-2-5 (or 1-2-3-5, or 1..9) steps of each decade.
std::vector<double> logTicks(double lo, double hi);

// A count for an axis label: 950, 25k, 1.2M, 3.4G (three significant digits at most).
QString shortNumber(double v);

// Distance from p to the segment a-b (hit tests on drawn lines).
double segmentDistance(QPointF p, QPointF a, QPointF b);

}  // namespace neurite::plot
