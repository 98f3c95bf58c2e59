// The data settings of a project (its "data" section, docs/project-format.md) and what the graph
// needs to know of the data: plain values shared by the data, graph, io and train layers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/shape.h"

namespace neurite {

// On-the-fly augmentation of training samples (data/transforms/augment.h applies it).
struct AugmentConfig {
    bool horizontalFlip = false;  // mirror left-right with probability 1/2
    bool verticalFlip = false;    // mirror top-bottom with probability 1/2
    float shift = 0;        // translate by up to this fraction of the width/height, each axis
    float rotation = 0;     // rotate by up to +- this many degrees
    float zoom = 0;         // scale by a factor in [1 - zoom, 1 + zoom]
    float shear = 0;        // shear by up to +- this many degrees
    float brightness = 0;   // add a value in [-brightness, +brightness] to every feature
    float noise = 0;        // add Gaussian noise of this standard deviation to every feature
    float cutout = 0;       // zero a square with side this fraction of the smaller image side
    float mixup = 0;        // mixup alpha: batch = lambda x + (1 - lambda) x[perm], lambda ~ Beta(alpha, alpha)
    bool geometric() const {
        return horizontalFlip || verticalFlip || shift > 0 || rotation > 0 || zoom > 0 || shear > 0;
    }
    bool any() const { return geometric() || brightness > 0 || noise > 0 || cutout > 0 || mixup > 0; }
};

// A point added to 2-D classification data by hand (teaching: a click on the decision map), or
// the coordinates of a training point to leave out (label unused).
struct PointEdit {
    double x = 0, y = 0;
    int label = 0;  // the class index of an added point
    bool operator==(const PointEdit&) const = default;
};

// data.points: applied to the training split right after the split (data/point_edits.h).
struct PointEdits {
    std::vector<PointEdit> add, remove;
    bool empty() const { return add.empty() && remove.empty(); }
    bool operator==(const PointEdits&) const = default;
};
inline constexpr std::size_t kMaxPointEdits = 100000;  // of each list

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
    PointEdits points;               // 2-D classification: points added or removed by hand
};

// What the graph needs to bind "auto": the sample shape and the number of outputs.
struct DataInfo {
    Shape sampleShape;  // without batch; rank 0 = unknown
    int outputUnits = 0;  // 0 = unknown
    int64_t vocabularySize = 0;  // token ids 0..size-1 of a text source; 0 = not text / unknown
};

}  // namespace neurite
