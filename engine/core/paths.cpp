// Resource lookup: the environment, then next to the executable, then the source tree.
#include "core/paths.h"

#include <cstdlib>
#include <system_error>

namespace neurite {

namespace {

bool isDir(const std::filesystem::path& p) {
    std::error_code ec;
    return !p.empty() && std::filesystem::is_directory(p, ec);
}

// The running program's directory; empty when /proc is not there (not Linux, a sandbox).
std::filesystem::path exeDir() {
    std::error_code ec;
    const std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe.parent_path();
}

}  // namespace

std::filesystem::path examplesDir() {
    if (const char* env = std::getenv("NEURITE_EXAMPLES_DIR"); env && *env && isDir(env)) return env;
    if (const std::filesystem::path dir = exeDir(); !dir.empty()) {
        const std::filesystem::path installed = dir / ".." / "share" / "neurite" / "examples";
        if (isDir(installed)) return installed.lexically_normal();
    }
#ifdef NEURITE_SOURCE_EXAMPLES_DIR
    if (isDir(NEURITE_SOURCE_EXAMPLES_DIR)) return NEURITE_SOURCE_EXAMPLES_DIR;
#endif
    return {};
}

}  // namespace neurite
