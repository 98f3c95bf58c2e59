// neurite-cli: the headless entry point. Dispatches to one file per command under commands/ and
// is the only place CLI errors are caught: exit 2 bad input, 3 diverged, 130 interrupted.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "backend/cpu/openmp_runtime.h"
#include "cli.h"
#include "core/error.h"
#include "train/events.h"

namespace neurite::cli {

namespace {
StopToken g_stop;
volatile std::sig_atomic_t g_interrupts = 0;

void onInterrupt(int) {
    // A second Ctrl-C leaves at once with the conventional code.
    if (g_interrupts) std::_Exit(130);
    g_interrupts = 1;
    g_stop.requestStop();
}
}  // namespace

StopToken* installInterruptHandler() {
    // Ctrl-C, kill (SIGTERM) and a closed terminal (SIGHUP) all cancel the same way: the epoch in
    // progress ends, the run is recorded as cancelled and resumable, exit 130.
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, onInterrupt);
    return &g_stop;
}

}  // namespace neurite::cli

namespace {

void usage(std::FILE* out) {
    std::fputs(
        "usage: neurite-cli <command> [options]\n"
        "\n"
        "commands:\n"
        "  train PROJECT   train a *.neurite.json project (see train --help)\n"
        "  export PROJECT  train a project and write the model as ONNX, int8 ONNX or a native model file\n"
        "  import MODEL    turn an ONNX model into an editable project with its weights\n"
        "  predict MODEL   run a native model file on images, CSV, IDX or NPY inputs; --bench\n"
        "  bench           train the reference MLP and CNN on Fashion-MNIST, report speed\n"
        "  data inspect S  what a data source holds: samples, shape, classes, ranges, gaps\n"
        "  devices         list the devices Neurite can train on\n"
        "  selftest        check every backend op of a device against the CPU (--device cuda)\n"
        "  layers          list the layer types (--markdown for docs/layers.md, --json)\n"
        "  runs            list, show, compare, resume, tag, export stored runs (see runs --help)\n"
        "  experiment F    run a sweep (*.experiment.json), resume, show (see experiment --help)\n"
        "  compress report a run and its pruned, quantized and distilled variants side by side\n"
        "  version         print the version and the libraries in use\n"
        "\n"
        "exit codes: 0 done, 2 bad input, 3 training diverged, 130 interrupted\n",
        out);
}

int exitCode(neurite::ErrorKind kind) {
    switch (kind) {
    case neurite::ErrorKind::Diverged: return 3;
    case neurite::ErrorKind::Cancelled: return 130;
    case neurite::ErrorKind::Internal: return 1;
    default: return 2;
    }
}

}  // namespace

int main(int argc, char** argv) {
    neurite::cpu::tuneOpenMpRuntime(argv);
    // A file-size limit (ulimit -f) then fails the write with EFBIG, which becomes an error
    // line, instead of killing the process without a word.
    std::signal(SIGXFSZ, SIG_IGN);
    const std::string cmd = argc > 1 ? argv[1] : "";
    try {
        if (cmd == "train") return neurite::cli::runTrain(argc, argv);
        if (cmd == "bench") return neurite::cli::runBench(argc, argv);
        if (cmd == "data") return neurite::cli::runData(argc, argv);
        if (cmd == "export") return neurite::cli::runExport(argc, argv);
        if (cmd == "import") return neurite::cli::runImport(argc, argv);
        if (cmd == "predict") return neurite::cli::runPredict(argc, argv);
        if (cmd == "devices") return neurite::cli::runDevices(argc, argv);
        if (cmd == "selftest") return neurite::cli::runSelftest(argc, argv);
        if (cmd == "layers") return neurite::cli::runLayers(argc, argv);
        if (cmd == "runs") return neurite::cli::runRuns(argc, argv);
        if (cmd == "experiment") return neurite::cli::runExperimentCommand(argc, argv);
        if (cmd == "compress") return neurite::cli::runCompress(argc, argv);
        if (cmd == "version" || cmd == "--version") return neurite::cli::runVersion(argc, argv);
        if (cmd == "help" || cmd == "--help" || cmd == "-h") {
            usage(stdout);
            return 0;
        }
        usage(stderr);
        std::fprintf(stderr, "error: %s\n",
                     cmd.empty() ? "no command given" : ("unknown command '" + cmd + "'").c_str());
        return 2;
    } catch (const neurite::Error& e) {
        std::fprintf(stderr, "error: %s%s\n",
                     e.kind() == neurite::ErrorKind::Internal ? "internal error: " : "", e.what());
        return exitCode(e.kind());
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "error: out of memory\n");
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: internal error: %s\n", e.what());
        return 1;
    }
}
