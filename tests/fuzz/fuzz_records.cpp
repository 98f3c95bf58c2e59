// libFuzzer target: the JSON a run store keeps for each run (evaluations, the data description,
// settings, projects for the network comparison), as a damaged or hand-edited runs.db hands it
// to run_records.h. Each reader either refuses with Error{BadInput} or returns a record that
// writes back to text which reads back to the same text (the writer's output is always
// readable); anything else, or a crash, is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/error.h"
#include "io/json_text.h"
#include "metrics_json.h"
#include "run_records.h"

namespace {

using namespace neurite;
using namespace neurite::storage;

template <class F> void refusedOrRoundTrips(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput) __builtin_trap();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    refusedOrRoundTrips([&] {
        const EvaluationReport r = parseEvaluation(text, "evaluation");
        for (bool curves : {true, false}) {
            const std::string once = io::dumpJson(metricsJson(r, curves));
            const std::string twice = io::dumpJson(metricsJson(parseEvaluation(once, "written"), curves));
            if (once != twice) __builtin_trap();
        }
    });
    refusedOrRoundTrips([&] {
        const std::string once = dataSummaryJson(parseDataSummary(text, "data"));
        if (dataSummaryJson(parseDataSummary(once, "written")) != once) __builtin_trap();
    });
    refusedOrRoundTrips([&] {
        const RunSettings s = parseSettings(text, "settings");
        (void)settingRows({s, s}, true);
        (void)distinguishingSettings({s, RunSettings{}}, 3);
        for (const auto& [key, value] : s) (void)numberSetting(s, key);
    });
    refusedOrRoundTrips([&] {
        if (!networkDiff(text, text, "project").empty()) __builtin_trap();  // a network equals itself
        (void)networkDiff(text, "{}", "project");
    });
    return 0;
}
