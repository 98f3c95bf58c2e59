// A main() for the libFuzzer targets in this folder, so the GCC build replays their corpora
// (every seed and every input a fuzz run kept) as an ordinary CTest: each file named on the
// command line, or each file in a folder named there, is passed to LLVMFuzzerTestOneInput once.
// A target traps on a wrong outcome, so a replayed input that regressed fails the test.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size);

namespace {

int replay(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "replay: cannot read %s\n", p.c_str());
        return 1;
    }
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
    std::printf("replay: %s (%zu bytes)\n", p.c_str(), bytes.size());
    std::fflush(stdout);
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    int failures = 0, count = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path arg(argv[i]);
        if (std::filesystem::is_directory(arg)) {
            for (const auto& e : std::filesystem::directory_iterator(arg))
                if (e.is_regular_file()) failures += replay(e.path()), ++count;
        } else {
            failures += replay(arg), ++count;
        }
    }
    if (count == 0) {
        std::fprintf(stderr, "replay: no inputs given\n");
        return 1;
    }
    std::printf("replay: %d inputs, all handled\n", count);
    return failures ? 1 : 0;
}
