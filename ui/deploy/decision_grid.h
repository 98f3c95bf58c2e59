// A two-feature classifier's decision over a rectangle of the plane, as the decision maps draw
// it (Try it, the Runs tab's evaluation): one batch of 64 x 64 raw points through the Predictor,
// each cell the predicted class and how sure the model is (0 at chance, 1 when certain).
#pragma once

#include "export/export_source.h"
#include "plot_data.h"

namespace neurite {

plot::DecisionGrid decisionGridOf(Model& model, const Preprocessing& preprocessing, int classes,
                                  double xMin, double xMax, double yMin, double yMax, int side = 64);

}  // namespace neurite
