// Engine results as the widgets draw them: the only place the GUI turns the engine's plain
// structs (evaluations, decision maps, data descriptions, sample pictures) into plotting structs
// and QImages. An evaluation is drawn by the same conversion live (the trainer's events) and
// stored (storage::finalEvaluation).
// Conversions only; nothing here computes.
#pragma once

#include <QImage>
#include <QStringList>

#include <string>
#include <vector>

#include "data/data_description.h"
#include "export/decision_map.h"
#include "metrics/evaluation.h"
#include "plot_data.h"

namespace neurite {

// An evaluation's ROC and precision-recall curves (one per positive class) and its confusion
// matrix with the class names; empty where the report has none (regression, a summary only).
struct EvaluationPlots {
    QString title;  // "test", "validation (epoch 7)", "Test split, final model"
    std::vector<plot::CurveData> roc, pr;
    plot::ConfusionData confusion;
};
EvaluationPlots evaluationPlots(const EvaluationReport& report, const QString& title);

plot::DecisionGrid gridOf(const DecisionMap& map);
plot::LabelledPoints pointsOf(const DataDescription& data);
// Grey (1 channel) or RGB (3 channels); a null image for anything else.
QImage imageOf(const SampleImage& image);
QStringList namesOf(const std::vector<std::string>& names);

}  // namespace neurite
