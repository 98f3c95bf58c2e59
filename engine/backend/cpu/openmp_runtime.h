// How long OpenMP threads spin before sleeping. libgomp's default (about 300,000 pause loops)
// makes training collapse when another process holds a core: measured 1,382 samples/s against
// 9,220 with a spin count of 10,000, which costs nothing on a quiet machine (docs/performance.md).
// libgomp reads the setting from the environment before main() runs, so the programs set it and
// re-execute themselves once, first thing in main(). Under gdb or valgrind set GOMP_SPINCOUNT
// yourself, so the program is not replaced by an image the tool does not follow.
#pragma once

namespace neurite::cpu {

inline constexpr const char* kSpinCount = "10000";

// Unless the user chose GOMP_SPINCOUNT or OMP_WAIT_POLICY, sets GOMP_SPINCOUNT and replaces the
// process with a fresh image of itself (same pid, same arguments). Returns normally when nothing
// is to be done or when re-executing is impossible (the program then runs with the default).
void tuneOpenMpRuntime(char** argv);

}  // namespace neurite::cpu
