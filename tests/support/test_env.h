// Helpers shared by the test suites: where the source tree is, printable seeds.
#pragma once

#include <string>

namespace neurite::test {

// The source tree (NEURITE_SOURCE_DIR from CTest), for bundled examples and data.
std::string sourceDir();

}  // namespace neurite::test
