// Test environment helpers.
#include "test_env.h"

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

}  // namespace neurite::test
