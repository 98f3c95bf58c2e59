// Helpers shared by the test suites: where the source tree is, printable seeds.
#pragma once

#include <string>

namespace neurite::test {

// How long a GUI test waits for something a worker or the event loop delivers (QTRY_*): an
// upper bound only (the wait ends as soon as it is there), generous so that a loaded 2-core
// machine cannot fail a test that would pass; never a claim about speed (benchmarks do that).
inline constexpr int kSlowWaitMs = 60000;

// The source tree (NEURITE_SOURCE_DIR from CTest), for bundled examples and data.
std::string sourceDir();

// True under the README's test command (NEURITE_STRICT_TESTS=1): a missing tool that
// scripts/dev.sh installs fails its test instead of skipping it (support/skip_missing.h).
bool strictTests();

// A path that is not a regular file, for the hostile-input tests: "dir" gives `dir` itself,
// "fifo" makes a FIFO named `name` in it; anything else (/dev/zero, a missing path) is returned
// as it is. "" when the FIFO cannot be made.
std::string notAFile(const std::string& kind, const std::string& dir, const std::string& name);

}  // namespace neurite::test
