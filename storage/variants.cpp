#include "variants.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace neurite::storage {

std::vector<RunVariant> runVariants(RunStore& store, int64_t id) {
    if (!store.run(id)) throwBadInput("there is no run " + std::to_string(id) + " in " + store.path());
    const std::string teacher = "run:" + std::to_string(id);
    std::vector<RunVariant> out;
    for (const RunSummary& r : store.listRuns()) {
        RunVariant v{r.id, r.name, {}, r.keySettings};
        if (r.id == id) {
            v.relation = "the run";
            out.insert(out.begin(), v);
            continue;
        }
        const std::optional<RunDetails> d = store.run(r.id);
        if (!d) continue;
        if (d->parentRun && *d->parentRun == id) {
            v.relation = "branched after epoch " + std::to_string(d->parentEpoch);
        } else {
            const nlohmann::json s = nlohmann::json::parse(d->settingsJson, nullptr, false);
            const auto it = s.is_object() ? s.find("training.distillation.teacher") : s.end();
            if (!s.is_object() || it == s.end() || !it->is_string() || it->get<std::string>() != teacher) continue;
            v.relation = "distilled from it";
        }
        out.push_back(v);
    }
    return out;
}

}  // namespace neurite::storage
