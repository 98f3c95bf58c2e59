// libFuzzer target: a run database from elsewhere (a corrupt, foreign or hand-edited runs.db).
// The input is written to a file and opened as `neurite-cli runs ...` and the Runs tab open it
// (read-write: schema checks and migration, dead-run reaping), then everything a run shows is
// read back: the list, each run's details, series, evaluations, checkpoints (checksums, blob
// formats) and the JSON stored with it. Refusals are Error{BadInput} or Error{Io} (a database
// SQLite itself calls malformed); anything else, or a crash, is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/error.h"
#include "io/json_text.h"
#include "io/project.h"
#include "recorder.h"
#include "run_store.h"
#include "train/checkpoint.h"

namespace {

using namespace neurite;
using namespace neurite::storage;

void readEverything(RunStore& store) {
    int shown = 0;
    for (const RunSummary& s : store.listRuns()) {
        if (++shown > 16) break;
        const std::string what = "run " + std::to_string(s.id);
        const auto details = store.run(s.id);
        if (!details) continue;
        // Each piece fails on its own in the studio (a run with a bad project still lists), so
        // each refusal here is caught on its own too.
        auto guarded = [](auto&& f) {
            try {
                f();
            } catch (const Error& e) {
                if (e.kind() != ErrorKind::BadInput && e.kind() != ErrorKind::Io) __builtin_trap();
            }
        };
        guarded([&] { parseProject(details->projectJson, what + " project", nullptr); });
        guarded([&] { io::parseJson(details->settingsJson, what + " settings"); });
        guarded([&] { io::parseJson(details->dataJson, what + " data"); });
        guarded([&] {
            for (const EpochRecord& e : store.epochs(s.id))
                if (!e.metricsJson.empty()) io::parseJson(e.metricsJson, what + " metrics");
        });
        guarded([&] { store.steps(s.id); });
        guarded([&] {
            for (const EvaluationRecord& e : store.evaluations(s.id))
                if (!e.reportJson.empty()) io::parseJson(e.reportJson, what + " report");
        });
        for (CheckpointKind kind : {CheckpointKind::Latest, CheckpointKind::Best, CheckpointKind::Final})
            guarded([&] {
                const auto c = store.checkpoint(s.id, kind);
                if (!c) return;
                if (kind == CheckpointKind::Latest) deserializeCheckpoint(c->data, what + " latest");
                else weightsFromBlob(c->data, what + " weights");
            });
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
    static const std::string dir = [] {
        const std::string d = "/tmp/neurite-fuzz-rundb-" + std::to_string(getpid());
        std::filesystem::create_directories(d);
        return d;
    }();
    const std::string path = dir + "/runs.db";
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 0;
    std::fwrite(data, 1, size, f);
    std::fclose(f);
    try {
        RunStore store(path, RunStore::Mode::ReadWrite, 0);
        readEverything(store);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::BadInput && e.kind() != ErrorKind::Io) __builtin_trap();
    }
    return 0;
}
