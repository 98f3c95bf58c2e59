// neurite-cli devices: the devices Neurite can train on, or why a GPU is not usable.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "devices/device_registry.h"
#include "cli.h"
#include "io/json_text.h"

namespace neurite::cli {

int runDevices(int argc, char** argv) {
    Args args(argc, argv, 2, {"json", "help"}, {});
    if (args.flag("help")) {
        std::fputs("usage: neurite-cli devices [--json]\n"
                   "  lists the CPU and every CUDA device, whether it is usable and why not;\n"
                   "  --json    one JSON object: devices (id, name, details, usable, reason), gpu_note\n",
                   stdout);
        return 0;
    }
    const DeviceList list = listDevices();
    if (args.flag("json")) {
        nlohmann::json j;
        j["devices"] = nlohmann::json::array();
        for (const auto& d : list.devices)
            j["devices"].push_back({{"id", d.id}, {"name", d.name}, {"details", d.details},
                                    {"usable", d.usable}, {"reason", d.reason}});
        j["gpu_note"] = list.gpuNote;
        std::printf("%s\n", io::dumpJson(j).c_str());
        return 0;
    }
    for (const auto& d : list.devices) {
        std::printf("%-8s %s (%s)%s%s\n", d.id.c_str(), d.name.c_str(), d.details.c_str(),
                    d.usable ? "" : " - not usable: ", d.reason.c_str());
    }
    if (!list.gpuNote.empty()) std::printf("GPU: %s\n", list.gpuNote.c_str());
    return 0;
}

}  // namespace neurite::cli
