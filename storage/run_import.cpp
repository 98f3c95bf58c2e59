// Importing a run's JSON Lines events (storage/run_import.h): parse and check everything, then
// write the run in one go.
#include "run_import.h"
#include "run_records.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/file_read.h"
#include "data/sources/npy_reader.h"
#include "export/export_source.h"
#include "export/torch_export.h"
#include "io/json_text.h"
#include "io/project.h"
#include "run_info.h"

namespace neurite::storage {

namespace {

using nlohmann::json;

class LineError {
public:
    LineError(const std::string& what, int64_t line) : m_prefix(what + ": line " + std::to_string(line) + ": ") {}
    [[noreturn]] void fail(const std::string& message) const { throwBadInput(m_prefix + message); }

    double number(const json& j, const char* key, bool required) const {
        if (!j.contains(key) || j[key].is_null()) {
            if (required) fail(std::string("no \"") + key + "\"; expected the events of neurite-cli train --json or train.py");
            return std::nan("");
        }
        if (!j[key].is_number()) fail(std::string("\"") + key + "\" is not a number");
        const double v = j[key].get<double>();
        if (!std::isfinite(v)) fail(std::string("\"") + key + "\" is not finite");
        return v;
    }
    int64_t integer(const json& j, const char* key) const {
        if (!j.contains(key) || !j[key].is_number_integer())
            fail(std::string("\"") + key + "\" is missing or not a whole number");
        return j[key].get<int64_t>();
    }

private:
    std::string m_prefix;
};

// Metrics the store will read back (the runs view, runs show) in Neurite's schema, or the line's
// error: a file from another tool with metrics in another form is refused, not stored damaged.
void checkReport(const LineError& e, const std::string& text, const char* key) {
    try {
        parseEvaluation(text, key);
    } catch (const Error& err) {
        std::string why = err.what();
        const std::string stored = " (the stored JSON is damaged)";  // parseEvaluation's words for the store
        if (why.size() > stored.size() && why.compare(why.size() - stored.size(), stored.size(), stored) == 0)
            why.resize(why.size() - stored.size());
        e.fail(std::string("\"") + key + "\" is not in neurite-cli's metrics form: " + why);
    }
}

std::optional<double> optionalNumber(const LineError& e, const json& j, const char* key) {
    const double v = e.number(j, key, false);
    return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

// "PyTorch 2.11.0 on 8 processes (nccl, NVIDIA H100 80GB HBM3) at node7"
std::string ranOnText(const json& r) {
    auto text = [&](const char* key) {
        return r.contains(key) && r[key].is_string() ? r[key].get<std::string>() : std::string();
    };
    std::string s = text("framework");
    if (s == "pytorch") s = "PyTorch";
    if (const std::string v = text("torch"); !v.empty()) s += " " + v;
    if (r.contains("processes") && r["processes"].is_number_integer()) {
        const int64_t n = r["processes"].get<int64_t>();
        s += " on " + std::to_string(n) + (n == 1 ? " process" : " processes");
    }
    const std::string backend = text("backend"), device = text("device");
    if (!backend.empty() || !device.empty())
        s += " (" + backend + (backend.empty() || device.empty() ? "" : ", ") + device + ")";
    if (const std::string host = text("host"); !host.empty()) s += " at " + host;
    return s;
}

}  // namespace

ImportedRun parseRunEvents(std::string_view text, const std::string& what, const NewRun& base) {
    ImportedRun out;
    out.run = base;
    int64_t lineNo = 0, epochsTotal = -1;
    bool finished = false;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find('\n', at);
        const bool lastLine = end == std::string_view::npos;
        if (lastLine) end = text.size();
        std::string_view line = text.substr(at, end - at);
        at = end + 1;
        ++lineNo;
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
        if (line.empty()) continue;
        const LineError e(what, lineNo);
        if (finished) e.fail("an event after \"finished\"; a file holds one run");
        json j;
        try {
            j = io::parseJson(line, what + ": line " + std::to_string(lineNo));
        } catch (const Error&) {
            e.fail(lastLine ? "not valid JSON: the file looks cut off (a run still writing, or a copy interrupted)"
                            : "not valid JSON; expected one event object per line");
        }
        if (!j.is_object() || !j.contains("event") || !j["event"].is_string())
            e.fail("not an event (an object with \"event\"); expected the events of neurite-cli train --json or train.py");
        const std::string kind = j["event"].get<std::string>();
        if (kind == "epoch") {
            EpochRecord r;
            r.epoch = static_cast<int>(e.integer(j, "epoch"));
            const int64_t total = e.integer(j, "epochs");
            if (r.epoch != static_cast<int>(out.epochs.size()) + 1)
                e.fail("epoch " + std::to_string(r.epoch) + " where epoch " + std::to_string(out.epochs.size() + 1) +
                       " comes next; the epochs must run 1, 2, 3... without gaps or repeats");
            if (epochsTotal >= 0 && total != epochsTotal)
                e.fail("\"epochs\" is " + std::to_string(total) + " here and " + std::to_string(epochsTotal) +
                       " before; the lines come from different runs");
            if (total < r.epoch) e.fail("epoch " + std::to_string(r.epoch) + " of " + std::to_string(total));
            epochsTotal = total;
            r.trainLoss = e.number(j, "train_loss", true);
            r.trainAccuracy = optionalNumber(e, j, "train_accuracy").value_or(0.0);
            r.valLoss = optionalNumber(e, j, "val_loss");
            r.valAccuracy = optionalNumber(e, j, "val_accuracy");
            r.lr = e.number(j, "lr", true);
            r.seconds = optionalNumber(e, j, "seconds").value_or(0.0);
            r.samplesPerSec = optionalNumber(e, j, "samples_per_sec").value_or(0.0);
            r.best = j.contains("best") && j["best"].is_boolean() && j["best"].get<bool>();
            if (j.contains("val_metrics") && j["val_metrics"].is_object()) {
                r.metricsJson = io::dumpJson(j["val_metrics"]);
                checkReport(e, r.metricsJson, "val_metrics");
            }
            out.epochs.push_back(std::move(r));
        } else if (kind == "finished") {
            const int64_t epochs = e.integer(j, "epochs");
            if (epochs != static_cast<int64_t>(out.epochs.size()))
                e.fail("\"finished\" counts " + std::to_string(epochs) + " epochs, the file holds " +
                       std::to_string(out.epochs.size()));
            if (!j.contains("status") || !j["status"].is_string()) e.fail("\"status\" is missing");
            RunOutcome& o = out.outcome;
            o.status = j["status"].get<std::string>();
            if (o.status == "stopped_early") o.status = "early_stopped";
            if (o.status != "completed" && o.status != "early_stopped" && o.status != "cancelled" && o.status != "failed")
                e.fail("unknown status \"" + o.status + "\"");
            o.epochsDone = static_cast<int>(epochs);
            o.bestEpoch = j.contains("best_epoch") ? static_cast<int>(e.integer(j, "best_epoch")) : 0;
            if (o.bestEpoch < 0 || o.bestEpoch > epochs) e.fail("\"best_epoch\" " + std::to_string(o.bestEpoch) + " is not one of the epochs");
            o.samplesPerSec = optionalNumber(e, j, "samples_per_sec");
            o.testLoss = optionalNumber(e, j, "test_loss");
            o.testAccuracy = optionalNumber(e, j, "test_accuracy");
            o.valLoss = optionalNumber(e, j, "val_loss");
            o.valAccuracy = optionalNumber(e, j, "val_accuracy");
            if (!out.epochs.empty()) {
                o.trainLoss = out.epochs.back().trainLoss;
                if (j.contains("train_accuracy") || out.epochs.back().trainAccuracy > 0)
                    o.trainAccuracy = out.epochs.back().trainAccuracy;
                if (!o.valLoss) o.valLoss = out.epochs.back().valLoss;
                if (!o.valAccuracy) o.valAccuracy = out.epochs.back().valAccuracy;
            }
            for (const char* split : {"validation", "test"}) {
                const std::string prefix = split[0] == 'v' ? "val" : "test";
                const std::string key = prefix + "_metrics";
                if (!j.contains(key)) continue;
                if (!j[key].is_object()) e.fail("\"" + key + "\" is not an object");
                EvaluationRecord r;
                r.split = split;
                r.loss = optionalNumber(e, j, (prefix + "_loss").c_str());
                r.accuracy = optionalNumber(e, j, (prefix + "_accuracy").c_str());
                r.reportJson = io::dumpJson(j[key]);
                checkReport(e, r.reportJson, key.c_str());
                out.evaluations.push_back(std::move(r));
            }
            if (j.contains("ran_on") && j["ran_on"].is_object()) out.ranOn = ranOnText(j["ran_on"]);
            // the settings the run actually used where they differ from the project's (train.py's
            // command-line overrides), over the project's flat settings
            if (j.contains("settings") && j["settings"].is_object() && !out.run.settingsJson.empty()) {
                json flat = io::parseJson(out.run.settingsJson, what + ": the project's settings");
                for (auto it = j["settings"].begin(); it != j["settings"].end(); ++it) {
                    if (!it.value().is_number() || !flat.contains(it.key()) || !flat[it.key()].is_number()) continue;
                    // a float32 setting read back as a double ("0.0010000000474974513") is the
                    // project's 0.001, not a change
                    const double now = it.value().get<double>(), was = flat[it.key()].get<double>();
                    if (std::fabs(now - was) > 1e-6 * std::max(std::fabs(was), 1e-30)) flat[it.key()] = it.value();
                }
                out.run.settingsJson = io::dumpJson(flat);
                if (j["settings"].contains("training.seed") && j["settings"]["training.seed"].is_number_unsigned())
                    out.run.seed = j["settings"]["training.seed"].get<uint64_t>();
            }
            if (out.run.dataJson.empty() && j.contains("data") && j["data"].is_object()) {
                const json& d = j["data"];
                DataSummary s;
                if (d.contains("source") && d["source"].is_string()) s.source = d["source"].get<std::string>();
                for (auto [key, field] : {std::pair{"train", &s.train}, {"validation", &s.validation}, {"test", &s.test}})
                    if (d.contains(key) && d[key].is_number_integer()) *field = d[key].get<int64_t>();
                if (d.contains("classes") && d["classes"].is_array())
                    for (const json& c : d["classes"])
                        if (c.is_string()) s.classes.push_back(c.get<std::string>());
                out.run.dataJson = dataSummaryJson(s);
            }
            if (out.run.projectJson.empty() && j.contains("project") && j["project"].is_string() &&
                !j["project"].get<std::string>().empty())
                out.run.name = j["project"].get<std::string>();
            finished = true;
        } else {
            e.fail("unknown event \"" + kind + "\"; expected \"epoch\" or \"finished\"");
        }
    }
    if (lineNo == 0 || (out.epochs.empty() && !finished)) throwBadInput(what + ": no events; the file is empty");
    if (!finished)
        throwBadInput(what + ": line " + std::to_string(lineNo) + ": the file ends without a \"finished\" event " +
                      "(the run is still going, or the file was cut off)");
    // The per-epoch points at the epochs' last steps, ceil(train / batch) steps each as the runs
    // view counts them (1 when the settings or the data do not say), so they fall on the epochs.
    int64_t perEpoch = 1;
    try {
        const DataSummary data = parseDataSummary(out.run.dataJson.empty() ? "{}" : out.run.dataJson, what);
        const auto settings = parseSettings(out.run.settingsJson.empty() ? "{}" : out.run.settingsJson, what);
        const auto batch = numberSetting(settings, "training.batch_size");
        if (batch && *batch >= 1 && data.train > 0)
            perEpoch = (data.train + static_cast<int64_t>(*batch) - 1) / static_cast<int64_t>(*batch);
    } catch (const Error&) {
    }
    int64_t step = 0;
    for (std::size_t k = 0; k < out.epochs.size(); ++k) {
        step += perEpoch;
        const EpochRecord& e = out.epochs[k];
        out.steps.push_back(StepPoint{step, e.epoch, static_cast<float>(e.trainLoss), static_cast<float>(e.lr)});
    }
    if (out.run.name.empty()) out.run.name = "imported run";
    if (!out.ranOn.empty()) out.run.device = out.ranOn;
    else if (out.run.device.empty()) out.run.device = "imported";
    out.run.epochsPlanned = static_cast<int>(epochsTotal > 0 ? epochsTotal : out.outcome.epochsDone);
    if (out.run.projectJson.empty()) out.run.projectJson = "{}";
    if (out.run.settingsJson.empty()) out.run.settingsJson = "{}";
    if (out.run.dataJson.empty()) out.run.dataJson = "{}";
    return out;
}

std::vector<float> importedWeights(RunSetup& setup, const std::string& dir) {
    const ExportSource source = exportSourceOf(setup);
    std::vector<float> snapshot = setup.model->snapshot();
    const int64_t valuesCount = setup.model->values().numel();
    auto dims = [](const std::vector<int64_t>& s) {
        std::string out = "[";
        for (std::size_t i = 0; i < s.size(); ++i) out.append(i ? ", " : "").append(std::to_string(s[i]));
        return out + "]";
    };
    for (const TorchTensor& t : torchStateDict(source)) {
        const std::string path = (std::filesystem::path(dir) / (t.key + ".npy")).string();
        if (!std::filesystem::exists(path))
            throwBadInput(path + " does not exist: the weights folder must hold every tensor of the model (" + t.key + ")");
        const NpyArray a = readNpy(path, path);
        if (a.shape != t.shape)
            throwBadInput(path + ": shape " + dims(a.shape) + ", the project's model has " + dims(t.shape));
        const auto it = std::find_if(setup.model->params().begin(), setup.model->params().end(),
                                     [&](const ParamInfo& p) { return p.node == t.node && p.name == t.param; });
        NEURITE_CHECK(it != setup.model->params().end(), "importedWeights: the export names an unknown parameter");
        const int64_t count = a.numel();
        const int64_t base = (it->trainable ? 0 : valuesCount) + it->offset + t.part * count;
        for (int64_t i = 0; i < count; ++i) {
            const double v = a.at(i);
            if (!std::isfinite(v) || std::fabs(v) > 1e30)
                throwBadInput(path + ": value " + std::to_string(i) + " is " + std::to_string(v) + ", not a usable weight");
            snapshot[static_cast<std::size_t>(base + i)] = static_cast<float>(v);
        }
    }
    return snapshot;
}

int64_t importRun(RunStore& store, const ImportedRun& r, const std::vector<float>* finalWeights) {
    const int64_t id = store.beginRun(r.run);
    try {
        if (finalWeights) {
            std::vector<uint8_t> blob(finalWeights->size() * sizeof(float));
            if (!blob.empty()) std::memcpy(blob.data(), finalWeights->data(), blob.size());
            store.putCheckpoint(id, Checkpoint{CheckpointKind::Final, r.outcome.epochsDone, "weights-f32", std::move(blob)});
        }
        store.appendSteps(id, r.steps);
        for (const EpochRecord& e : r.epochs) store.putEpoch(id, e);
        for (const EvaluationRecord& e : r.evaluations) store.putEvaluation(id, e);
        store.addTag(id, "imported");
        if (r.ranOn.rfind("PyTorch", 0) == 0) store.addTag(id, "pytorch");
        if (!r.ranOn.empty()) store.setNote(id, "trained with " + r.ranOn);
        store.finishRun(id, r.outcome);
    } catch (...) {
        try {
            store.deleteRun(id);
        } catch (...) {
        }
        throw;
    }
    return id;
}

PreparedImport prepareImport(const std::string& eventsPath, const std::string& projectPath,
                             const std::string& weightsDir) {
    if (!weightsDir.empty() && projectPath.empty())
        throwBadInput("runs import: --weights needs --project, the project the weights belong to");
    NewRun base;
    std::optional<RunSetup> setup;
    if (!projectPath.empty()) {
        std::vector<std::string> warnings;
        ProjectDocument doc = loadProject(projectPath, &warnings);
        if (!weightsDir.empty()) {  // the model and its data, to map the weights and describe the run fully
            doc.weights.clear();
            setup.emplace(prepareRun(doc));
            base = describeRun(*setup);
        } else {
            base = describeProject(doc);
        }
    }
    // a bounded read: an events file of a long run is megabytes, not gigabytes
    const std::string text = readRegularFile(eventsPath, int64_t{1} << 30, "events file");
    PreparedImport p;
    p.run = parseRunEvents(text, eventsPath, base);
    if (setup) p.weights = importedWeights(*setup, weightsDir);
    return p;
}

}  // namespace neurite::storage
