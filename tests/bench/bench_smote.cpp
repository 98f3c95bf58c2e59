// SMOTE's neighbour search on a two-class training split: 10,000 majority rows and M minority rows of
// 16 float features (M = 3500 and 7000 by default), loadDataset with balance=smote, median of 3
// runs; prints a hash of the resampled training split so that two builds can be compared for
// identical results. Usage: bench_smote [MINORITY...]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data/data_source.h"
#include "core/random.h"

using namespace neurite;

namespace {

void writeNpy(const std::string& path, const std::string& descr, const std::string& shape,
              const void* data, std::size_t bytes) {
    std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
    dict += '\n';
    std::ofstream out(path, std::ios::binary);
    out << "\x93NUMPY" << '\x01' << '\x00' << static_cast<char>(dict.size() & 0xff)
        << static_cast<char>(dict.size() >> 8) << dict;
    out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
}

uint64_t fnv(const std::vector<uint8_t>& bytes) {
    uint64_t h = 1469598103934665603ull;
    for (uint8_t b : bytes) h = (h ^ b) * 1099511628211ull;
    return h;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<int64_t> minorities = {3500, 7000};
    if (argc > 1) minorities.clear();
    for (int i = 1; i < argc; ++i) minorities.push_back(std::atoll(argv[i]));
    const int64_t majority = 10000, d = 16;
    const auto dir = std::filesystem::temp_directory_path() / "neurite_bench_smote";
    std::filesystem::create_directories(dir);
    for (int64_t minority : minorities) {
        const int64_t n = majority + minority;
        Rng rng(7);
        std::vector<float> x(static_cast<std::size_t>(n * d));
        std::vector<int64_t> y(static_cast<std::size_t>(n));
        for (int64_t r = 0; r < n; ++r) {
            y[static_cast<std::size_t>(r)] = r < majority ? 0 : 1;
            for (int64_t i = 0; i < d; ++i)
                x[static_cast<std::size_t>(r * d + i)] = static_cast<float>(rng.normal() + (r < majority ? 0.0 : 1.0));
        }
        writeNpy((dir / "X.npy").string(), "<f4", "(" + std::to_string(n) + ", " + std::to_string(d) + ")", x.data(), x.size() * 4);
        writeNpy((dir / "y.npy").string(), "<i8", "(" + std::to_string(n) + ",)", y.data(), y.size() * 8);
        DataConfig cfg;
        cfg.source = "npy:" + dir.string();
        cfg.validationSplit = 0;
        cfg.testSplit = 0;
        cfg.balance = "smote";
        std::vector<double> seconds;
        uint64_t hash = 0;
        for (int run = 0; run < 3; ++run) {
            const auto t0 = std::chrono::steady_clock::now();
            const Dataset ds = loadDataset(cfg, 42);
            seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            hash = fnv(ds.train.bytes);
        }
        std::sort(seconds.begin(), seconds.end());
        std::printf("minority %lld (train %lld): loadDataset with smote median %.3f s (min %.3f, max %.3f), train hash %016llx\n",
                    static_cast<long long>(minority), static_cast<long long>(n), seconds[1], seconds[0],
                    seconds[2], static_cast<unsigned long long>(hash));
    }
    std::filesystem::remove_all(dir);
    return 0;
}
