// Internals shared by the Try it panel's two source files (try_it_panel.cpp: models, predictions
// and the map; try_it_samples.cpp: the data set's samples and the search for mistakes).
#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

#include "deploy/try_it_panel.h"
#include "devices/device_registry.h"
#include "export/decision_map.h"
#include "export/native_model.h"
#include "failure.h"
#include "plot_data.h"

namespace neurite {

// One prediction: its input (values, or an image file read on the worker), what it is, and on
// the way back its outputs.
struct TryItPanel::Prediction {
    std::vector<float> raw;
    QString imagePath;     // when set, raw is read from this file on the worker
    int64_t sample = -1;   // the loaded sample it is, for its true label
    QString text;          // a text model's input text (for the note on its words)
    std::shared_ptr<NativeModel> model;
    std::vector<float> out;
};

// The split samples are drawn from, kept raw (as the data file holds them).
struct TryItPanel::Samples {
    DataSplit split;
    Shape sampleShape;
    std::vector<std::string> classNames;
    int targetDim = 0;
    QString splitName;  // "test", "validation", "training"
    std::optional<Failure> failure;  // why the data set could not be used
    // Two-feature samples: up to kMapPoints of them for the map, and the plane around them.
    plot::LabelledPoints points;
    PlaneRange plane;
};

namespace tryit {

constexpr int64_t kMapPoints = 2000;

// Image inputs Try it previews: 1, 3 or 4 channels (an alpha channel is read and ignored).
inline bool isImageInput(const Shape& s) {
    return s.rank() == 3 && (s[0] == 1 || s[0] == 3 || s[0] == 4);
}

inline QString joinValues(const float* v, int64_t n) {
    QStringList parts;
    for (int64_t i = 0; i < n; ++i) parts << QString::number(v[i], 'g', 6);
    return parts.join(", ");
}

// What a worker needs to rebuild the loaded model on the CPU (plans belong to one thread, and
// the panel's own model belongs to the prediction worker): the decision map and the search for
// the next mistake each run on such a copy.
struct ModelCopy {
    std::vector<Node> nodes;
    ResolvedGraph graph;
    std::vector<float> weights;
    Preprocessing preprocessing;
    int classes = 0;
    std::optional<Model::Int8Spec> int8;  // an int8 model runs on the int8 runtime

    explicit ModelCopy(NativeModel& m)
        : nodes(m.project.nodes), graph(m.graph), weights(m.model->snapshot()), preprocessing(m.preprocessing),
          classes(static_cast<int>(m.classNames.size())), int8(m.int8) {}
    const Model::Int8Spec* int8Spec() const { return int8 ? &*int8 : nullptr; }
    std::unique_ptr<Model> build() const {
        auto copy = std::make_unique<Model>(backendFor("cpu"), nodes, graph, 0);
        copy->restore(weights);
        return copy;
    }
};

}  // namespace tryit

}  // namespace neurite
