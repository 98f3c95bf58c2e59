// The device registry: the only place that knows which backends exist. It lists devices (the
// CPU and each GPU, or why no GPU is usable) and hands out one long-lived backend per device.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace neurite {

struct DeviceEntry {
    std::string id;       // "cpu", "cuda:0"
    std::string name;     // "AMD EPYC", "NVIDIA H100 80GB HBM3"
    std::string details;  // "2 cores, avx512_core_bf16, bf16 yes" / "79.1 GiB, compute 9.0"
    bool usable = false;
    std::string reason;   // why not usable
};

struct DeviceList {
    std::vector<DeviceEntry> devices;
    std::string gpuNote;  // why no GPU is listed or usable (empty when one is)
};

DeviceList listDevices();

// Resolves "auto" | "cpu" | "cuda" | "cuda:N" to a backend that lives until the program exits.
// Throws Error{BadInput} for an unknown spec and Error{Unsupported} with the reason when the
// requested device cannot train. `note` receives a line for the user when "auto" had to choose.
Backend& backendFor(const std::string& spec, std::string* note = nullptr);

// The versions of the libraries the CUDA backend runs on (cuDNN's, "9.19.0 (with cuBLAS 13.1.0)"), or why
// the backend plugin is not loaded; loading it needs no GPU.
std::string cudaLibraryVersions();

// Caps the device memory each GPU backend may hold (0: no cap), for backends made before and
// after the call; a step that would exceed it fails with an out-of-memory error naming the need.
// The CPU has no cap.
void setGpuMemoryCap(std::size_t bytes);

}  // namespace neurite
