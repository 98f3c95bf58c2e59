// Locating the bundled examples: environment, then the installed layout, then the source tree.
#include "core/paths.h"

#include <cstdlib>
#include <system_error>

namespace neurite {

namespace {
bool isDir(const std::filesystem::path& p) {
    std::error_code ec;
    return !p.empty() && std::filesystem::is_directory(p, ec);
}
}  // namespace

std::filesystem::path executableDir() {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::filesystem::path() : exe.parent_path();
}

std::filesystem::path examplesDirFrom(const std::filesystem::path& envDir,
                                      const std::filesystem::path& exeDir,
                                      const std::filesystem::path& sourceDir) {
    if (isDir(envDir)) return envDir;
    if (!exeDir.empty()) {
        const auto installed =
            (exeDir / ".." / "share" / "neurite" / "examples").lexically_normal();
        if (isDir(installed)) return installed;
    }
    if (isDir(sourceDir)) return sourceDir;
    return {};
}

std::filesystem::path examplesDir() {
    const char* env = std::getenv("NEURITE_EXAMPLES_DIR");
    return examplesDirFrom(env ? std::filesystem::path(env) : std::filesystem::path(),
                           executableDir(), NEURITE_SOURCE_EXAMPLES_DIR);
}

}  // namespace neurite
