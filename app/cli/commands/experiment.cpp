// neurite-cli experiment: runs a *.experiment.json (sweeps, repeats, cross-validation) with every
// training recorded in the run store under its experiment; resume, show and list.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "core/error.h"
#include "experiment/importance.h"
#include "experiment/objective.h"
#include "experiment/runner.h"
#include "experiment_host.h"
#include "experiment_store.h"
#include "io/json_text.h"
#include "run_recording.h"
#include "trial_records.h"

namespace neurite::cli {

namespace {

using nlohmann::json;
using storage::ExperimentStore;
using storage::RunStore;

const char* kHelp =
    "usage: neurite-cli experiment SUBCOMMAND [--db FILE]\n"
    "  run FILE [options]     run a *.experiment.json (docs/project-format.md, \"Experiments\"):\n"
    "                         every training is recorded in the run store under the experiment\n"
    "  resume ID [options]    continue an interrupted or stopped experiment: finished trials are\n"
    "                         kept, the others run again\n"
    "  check FILE [--json]    read and check a definition and list its trials; trains nothing\n"
    "  show ID [--json]       the trials table and the best trial\n"
    "  list [--json]          every stored experiment\n"
    "  delete ID [--runs]     remove an experiment and its trials; its runs stay as ordinary runs,\n"
    "                         or with --runs are deleted too\n"
    "options of run and resume:\n"
    "  --parallel N           trials at once (default 1); the CPU threads are split between them\n"
    "  --threads N            CPU threads in all (default: every core)\n"
    "  --device D             auto | cpu | cuda | cuda:N for every trial (default: the project's)\n"
    "  --json                 JSON Lines events on stdout: trial_started, the epoch and finished\n"
    "                         events of each training with experiment_id, trial, repeat, fold and\n"
    "                         params, trial (its result), experiment_finished\n"
    "  --db FILE              the run database (default $XDG_DATA_HOME/neurite/runs.db)\n"
    "Ctrl+C stops after the current step of every running training; resume continues.\n";



json importanceJson(const ExperimentDefinition& def, const std::vector<TrialResult>& trials) {
    std::size_t used = 0;
    json rows = json::array();
    for (const ParamImportance& p : trialImportance(def, trials, &used))
        rows.push_back({{"path", p.path}, {"importance", p.importance}, {"eta2", p.eta2}});
    return {{"method", "first-order variance share (eta^2 of the objective grouped by the parameter)"},
            {"trials", used}, {"parameters", rows}};
}

void printTable(const ExperimentDefinition& def, const std::vector<TrialResult>& trials) {
    std::printf("%5s  %-10s  %12s  %10s  %8s  %s\n", "trial", "status", def.objective.c_str(), "std",
                "seconds", "params");
    for (const TrialResult& t : trials)
        std::printf("%5d  %-10s  %12s  %10s  %8.1f  %s\n", t.number, t.status.c_str(),
                    shortNumber(t.objective).c_str(), shortNumber(t.objectiveStd).c_str(), t.seconds,
                    describeValues(def, t.values).c_str());
    const std::optional<std::size_t> best = bestTrial(def, trials);
    if (best)
        std::printf("best: trial %d, %s %s (%s)%s%s\n", trials[*best].number, def.objective.c_str(),
                    shortNumber(trials[*best].objective).c_str(), def.maximize ? "maximized" : "minimized",
                    def.space.empty() ? "" : ", ", describeValues(def, trials[*best].values).c_str());
    else
        std::printf("best: none yet (no trial completed)\n");
    std::size_t used = 0;
    const std::vector<ParamImportance> importance = trialImportance(def, trials, &used);
    if (used < 3 || importance.empty()) return;
    std::string line;
    for (const ParamImportance& p : importance) {
        char buf[32];
        std::snprintf(buf, sizeof buf, " %.2f", p.importance);
        line.append(line.empty() ? "" : ",").append(" ").append(p.path).append(buf);
    }
    std::printf("importance (share of the objective's variance each explains alone, over %zu completed "
                "trials):%s\n", used, line.c_str());
}

json tableJson(const ExperimentDefinition& def, const std::vector<TrialResult>& trials) {
    json rows = json::array();
    for (const TrialResult& t : trials) {
        json each = json::array();
        for (const auto& v : t.trainingObjectives) each.push_back(optionalJson(v));
        rows.push_back({{"trial", t.number}, {"status", t.status}, {"params", valuesToJson(def, t.values)},
                        {"objective", optionalJson(t.objective)}, {"objective_std", optionalJson(t.objectiveStd)},
                        {"trainings", each}, {"seconds", t.seconds}, {"message", t.message},
                        {"parameters", t.parameters}, {"flops", t.flopsPerSample}});
    }
    return rows;
}

int execute(RunStore& store, int64_t id, const ExperimentDefinition& def, const Args& args,
            std::vector<TrialResult> done) {
    ExperimentOptions options;
    if (auto v = args.integer("parallel", 1, 256)) options.parallel = static_cast<int>(*v);
    // the project's thread count unless --threads says otherwise (0: every core), as train does
    if (def.project.contains("training") && def.project["training"].is_object() &&
        def.project["training"].value("threads", json(0)).is_number_integer())
        options.threads = std::max(0, def.project["training"].value("threads", 0));
    if (auto v = args.integer("threads", 0, 4096)) options.threads = static_cast<int>(*v);
    if (auto v = args.str("device")) options.device = *v;
    const bool asJson = args.flag("json");
    const int planned = plannedTrialCount(def);
    std::fprintf(stderr, "experiment %lld \"%s\": %d trial(s) of %d training(s), objective %s (%s), "
                         "%d at once; recording in %s\n",
                 static_cast<long long>(id), def.name.c_str(), planned,
                 def.repeats * std::max(1, def.folds), def.objective.c_str(),
                 def.maximize ? "maximize" : "minimize", options.parallel, store.path().c_str());
    CliExperimentHost host(&store, id, def, planned, asJson);
    StopToken* stop = installInterruptHandler();
    ExperimentStore experiments(store);
    ExperimentOutcome outcome;
    try {
        outcome = runExperiment(def, host, *stop, options, std::move(done));
    } catch (const Error& e) {
        experiments.finish(id, "failed", e.what());
        throw;
    }
    experiments.finish(id, outcome.status);
    const std::optional<std::size_t> best = bestTrial(def, outcome.trials);
    json fin{{"event", "experiment_finished"}, {"experiment_id", id}, {"status", outcome.status},
             {"trials", tableJson(def, outcome.trials)}, {"importance", importanceJson(def, outcome.trials)}};
    if (best) {
        fin["best_trial"] = outcome.trials[*best].number;
        fin["best_objective"] = *outcome.trials[*best].objective;
        fin["best_params"] = valuesToJson(def, outcome.trials[*best].values);
    }
    emitEvent(asJson, fin);
    if (!asJson) printTable(def, outcome.trials);
    if (outcome.status == "stopped") {
        std::fprintf(stderr, "experiment %lld stopped; continue it with neurite-cli experiment resume %lld\n",
                     static_cast<long long>(id), static_cast<long long>(id));
        return 130;
    }
    bool anyDone = false;
    const TrialResult* firstFailure = nullptr;
    for (const TrialResult& t : outcome.trials) {
        anyDone = anyDone || t.status == "completed" || t.status == "infeasible";
        if (t.status == "failed" && !firstFailure) firstFailure = &t;
    }
    if (!anyDone && firstFailure)
        throwBadInput("every trial failed; the first, trial " + std::to_string(firstFailure->number) +
                      ": " + firstFailure->message);
    return 0;
}

ExperimentDefinition storedDefinition(ExperimentStore& experiments, int64_t id) {
    const storage::ExperimentRecord e = experiments.require(id);
    return parseExperiment(e.definitionJson, "experiment " + std::to_string(id) + " (as stored)", "");
}

int show(RunStore& store, int64_t id, bool asJson) {
    ExperimentStore experiments(store);
    const storage::ExperimentRecord e = experiments.require(id);
    const ExperimentDefinition def = storedDefinition(experiments, id);
    const std::vector<storage::TrialRecord> stored = experiments.trials(id);
    const std::vector<TrialResult> trials = storedResults(def, stored);
    if (asJson) {
        json j{{"id", e.id}, {"name", e.name}, {"status", e.status}, {"message", e.message},
               {"source", e.sourcePath}, {"planned_trials", e.plannedTrials},
               {"objective", def.objective}, {"direction", def.maximize ? "maximize" : "minimize"},
               {"trials", tableJson(def, trials)}, {"definition", io::parseJson(e.definitionJson, "definition")}};
        for (std::size_t i = 0; i < stored.size(); ++i) j["trials"][i]["run_ids"] = stored[i].runIds;
        if (auto best = bestTrial(def, trials)) j["best_trial"] = trials[*best].number;
        j["importance"] = importanceJson(def, trials);
        std::printf("%s\n", io::dumpJson(j).c_str());
        return 0;
    }
    std::printf("experiment %lld \"%s\": %s, %d of %d trial(s) done%s%s\n", static_cast<long long>(e.id),
                e.name.c_str(), e.status.c_str(), e.trialsDone, e.plannedTrials,
                e.message.empty() ? "" : "; ", e.message.c_str());
    printTable(def, trials);
    return 0;
}

int list(RunStore& store, bool asJson) {
    ExperimentStore experiments(store);
    const auto all = experiments.list();
    if (asJson) {
        json a = json::array();
        for (const auto& e : all)
            a.push_back({{"id", e.id}, {"name", e.name}, {"status", e.status}, {"message", e.message},
                         {"planned_trials", e.plannedTrials}, {"trials_done", e.trialsDone},
                         {"created_at", e.createdAt}, {"ended_at", optionalJson(e.endedAt)}});
        std::printf("%s\n", io::dumpJson(a).c_str());
        return 0;
    }
    if (all.empty()) std::printf("no experiments in %s\n", store.path().c_str());
    for (const auto& e : all)
        std::printf("%5lld  %-12s  %3d/%-3d trials  %s\n", static_cast<long long>(e.id), e.status.c_str(),
                    e.trialsDone, e.plannedTrials, e.name.c_str());
    return 0;
}

int check(const std::string& file, bool asJson) {
    const ExperimentDefinition def = loadExperiment(file);
    std::vector<Assignment> trials = plannedTrials(def);
    if (def.maxTrials > 0 && trials.size() > static_cast<std::size_t>(def.maxTrials))
        trials.resize(static_cast<std::size_t>(def.maxTrials));
    if (def.strategy == SearchStrategy::Bayesian) {
        if (asJson) {
            std::printf("%s\n", io::dumpJson(json{{"definition", experimentToJson(def)},
                                                   {"trials", plannedTrialCount(def)}}).c_str());
            return 0;
        }
        std::printf("%s: \"%s\", project %s, Bayesian search (TPE): %d trial(s), the first %d drawn at "
                    "random, each proposed from the results before it; %d training(s) per trial, "
                    "objective %s (%s)\n",
                    file.c_str(), def.name.c_str(), def.projectPath.c_str(), plannedTrialCount(def),
                    std::min(def.startupTrials, plannedTrialCount(def)), def.repeats * std::max(1, def.folds),
                    def.objective.c_str(), def.maximize ? "maximize" : "minimize");
        return 0;
    }
    if (asJson) {
        json rows = json::array();
        for (const Assignment& a : trials) rows.push_back(valuesToJson(def, a));
        std::printf("%s\n", io::dumpJson(json{{"definition", experimentToJson(def)}, {"trials", rows}}).c_str());
        return 0;
    }
    std::printf("%s: \"%s\", project %s, %zu trial(s) x %d training(s), objective %s (%s)\n",
                file.c_str(), def.name.c_str(), def.projectPath.c_str(), trials.size(),
                def.repeats * std::max(1, def.folds), def.objective.c_str(),
                def.maximize ? "maximize" : "minimize");
    for (std::size_t i = 0; i < trials.size(); ++i)
        std::printf("%5zu  %s\n", i + 1, describeValues(def, trials[i]).c_str());
    return 0;
}

}  // namespace

int runExperimentCommand(int argc, char** argv) {
    const std::string sub = argc > 2 ? argv[2] : "";
    if (sub == "--help" || sub == "help") {
        std::fputs(kHelp, stdout);
        return 0;
    }
    if (sub.empty()) {
        std::fputs(kHelp, stderr);
        throwBadInput("experiment needs a subcommand (run, resume, check, show, list, delete)");
    }
    Args args(argc, argv, 3, {"json", "help", "runs"}, {"db", "parallel", "threads", "device"});
    if (args.flag("help")) {
        std::fputs(kHelp, stdout);
        return 0;
    }
    const auto& pos = args.positional();
    auto needArgs = [&](std::size_t n, const char* usage) {
        if (pos.size() != n) throwBadInput(std::string("usage: neurite-cli experiment ") + usage);
    };
    const bool asJson = args.flag("json");
    if (sub == "check") {
        needArgs(1, "check FILE [--json]");
        return check(pos[0], asJson);
    }
    if (sub == "run") {
        needArgs(1, "run FILE [--parallel N] [--threads N] [--device D] [--json] [--db FILE]");
        // The definition first: a bad one costs no database and no run.
        const ExperimentDefinition def = loadExperiment(pos[0]);
        RunStore store(dbPath(args, true));
        ExperimentStore experiments(store);
        const int64_t id = experiments.create(def.name, io::dumpJson(experimentToJson(def)),
                                              std::filesystem::absolute(pos[0]).string(), plannedTrialCount(def));
        return execute(store, id, def, args, {});
    }
    if (sub == "resume") {
        needArgs(1, "resume ID [--parallel N] [--threads N] [--device D] [--json] [--db FILE]");
        const int64_t id = positiveId(pos[0], "an experiment id");
        RunStore store(dbPath(args, false));
        ExperimentStore experiments(store);
        const ExperimentDefinition def = storedDefinition(experiments, id);
        experiments.claim(id);
        const std::vector<TrialResult> done = storedResults(def, experiments.trials(id));
        std::fprintf(stderr, "resuming experiment %lld: %zu trial(s) already done\n",
                     static_cast<long long>(id), done.size());
        return execute(store, id, def, args, done);
    }
    if (sub == "show") {
        needArgs(1, "show ID [--json] [--db FILE]");
        RunStore store(dbPath(args, false), RunStore::Mode::ReadOnly);
        return show(store, positiveId(pos[0], "an experiment id"), asJson);
    }
    if (sub == "list") {
        needArgs(0, "list [--json] [--db FILE]");
        const std::string db = dbPath(args, false);
        if (!std::filesystem::exists(db)) {
            std::printf(asJson ? "[]\n" : "no experiments yet (%s does not exist)\n", db.c_str());
            return 0;
        }
        RunStore store(db, RunStore::Mode::ReadOnly);
        return list(store, asJson);
    }
    if (sub == "delete") {
        needArgs(1, "delete ID [--runs] [--db FILE]");
        const int64_t id = positiveId(pos[0], "an experiment id");
        RunStore store(dbPath(args, false));
        const bool withRuns = args.flag("runs");
        const int runs = ExperimentStore(store).remove(id, withRuns);
        if (withRuns)
            std::fprintf(stderr, "experiment %lld deleted with %d run(s)\n", static_cast<long long>(id), runs);
        else
            std::fprintf(stderr, "experiment %lld deleted; its runs stay (neurite-cli runs list)\n",
                         static_cast<long long>(id));
        return 0;
    }
    std::fputs(kHelp, stderr);
    throwBadInput("unknown experiment subcommand '" + sub + "'");
}

}  // namespace neurite::cli
