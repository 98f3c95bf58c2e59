// The C entry points of the CUDA backend plugin (libneurite_cuda.so), which the device registry
// loads with dlopen so that neurite and neurite-cli never depend on cuBLAS or cuDNN at load
// time. Both sides include this header; the ABI number changes whenever backend.h or these
// signatures change, and the registry refuses a plugin of another ABI.
#pragma once

#include <cstddef>

namespace neurite {
class Backend;
}

// 1: first version (backend.h of Neurite 0.1).
#define NEURITE_CUDA_PLUGIN_ABI 1

extern "C" {
// Returns the plugin's ABI number.
typedef int (*NeuriteCudaAbiFn)();
// Creates a backend on GPU `device` and checks that a kernel runs on it; on failure returns
// null and writes why into error (NUL-terminated, at most errorSize bytes).
typedef neurite::Backend* (*NeuriteCudaCreateFn)(int device, char* error, std::size_t errorSize);
// Caps the device memory a backend made by this plugin may hold (0: no cap); returns 0.
typedef int (*NeuriteCudaSetMemoryCapFn)(neurite::Backend* backend, unsigned long long bytes);
// Optional (a plugin without it still loads): writes the versions of the libraries the plugin
// runs on, "9.19.0 (with cuBLAS 13.1.0)": cuDNN's, NUL-terminated; needs no GPU.
typedef void (*NeuriteCudaLibraryVersionsFn)(char* out, std::size_t size);
}

#define NEURITE_CUDA_ABI_SYMBOL "neurite_cuda_abi"
#define NEURITE_CUDA_CREATE_SYMBOL "neurite_cuda_create"
#define NEURITE_CUDA_SET_MEMORY_CAP_SYMBOL "neurite_cuda_set_memory_cap"
#define NEURITE_CUDA_LIBRARY_VERSIONS_SYMBOL "neurite_cuda_library_versions"
