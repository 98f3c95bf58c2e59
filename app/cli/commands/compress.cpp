// neurite-cli compress report --run ID: a stored run and its compression variants (branches such
// as pruning or quantization-aware fine-tunes, distilled students), each measured in float and in
// int8 as it would ship (docs/compression.md).
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "core/error.h"
#include "export/variants.h"
#include "io/json_text.h"
#include "run_model.h"
#include "run_recording.h"
#include "variants.h"

namespace neurite::cli {

namespace {

const char* kCompressHelp =
    "usage: neurite-cli compress report --run ID [--db FILE] [options]\n"
    "Measures a stored run and its variants (the runs branched from it, such as pruning or\n"
    "quantization-aware fine-tunes, and the runs distilled from it), each as a float and as an\n"
    "int8 model: native file size, parameters and non-zero parameters, FLOPs per sample (after\n"
    "structurally pruned units are removed), batch-1 latency p50/p99 and batch-256 throughput on\n"
    "the compiled inference plan, and accuracy (or RMSE) on the test split. Export any of them\n"
    "with neurite-cli export --run ID --format native|native-int8.\n"
    "  --run ID              the run whose variants to measure\n"
    "  --runs LIST           measure these runs instead (ids, comma-separated)\n"
    "  --db FILE             the run database (default: see neurite-cli runs --help)\n"
    "  --threads N           CPU threads for the timings (0 = all cores; default 0)\n"
    "  --calibration M       int8 calibration: minmax (default), percentile or entropy\n"
    "  --seconds S           time per timing (default 0.5)\n"
    "  --json                one JSON object per variant on stdout\n";

std::vector<int64_t> idList(const std::string& text) {
    std::vector<int64_t> out;
    std::size_t at = 0;
    while (at <= text.size()) {
        const std::size_t comma = std::min(text.find(',', at), text.size());
        out.push_back(positiveId(text.substr(at, comma - at), "--runs' run id"));
        at = comma + 1;
    }
    return out;
}

}  // namespace

int runCompress(int argc, char** argv) {
    Args args(argc, argv, 2, {"help", "json"}, {"run", "runs", "db", "threads", "calibration", "seconds"});
    if (args.flag("help") || args.positional().empty()) {
        std::fputs(kCompressHelp, args.flag("help") ? stdout : stderr);
        if (args.flag("help")) return 0;
        throwBadInput("compress needs a subcommand: report");
    }
    if (args.positional()[0] != "report" || args.positional().size() != 1)
        throwBadInput("unknown compress subcommand '" + args.positional()[0] + "'; expected report");
    const auto run = args.str("run");
    const auto runs = args.str("runs");
    if (!run == !runs) throwBadInput("compress report needs --run ID or --runs LIST");
    VariantOptions options;
    if (const auto name = args.str("calibration")) {
        const auto m = calibrationFromName(*name);
        if (!m) throwBadInput("--calibration must be minmax, percentile or entropy, got '" + *name + "'");
        options.calibration = *m;
    }
    options.benchSeconds = args.number("seconds", 0.05, 60).value_or(0.5);
    const int threads = static_cast<int>(args.integer("threads", 0, 4096).value_or(0));
    const bool json = args.flag("json");

    storage::RunStore store(dbPath(args, false), storage::RunStore::Mode::ReadOnly);
    std::vector<storage::RunVariant> variants;
    if (run) {
        variants = storage::runVariants(store, positiveId(*run, "--run"));
    } else {
        for (int64_t id : idList(*runs)) {
            const std::vector<storage::RunVariant> one = storage::runVariants(store, id);
            variants.push_back(one.front());
        }
    }
    if (!json)
        std::printf("%5s  %-5s  %10s  %10s  %10s  %8s  %8s  %8s  %10s  %9s  %s\n", "run", "model", "file KB", "params",
                    "non-zero", "MFLOPs", "p50 ms", "p99 ms", "samples/s", "metric", "variant");
    for (const storage::RunVariant& v : variants) {
        RunSetup setup = storage::loadRunModelFinalElseBest(store, v.id);
        setup.model->backend().setThreads(threads);
        options.seed = setup.project.training.seed;
        const ExportSource source = exportSourceOf(setup);
        for (bool int8 : {false, true}) {
            VariantMeasures m;
            try {
                m = measureVariant(source, setup.data, int8, options);
            } catch (const Error& e) {
                // A model the int8 runtime cannot run (an LSTM) still gets its float row.
                if (!int8 || (e.kind() != ErrorKind::Unsupported && e.kind() != ErrorKind::BadInput)) throw;
                if (json)
                    std::printf("%s\n", io::dumpJson(nlohmann::ordered_json{{"run", v.id}, {"model", "int8"},
                                                                            {"unavailable", e.what()}}).c_str());
                else
                    std::printf("%5lld  %-5s  not available: %s\n", static_cast<long long>(v.id), "int8", e.what());
                continue;
            }
            if (json) {
                const nlohmann::ordered_json j{{"run", v.id}, {"name", v.name}, {"relation", v.relation},
                                       {"settings", v.settings}, {"model", int8 ? "int8" : "float"},
                                       {"file_bytes", m.fileBytes}, {"parameters", m.parameters},
                                       {"nonzero_parameters", m.nonzero}, {"flops_per_sample", m.flopsPerSample},
                                       {"p50_ms", m.p50Ms}, {"p99_ms", m.p99Ms}, {"samples_per_sec", m.samplesPerSec},
                                       {"metric", m.metric}, {"split", m.split}, {"value", m.value}};
                std::printf("%s\n", io::dumpJson(j).c_str());
            } else {
                std::printf("%5lld  %-5s  %10.1f  %10lld  %10lld  %8.3f  %8.4f  %8.4f  %10.0f  %9.4f  %s%s%s\n",
                            static_cast<long long>(v.id), int8 ? "int8" : "float", static_cast<double>(m.fileBytes) / 1024.0,
                            static_cast<long long>(m.parameters), static_cast<long long>(m.nonzero),
                            m.flopsPerSample / 1e6, m.p50Ms, m.p99Ms, m.samplesPerSec, m.value, v.relation.c_str(),
                            v.settings.empty() ? "" : ": ", v.settings.c_str());
            }
            std::fflush(stdout);
        }
    }
    if (!json)
        std::printf("metric: %s on the %s split; export one with neurite-cli export --run ID --format native|native-int8\n",
                    variants.empty() ? "" : "accuracy (RMSE for regression)", "test (else validation)");
    return 0;
}

}  // namespace neurite::cli
