// Quick fixes: the one obvious repair for a problem the engine reported, where there is one
// (insert a Flatten before a Dense that receives an image, drop a Softmax the loss already
// applies, delete a layer that feeds nothing, give the last Dense as many units as the data has
// classes). The problems panel offers them in one click.
#pragma once

#include <QString>
#include <optional>

#include "graph_commands.h"

namespace neurite {

struct QuickFix {
    QString label;  // "Insert a Flatten before fc1"
    GraphState after;
};

std::optional<QuickFix> quickFixFor(const Problem& problem, const GraphState& state);

}  // namespace neurite
