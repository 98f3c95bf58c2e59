// The device registry: the only place that knows which backends exist. It lists devices (the
// CPU and each GPU, or why no GPU is usable) and hands out one long-lived backend per device.
#pragma once

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

}  // namespace neurite
