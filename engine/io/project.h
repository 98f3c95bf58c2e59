// ProjectDocument: the versioned *.neurite.json file (docs/project-format.md) that the designer,
// the GUI and the CLI all read and write. Parsing reports the JSON path of every problem.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/transforms/augment.h"
#include "graph/graph.h"
#include "train/train_config.h"

namespace neurite {

struct DataConfig {
    std::string source;              // spec: "builtin:fashion-mnist", "idx:DIR", "synthetic:spiral?..."
    double validationSplit = 0.1;    // fraction of the training data held out for validation
    double testSplit = 0.0;          // fraction held out for testing when the source has no test set
    std::string scaling = "auto";    // auto (pixels /255, tabular standardized) | none | unit | standardize | minmax
    std::string targetScaling = "standardize";  // regression targets: standardize (on train) | none
    std::string target;              // csv: target column, a name or 0-based index; "" = the last
    bool stratify = true;            // splits and folds keep the class proportions
    std::string balance = "none";    // training split only: none | oversample | undersample | smote
    int smoteK = 5;                  // SMOTE's nearest neighbours within the class
    std::string classWeights = "none";  // none | balanced (n / (classes * n_c) over the training split)
    AugmentConfig augment;           // training split only, on the fly (docs/data.md)
    bool reconstruct = false;        // targets = the inputs as the model sees them (autoencoders)
};

struct ProjectDocument {
    static constexpr int kVersion = 1;
    int version = kVersion;
    std::string name;
    std::string description;
    DataConfig data;
    std::vector<Node> nodes;
    std::string output;  // optional output node id
    TrainConfig training;
};

// Throws Error{BadInput} with "<file>: $.path.to.value: what is wrong" for a bad document;
// unknown keys and other non-fatal issues go to warnings (same path format).
ProjectDocument parseProject(std::string_view json, const std::string& fileName,
                             std::vector<std::string>* warnings);
ProjectDocument loadProject(const std::string& path, std::vector<std::string>* warnings);
std::string projectToJson(const ProjectDocument& doc);  // pretty, stable key order
void saveProject(const ProjectDocument& doc, const std::string& path);  // atomic replace

}  // namespace neurite
