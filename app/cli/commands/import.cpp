// neurite-cli import MODEL.onnx -o PROJECT.neurite.json [--data SPEC] [--input-shape DIMS]
// [--fold-batchnorm] [--report] [--compare]: an ONNX model as an editable project with its
// weights (engine/export/onnx_import.h, docs/import.md); --compare then runs the file's own graph
// against the project's layers on its data (engine/export/onnx_compare.h).
#include <cstdio>
#include <string>
#include <vector>

#include "cli.h"
#include "core/error.h"
#include "data/spec_query.h"
#include "export/onnx_compare.h"
#include "export/onnx_import.h"
#include "io/project.h"

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
    "  --report               list every node: mapped, folded or dropped\n"
    "  --compare              then run the ONNX file's own graph and the project on the same 64\n"
    "                         samples of its data and report the largest difference (exit code 1\n"
    "                         when it passes 1e-4 relative)\n";

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
    Args args(argc, ptrs.data(), 2, {"help", "fold-batchnorm", "report", "compare"}, {"output", "data", "input-shape", "name", "model-output"});
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
    std::fflush(stdout);
    if (!args.flag("compare")) return 0;
    OnnxComparison c;
    try {
        CompareOptions compare;
        compare.output = options.output;
        c = compareWithOnnx(loadProject(*out, nullptr), path, compare);
    } catch (const Error& e) {
        throw Error(e.kind(), std::string("the project was written, but the comparison failed: ") + e.what());
    }
    std::printf("compared with %s: %s\n", path.c_str(), c.summary().c_str());
    if (c.agrees()) return 0;
    std::fprintf(stderr, "error: the imported project's outputs differ from the ONNX file's by up to %g relative "
                         "(sample %lld); please report this file\n", c.maxRel, static_cast<long long>(c.worstSample));
    return 1;
}

}  // namespace neurite::cli
