// Where an installed or a source-tree Neurite finds its files. The one thing to know: the
// answer depends on where the running program lives, so a relocated install (a .tar.gz unpacked
// anywhere, a .deb extracted into a scratch root) still finds its examples.
#pragma once

#include <filesystem>

namespace neurite {

// The directory of the bundled example projects (*.neurite.json), the first existing of:
//   $NEURITE_EXAMPLES_DIR,
//   <directory of the running executable>/../share/neurite/examples  (installed layout),
//   the source tree's resources/examples                            (running from a build).
// Returns an empty path when none exists (a relocated build without its source tree).
std::filesystem::path examplesDir();

// The same rule with its inputs given, for tests: envDir is $NEURITE_EXAMPLES_DIR (empty when
// unset), exeDir the running executable's directory, sourceDir the source tree's examples.
std::filesystem::path examplesDirFrom(const std::filesystem::path& envDir,
                                      const std::filesystem::path& exeDir,
                                      const std::filesystem::path& sourceDir);

// The directory of the running executable (/proc/self/exe); empty when it cannot be read.
std::filesystem::path executableDir();

}  // namespace neurite
