// Asks the CUDA runtime (statically linked, so it loads without a GPU) for driver and devices.
#include "backend/cuda/cuda_probe.h"

#include <cuda_runtime_api.h>

namespace neurite::cuda {

namespace {
std::string version(int v) { return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10); }
}  // namespace

ProbeResult probe() {
    ProbeResult r;
    cudaRuntimeGetVersion(&r.runtimeVersion);
    if (cudaDriverGetVersion(&r.driverVersion) != cudaSuccess || r.driverVersion == 0) {
        r.problem = "no NVIDIA driver found (libcuda.so is not installed or not loadable)";
        return r;
    }
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err == cudaErrorInsufficientDriver) {
        r.problem = "the NVIDIA driver supports CUDA " + version(r.driverVersion) +
                    " but this build needs CUDA " + version(r.runtimeVersion) + "; update the driver";
        return r;
    }
    if (err != cudaSuccess || count == 0) {
        r.problem = err == cudaSuccess || err == cudaErrorNoDevice
                        ? std::string("no CUDA device found")
                        : std::string("CUDA error: ") + cudaGetErrorString(err);
        return r;
    }
    for (int i = 0; i < count; ++i) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
        r.gpus.push_back({i, prop.name, static_cast<double>(prop.totalGlobalMem) / (1024.0 * 1024 * 1024),
                          prop.major, prop.minor});
    }
    return r;
}

}  // namespace neurite::cuda
