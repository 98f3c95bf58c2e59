// BuildInfo: what this build of Neurite is and what it runs on (version, Git revision, compiler,
// oneDNN, CUDA, cuDNN, devices). neurite-cli version and the studio's About dialog both print
// facts(), so the two always agree; the GUI only adds its Qt lines.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "devices/device_registry.h"

namespace neurite {

struct BuildInfo {
    std::string version;      // the project's VERSION, "0.1.0"
    std::string gitRevision;  // "c5408ae1b2c3", "+dirty" appended for local changes; "unknown"
                              // outside a git checkout (a tarball build)
    std::string buildType;    // "Release"
    std::string compiler;     // "GNU 12.2.0"
    std::string onednn;       // "2.6.3"
    bool cudaBuilt = false;   // the CUDA backend was compiled in
    std::string cudaRuntime;  // "12.4", or why there is none
    std::string cudaDriver;   // the driver's CUDA version, or why there is none
    std::string cudnn;        // the cuDNN the CUDA backend loaded, or "not loaded" and why
    DeviceList devices;
};

// Probes the devices (the CUDA runtime when built with it); a few milliseconds without a GPU.
BuildInfo buildInfo();

// The facts as ordered label/value pairs: "Version", "Git revision", ..., "Device cpu", "GPU".
std::vector<std::pair<std::string, std::string>> facts(const BuildInfo& info);

}  // namespace neurite
