// Models to export in tests: a small graph around each layer type with random weights and random
// preprocessing, or a bundled example, built without loading any data; and NPY writing for the
// Python checks under tests/export/.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "export/export_source.h"
#include "graph/model.h"
#include "io/project.h"

namespace neurite::test {

struct ModelFixture {
    std::string name;
    std::string layerType;  // the registry type the fixture is about ("" for whole examples)
    ProjectDocument project;
    std::unique_ptr<Model> model;
    Preprocessing preprocessing;
    std::vector<std::string> classNames;  // empty: regression
    int64_t ids = 0;  // > 0: the inputs are token ids 0..ids-1 (LayerExample::ids)

    ExportSource source() { return {project, *model, preprocessing, classNames}; }
    Shape sampleShape() const { return sampleShapeOf(*model); }
    // `count` random raw samples: pixels 0..255 for u8 inputs, whole ids for token ids, else
    // values around the mean.
    std::vector<float> randomInputs(int64_t count, uint64_t seed) const;
};

// nodes: the graph; sample: one sample's shape; classes: 0 = regression with `units` outputs.
// The standardization (for regression also the target scaling), BatchNorm statistics and
// (randomWeights) all weights are random from seed; otherwise the weights keep the model's own initialization. On the CPU.
ModelFixture makeFixture(const std::string& name, std::vector<Node> nodes, const Shape& sample,
                         int classes, uint64_t seed, bool standardize = true,
                         bool randomWeights = true);

// One fixture per example of every registry layer type (LayerType::examples: padding, strides,
// variants), the layer between an Input and a Dense head, plus whole-model cases: "mlp" and
// "mlp_dropout" ([6] in, 4 classes, other weights), "cnn" ([3,7,7] in), a regression head, a
// binary sigmoid head, BatchNorm after Dense.
std::vector<ModelFixture> layerFixtures();
// The bundled examples with their initial weights (spiral: standardized [2]; Fashion: u8 pixels).
std::vector<ModelFixture> exampleFixtures();

// Writes a little-endian float32 NPY array.
void writeNpy(const std::string& path, const std::vector<int64_t>& shape,
              const std::vector<float>& values);

}  // namespace neurite::test
