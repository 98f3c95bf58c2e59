// neurite-cli selftest [--device D] [--seed S] [--json]: every backend op on device D against
// the CPU backend on random inputs, as a table (op | max rel err | pass), then the threading
// contract on D (export/concurrency_check.h: training, an int8 export and predictions at once
// equal them one after another). Exit 0 when all pass, 1 when something fails, 2 (with an
// error: line) when the device cannot be used.
#include <cinttypes>
#include <cmath>
#include <memory>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "devices/backend_selftest.h"
#include "export/concurrency_check.h"
#include "backend/cpu/cpu_backend.h"
#include "devices/device_registry.h"
#include "cli.h"
#include "io/json_text.h"

namespace neurite::cli {

namespace {
const char* kSelftestHelp =
    "usage: neurite-cli selftest [--device cpu|cuda|cuda:N] [--seed S] [--json]\n"
    "  every backend op on the device (default cuda) against the CPU backend on random inputs,\n"
    "  printed as op | max rel err | tolerance | result, then training, an int8 export and\n"
    "  predictions at once on the device against one after another (docs/gpu.md)\n"
    "  exit 0: all pass; 1: something differs; 2: the device cannot be used\n";
}  // namespace

int runSelftest(int argc, char** argv) {
    Args args(argc, argv, 2, {"json", "help"}, {"device", "seed"});
    if (args.flag("help")) {
        std::fputs(kSelftestHelp, stdout);
        return 0;
    }
    if (!args.positional().empty())
        throwBadInput("selftest takes no arguments, got '" + args.positional()[0] + "'");
    const std::string spec = args.str("device").value_or("cuda");
    if (spec == "auto") throwBadInput("selftest needs a device: --device cpu, cuda or cuda:N");
    const auto seed = static_cast<uint64_t>(args.integer("seed", 0, INT64_MAX).value_or(20261123));
    Backend& device = backendFor(spec);
    // A CPU backend of its own, so that --device cpu compares two instances.
    std::unique_ptr<Backend> cpu = cpu::makeCpuBackend();
    const std::vector<SelftestRow> rows = runBackendSelftest(device, *cpu, seed);
    int failed = 0;
    for (const auto& r : rows) failed += r.pass ? 0 : 1;
    const ConcurrencyReport jobs = checkConcurrentJobs(spec);
    failed += jobs.pass ? 0 : 1;
    if (args.flag("json")) {
        nlohmann::json j;
        j["device"] = device.name();
        j["seed"] = seed;
        j["failed"] = failed;
        j["ops"] = nlohmann::json::array();
        for (const auto& r : rows)
            j["ops"].push_back({{"op", r.op},
                                {"max_rel_error", std::isfinite(r.maxRelError) ? r.maxRelError : -1.0},
                                {"tolerance", r.tolerance},
                                {"pass", r.pass},
                                {"error", r.error}});
        j["concurrent_jobs"] = {{"pass", jobs.pass}, {"exports", jobs.exports}, {"predictions", jobs.predictions},
                                {"problem", jobs.problem}};
        std::printf("%s\n", io::dumpJson(j, 2).c_str());
        return failed ? 1 : 0;
    }
    std::printf("selftest: %s against %s, seed %" PRIu64 "\n", device.name().c_str(),
                cpu->name().c_str(), seed);
    std::printf("%-52s %12s %10s  %s\n", "op", "max rel err", "tolerance", "result");
    for (const auto& r : rows) {
        std::printf("%-52s %12.3g %10.0e  %s\n", r.op.c_str(), r.maxRelError, r.tolerance,
                    r.pass ? "pass" : "FAIL");
        if (!r.error.empty()) std::printf("    error: %s\n", r.error.c_str());
    }
    std::printf("concurrent jobs (training, int8 export and predictions at once = one after another): %s"
                " (%d exports, %d prediction passes during training)\n",
                jobs.pass ? "pass" : "FAIL", jobs.exports, jobs.predictions);
    if (!jobs.pass) std::printf("    %s\n", jobs.problem.c_str());
    std::printf("%zu ops and the concurrency check, %d failed\n", rows.size(), failed);
    return failed ? 1 : 0;
}

}  // namespace neurite::cli
