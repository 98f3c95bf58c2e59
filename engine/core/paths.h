// Where Neurite finds its installed resources. The one thing to know: every lookup takes the
// first place that exists, so a developer's build, an installed package and a relocated tarball
// all find the same bundled files without configuration.
#pragma once

#include <filesystem>

namespace neurite {

// The bundled example projects (*.neurite.json), the first existing of:
//   1. $NEURITE_EXAMPLES_DIR (when set and non-empty),
//   2. <directory of the running executable>/../share/neurite/examples (an installed package),
//   3. the source tree's resources/examples (a build that was not installed).
// Returns an empty path when none exists; callers say so to the user.
std::filesystem::path examplesDir();

}  // namespace neurite
