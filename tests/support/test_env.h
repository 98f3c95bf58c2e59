// Helpers shared by the test suites: where the source tree is, printable seeds.
#pragma once

#include <string>

namespace neurite::test {

// The source tree (NEURITE_SOURCE_DIR from CTest), for bundled examples and data.
std::string sourceDir();

// True under the README's test command (NEURITE_STRICT_TESTS=1): a missing tool that
// scripts/dev.sh installs fails its test instead of skipping it (support/skip_missing.h).
bool strictTests();

}  // namespace neurite::test
