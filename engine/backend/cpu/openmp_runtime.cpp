// Re-execution with a bounded OpenMP spin; see openmp_runtime.h for the measurements.
#include "backend/cpu/openmp_runtime.h"

#include <unistd.h>

#include <cstdlib>

namespace neurite::cpu {

void tuneOpenMpRuntime(char** argv) {
    if (std::getenv("GOMP_SPINCOUNT") || std::getenv("OMP_WAIT_POLICY")) return;
    if (setenv("GOMP_SPINCOUNT", kSpinCount, 1) != 0) return;
    execv("/proc/self/exe", argv);
    // Only reached when exec failed (no /proc): carry on with libgomp's default spin.
}

}  // namespace neurite::cpu
