// neurite-cli export PROJECT --format onnx|native -o FILE: trains the project (with the same
// overrides as `train`, progress on stderr), then writes and verifies the model (docs/export.md).
#include <cstdio>
#include <string>
#include <vector>

#include "cli.h"
#include "core/error.h"
#include "export/export_model.h"
#include "io/project.h"
#include "printer.h"
#include "train/run_setup.h"
#include "train/trainer.h"

namespace neurite::cli {

namespace {

const char* kExportHelp =
    "usage: neurite-cli export PROJECT --format onnx|native -o FILE [training options]\n"
    "Trains the project, then writes the trained model:\n"
    "  --format onnx         ONNX opset 13 with the preprocessing in the graph (raw inputs)\n"
    "  --format native       Neurite's model file (safetensors layout) for neurite-cli predict\n"
    "  -o, --output FILE     where to write it\n"
    "Training options as for train: --epochs --batch-size --lr --device --threads --seed\n"
    "--precision --max-steps (see neurite-cli train --help).\n";

}  // namespace

int runExport(int argc, char** argv) {
    // "-o FILE" is the short form of --output.
    std::vector<std::string> words(argv, argv + argc);
    for (std::string& w : words)
        if (w == "-o") w = "--output";
    std::vector<char*> ptrs;
    for (std::string& w : words) ptrs.push_back(w.data());
    Args args(argc, ptrs.data(), 2, {"help"},
              {"format", "output", "epochs", "batch-size", "lr", "device", "threads", "seed",
               "precision", "max-steps"});
    if (args.flag("help")) {
        std::fputs(kExportHelp, stdout);
        return 0;
    }
    if (args.positional().size() != 1)
        throwBadInput("export needs exactly one project file (see neurite-cli export --help)");
    const auto formatName = args.str("format");
    if (!formatName) throwBadInput("export needs --format onnx or --format native");
    const auto format = exportFormatFromName(*formatName);
    if (!format)
        throwBadInput("--format must be onnx or native, got '" + *formatName + "'");
    const auto out = args.str("output");
    if (!out || out->empty()) throwBadInput("export needs -o FILE, the file to write");
    // Checked before training, so a bad path does not cost a run.
    if (std::FILE* f = std::fopen((*out + ".tmp").c_str(), "wb")) {
        std::fclose(f);
        std::remove((*out + ".tmp").c_str());
    } else {
        throwBadInput("cannot write -o file '" + *out + "'");
    }

    const std::string path = args.positional()[0];
    std::vector<std::string> warnings;
    ProjectDocument project = loadProject(path, &warnings);
    applyTrainOverrides(args, project.training);
    for (const auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    RunSetup setup = prepareRun(project);
    for (const auto& w : setup.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (!setup.deviceNote.empty()) std::fprintf(stderr, "%s\n", setup.deviceNote.c_str());

    StopToken* stop = installInterruptHandler();
    Trainer trainer(*setup.model, setup.data, project.training);
    CliPrinter printer(false, project.name.empty() ? "run" : project.name);
    const FinishedEvent fin = trainer.run(printer, *stop);
    if (fin.status == "cancelled") {
        std::fprintf(stderr, "interrupted: nothing exported\n");
        return 130;
    }

    const DataSplit& split = setup.data.validation.count > 0 ? setup.data.validation
                                                              : setup.data.train;
    int64_t count = 0;
    const std::vector<float> samples = rawSamples(setup.data, split, 256, &count);
    const ExportReport report = exportModel(exportSourceOf(setup), *format, *out, samples, count);
    for (const std::string& line : report.summary()) std::fprintf(stderr, "%s\n", line.c_str());
    return 0;
}

}  // namespace neurite::cli
