// Compaction: a structurally pruned model (train/pruning.h) with its pruned units and filters
// removed, so that it really is smaller and faster. A unit is removed when its weights, its bias
// and the gamma and beta of the BatchNorm after it are all zero: it then outputs exactly 0, and
// the layers reading it lose the matching input columns or channels. The compact model computes
// what the full one does (up to the order of float additions). Every export compacts.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "export/export_source.h"
#include "io/project.h"

namespace neurite {

struct CompactedModel {
    ProjectDocument project;  // the source project with fewer units or filters
    std::unique_ptr<Model> model;  // on the source model's backend, with the kept weights
    struct Removed {
        std::string node;
        int64_t before = 0, after = 0;  // units or filters
    };
    std::vector<Removed> removed;
    // The compacted model as an export source (preprocessing and class names of the source).
    ExportSource source(const ExportSource& from) const {
        return ExportSource{project, *model, from.preprocessing, from.classNames};
    }
};

// nullopt when no unit can be removed (the model was not structurally pruned).
std::optional<CompactedModel> compactModel(const ExportSource& source);

}  // namespace neurite
