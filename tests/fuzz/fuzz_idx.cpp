// libFuzzer target: the IDX reader (magic, element type, dimensions against the file size,
// truncation, trailing data), through a file because readIdx reads paths (raw or gzip).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/error.h"
#include "data/idx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    static const std::string path = "/tmp/neurite-fuzz-idx-" + std::to_string(getpid());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
        const neurite::IdxArray a = neurite::readIdx(path);
        int64_t n = 1;
        for (int64_t d : a.dims) n *= d;
        if (static_cast<int64_t>(a.data.size()) != n) __builtin_trap();
    } catch (const neurite::Error& e) {
        if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
