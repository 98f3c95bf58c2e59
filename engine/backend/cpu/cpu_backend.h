// The CPU backend on oneDNN 2.6 with OpenMP: heavy ops as oneDNN primitives built once per plan,
// everything else as OpenMP loops. Results are bit-identical run to run for a fixed thread count.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "backend/backend.h"

namespace neurite::cpu {

// A new CPU backend using all cores until setThreads() says otherwise. Plans use the thread count
// in effect when they are made, so set threads before making plans.
std::unique_ptr<Backend> makeCpuBackend();

struct CpuInfo {
    std::string model;      // "AMD EPYC", from /proc/cpuinfo
    int cores = 1;          // logical processors available to this process
    std::string isa;        // oneDNN's effective ISA, "avx512_core_bf16"
    bool bf16 = false;      // bf16 compute available (avx512_bf16 or AMX)
    std::string bf16Reason; // why not, when bf16 is false
};
CpuInfo cpuInfo();

// "2.6.3"
std::string onednnVersion();

// The int8 inference plan's rounding to uint8 over an array (cpu_inference_int8.cpp, vectorized),
// bit for bit backend/quantization.h's quantizeU8 (tests/engine/test_inference_plan.cpp).
void quantizeU8Array(const float* x, uint8_t* y, int64_t n, float scale, int32_t zeroPoint);

} // namespace neurite::cpu
