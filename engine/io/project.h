// ProjectDocument: the versioned *.neurite.json file (docs/project-format.md) that the designer,
// the GUI and the CLI all read and write. Parsing reports the JSON path of every problem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <optional>

#include "config/data_config.h"
#include "config/lesson_config.h"
#include "config/train_config.h"
#include "graph/graph.h"

namespace neurite {

struct ProjectDocument {
    static constexpr int kVersion = 1;
    int version = kVersion;
    std::string name;
    std::string description;
    DataConfig data;
    std::vector<Node> nodes;
    std::string output;  // optional output node id
    // model.weights: a safetensors file of "<node>.<param>" tensors (an imported model's weights,
    // or a *.nmodel file) the model starts from instead of its initializers; relative to the
    // project file's folder. Empty: every parameter from its initializer.
    std::string weights;
    TrainConfig training;
    // A lesson (docs/teaching.md): the studio opens the project in lesson mode.
    std::optional<LessonConfig> lesson;
    // Not in the file: the folder the project was read from or saved to, for relative paths
    // (weights). Empty: the current directory.
    std::string folder;
};

// The weights file's path for opening: as written when absolute, else under doc.folder.
std::string weightsPath(const ProjectDocument& doc);

// Throws Error{BadInput} with "<file>: $.path.to.value: what is wrong" for a bad document;
// unknown keys and other non-fatal issues go to warnings (same path format).
ProjectDocument parseProject(std::string_view json, const std::string& fileName,
                             std::vector<std::string>* warnings);
ProjectDocument loadProject(const std::string& path, std::vector<std::string>* warnings);
std::string projectToJson(const ProjectDocument& doc);  // pretty, stable key order
// Atomic replace. A relative weights path is rewritten relative to the new file's folder when
// it moves to another folder, so it still names the same file.
void saveProject(const ProjectDocument& doc, const std::string& path);

// The data section as JSON text: as the project file writes it (keys at their defaults left
// out), or with every key (withDefaults), which is what dataKey() is made of.
std::string dataToJson(const DataConfig& data, bool withDefaults);
// One text per data setting: every key of the data section with its value, and the seed (it
// draws the splits). Equal keys load equal data; a change to any field the project file holds
// changes the key (the GUI's data probe caches by it).
std::string dataKey(const DataConfig& data, uint64_t seed);

}  // namespace neurite
