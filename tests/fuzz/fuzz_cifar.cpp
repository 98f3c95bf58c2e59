// libFuzzer target: the CIFAR-10 binary reader (record size, label range), through a folder
// holding the input as data_batch_1.bin because the source reads a directory.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "data/sources.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    static const std::string dir = [] {
        const std::string d = "/tmp/neurite-fuzz-cifar-" + std::to_string(getpid());
        std::filesystem::create_directories(d);
        return d;
    }();
    std::FILE* f = std::fopen((dir + "/data_batch_1.bin").c_str(), "wb");
    if (!f) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
        const neurite::Dataset ds = neurite::loadCifar10Source(dir, "cifar10:" + dir);
        if (ds.train.count * 3072 != static_cast<int64_t>(ds.train.bytes.size())) __builtin_trap();
        if (static_cast<int64_t>(ds.train.labels.size()) != ds.train.count) __builtin_trap();
        for (auto l : ds.train.labels)
            if (l < 0 || l > 9) __builtin_trap();
    } catch (const neurite::Error& e) {
        if (e.kind() != neurite::ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
