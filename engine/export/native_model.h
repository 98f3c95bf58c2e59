// The native model file (*.nmodel, docs/export.md): the safetensors layout, so any safetensors
// reader gets the weights, with Neurite's description in __metadata__:
//   format "neurite-model", format_version "1" ("2" for a regression model with target scaling,
//           "3" for a text model),
//   model   JSON: name, task, class names, raw input shape and dtype, preprocessing scale, output
//           node and shape, and every node with its resolved parameters and output shape; a text
//           model adds "text": level, lowercase, length, padding_id 0, unknown_id 1 and its
//           tokens in id order (id k + 2 = tokens[k])
//   project JSON: the *.neurite.json document the model was built from
// Tensors: "<node>.<param>" (F32, the layer's own shape: Dense weight [out,in], BatchNorm
// running_mean [C]) and, when standardized, "preprocessing.mean" / "preprocessing.inv_std";
// a regression model trained on standardized targets adds "preprocessing.target_mean" /
// "preprocessing.target_std" [outputs] (absent: the identity, as in files written before them).
// Loading rebuilds the Model from the project and the weights, so it predicts bit-identically.
//
// An int8 model (format_version "4", export --format native-int8) adds to "model" an "int8"
// object: calibration_samples, and activations [{node, scale, zero_point}], the uint8
// quantization of each node output that feeds a quantized layer (the input node's id for the
// input); each quantized Dense/Conv2D stores "<node>.weight" as I8 with "<node>.weight_scale" [O]
// (F32, positive): w = q * scale[o]. Such a model predicts on the int8 runtime (Predictor with
// NativeModel::int8).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "export/export_source.h"
#include "export/quantize.h"
#include "graph/graph.h"
#include "graph/model.h"
#include "io/project.h"

namespace neurite {

inline constexpr int kNativeModelVersion = 4;  // the newest version read and written
inline constexpr const char* kNativeModelFormat = "neurite-model";

struct NativeModel {
    ProjectDocument project;
    ResolvedGraph graph;
    Preprocessing preprocessing;
    std::vector<std::string> classNames;  // empty: regression
    std::unique_ptr<Model> model;
    // An int8 model: its quantization (the model's weights hold the int8 values scaled back).
    std::optional<Model::Int8Spec> int8;
    int64_t int8CalibrationSamples = 0;

    bool isClassifier() const { return !classNames.empty(); }
    Shape sampleShape() const { return sampleShapeOf(*model); }
    ExportSource source() { return {project, *model, preprocessing, classNames}; }
};

// int8: write the int8 model of this calibration (weights rounded per channel, activations'
// scales), as export --format native-int8 does.
std::vector<uint8_t> encodeNativeModel(const ExportSource& source, const Int8Plan* int8 = nullptr);
// A text model's "text" object as JSON text (also the ONNX file's neurite.text metadata).
std::string textVocabularyJson(const TextVocabulary& vocabulary);
void saveNativeModel(const ExportSource& source, const std::string& path);

// Throws Error{BadInput} naming `what` (the path) for a truncated or corrupt file, a file of
// another format (an ONNX model, a project, a safetensors file without Neurite metadata) or a
// newer format version.
NativeModel decodeNativeModel(const std::vector<uint8_t>& bytes, const std::string& what,
                              Backend& backend);
NativeModel loadNativeModel(const std::string& path, Backend& backend);

}  // namespace neurite
