// neurite-cli runs SUBCOMMAND: the run store from the command line (docs/run-store.md). Every
// subcommand takes --db FILE; reading ones open the database read-only.
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "core/error.h"
#include "io/project.h"
#include "run_info.h"
#include "run_import.h"
#include "core/file_read.h"
#include "metrics_json.h"
#include "experiment_store.h"
#include "run_records.h"
#include "recorder.h"
#include "run_recording.h"
#include "io/json_text.h"

namespace neurite::cli {

namespace {

using nlohmann::json;
using storage::RunStore;

const char* kRunsHelp =
    "usage: neurite-cli runs SUBCOMMAND [--db FILE]\n"
    "  list [--json] [--experiment ID]  every stored run with its status and final metrics\n"
    "                                (only the runs of that experiment's trials)\n"
    "  show ID [--json]              settings, epochs and final evaluation of a run\n"
    "  compare ID ID... [--json]     the settings that differ, side by side, and final metrics\n"
    "  resume ID [--json]            continue an interrupted or cancelled run from its last\n"
    "                                checkpoint (same project, device and threads)\n"
    "  delete ID                     remove a run with its checkpoints\n"
    "  tag ID TAG                    add a tag\n"
    "  note ID TEXT                  set the run's note (empty text clears it)\n"
    "  export ID --csv DIR           steps.csv, epochs.csv and metrics/confusion/ROC/PR CSVs\n"
    "  import FILE [--project P] [--weights DIR]  a run trained elsewhere: the JSON Lines events\n"
    "                                of train --json or of the pytorch export's train.py; P, the\n"
    "                                project it trained, gives its settings; DIR, the weights/\n"
    "                                train.py wrote, its final model (docs/scale-out.md)\n"
    "  --db FILE                     the run database (default $XDG_DATA_HOME/neurite/runs.db)\n"
    "A run left 'running' by a process that no longer exists shows as interrupted.\n";

int64_t runId(const std::string& s) { return positiveId(s, "a run id"); }

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

std::string timeText(double unixSeconds) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

std::string num(const std::optional<double>& v, const char* fmt = "%.4f") {
    if (!v) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, fmt, *v);
    return buf;
}

json summaryJson(const storage::RunSummary& r) {
    return {{"id", r.id},
            {"name", r.name},
            {"status", r.status},
            {"message", r.message},
            {"device", r.device},
            {"started_at", r.startedAt},
            {"ended_at", opt(r.endedAt)},
            {"epochs_planned", r.epochsPlanned},
            {"epochs_done", r.epochsDone},
            {"best_epoch", r.bestEpoch},
            {"train_loss", opt(r.trainLoss)},
            {"train_accuracy", opt(r.trainAccuracy)},
            {"val_loss", opt(r.valLoss)},
            {"val_accuracy", opt(r.valAccuracy)},
            {"test_loss", opt(r.testLoss)},
            {"test_accuracy", opt(r.testAccuracy)},
            {"samples_per_sec", opt(r.samplesPerSec)},
            {"tags", r.tags},
            {"note", r.note}};
}

int list(RunStore& store, bool asJson, std::optional<int64_t> experiment) {
    auto runs = store.listRuns();
    if (experiment) {
        storage::ExperimentStore experiments(store);
        experiments.require(*experiment);
        const std::vector<int64_t> ids = experiments.runIds(*experiment);
        std::erase_if(runs, [&](const storage::RunSummary& r) {
            return std::find(ids.begin(), ids.end(), r.id) == ids.end();
        });
    }
    if (asJson) {
        json a = json::array();
        for (const auto& r : runs) a.push_back(summaryJson(r));
        std::printf("%s\n", io::dumpJson(a).c_str());
        return 0;
    }
    if (runs.empty()) {
        std::printf("no runs in %s\n", store.path().c_str());
        return 0;
    }
    std::printf("%5s  %-12s  %-20s  %-16s  %9s  %8s  %8s  %s\n", "id", "status", "name", "started",
                "epochs", "val_acc", "test_acc", "tags");
    for (const auto& r : runs) {
        std::string tags;
        for (const auto& t : r.tags) tags += (tags.empty() ? "" : ",") + t;
        const std::string epochs = std::to_string(r.epochsDone) + "/" + std::to_string(r.epochsPlanned);
        std::printf("%5lld  %-12s  %-20.20s  %-16s  %9s  %8s  %8s  %s\n", static_cast<long long>(r.id),
                    r.status.c_str(), r.name.c_str(), timeText(r.startedAt).c_str(), epochs.c_str(),
                    num(r.valAccuracy).c_str(), num(r.testAccuracy).c_str(), tags.c_str());
    }
    return 0;
}

// The stored records through their one reader and writer (run_records.h): damaged text is bad
// input naming the run, and what is printed is what the GUI shows.
json evaluationJson(const std::string& text, const RunStore& store, int64_t id, const std::string& what) {
    return storage::metricsJson(storage::parseEvaluation(text, storage::storedWhere(store, id, what)), true);
}

json settingsJson(const storage::RunSettings& s) {
    json j = json::object();
    for (const auto& [key, value] : s) j[key] = io::parseJson(value.json, key);
    return j;
}

json epochJson(const RunStore& store, int64_t id, const storage::EpochRecord& e) {
    json j{{"epoch", e.epoch},          {"train_loss", e.trainLoss}, {"train_accuracy", e.trainAccuracy},
           {"val_loss", opt(e.valLoss)}, {"val_accuracy", opt(e.valAccuracy)}, {"lr", e.lr},
           {"seconds", e.seconds},      {"samples_per_sec", e.samplesPerSec}, {"best", e.best}};
    if (!e.metricsJson.empty())
        j["val_metrics"] = evaluationJson(e.metricsJson, store, id, "epoch " + std::to_string(e.epoch) + " metrics");
    return j;
}

int show(RunStore& store, int64_t id, bool asJson) {
    const storage::RunDetails r = store.requireRun(id);
    const auto epochs = store.epochs(id);
    const auto evals = store.evaluations(id);
    const auto changes = store.settingChanges(id);
    const std::vector<int> kept = store.epochStates(id);  // what the run can be rewound to
    const storage::DataSummary data = storage::parseDataSummary(r.dataJson, storage::storedWhere(store, id, "data description"));
    if (asJson) {
        json j = summaryJson(r);
        j["settings"] = settingsJson(storage::parseSettings(r.settingsJson, storage::storedWhere(store, id, "settings")));
        j["data"] = io::parseJson(storage::dataSummaryJson(data), "data");
        j["project"] = io::parseJson(r.projectJson, storage::storedWhere(store, id, "project"));
        j["threads"] = r.threads;
        j["precision"] = r.precision;
        j["seed"] = r.seed;
        j["program_version"] = r.programVersion;
        j["resumes"] = r.resumes;
        if (r.parentEpoch > 0) {
            j["branched_from"] = json{{"run", r.parentRun ? json(*r.parentRun) : json(nullptr)}, {"epoch", r.parentEpoch}};
        }
        j["epoch_states"] = kept;
        if (!r.sparsityJson.empty()) {
            json layers = json::array();
            for (const LayerSparsity& l : storage::sparsityFromJson(r.sparsityJson))
                layers.push_back(json{{"node", l.node}, {"weights", l.weights}, {"zeros", l.zeros},
                                      {"sparsity", l.sparsity()}, {"units", l.units}, {"units_pruned", l.unitsPruned}});
            j["sparsity"] = layers;
        }
        j["epochs"] = json::array();
        for (const auto& e : epochs) j["epochs"].push_back(epochJson(store, id, e));
        j["evaluations"] = json::object();
        for (const auto& e : evals) j["evaluations"][e.split] = evaluationJson(e.reportJson, store, id, e.split + " evaluation");
        j["setting_changes"] = json::array();
        for (const auto& c : changes)
            j["setting_changes"].push_back(
                json{{"step", c.step}, {"epoch", c.epoch}, {"setting", c.setting}, {"before", c.before}, {"after", c.after}});
        std::printf("%s\n", io::dumpJson(j).c_str());
        return 0;
    }
    std::printf("run %lld  %s  %s\n", static_cast<long long>(r.id), r.name.c_str(), r.status.c_str());
    if (!r.message.empty()) std::printf("  %s\n", r.message.c_str());
    std::printf("started %s on %s (threads setting %d), %s, seed %llu, Neurite %s, resumed %d time(s)\n",
                timeText(r.startedAt).c_str(), r.device.c_str(), r.threads, r.precision.c_str(),
                static_cast<unsigned long long>(r.seed), r.programVersion.c_str(), r.resumes);
    std::printf("data %s: %lld train, %lld validation, %lld test\n", data.source.c_str(),
                static_cast<long long>(data.train), static_cast<long long>(data.validation),
                static_cast<long long>(data.test));
    if (!r.tags.empty()) {
        std::printf("tags:");
        for (const auto& t : r.tags) std::printf(" %s", t.c_str());
        std::printf("\n");
    }
    if (!r.note.empty()) std::printf("note: %s\n", r.note.c_str());
    if (r.parentEpoch > 0)
        std::printf("branched from %s after epoch %d\n",
                    r.parentRun ? ("run " + std::to_string(*r.parentRun)).c_str() : "a deleted run", r.parentEpoch);
    if (const json s = json::parse(r.settingsJson, nullptr, false); s.is_object() && s.contains("training.distillation.teacher"))
        std::printf("distilled from %s (alpha %g, temperature %g)\n",
                    s["training.distillation.teacher"].get<std::string>().c_str(),
                    s.value("training.distillation.alpha", 0.5), s.value("training.distillation.temperature", 4.0));
    for (const LayerSparsity& l : storage::sparsityFromJson(r.sparsityJson))
        std::printf("pruned %s: %.1f%% of %lld weights zero, %lld of %lld units\n", l.node.c_str(),
                    100.0 * l.sparsity(), static_cast<long long>(l.weights), static_cast<long long>(l.unitsPruned),
                    static_cast<long long>(l.units));
    if (!kept.empty())
        std::printf("can branch from epoch %s (neurite-cli train PROJECT --branch %lld:EPOCH)\n",
                    storage::epochList(kept).c_str(), static_cast<long long>(id));
    for (const auto& c : changes)  // made while the run was paused (the studio's teaching controls)
        std::printf("changed while paused: %s %g -> %g from step %lld (epoch %d)\n", c.setting.c_str(), c.before,
                    c.after, static_cast<long long>(c.step + 1), c.epoch);
    std::printf("%6s  %10s  %9s  %10s  %9s  %10s\n", "epoch", "loss", "acc", "val_loss", "val_acc", "lr");
    for (const auto& e : epochs)
        std::printf("%6d  %10.4f  %9.4f  %10s  %9s  %10.3g%s\n", e.epoch, e.trainLoss, e.trainAccuracy,
                    num(e.valLoss).c_str(), num(e.valAccuracy).c_str(), e.lr, e.best ? "  best" : "");
    for (const auto& e : evals)
        std::printf("%s: loss %s  accuracy %s  auc %s\n", e.split.c_str(), num(e.loss).c_str(),
                    num(e.accuracy).c_str(), num(e.auc).c_str());
    return 0;
}

int compare(RunStore& store, const std::vector<int64_t>& ids, bool asJson) {
    if (ids.size() < 2) throwBadInput("runs compare needs at least two run ids");
    std::vector<storage::RunDetails> runs;
    std::vector<storage::RunSettings> settings;
    for (int64_t id : ids) {
        runs.push_back(store.requireRun(id));
        settings.push_back(storage::settingsOf(runs.back(), store));
    }
    const std::vector<storage::SettingRow> differing = storage::settingRows(settings, true);
    // Each network against the first run's.
    std::vector<std::vector<std::string>> network(runs.size());
    for (std::size_t i = 1; i < runs.size(); ++i)
        network[i] = storage::networkDiff(runs[0].projectJson, runs[i].projectJson,
                                          storage::storedWhere(store, runs[i].id, "project"));
    const std::vector<std::pair<const char*, std::optional<double> storage::RunSummary::*>> metrics = {
        {"train_loss", &storage::RunSummary::trainLoss}, {"val_loss", &storage::RunSummary::valLoss},
        {"val_accuracy", &storage::RunSummary::valAccuracy}, {"test_loss", &storage::RunSummary::testLoss},
        {"test_accuracy", &storage::RunSummary::testAccuracy},
        {"samples_per_sec", &storage::RunSummary::samplesPerSec}};
    if (asJson) {
        json j{{"runs", ids}, {"differing_settings", json::object()}, {"metrics", json::object()},
               {"network_changes", json::object()}};
        for (const auto& row : differing) {
            json values = json::array();
            for (const auto& v : row.values) values.push_back(v ? io::parseJson(v->json, row.key) : json(nullptr));
            j["differing_settings"][row.key] = values;
        }
        for (std::size_t i = 1; i < runs.size(); ++i) j["network_changes"][std::to_string(runs[i].id)] = network[i];
        j["metrics"]["status"] = json::array();
        j["metrics"]["epochs_done"] = json::array();
        for (const auto& r : runs) {
            j["metrics"]["status"].push_back(r.status);
            j["metrics"]["epochs_done"].push_back(r.epochsDone);
        }
        for (const auto& [name, member] : metrics)
            for (const auto& r : runs) j["metrics"][name].push_back(opt(r.*member));
        std::printf("%s\n", io::dumpJson(j).c_str());
        return 0;
    }
    // Columns as wide as their longest value, so device strings and paths stay whole.
    std::vector<std::vector<std::string>> rows;
    auto row = [&](const std::string& label, auto cell) {
        std::vector<std::string> r{label};
        for (std::size_t i = 0; i < runs.size(); ++i) r.push_back(cell(i));
        rows.push_back(std::move(r));
    };
    row("run", [&](std::size_t i) { return std::to_string(runs[i].id); });
    for (const auto& setting : differing)
        row(setting.key, [&](std::size_t i) { return setting.values[i] ? setting.values[i]->text : std::string("-"); });
    row("status", [&](std::size_t i) { return runs[i].status; });
    row("epochs_done", [&](std::size_t i) { return std::to_string(runs[i].epochsDone); });
    for (const auto& [name, member] : metrics)
        row(name, [&](std::size_t i) { return num(runs[i].*member); });
    std::vector<std::size_t> width(runs.size() + 1, 0);
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c) width[c] = std::max(width[c], r[c].size());
    for (const auto& r : rows) {
        std::printf("%-*s", static_cast<int>(width[0]), r[0].c_str());
        for (std::size_t c = 1; c < r.size(); ++c)
            std::printf("  %*s", static_cast<int>(width[c]), r[c].c_str());
        std::printf("\n");
        if (&r == &rows[0] && differing.empty()) std::printf("(the settings are identical)\n");
    }
    for (std::size_t i = 1; i < runs.size(); ++i) {
        std::printf("network of run %lld against run %lld:%s\n", static_cast<long long>(runs[i].id),
                    static_cast<long long>(runs[0].id), network[i].empty() ? " the same" : "");
        for (const std::string& line : network[i]) std::printf("  %s\n", line.c_str());
    }
    return 0;
}

int resume(const Args& args, const std::string& db, int64_t id) {
    std::unique_ptr<storage::Recorder> recorder;
    int fromEpoch = 0;
    int64_t globalStep = 0;
    TrainerState state;
    storage::RunDetails r;
    {
        RunStore store(db);
        r = store.requireRun(id);
        if (r.status == "running")
            throwBadInput("run " + std::to_string(id) + " is still running (pid " +
                          std::to_string(r.pid) + " on " + r.host + ")");
        if (r.status != "interrupted" && r.status != "cancelled" && r.status != "failed")
            throwBadInput("run " + std::to_string(id) + " is " + r.status + "; only interrupted, "
                          "cancelled or failed runs can be resumed");
        const auto ck = store.checkpoint(id, storage::CheckpointKind::Latest);
        if (!ck)
            throwBadInput("run " + std::to_string(id) + " has no checkpoint (it stopped before its "
                          "first epoch ended); train it again");
        state = deserializeCheckpoint(ck->data, db + ": run " + std::to_string(id) + " checkpoint");
        fromEpoch = state.epoch;
        globalStep = state.globalStep;
    }
    std::vector<std::string> warnings;
    ProjectDocument project = parseProject(r.projectJson, db + ": run " + std::to_string(id) + " project", &warnings);
    // Settings changed while the run was paused (the studio's teaching controls) up to the
    // checkpoint apply again; later ones belonged to the epoch that was cut short.
    for (const storage::SettingChange& c : RunStore(db, RunStore::Mode::ReadOnly).settingChanges(id)) {
        if (c.step > state.globalStep) continue;
        TrainConfig& t = project.training;
        if (c.setting == "lr") t.optimizer.lr = static_cast<float>(c.after);
        else if (c.setting == "batch_size") t.batchSize = static_cast<int>(c.after);
        else if (c.setting == "l1") t.l1 = static_cast<float>(c.after);
        else if (c.setting == "l2") t.l2 = static_cast<float>(c.after);
        else continue;
        std::fprintf(stderr, "note: %s %g -> %g from step %lld, changed while paused, applies again\n", c.setting.c_str(),
                     c.before, c.after, static_cast<long long>(c.step + 1));
    }
    RunSetup setup = prepareRun(project);
    // The weights were trained against the run's own target scaling (none for older runs).
    storage::restoreTargetScaling(r, setup, db + ": run " + std::to_string(id));
    if (!setup.deviceNote.empty()) std::fprintf(stderr, "%s\n", setup.deviceNote.c_str());
    if (!setup.weightsNote.empty()) std::fprintf(stderr, "%s\n", setup.weightsNote.c_str());
    Trainer trainer(*setup.model, setup.data, setup.project.training);
    trainer.resumeFrom(std::move(state));
    RunStore(db).beginResume(id, fromEpoch, globalStep);
    recorder = std::make_unique<storage::Recorder>(db, id, project.training.epochs, reportJson());
    std::fprintf(stderr, "resuming run %lld after epoch %d of %d\n", static_cast<long long>(id),
                 fromEpoch, project.training.epochs);
    CliPrinter printer(args.flag("json"), r.name, false);
    printer.setRunId(id);
    printer.setClassifier(setup.data.numClasses > 0);
    return runRecorded(trainer, setup, printer, recorder.get());
}

void writeFile(const std::filesystem::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
    out.close();
    if (!out) throw Error(ErrorKind::Io, p.string() + ": cannot write");
}

std::string csvCell(const json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    return io::dumpJson(v);
}

std::string number(double v) { return std::isfinite(v) ? io::dumpJson(json(v)) : std::string(); }

// One evaluation's metrics (the scalars of its metrics JSON, so the names match `runs show`),
// confusion matrix and curves as CSV files. A threshold of +inf (the curves' first point) is an
// empty cell.
void exportEvaluation(const std::filesystem::path& dir, const std::string& split, const EvaluationReport& r) {
    const json j = storage::metricsJson(r, false);
    std::string s = "metric,value\n";
    for (auto it = j.begin(); it != j.end(); ++it)
        if (it.value().is_number() || it.value().is_null()) s += it.key() + "," + csvCell(it.value()) + "\n";
    writeFile(dir / ("metrics_" + split + ".csv"), s);
    if (r.classification && r.classification->confusion.numClasses > 0) {
        const ClassificationMetrics& m = *r.classification;
        const int k = m.confusion.numClasses;
        auto name = [&](int c) {
            return c < static_cast<int>(m.perClass.size()) ? m.perClass[static_cast<std::size_t>(c)].name : std::to_string(c);
        };
        s = "true\\predicted";
        for (int c = 0; c < k; ++c) s.append(",").append(name(c));
        s += "\n";
        for (int t = 0; t < k; ++t) {
            s += name(t);
            for (int p = 0; p < k; ++p) s.append(",").append(std::to_string(m.confusion.at(t, p)));
            s += "\n";
        }
        writeFile(dir / ("confusion_" + split + ".csv"), s);
    }
    if (!r.curves) return;
    auto curveCsv = [&](const char* file, const char* x, const char* y, auto points) {
        std::string out = std::string("class,") + x + "," + y + ",threshold\n";
        bool any = false;
        for (const ClassCurves& c : r.curves->perClass) {
            const auto& [xs, ys, ts] = points(c.curves);
            for (std::size_t i = 0; i < xs.size(); ++i, any = true)
                out += c.name + "," + number(xs[i]) + "," + number(ys[i]) + "," + number(ts[i]) + "\n";
        }
        if (any) writeFile(dir / (std::string(file) + "_" + split + ".csv"), out);
    };
    using Points = std::tuple<const std::vector<double>&, const std::vector<double>&, const std::vector<double>&>;
    curveCsv("roc", "fpr", "tpr", [](const BinaryCurves& c) { return Points{c.roc.fpr, c.roc.tpr, c.roc.thresholds}; });
    curveCsv("pr", "recall", "precision", [](const BinaryCurves& c) { return Points{c.pr.recall, c.pr.precision, c.pr.thresholds}; });
}

int exportCsv(RunStore& store, int64_t id, const std::string& dirName) {
    namespace fs = std::filesystem;
    store.requireRun(id);
    const fs::path dir(dirName);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(ErrorKind::Io, dir.string() + ": cannot create the directory: " + ec.message());
    std::string s = "step,epoch,loss,lr\n";
    for (const auto& p : store.steps(id))
        s += std::to_string(p.step) + "," + std::to_string(p.epoch) + "," + io::dumpJson(json(p.loss)) + "," +
             io::dumpJson(json(p.lr)) + "\n";
    writeFile(dir / "steps.csv", s);
    s = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds,samples_per_sec,best\n";
    for (const auto& e : store.epochs(id))
        s += std::to_string(e.epoch) + "," + io::dumpJson(json(e.trainLoss)) + "," + io::dumpJson(json(e.trainAccuracy)) +
             "," + csvCell(opt(e.valLoss)) + "," + csvCell(opt(e.valAccuracy)) + "," + io::dumpJson(json(e.lr)) +
             "," + io::dumpJson(json(e.seconds)) + "," + io::dumpJson(json(e.samplesPerSec)) + "," +
             (e.best ? "1" : "0") + "\n";
    writeFile(dir / "epochs.csv", s);
    for (const auto& ev : store.evaluations(id)) {
        exportEvaluation(dir, ev.split, storage::parseEvaluation(ev.reportJson, storage::storedWhere(store, id, ev.split + " evaluation")));
    }
    std::fprintf(stderr, "run %lld exported to %s\n", static_cast<long long>(id), dir.string().c_str());
    return 0;
}

int dispatch(int argc, char** argv) {
    const std::string sub = argc > 2 ? argv[2] : "";
    if (sub == "--help" || sub == "help") {
        std::fputs(kRunsHelp, stdout);
        return 0;
    }
    if (sub.empty()) {
        std::fputs(kRunsHelp, stderr);
        throwBadInput("runs needs a subcommand (list, show, compare, resume, delete, tag, note, export, import)");
    }
    Args args(argc, argv, 3, {"json", "help"}, {"db", "csv", "experiment", "project", "weights"});
    if (args.flag("help")) {
        std::fputs(kRunsHelp, stdout);
        return 0;
    }
    const auto& pos = args.positional();
    auto needArgs = [&](std::size_t n, const char* usage) {
        if (pos.size() != n) throwBadInput(std::string("usage: neurite-cli runs ") + usage);
    };
    const bool asJson = args.flag("json");
    // Commands that write must not create an empty database as a side effect of a typo.
    auto existingDb = [&] {
        const std::string db = dbPath(args, false);
        if (!std::filesystem::exists(db))
            throwBadInput(db + ": no run database here yet; train with neurite-cli train to create "
                          "it, or pass --db FILE");
        return db;
    };
    if (sub == "list") {
        needArgs(0, "list [--json] [--experiment ID] [--db FILE]");
        const std::string db = dbPath(args, false);
        std::optional<int64_t> experiment;
        if (auto v = args.str("experiment")) experiment = positiveId(*v, "an experiment id");
        if (!std::filesystem::exists(db) && !experiment) {
            std::printf(asJson ? "[]\n" : "no runs yet (%s does not exist)\n", db.c_str());
            return 0;
        }
        RunStore store(db, RunStore::Mode::ReadOnly);
        return list(store, asJson, experiment);
    }
    if (sub == "show") {
        needArgs(1, "show ID [--json] [--db FILE]");
        RunStore store(dbPath(args, false), RunStore::Mode::ReadOnly);
        return show(store, runId(pos[0]), asJson);
    }
    if (sub == "compare") {
        std::vector<int64_t> ids;
        for (const auto& p : pos) ids.push_back(runId(p));
        RunStore store(dbPath(args, false), RunStore::Mode::ReadOnly);
        return compare(store, ids, asJson);
    }
    if (sub == "export") {
        needArgs(1, "export ID --csv DIR [--db FILE]");
        const auto dir = args.str("csv");
        if (!dir) throwBadInput("runs export needs --csv DIR");
        RunStore store(dbPath(args, false), RunStore::Mode::ReadOnly);
        return exportCsv(store, runId(pos[0]), *dir);
    }
    if (sub == "resume") {
        needArgs(1, "resume ID [--json] [--db FILE]");
        return resume(args, existingDb(), runId(pos[0]));
    }
    if (sub == "delete") {
        needArgs(1, "delete ID [--db FILE]");
        RunStore(existingDb()).deleteRun(runId(pos[0]));
        std::fprintf(stderr, "run %s deleted\n", pos[0].c_str());
        return 0;
    }
    if (sub == "tag") {
        needArgs(2, "tag ID TAG [--db FILE]");
        RunStore(existingDb()).addTag(runId(pos[0]), pos[1]);
        return 0;
    }
    if (sub == "note") {
        needArgs(2, "note ID TEXT [--db FILE]");
        RunStore(existingDb()).setNote(runId(pos[0]), pos[1]);
        return 0;
    }
    if (sub == "import") {
        needArgs(1, "import FILE [--project P [--weights DIR]] [--json] [--db FILE]");
        const storage::PreparedImport prepared = storage::prepareImport(
            pos[0], args.str("project").value_or(""), args.str("weights").value_or(""));
        const storage::ImportedRun& parsed = prepared.run;
        RunStore store(dbPath(args, true));
        const int64_t id = storage::importRun(store, parsed, prepared.weights ? &*prepared.weights : nullptr);
        if (asJson)
            std::printf("{\"run\":%lld,\"epochs\":%zu,\"status\":\"%s\"}\n", static_cast<long long>(id),
                        parsed.epochs.size(), parsed.outcome.status.c_str());
        std::fprintf(stderr, "imported %s as run %lld: %zu epochs, %s%s\n", pos[0].c_str(), static_cast<long long>(id),
                     parsed.epochs.size(), parsed.outcome.status.c_str(),
                     parsed.ranOn.empty() ? "" : (", trained with " + parsed.ranOn).c_str());
        return 0;
    }
    throwBadInput("unknown runs subcommand '" + sub + "'; expected list, show, compare, resume, "
                  "delete, tag, note, export or import (see neurite-cli runs --help)");
}

}  // namespace

int runRuns(int argc, char** argv) {
    try {
        return dispatch(argc, argv);
    } catch (const json::exception& e) {
        // Every JSON these commands read comes from the database: a value of the wrong type or
        // a missing key means the file was damaged or edited, not a bug here.
        throwBadInput(std::string("the run database holds damaged JSON: ") + e.what());
    }
}

}  // namespace neurite::cli
