// Build facts: the generated revision header (written at build time into the build directory,
// never committed) and the backends' own version reports.
#include "info/build_info.h"

#include "backend/cpu/cpu_backend.h"
#include "neurite_build_revision.h"  // NEURITE_GIT_REVISION, NEURITE_BUILD_TYPE, NEURITE_COMPILER
#ifdef NEURITE_HAVE_CUDA
#include "backend/cuda/cuda_probe.h"
#endif

namespace neurite {

namespace {

#ifdef NEURITE_HAVE_CUDA
std::string cudaVersion(int v) { return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10); }
#endif

}  // namespace

BuildInfo buildInfo() {
    BuildInfo b;
    b.version = NEURITE_VERSION;
    b.gitRevision = NEURITE_GIT_REVISION;
    b.buildType = NEURITE_BUILD_TYPE;
    b.compiler = NEURITE_COMPILER;
    b.onednn = cpu::onednnVersion();
#ifdef NEURITE_HAVE_CUDA
    b.cudaBuilt = true;
    const cuda::ProbeResult p = cuda::probe();
    b.cudaRuntime = cudaVersion(p.runtimeVersion);
    b.cudaDriver = p.driverVersion > 0 ? cudaVersion(p.driverVersion) : "no NVIDIA driver found";
    b.cudnn = cudaLibraryVersions();  // the backend plugin's cuDNN and cuBLAS, or why not loaded
#else
    b.cudaRuntime = "not built with CUDA (nvcc was not found at build time)";
    b.cudaDriver = "not probed (no CUDA support in this build)";
    b.cudnn = "not loaded (no CUDA support in this build)";
#endif
    b.devices = listDevices();
    return b;
}

std::vector<std::pair<std::string, std::string>> facts(const BuildInfo& b) {
    std::vector<std::pair<std::string, std::string>> f = {
        {"Version", b.version},
        {"Git revision", b.gitRevision},
        {"Build", b.buildType + ", " + b.compiler},
        {"oneDNN", b.onednn},
        {"CUDA runtime", b.cudaRuntime},
        {"CUDA driver", b.cudaDriver},
        {"cuDNN", b.cudnn},
    };
    for (const DeviceEntry& d : b.devices.devices) {
        std::string v = d.name + " (" + d.details + ")";
        if (!d.usable) v += ", not usable: " + d.reason;
        f.emplace_back("Device " + d.id, v);
    }
    if (!b.devices.gpuNote.empty()) f.emplace_back("GPU", b.devices.gpuNote);
    return f;
}

}  // namespace neurite
