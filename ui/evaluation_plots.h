// The plots of an evaluation, described once. The training panel shows one tab per entry for the
// live run (fed from the trainer's EvaluationReport), the runs view one column per stored run
// with each entry (fed from storage::finalEvaluation's EvaluationReport), and both export them
// as images. A new evaluation plot is its plot class (plotting/) plus one entry in
// evaluation_plots.cpp.
#pragma once

#include <QString>

#include <span>

#include "metrics/evaluation.h"
#include "plot_data.h"
#include "plot_frame.h"

namespace neurite {

struct EvaluationPlot {
    const char* id;        // "roc", "pr", "confusion": names the widget (objectName) and image files
    const char* title;     // tab and tooltip title, translated through QObject::tr
    bool classification;   // drawn for classifiers only (the training panel hides the tab otherwise)
    plot::PlotFrame* (*make)(QWidget* parent);
    // Draws the report on a plot `make` made; an empty report (EvaluationReport{}) clears it.
    void (*show)(plot::PlotFrame* plot, const EvaluationReport& report);

    // make(), with the objectName "evaluation-<id>" that findEvaluationPlot looks for.
    plot::PlotFrame* create(QWidget* parent) const;
    QString titleText() const;  // translated
};

std::span<const EvaluationPlot> evaluationPlots();
// A classifier's confusion counts with its class names; empty for a regression report.
plot::ConfusionData confusionOf(const EvaluationReport& report);
// The entry's plot among `parent`'s children (made by `make`), or null.
plot::PlotFrame* findEvaluationPlot(const QWidget* parent, const char* id);

}  // namespace neurite
