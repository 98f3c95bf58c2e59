// libFuzzer target: an experiment file (*.experiment.json) as a user or another program hands it
// to experiment/definition.h, with the project inline or as a path (which fuzzing cannot make
// exist: relative paths resolve under a folder that does not). The reader either refuses with
// Error{BadInput} or returns a definition whose stored form reads back to the same stored form
// and whose trial plan draws without failing; anything else, or a crash, is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "experiment/definition.h"
#include "io/json_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    using namespace neurite;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const ExperimentDefinition def = parseExperiment(text, "fuzz.experiment.json", "/nonexistent-fuzz-dir");
        const std::string once = io::dumpJson(experimentToJson(def));
        const ExperimentDefinition again = parseExperiment(once, "stored", "");
        if (io::dumpJson(experimentToJson(again)) != once) __builtin_trap();
        const std::vector<Assignment> plan = plannedTrials(def);
        if (def.strategy != SearchStrategy::Bayesian && plan.empty()) __builtin_trap();
        for (std::size_t i = 0; i < plan.size() && i < 3; ++i) projectWithValues(def, plan[i]);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput) __builtin_trap();
    }
    return 0;
}
