// A project's starting weights (model.weights): a safetensors file of "<node>.<param>" tensors,
// as `neurite-cli import` writes next to an imported project and as every *.nmodel file holds,
// loaded over the initializers of the parameters whose node and shape match. A layer added or
// reshaped since (a new head) keeps its initializer, and the report says which.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/model.h"
#include "io/project.h"
#include "io/safetensors.h"

namespace neurite {

struct WeightsReport {
    std::string file;
    int loaded = 0;                     // parameters (and buffers) taken from the file
    std::vector<std::size_t> loadedParams;  // their indexes in Model::params()
    std::vector<std::string> fresh;     // "<node>.<param>" not in the file: their initializer
    std::vector<std::string> reshaped;  // "<node>.<param> [10,64] in the file, [5,64] here"
    int unused = 0;                     // tensors of the file no parameter took
    // "starting weights from F: 12 of 14 tensors; head.weight, head.bias from their initializer"
    std::string summary() const;
};

// The largest weights file read (4 GiB): the bound on what a damaged or hostile path can make
// the reader allocate.
inline constexpr int64_t kMaxWeightsBytes = int64_t{4} << 30;

// Loads doc.weights (weightsPath) into the model. Throws Error{BadInput} naming the file for a
// missing, unreadable or malformed file, a tensor that is not F32, or a file none of whose
// tensors fits the model (the wrong file, not a changed head). Does nothing (an empty report)
// when the project has no weights.
WeightsReport applyInitialWeights(Model& model, const ProjectDocument& doc);
// The same from a file already decoded (`what` names it in messages).
WeightsReport applyWeights(Model& model, const SafeTensorsFile& file, const std::string& what);

}  // namespace neurite
