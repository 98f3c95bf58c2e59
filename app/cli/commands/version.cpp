// neurite-cli version: this program's version, the build's Git revision, compiler, the libraries
// it runs on (oneDNN, CUDA, cuDNN) and the devices found. The studio's About dialog prints the
// same facts (engine/info/build_info.h). --json for scripts and bug reports.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "info/build_info.h"
#include "cli.h"
#include "io/json_text.h"

namespace neurite::cli {

int runVersion(int argc, char** argv) {
    Args args(argc, argv, 2, {"help", "json"}, {});
    if (args.flag("help")) {
        std::fputs("usage: neurite-cli version [--json]\n"
                   "  prints the version, the build's Git revision, build type and compiler, the\n"
                   "  oneDNN, CUDA and cuDNN versions in use and the devices found (--json: the same\n"
                   "  as one JSON object)\n",
                   stdout);
        return 0;
    }
    if (!args.positional().empty()) throwBadInput("version takes no arguments; try neurite-cli version --json");
    const BuildInfo info = buildInfo();
    if (args.flag("json")) {
        nlohmann::json j = {{"version", info.version},      {"git_revision", info.gitRevision},
                            {"build_type", info.buildType}, {"compiler", info.compiler},
                            {"onednn", info.onednn},        {"cuda_built", info.cudaBuilt},
                            {"cuda_runtime", info.cudaRuntime}, {"cuda_driver", info.cudaDriver},
                            {"cudnn", info.cudnn}};
        j["devices"] = nlohmann::json::array();
        for (const auto& d : info.devices.devices)
            j["devices"].push_back({{"id", d.id}, {"name", d.name}, {"details", d.details},
                                    {"usable", d.usable}, {"reason", d.reason}});
        j["gpu_note"] = info.devices.gpuNote;
        std::printf("%s\n", io::dumpJson(j, 2).c_str());
        return 0;
    }
    std::printf("neurite-cli %s (oneDNN %s)\n", info.version.c_str(), info.onednn.c_str());
    for (const auto& [label, value] : facts(info)) std::printf("%-14s %s\n", (label + ":").c_str(), value.c_str());
    return 0;
}

}  // namespace neurite::cli
