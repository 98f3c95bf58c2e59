// The pytorch export's package (export/torch_export.h): .npy files for the weights and the
// splits, config.json, the compiled-in train.py and data.py (resources/pytorch), model.py and a
// README with the commands.
#include <cstring>
#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file_write.h"
#include "data/sources/embedded_files.h"
#include "export/torch_export.h"
#include "export/torch_names.h"

namespace neurite {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A NumPy .npy file, format 1.0: the magic, a header dict padded with spaces to a multiple of 64
// bytes (newline last), then the values in C order, little-endian.
std::string npy(const char* descr, const std::vector<int64_t>& shape, const void* data, std::size_t bytes) {
    std::string dims;
    for (std::size_t i = 0; i < shape.size(); ++i) dims.append(std::to_string(shape[i])).append(i + 1 < shape.size() || shape.size() == 1 ? "," : "");
    std::string header = std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
    const std::size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::string out("\x93NUMPY\x01\x00", 8);
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    out.append(static_cast<const char*>(data), bytes);
    return out;
}

class Writer {
public:
    Writer(const std::string& dir, TorchExportReport& report) : m_dir(dir), m_report(report) {}
    void file(const std::string& relative, const std::string& bytes) {
        const fs::path path = fs::path(m_dir) / relative;
        std::error_code ec;
        fs::create_directories(path.parent_path(), ec);
        if (ec) throw Error(ErrorKind::Io, "cannot create " + path.parent_path().string() + ": " + ec.message());
        writeFileAtomic(path.string(), bytes.data(), bytes.size());
        m_report.files.push_back(relative);
        m_report.bytes += static_cast<int64_t>(bytes.size());
    }

private:
    std::string m_dir;
    TorchExportReport& m_report;
};

std::vector<int64_t> dimsOf(const Shape& s) { return std::vector<int64_t>(s.begin(), s.end()); }

// data/<name>_x.npy (u8 or f32, [count, sample...]) and data/<name>_y.npy (i32 labels or f32
// targets [count, targets]).
void writeSplit(Writer& w, const std::string& name, const DataSplit& split, const Dataset& data) {
    std::vector<int64_t> xs{split.count};
    for (int64_t d : data.sampleShape) xs.push_back(d);
    w.file("data/" + name + "_x.npy",
           npy(split.dtype == DType::U8 ? "|u1" : "<f4", xs, split.bytes.data(), split.bytes.size()));
    if (data.numClasses > 0)
        w.file("data/" + name + "_y.npy", npy("<i4", {split.count}, split.labels.data(), split.labels.size() * 4));
    else if (!split.targets.empty())
        w.file("data/" + name + "_y.npy",
               npy("<f4", {split.count, data.targetDim}, split.targets.data(), split.targets.size() * 4));
}

json trainingJson(const TrainConfig& t) {
    const LossConfig& l = t.loss;
    const OptimizerConfig& o = t.optimizer;
    const ScheduleConfig& s = t.schedule;
    const EarlyStoppingConfig& e = t.earlyStopping;
    return {{"epochs", t.epochs}, {"batch_size", t.batchSize}, {"seed", t.seed},
            {"precision", nameOf(t.precision)},
            {"loss", {{"type", nameOf(l.kind)}, {"label_smoothing", l.labelSmoothing},
                      {"class_weights", l.classWeights}, {"gamma", l.gamma}, {"alpha", l.alpha},
                      {"pos_weight", l.posWeight}, {"delta", l.delta}}},
            {"optimizer", {{"type", nameOf(o.kind)}, {"lr", o.lr}, {"momentum", o.momentum},
                           {"nesterov", o.nesterov}, {"beta1", o.beta1}, {"beta2", o.beta2},
                           {"epsilon", o.epsilon}, {"alpha", o.alpha}, {"weight_decay", o.weightDecay}}},
            {"schedule", {{"type", nameOf(s.kind)}, {"step_size", s.stepSize}, {"gamma", s.gamma},
                          {"warmup_epochs", s.warmupEpochs}, {"min_lr", s.minLr}, {"factor", s.factor},
                          {"patience", s.patience}, {"threshold", s.threshold}}},
            {"l1", t.l1}, {"l2", t.l2}, {"clip_norm", t.clipNorm},
            {"early_stopping", {{"enabled", e.enabled}, {"monitor", e.monitor}, {"patience", e.patience},
                                {"min_delta", e.minDelta}, {"restore_best", e.restoreBest}}}};
}

json augmentJson(const AugmentConfig& a) {
    return {{"horizontal_flip", a.horizontalFlip}, {"vertical_flip", a.verticalFlip}, {"shift", a.shift},
            {"rotation", a.rotation}, {"zoom", a.zoom}, {"shear", a.shear}, {"brightness", a.brightness},
            {"noise", a.noise}, {"cutout", a.cutout}, {"mixup", a.mixup}};
}

std::string readme(const ExportSource& source, const TorchExportOptions& o, const TorchExportReport& r) {
    const std::string name = source.project.name.empty() ? "The model" : source.project.name;
    std::string s = "# " + name + " in PyTorch\n\n";
    s += "Exported by Neurite from " + (o.origin.empty() ? std::string("a project") : o.origin) + ": " +
         (o.trained ? "the trained weights are in `weights/`; `train.py` continues from them."
                    : "`weights/` holds the initial weights Neurite draws from the project's seed, so a "
                      "training here starts where Neurite's would.") +
         " Nothing here needs Neurite: Python 3 with PyTorch and NumPy.\n\n";
    s += "| file | what |\n|---|---|\n"
         "| `model.py` | the network as a `torch.nn.Module` (node ids kept, shapes in comments) |\n"
         "| `data.py` | the splits in `data/`, the scaling fitted on the training split, augmentation |\n"
         "| `train.py` | the project's training settings (`config.json`), one process or DDP |\n"
         "| `config.json` | the settings; edit them here or override them on the command line |\n\n";
    s += "Data: " + std::to_string(r.trainSamples) + " training, " + std::to_string(r.validationSamples) +
         " validation and " + std::to_string(r.testSamples) + " test samples, Neurite's own splits" +
         (o.includeData ? ", in `data/`.\n\n"
                        : "; exported without them (`--no-data`): put `train_x.npy` and `train_y.npy` (and "
                          "`validation_*`, `test_*`) in `data/`, or point `--data` at a folder holding them.\n\n");
    s += "## Commands\n\n```\n"
         "python3 train.py                          # one process: the first GPU, else the CPU\n"
         "python3 train.py --device cpu --epochs 1  # a quick check\n"
         "torchrun --standalone --nproc_per_node=4 train.py   # 4 processes here (NCCL on GPUs, gloo on CPUs)\n"
         "torchrun --nnodes=2 --node_rank=0 --nproc_per_node=8 \\\n"
         "         --rdzv_backend=c10d --rdzv_endpoint=HOST:29500 train.py   # and node_rank=1 on the other\n"
         "python3 train.py --resume                 # continue from runs/latest/checkpoint.pt\n"
         "```\n\n"
         "`--batch-size` is the global batch: each of the W processes takes its share of every batch,\n"
         "so one process and many follow the same steps. Every epoch goes to `runs/<time>/events.jsonl`\n"
         "(and stdout with `--json`) in the format of `neurite-cli train --json`; bring a run back\n"
         "beside Neurite's with `neurite-cli runs import runs/<time>/events.jsonl`. The final weights\n"
         "are in `runs/<time>/weights/` in the format of `weights/`.\n";
    return s;
}

}  // namespace

std::string torchTrainingUnsupported(const TrainConfig& t) {
    if (t.pruning.enabled) return "training.pruning is not part of the PyTorch export; turn it off to export";
    if (t.quantAware.enabled)
        return "training.quantization_aware is not part of the PyTorch export; turn it off to export";
    if (t.distillation.enabled()) return "training.distillation is not part of the PyTorch export; clear it to export";
    return "";
}

std::vector<std::string> TorchExportReport::summary() const {
    return {"wrote " + std::to_string(files.size()) + " files (" + std::to_string(bytes / 1024) + " KiB) to " + dir,
            "model.py: " + std::to_string(modules) + " modules, " + std::to_string(parameters) + " weights in weights/",
            "data/: " + std::to_string(trainSamples) + " training, " + std::to_string(validationSamples) +
                " validation, " + std::to_string(testSamples) + " test samples",
            "run it: cd " + dir + " && python3 train.py (see README.md; torchrun for several processes)"};
}

TorchExportReport exportPytorch(const ExportSource& source, const Dataset& data, const TrainConfig& training,
                                const std::string& dir, const TorchExportOptions& options) {
    if (const std::string why = torchTrainingUnsupported(training); !why.empty()) throwBadInput(why);
    TorchExportReport r;
    r.dir = dir;
    const std::string model = torchModelSource(source);  // refuses layers it cannot write, first
    const std::vector<TorchTensor> state = torchStateDict(source);
    Writer w(dir, r);
    w.file("model.py", model);
    for (const TorchTensor& t : state) {
        w.file("weights/" + t.key + ".npy", npy("<f4", t.shape, t.values.data(), t.values.size() * 4));
        r.parameters += static_cast<int64_t>(t.values.size());
    }
    for (std::size_t p = model.find("        self."); p != std::string::npos; p = model.find("        self.", p + 1))
        ++r.modules;
    r.trainSamples = data.train.count;
    r.validationSamples = data.validation.count;
    r.testSamples = data.test.count;
    if (options.includeData) {
        writeSplit(w, "train", data.train, data);
        if (data.validation.count > 0) writeSplit(w, "validation", data.validation, data);
        if (data.test.count > 0) writeSplit(w, "test", data.test, data);
    }
    json cfg;
    cfg["exported_by"] = std::string("Neurite ") + NEURITE_VERSION;
    cfg["project"] = source.project.name;
    cfg["origin"] = options.origin;
    cfg["trained_weights"] = options.trained;
    cfg["task"] = data.numClasses > 0 ? "classification" : "regression";
    cfg["class_names"] = source.classNames;
    cfg["target_names"] = data.targetNames;
    cfg["sample_shape"] = dimsOf(data.sampleShape);
    cfg["outputs"] = source.model.outputShape().numelFrom(1);
    cfg["data"] = {{"source", data.source},
                   {"raw_dtype", data.train.dtype == DType::U8 ? "uint8" : "float32"},
                   // token ids are never scaled (Neurite fits "none" for text sources)
                   {"scaling", data.textSource ? std::string("none") : source.project.data.scaling},
                   {"text", data.textSource},
                   {"series_channels", data.seriesChannels},
                   {"target_scaling", data.targetScaling.active()},
                   {"reconstruct", source.project.data.reconstruct},
                   {"class_weights", data.classWeights},
                   {"augment", augmentJson(data.augment)},
                   {"splits", {{"train", data.train.count}, {"validation", data.validation.count},
                               {"test", data.test.count}}},
                   // what Neurite fitted on the training split, for data.py to check its own against
                   {"fitted_by_neurite", {{"scale", data.scale}, {"mean", data.mean}, {"inv_std", data.invStd},
                                          {"target_mean", data.targetScaling.mean},
                                          {"target_std", data.targetScaling.stddev}}}};
    cfg["training"] = trainingJson(training);
    // Per state_dict key: frozen parameters (transfer learning; a frozen module's BatchNorm also
    // keeps its running statistics), learning-rate multipliers, and which take the explicit l1/l2
    // (weights, not biases nor normalization parameters).
    std::set<std::string> frozenModules, steppedModules;
    json frozen = json::array(), lrScale = json::object(), regularized = json::array();
    for (const TorchTensor& t : state) {
        if (!t.trainable) continue;
        if (t.lrScale == 0.f) {
            frozen.push_back(t.key);
            frozenModules.insert(t.module);
        } else {
            steppedModules.insert(t.module);
            if (t.lrScale != 1.f) lrScale[t.key] = t.lrScale;
            if (t.decay) regularized.push_back(t.key);
        }
    }
    for (const std::string& m : steppedModules) frozenModules.erase(m);
    cfg["frozen"] = frozen;
    cfg["frozen_modules"] = frozenModules;
    cfg["lr_scale"] = lrScale;
    cfg["regularized"] = regularized;
    w.file("config.json", cfg.dump(2) + "\n");
    w.file("train.py", std::string(embeddedFile("train.py")));
    w.file("data.py", std::string(embeddedFile("data.py")));
    w.file("README.md", readme(source, options, r));
    return r;
}

}  // namespace neurite
