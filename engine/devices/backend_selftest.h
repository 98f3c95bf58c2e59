// Backend self-test: every kernel of backend.h run on fresh random inputs on a device backend
// and on the CPU backend, outputs compared element by element. It backs `neurite-cli selftest`
// (the quickest check of a GPU) and the cuda test suite. With the CPU against itself it checks
// the harness (and the CPU's determinism).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backend/backend.h"

namespace neurite {

struct SelftestRow {
    std::string op;         // "dense forward", "conv backward weights (asymmetric pad)", ...
    double maxRelError = 0; // max |device - cpu| / max |cpu| over the op's outputs
    double tolerance = 0;
    bool pass = false;
    std::string error;      // the exception text when the op threw on either backend
};

// Runs every op; never throws for a failing op (the row says why). `seed` fixes the inputs.
std::vector<SelftestRow> runBackendSelftest(Backend& device, Backend& cpu, uint64_t seed);

}  // namespace neurite
