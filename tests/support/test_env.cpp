// Test environment helpers.
#include "test_env.h"

#include <cstdlib>

namespace neurite::test {

std::string sourceDir() {
    const char* dir = std::getenv("NEURITE_SOURCE_DIR");
    return dir ? dir : ".";
}

}  // namespace neurite::test
