// neurite-cli export (--run ID | PROJECT) --format onnx|onnx-int8|native|native-int8 -o FILE: a stored run's model, or
// trains the project first (same overrides as `train`, progress on stderr), then writes and
// verifies the model (docs/export.md).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"
#include "core/error.h"
#include "export/export_model.h"
#include "export/torch_export.h"
#include "io/project.h"
#include "printer.h"
#include "run_model.h"
#include "run_recording.h"
#include "run/run_setup.h"
#include "train/trainer.h"

namespace neurite::cli {

namespace {

const char* kExportHelp =
    "usage: neurite-cli export PROJECT --format onnx|onnx-int8|native|native-int8 -o FILE [training options]\n"
    "       neurite-cli export --run ID [--checkpoint final|best] [--db FILE] --format ... -o FILE\n"
    "       neurite-cli export PROJECT|--run ID --format pytorch -o DIR [--no-data] [training options]\n"
    "Trains the project (or takes a stored run's model), then writes the trained model:\n"
    "  --format onnx         ONNX opset 13 with the preprocessing in the graph (raw inputs)\n"
    "  --format onnx-int8    the same quantized to int8 (QDQ), calibrated on training samples;\n"
    "                        reports the accuracy (or RMSE) before and after and both file sizes\n"
    "  --format native       Neurite's model file (safetensors layout) for neurite-cli predict\n"
    "  --format native-int8  the same with int8 weights and activation scales, calibrated on\n"
    "                        training samples; predict runs it on Neurite's int8 runtime\n"
    "  --format pytorch      a Python package that trains the design with PyTorch, on one\n"
    "                        process or many (torchrun): model.py, data.py, train.py, the\n"
    "                        splits and the weights (a project: its initial weights, nothing\n"
    "                        is trained here; --run: the run's weights); docs/scale-out.md\n"
    "  --no-data             with pytorch: leave the splits out of DIR/data\n"
    "  --calibration-samples N   with an int8 format: training samples to calibrate on (512)\n"
    "  --calibration M       with an int8 format: how activation ranges are chosen: minmax\n"
    "                        (default), percentile (99.99% of |x|) or entropy (least KL\n"
    "                        divergence, as TensorRT); see docs/quantization.md\n"
    "  --json                print the report as one JSON object on stdout\n"
    "  -o, --output FILE     where to write it\n"
    "  --run ID              export run ID of the run store instead of training (--db FILE)\n"
    "  --checkpoint KIND     with --run: final (default, after training) or best (best epoch)\n"
    "Training options as for train: --epochs --batch-size --lr --device --threads --seed\n"
    "--precision --max-steps (see neurite-cli train --help).\n";

std::string jsonString(const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') o += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            o += buf;
            continue;
        }
        o += c;
    }
    return o + "\"";
}

void printJson(const ExportReport& r) {
    std::printf("{\"file\":%s,\"format\":\"%s\",\"bytes\":%lld", jsonString(r.path).c_str(),
                nameOf(r.format), static_cast<long long>(r.bytes));
    if (isOnnx(r.format))
        std::printf(",\"opset\":%d,\"nodes\":%d,\"checker\":%s", r.opset, r.onnxNodes,
                    r.checkerPassed ? "true" : "false");
    else
        std::printf(",\"compared_samples\":%lld,\"max_abs_diff\":%.9g",
                    static_cast<long long>(r.comparedSamples), r.maxAbsDiff);
    if (isInt8(r.format))
        std::printf(",\"calibration\":%s,\"calibration_samples\":%lld,\"quantized_layers\":%d,\"metric\":%s,"
                    "\"split\":%s,\"evaluated_samples\":%lld,\"float\":%.9g,\"int8\":%.9g,"
                    "\"float_bytes\":%lld",
                    jsonString(r.calibration).c_str(), static_cast<long long>(r.calibrationSamples), r.quantizedLayers,
                    jsonString(r.metric).c_str(), jsonString(r.evaluatedSplit).c_str(),
                    static_cast<long long>(r.evaluatedSamples), r.metricFloat, r.metricInt8,
                    static_cast<long long>(r.floatBytes));
    if (!r.compacted.empty()) {
        std::printf(",\"compacted\":[");
        for (std::size_t k = 0; k < r.compacted.size(); ++k)
            std::printf("%s%s", k ? "," : "", jsonString(r.compacted[k]).c_str());
        std::printf("],\"compacted_max_abs_diff\":%.9g", r.compactedMaxDiff);
    }
    std::printf("}\n");
}

void printTorchJson(const TorchExportReport& r) {
    std::printf("{\"dir\":%s,\"format\":\"pytorch\",\"files\":%zu,\"bytes\":%lld,\"modules\":%d,"
                "\"parameters\":%lld,\"train\":%lld,\"validation\":%lld,\"test\":%lld}\n",
                jsonString(r.dir).c_str(), r.files.size(), static_cast<long long>(r.bytes), r.modules,
                static_cast<long long>(r.parameters), static_cast<long long>(r.trainSamples),
                static_cast<long long>(r.validationSamples), static_cast<long long>(r.testSamples));
}

// The pytorch export of a prepared run: its current weights (initial, or a stored run's).
int writeTorch(RunSetup& setup, const std::string& out, bool trained, const std::string& origin,
               bool includeData, bool json) {
    TorchExportOptions options;
    options.trained = trained;
    options.origin = origin;
    options.includeData = includeData;
    const TorchExportReport report =
        exportPytorch(exportSourceOf(setup), setup.data, setup.project.training, out, options);
    for (const std::string& line : report.summary()) std::fprintf(stderr, "%s\n", line.c_str());
    if (json) printTorchJson(report);
    return 0;
}

// Writes and verifies the model of a prepared (trained or restored) run.
int writeModel(RunSetup& setup, ExportFormat format, const std::string& out,
               int64_t calibrationSamples, Calibration method, bool json) {
    const DataSplit& split = setup.data.validation.count > 0 ? setup.data.validation
                                                              : setup.data.train;
    int64_t count = 0;
    const std::vector<float> samples = rawSamples(setup.data, split, 256, &count);
    Int8Options int8;
    int8.data = &setup.data;
    int8.calibrationSamples = calibrationSamples;
    int8.calibration = method;
    int8.seed = setup.project.training.seed;
    if (isInt8(format))
        std::fprintf(stderr, "calibrating on %lld training samples and evaluating float and int8...\n",
                     static_cast<long long>(std::min(calibrationSamples, setup.data.train.count)));
    const ExportReport report =
        exportModel(exportSourceOf(setup), format, out, samples, count, &int8);
    for (const std::string& line : report.summary()) std::fprintf(stderr, "%s\n", line.c_str());
    if (json) printJson(report);
    return 0;
}

// export --format pytorch: no training; a project's initial weights or a stored run's.
int runTorchExport(const Args& args, std::optional<long long> runId, storage::CheckpointKind kind) {
    for (const char* option : {"calibration-samples", "calibration"})
        if (args.str(option)) throwBadInput(std::string("--") + option + " goes with an int8 format, not pytorch");
    const auto out = args.str("output");
    if (!out || out->empty()) throwBadInput("export --format pytorch needs -o DIR, the folder to write");
    std::error_code ec;
    if (std::filesystem::exists(*out, ec) && !std::filesystem::is_directory(*out, ec))
        throwBadInput("-o " + *out + " is a file; --format pytorch writes a folder");
    const bool json = args.flag("json"), data = !args.flag("no-data");
    if (runId) {
        storage::RunStore store(dbPath(args, false), storage::RunStore::Mode::ReadOnly);
        RunSetup setup = storage::loadRunModel(store, *runId, kind);
        return writeTorch(setup, *out, true, "run " + std::to_string(*runId), data, json);
    }
    const std::string path = args.positional()[0];
    std::vector<std::string> warnings;
    ProjectDocument project = loadProject(path, &warnings);
    applyTrainOverrides(args, project.training);
    for (const auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (const std::string why = torchTrainingUnsupported(project.training); !why.empty()) throwBadInput(why);
    RunSetup setup = prepareRun(project);
    for (const auto& w : setup.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (!setup.weightsNote.empty()) std::fprintf(stderr, "%s\n", setup.weightsNote.c_str());
    return writeTorch(setup, *out, false, std::filesystem::path(path).filename().string(), data, json);
}

}  // namespace

int runExport(int argc, char** argv) {
    // "-o FILE" is the short form of --output.
    std::vector<std::string> words(argv, argv + argc);
    for (std::string& w : words)
        if (w == "-o") w = "--output";
    std::vector<char*> ptrs;
    for (std::string& w : words) ptrs.push_back(w.data());
    Args args(argc, ptrs.data(), 2, {"help", "json", "no-data"},
              {"format", "output", "calibration-samples", "calibration", "epochs", "batch-size", "lr", "device", "threads", "seed",
               "precision", "max-steps", "run", "checkpoint", "db"});
    if (args.flag("help")) {
        std::fputs(kExportHelp, stdout);
        return 0;
    }
    const auto runId = args.integer("run", 1, INT64_MAX);
    if (runId ? !args.positional().empty() : args.positional().size() != 1)
        throwBadInput("export needs exactly one project file or --run ID (see neurite-cli export --help)");
    storage::CheckpointKind kind = storage::CheckpointKind::Final;
    if (auto k = args.str("checkpoint")) {
        if (!runId) throwBadInput("--checkpoint goes with --run");
        if (*k == "best") kind = storage::CheckpointKind::Best;
        else if (*k != "final") throwBadInput("--checkpoint must be final or best, got '" + *k + "'");
    }
    const auto formatName = args.str("format");
    if (!formatName) throwBadInput("export needs --format onnx, onnx-int8, native, native-int8 or pytorch");
    if (*formatName == "pytorch") return runTorchExport(args, runId, kind);
    if (args.flag("no-data")) throwBadInput("--no-data goes with --format pytorch");
    const auto format = exportFormatFromName(*formatName);
    if (!format)
        throwBadInput("--format must be onnx, onnx-int8, native, native-int8 or pytorch, got '" + *formatName + "'");
    const auto calibration = args.integer("calibration-samples", 1, 1000000);
    if (calibration && !isInt8(*format))
        throwBadInput("--calibration-samples goes with --format onnx-int8 or native-int8");
    const int64_t calibrationSamples = calibration.value_or(512);
    Calibration method = Calibration::MinMax;
    if (const auto name = args.str("calibration")) {
        if (!isInt8(*format)) throwBadInput("--calibration goes with --format onnx-int8 or native-int8");
        const auto m = calibrationFromName(*name);
        if (!m) throwBadInput("--calibration must be minmax, percentile or entropy, got '" + *name + "'");
        method = *m;
    }
    const bool json = args.flag("json");
    const auto out = args.str("output");
    if (!out || out->empty()) throwBadInput("export needs -o FILE, the file to write");
    // Checked before training, so a bad path does not cost a run.
    if (std::FILE* f = std::fopen((*out + ".tmp").c_str(), "wb")) {
        std::fclose(f);
        std::remove((*out + ".tmp").c_str());
    } else {
        throwBadInput("cannot write -o file '" + *out + "'");
    }

    if (runId) {
        storage::RunStore store(dbPath(args, false), storage::RunStore::Mode::ReadOnly);
        RunSetup setup = storage::loadRunModel(store, *runId, kind);
        return writeModel(setup, *format, *out, calibrationSamples, method, json);
    }
    const std::string path = args.positional()[0];
    std::vector<std::string> warnings;
    ProjectDocument project = loadProject(path, &warnings);
    applyTrainOverrides(args, project.training);
    for (const auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    RunSetup setup = prepareRun(project);
    for (const auto& w : setup.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (!setup.deviceNote.empty()) std::fprintf(stderr, "%s\n", setup.deviceNote.c_str());
    if (!setup.weightsNote.empty()) std::fprintf(stderr, "%s\n", setup.weightsNote.c_str());

    StopToken* stop = installInterruptHandler();
    Trainer trainer(*setup.model, setup.data, project.training);
    CliPrinter printer(false, project.name.empty() ? "run" : project.name);
    printer.setClassifier(setup.data.numClasses > 0);
    const FinishedEvent fin = trainer.run(printer, *stop);
    if (fin.status == "cancelled") {
        std::fprintf(stderr, "interrupted: nothing exported\n");
        return 130;
    }

    return writeModel(setup, *format, *out, calibrationSamples, method, json);
}

}  // namespace neurite::cli
