// The `pytorch` export: a self-contained Python package that trains the project's design with
// PyTorch, on one process or many (torchrun, DistributedDataParallel), with no Neurite inside
// (docs/scale-out.md):
//   model.py     the graph as a torch.nn.Module (node ids kept, output shapes in comments),
//                generated from the layers' emitters (layers/torch_sink.h)
//   weights/     one .npy per state_dict entry: the run's trained weights, or for a project the
//                initial weights Neurite draws from its seed, so both start alike
//   data/        the prepared splits as .npy (raw features as loading left them: text encoded,
//                missing values imputed, resampled), with Neurite's exact train/validation/test
//   data.py      the splits, the scaling fitted on the training split, augmentation
//   train.py     the training loop of the project's settings, DDP, checkpoints, JSON Lines
//   config.json  the settings train.py and data.py read; README.md the commands
// train.py and data.py are the same for every project (resources/pytorch, compiled in); the
// rest is written per project.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/train_config.h"
#include "data/dataset.h"
#include "export/export_source.h"

namespace neurite {

// model.py's text for a source (the exported graph and its class name).
std::string torchModelSource(const ExportSource& source);

// One tensor of weights/: the state_dict key ("conv1.weight"), its shape and values.
struct TorchTensor {
    std::string key;
    std::vector<int64_t> shape;
    std::vector<float> values;
    std::string module;      // the submodule's name in model.py ("conv1")
    bool trainable = true;   // false: a buffer (running statistics)
    bool decay = true;       // subject to the explicit l1/l2 (weights, not biases)
    float lrScale = 1.f;     // the learning-rate multiplier; 0: frozen
    std::string node, param;  // the Neurite parameter it comes from (ParamInfo's node and name)
    int part = 0, parts = 1;  // and which slice along its first axis (TorchWeight)
};
// The model's parameters and buffers under their torch state_dict keys.
std::vector<TorchTensor> torchStateDict(const ExportSource& source);

struct TorchExportOptions {
    bool trained = false;      // the weights are a finished run's (else the initial ones)
    std::string origin;        // what it came from, for the README ("run 12", "project.json")
    bool includeData = true;   // write data/ (false: the splits must be put there by hand)
};

struct TorchExportReport {
    std::string dir;
    std::vector<std::string> files;  // relative to dir, in the order written
    int64_t bytes = 0;
    int modules = 0;                 // submodules of the nn.Module
    int64_t parameters = 0;          // values in weights/
    int64_t trainSamples = 0, validationSamples = 0, testSamples = 0;
    std::vector<std::string> summary() const;  // one line each, for people
};

// Writes the package into `dir` (created; files there of the same names are replaced). Throws
// Error{BadInput} naming the setting for what the generated code cannot reproduce (pruning,
// quantization-aware training, distillation), Error{Io} when a file cannot be written.
TorchExportReport exportPytorch(const ExportSource& source, const Dataset& data,
                                const TrainConfig& training, const std::string& dir,
                                const TorchExportOptions& options);

// Checks a TrainConfig for what the generated training cannot reproduce; "" when all of it can.
std::string torchTrainingUnsupported(const TrainConfig& training);

}  // namespace neurite
