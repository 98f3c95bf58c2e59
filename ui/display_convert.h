// Engine results as the widgets draw them: the only place the GUI turns the engine's plain
// structs (decision maps, data descriptions, sample pictures) into plotting structs and QImages
// (evaluations: evaluation_plots.h).
// Conversions only; nothing here computes.
#pragma once

#include <QImage>
#include <QStringList>

#include <string>
#include <vector>

#include "data/data_description.h"
#include "export/decision_map.h"
#include "plot_data.h"

namespace neurite {

plot::DecisionGrid gridOf(const DecisionMap& map);
plot::LabelledPoints pointsOf(const DataDescription& data);
// Grey (1 channel) or RGB (3 channels); a null image for anything else.
QImage imageOf(const SampleImage& image);
QStringList namesOf(const std::vector<std::string>& names);

}  // namespace neurite
