// Test environment helpers.
#include "test_env.h"

#include <sys/stat.h>

#include <cstdlib>

namespace neurite::test {

std::string sourceDir() {
    const char* dir = std::getenv("NEURITE_SOURCE_DIR");
    return dir ? dir : ".";
}

bool strictTests() {
    const char* strict = std::getenv("NEURITE_STRICT_TESTS");
    return strict && *strict && std::string(strict) != "0";
}

std::string notAFile(const std::string& kind, const std::string& dir, const std::string& name) {
    if (kind == "dir") return dir;
    if (kind != "fifo") return kind;
    const std::string path = dir + "/" + name;
    return ::mkfifo(path.c_str(), 0600) == 0 ? path : std::string();
}

}  // namespace neurite::test
