// The device threading contract (backend/backend.h, "Threads") checked end to end: a training
// run, an int8 ONNX export and single-sample predictions (as Try it makes them) first one after
// another, then all at once on three threads sharing one device's backend, the export and the
// predictions repeated for as long as the run trains. Every concurrent result must equal its
// sequential one bit for bit: each step's loss, the trained weights, the exported file, the
// predicted outputs. tests/engine/test_device_threads runs it on the CPU (and CUDA where there
// is a GPU); `neurite-cli selftest` runs it on the device it tests, so the GPU machine (no Qt)
// checks the CUDA backend's serialization too.
#pragma once

#include <string>

namespace neurite {

struct ConcurrencyReport {
    bool pass = false;
    int exports = 0, predictions = 0;  // done while the run trained
    std::string problem;               // what differed, or why the check could not run
};

// device: "cpu", "cuda" or "cuda:N". Uses the bundled spiral and digits data, writes its export
// files to a temporary directory it removes. Throws what preparing the device throws (an
// unusable device is Error{Unsupported}); differences are reported, not thrown.
ConcurrencyReport checkConcurrentJobs(const std::string& device, int threads = 2);

}  // namespace neurite
