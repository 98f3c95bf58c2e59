// Predictor: raw inputs in, predictions out. Applies the model's own preprocessing on the device
// with the same kernel training used (Backend::gatherRows), so the numbers agree bit for bit with
// the trainer's evaluation, then runs the model in inference mode batch by batch; a regression
// model's outputs are mapped back to the target's units (Preprocessing::target) as the trainer's
// evaluation does. With InferencePath::Compiled it runs the backend's compiled inference plan
// instead (backend.h, InferencePlan: fused layers, layouts kept across layers), equal up to float
// rounding; a model or backend without one runs layer by layer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "export/export_source.h"
#include "graph/model.h"
#include "train/events.h"

namespace neurite {

// LayerByLayer: Model::forward, the trainer's evaluation arithmetic bit for bit. Compiled: one
// plan per batch size, made at the first call of that size with the weights of that moment.
enum class InferencePath { LayerByLayer, Compiled };

class Predictor {
public:
    // maxBatch: largest batch run at once (bigger inputs are split).
    // int8: the model computes its int8 graph (export/quantize.h, int8SpecOf). Compiled: on the
    // compiled int8 plan (integer arithmetic); a model whose plan cannot be compiled is refused
    // (Error{Unsupported}) rather than run in float. LayerByLayer: the QDQ graph in float, each
    // quantized output rounded to uint8 and back; the model's weights must already hold their
    // int8 values (as a loaded int8 model's do).
    Predictor(Model& model, const Preprocessing& preprocessing, int64_t maxBatch = 256,
              InferencePath path = InferencePath::LayerByLayer, const Model::Int8Spec* int8 = nullptr);
    ~Predictor();
    Predictor(const Predictor&) = delete;
    Predictor& operator=(const Predictor&) = delete;

    // raw: count samples of the model's sample shape, row-major, as f32 host values.
    // Returns the model's outputs [count, units]: logits for a classifier, values in the target's
    // own units for a regression model.
    std::vector<float> outputs(const float* raw, int64_t count);
    int64_t units() const { return m_units; }
    int64_t sampleValues() const { return m_sampleValues; }
    // How the last call ran the model: "compiled, 5 steps: conv1+relu1, ..." or "layer by layer"
    // with the reason when compiling was asked for and failed.
    const std::string& engine() const { return m_engine; }

private:
    Model& m_model;
    Preprocessing m_pre;
    int64_t m_maxBatch, m_units, m_sampleValues;
    int64_t m_chunk;  // samples per forward: maxBatch, or fewer when the compiled plan's
                      // activations would leave the cache
    Tensor m_mean, m_invStd, m_indices;
    std::vector<std::pair<int64_t, Tensor>> m_raw, m_x, m_y;  // per batch size
    InferencePath m_path;
    std::optional<Model::Int8Spec> m_int8;
    std::vector<std::pair<int64_t, std::unique_ptr<InferencePlan>>> m_plans;  // null: not compiled
    std::string m_engine = "layer by layer";
    Tensor& buffer(std::vector<std::pair<int64_t, Tensor>>& pool, int64_t n, const Shape& shape);
    InferencePlan* plan(int64_t n);
};

// Class probabilities [count, k] of a classifier's outputs: softmax, or for one output unit
// [1 - sigmoid, sigmoid] (the same function the trainer's metrics use).
std::vector<float> probabilitiesOf(const std::vector<float>& outputs, int64_t units);
// The most probable class of each row of probabilities (the first on ties).
std::vector<int> argmaxRows(const std::vector<float>& probabilities, int64_t k);

// Try it's "Next mistake": the first sample from `start` on (wrapping around the split) that the
// classifier predicts wrong, or -1 when it gets every sample of the split right. Runs the split's
// raw values through a Predictor in batches of 256 and checks `stop` between them
// (Error{Cancelled}). The split's labels index `classes` classes. int8: an int8 model's
// quantization, run on the int8 runtime as Try it predicts with it.
int64_t firstMistake(Model& model, const Preprocessing& preprocessing, int classes, const DataSplit& split,
                     int64_t start, const StopToken* stop = nullptr, const Model::Int8Spec* int8 = nullptr);

}  // namespace neurite
