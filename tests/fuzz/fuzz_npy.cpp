// libFuzzer target: the .npy header scanner and size checks; a parsed array's elements are all
// read back, so a wrong size check shows up as an ASan report.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "data/sources/npy_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    try {
        const neurite::NpyArray a = neurite::parseNpy(std::span(data, size), "fuzz.npy");
        double sum = 0;
        for (int64_t i = 0; i < a.numel(); ++i) sum += a.at(i);
        volatile double sink = sum;
        (void)sink;
    } catch (const neurite::Error& e) {
        if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
