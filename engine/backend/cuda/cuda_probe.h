// CUDA probe: what the CUDA runtime says about the GPUs of this machine, without needing one.
// Built only with nvcc present; the device registry calls it through NEURITE_HAVE_CUDA.
#pragma once

#include <string>
#include <vector>

namespace neurite::cuda {

struct GpuInfo {
    int index = 0;
    std::string name;
    double memoryGiB = 0;
    int major = 0, minor = 0;
};

struct ProbeResult {
    std::vector<GpuInfo> gpus;
    std::string problem;  // why none is usable: no driver, driver too old, no device
    int driverVersion = 0, runtimeVersion = 0;
};

ProbeResult probe();

}  // namespace neurite::cuda
