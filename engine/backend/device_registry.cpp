// Device registry: the CPU backend always; GPUs through the CUDA probe when built with CUDA.
#include "backend/device_registry.h"

#include <memory>
#include <mutex>

#include "backend/cpu/cpu_backend.h"
#include "core/error.h"
#ifdef NEURITE_HAVE_CUDA
#include "backend/cuda/cuda_probe.h"
#endif

namespace neurite {

namespace {

std::string gpuNote(std::vector<DeviceEntry>& out) {
#ifdef NEURITE_HAVE_CUDA
    const cuda::ProbeResult probe = cuda::probe();
    if (!probe.problem.empty()) return probe.problem;
    for (const auto& g : probe.gpus) {
        char details[96];
        std::snprintf(details, sizeof details, "%.1f GiB, compute capability %d.%d", g.memoryGiB,
                      g.major, g.minor);
        out.push_back({"cuda:" + std::to_string(g.index), g.name, details, false,
                       "this version of Neurite does not train on CUDA yet; use the CPU"});
    }
    return "GPU training is not available in this version of Neurite yet";
#else
    (void)out;
    return "this build of Neurite has no CUDA support (built without nvcc)";
#endif
}

}  // namespace

DeviceList listDevices() {
    DeviceList list;
    const cpu::CpuInfo info = cpu::cpuInfo();
    std::string details = std::to_string(info.cores) + " cores, " + info.isa + ", bf16 " +
                          (info.bf16 ? "yes" : "no (" + info.bf16Reason + ")");
    list.devices.push_back({"cpu", info.model, details, true, ""});
    list.gpuNote = gpuNote(list.devices);
    return list;
}

Backend& backendFor(const std::string& spec, std::string* note) {
    static std::mutex mutex;
    static std::unique_ptr<Backend> cpuBackend;
    std::lock_guard<std::mutex> lock(mutex);
    auto cpu = [&]() -> Backend& {
        if (!cpuBackend) cpuBackend = cpu::makeCpuBackend();
        return *cpuBackend;
    };
    if (spec == "cpu") return cpu();
    if (spec == "auto") {
        if (note) {
            std::vector<DeviceEntry> gpus;
            const std::string why = gpuNote(gpus);
            *note = "device auto: using the CPU (" + why + ")";
        }
        return cpu();
    }
    if (spec == "cuda" || spec.rfind("cuda:", 0) == 0) {
        std::vector<DeviceEntry> gpus;
        throw Error(ErrorKind::Unsupported, "cannot train on " + spec + ": " + gpuNote(gpus) +
                                                "; use --device cpu");
    }
    throwBadInput("unknown device '" + spec + "'; use auto, cpu, cuda or cuda:N");
}

}  // namespace neurite
