// neurite-cli import MODEL.onnx -o PROJECT.neurite.json [--data SPEC] [--input-shape DIMS]
// [--fold-batchnorm] [--report]: an ONNX model as an editable project with its weights
// (engine/export/onnx_import.h, docs/import.md).
#include <cstdio>
#include <string>
#include <vector>

#include "cli.h"
#include "core/error.h"
#include "data/spec_query.h"
#include "export/onnx_import.h"

namespace neurite::cli {

namespace {

const char* kImportHelp =
    "usage: neurite-cli import MODEL.onnx -o PROJECT.neurite.json [options]\n"
    "Turns an ONNX model (opsets 9 to 17) into an editable Neurite project with its weights:\n"
    "the project names PROJECT.weights.safetensors, written beside it, as its starting weights.\n"
    "A model with an operator Neurite cannot express is refused whole; every such node is listed.\n"
    "  -o, --output FILE      the project to write (*.neurite.json)\n"
    "  --data SPEC            the data to train on (default: a bundled set whose samples have the\n"
    "                         model's input shape, e.g. builtin:fashion-mnist for [1,28,28])\n"
    "  --input-shape DIMS     one sample's shape where the file leaves it open, e.g. 3,224,224\n"
    "  --fold-batchnorm       fold BatchNormalization into the convolution or dense layer before it\n"
    "  --model-output NAME    the graph output that is the model's output, when it has several\n"
    "  --name NAME            the project's name (default: the file's name)\n"
    "  --report               list every node: mapped, folded or dropped\n";

std::vector<int64_t> dimsFrom(const std::string& text) {
    std::vector<int64_t> dims;
    for (const std::string& part : splitList(text)) {
        std::size_t used = 0;
        long long v = 0;
        try {
            v = std::stoll(part, &used);
        } catch (...) {
            used = 0;
        }
        if (used != part.size() || part.empty() || v < 1 || v > (1 << 24))
            throwBadInput("--input-shape: expected positive integers separated by commas (e.g. 3,224,224), got '" + text + "'");
        dims.push_back(v);
    }
    if (dims.empty()) throwBadInput("--input-shape is empty");
    return dims;
}

}  // namespace

int runImport(int argc, char** argv) {
    std::vector<std::string> words(argv, argv + argc);
    for (std::string& w : words)
        if (w == "-o") w = "--output";
    std::vector<char*> ptrs;
    for (std::string& w : words) ptrs.push_back(w.data());
    Args args(argc, ptrs.data(), 2, {"help", "fold-batchnorm", "report"}, {"output", "data", "input-shape", "name", "model-output"});
    if (args.flag("help")) {
        std::fputs(kImportHelp, stdout);
        return 0;
    }
    if (args.positional().size() != 1) throwBadInput("import needs exactly one ONNX file (see neurite-cli import --help)");
    const auto out = args.str("output");
    if (!out || out->empty()) throwBadInput("import needs -o PROJECT.neurite.json, the project to write");
    ImportOptions options;
    if (auto d = args.str("data")) options.dataSource = *d;
    if (auto s = args.str("input-shape")) options.inputShape = dimsFrom(*s);
    if (auto n = args.str("name")) options.name = *n;
    if (auto o = args.str("model-output")) options.output = *o;
    options.foldBatchNorm = args.flag("fold-batchnorm");
    const std::string path = args.positional()[0];
    ImportedModel model = importOnnxFile(path, options);
    if (model.project.data.source.empty()) {
        model.project.data.source = bundledDataFor(model.sampleShape);
        if (model.project.data.source.empty())
            throwBadInput(path + ": the model's input " + model.sampleShape.str() +
                          " fits none of the bundled data sets; name the data to train on with --data SPEC "
                          "(e.g. images:DIR?size=224, docs/data.md)");
        std::fprintf(stderr, "data: %s (its samples have the model's input shape; --data picks another)\n",
                     model.project.data.source.c_str());
    }
    const std::string weights = saveImported(model, *out);
    std::printf("%s\n", (args.flag("report") ? model.report.text() : model.report.summary()).c_str());
    std::printf("wrote %s (%zu nodes) and %s (%zu tensors)\n", out->c_str(), model.project.nodes.size(), weights.c_str(),
                model.weights.tensors.size());
    return 0;
}

}  // namespace neurite::cli
