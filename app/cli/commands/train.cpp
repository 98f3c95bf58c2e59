// neurite-cli train PROJECT: trains a project with optional overrides of its settings.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <cstdio>
#include <memory>
#include <optional>

#include "cli.h"
#include "distillation_teacher.h"
#include "core/error.h"
#include "devices/device_registry.h"
#include "experiment/runner.h"
#include "experiment_host.h"
#include "io/json_text.h"
#include "data/data_source.h"
#include "io/project.h"
#include "printer.h"
#include "run_info.h"
#include "run_recording.h"
#include "scores_csv.h"
#include "run/run_setup.h"
#include "train/perturb.h"
#include "train/trainer.h"

namespace neurite::cli {

namespace {

const char* kTrainHelp =
    "usage: neurite-cli train PROJECT [options]\n"
    "  --epochs N            override training.epochs\n"
    "  --batch-size N        override training.batch_size\n"
    "  --lr X                override training.optimizer.lr\n"
    "  --device D            auto | cpu | cuda | cuda:N\n"
    "  --gpu-memory-cap MIB  the most GPU memory this run may hold (out-of-memory error beyond)\n"
    "  --threads N           CPU threads (0 = all cores)\n"
    "  --seed N              random seed (same seed and threads give identical results)\n"
    "  --precision P         fp32 | bf16\n"
    "  --max-steps N         stop each epoch after N steps\n"
    "  --json                JSON Lines events on stdout (epoch, finished, failed) with the\n"
    "                        metrics of the validation and test splits (docs/metrics.md)\n"
    "  --curves              also per-class metrics, confusion matrix and ROC/PR curves in\n"
    "                        every epoch event (the finished event always has them)\n"
    "  --scores FILE.csv     after training, one row per test sample (validation without a\n"
    "                        test split): label,predicted,p_<class>...\n"
    "  --db FILE             record the run in this database (default\n"
    "                        $XDG_DATA_HOME/neurite/runs.db; see neurite-cli runs)\n"
    "  --no-db               do not record the run\n"
    "  --branch RUN:EPOCH    rewind: start from stored run RUN's state after EPOCH (weights,\n"
    "                        optimizer, schedule) with this project's settings, as a new run\n"
    "                        that carries RUN's history up to EPOCH (runs show lists the epochs\n"
    "                        a run can branch from)\n"
    "  --data SOURCE         train on another data source (docs/data.md) instead of data.source\n"
    "  --target COL          csv sources: the target column (name or 0-based index)\n"
    "  --target-scaling S    regression: standardize (default; metrics stay in the target's\n"
    "                        units) or none (train on the raw targets)\n"
    "  --folds K             stratified K-fold cross-validation: trains K models, each validated\n"
    "                        on one fold, and reports every fold and the mean +- std; recorded as\n"
    "                        an experiment (every fold a run; neurite-cli experiment show)\n"
    "  --perturb ULPS        move every nonzero initial weight by ULPS units in the last place\n"
    "                        (1 to 1024): how much rounding alone changes this training, the\n"
    "                        floor of any CPU-vs-GPU comparison (docs/gpu.md); the run is\n"
    "                        tagged perturbed\n";

// "RUN:EPOCH", both positive.
storage::BranchPoint branchPoint(const std::string& text) {
    const auto colon = text.find(':');
    if (colon == std::string::npos)
        throwBadInput("--branch needs RUN:EPOCH (a run id and an epoch, as 3:17), got '" + text + "'");
    const int64_t epoch = positiveId(text.substr(colon + 1), "--branch's epoch");
    if (epoch > 1000000) throwBadInput("--branch's epoch must be at most 1000000, got " + std::to_string(epoch));
    return {positiveId(text.substr(0, colon), "--branch's run id"), static_cast<int>(epoch)};
}

}  // namespace

// Shared with export, which trains the same way (cli.h).
void applyTrainOverrides(const Args& a, TrainConfig& t) {
    if (auto v = a.integer("epochs", 1, 1000000)) t.epochs = static_cast<int>(*v);
    if (auto v = a.integer("batch-size", 1, 1 << 20)) t.batchSize = static_cast<int>(*v);
    if (auto v = a.number("lr", 1e-12, 1e38)) t.optimizer.lr = static_cast<float>(*v);
    if (auto v = a.str("device")) t.device = *v;
    if (auto v = a.integer("threads", 0, 4096)) t.threads = static_cast<int>(*v);
    if (auto v = a.integer("seed", 0, (1LL << 62))) t.seed = static_cast<uint64_t>(*v);
    if (auto v = a.integer("max-steps", 1, 1LL << 40)) t.maxSteps = *v;
    if (auto v = a.str("precision")) {
        if (*v == "fp32") t.precision = Precision::Fp32;
        else if (*v == "bf16") t.precision = Precision::Bf16;
        else throwBadInput("--precision must be fp32 or bf16, got '" + *v + "'");
    }
}

namespace {

void printNotes(const Dataset& data) {
    for (const auto& note : data.notes) std::fprintf(stderr, "data: %s\n", note.c_str());
}

// Mean and sample standard deviation of the folds' values.
std::pair<double, double> meanStd(const std::vector<double>& v) {
    double mean = 0, var = 0;
    for (double x : v) mean += x;
    mean /= static_cast<double>(v.size());
    for (double x : v) var += (x - mean) * (x - mean);
    return {mean, v.size() > 1 ? std::sqrt(var / static_cast<double>(v.size() - 1)) : 0.0};
}

// K-fold cross-validation: one model per fold, trained from the same seed, validated on its fold.
// It runs as an experiment of one trial without parameters (engine/experiment), so with a store
// every fold is a run and the experiment's trial holds the mean and standard deviation.
int runFolds(const ProjectDocument& project, const std::string& path, int k, bool json,
             storage::RunStore* store) {
    ExperimentDefinition def;
    def.fileName = path;
    def.name = (project.name.empty() ? std::string("run") : project.name) + " (" + std::to_string(k) +
               "-fold cross-validation)";
    def.projectPath = std::filesystem::absolute(path).string();
    def.project = io::parseJson(projectToJson(project), path);
    def.folds = k;
    int64_t id = 0;
    std::optional<storage::ExperimentStore> experiments;
    if (store) {
        experiments.emplace(*store);
        id = experiments->create(def.name, io::dumpJson(experimentToJson(def)), def.projectPath, 1);
        std::fprintf(stderr, "recording the folds as experiment %lld in %s\n", static_cast<long long>(id),
                     store->path().c_str());
    }
    CliExperimentHost host(store, id, def, 1, json, CliExperimentHost::Style::Folds);
    ExperimentOptions options;
    options.threads = project.training.threads;
    options.device = project.training.device;
    StopToken* stop = installInterruptHandler();
    ExperimentOutcome outcome;
    try {
        outcome = runExperiment(def, host, *stop, options);
    } catch (const Error& e) {
        if (experiments) experiments->finish(id, "failed", e.what());
        throw;
    }
    if (experiments) experiments->finish(id, outcome.status);
    if (outcome.status == "stopped") return 130;
    if (outcome.trials.empty() || outcome.trials[0].status == "failed")
        throwBadInput(outcome.trials.empty() ? "cross-validation did not run" : outcome.trials[0].message);
    std::vector<CliExperimentHost::Finished> folds = host.finished();
    std::sort(folds.begin(), folds.end(), [](const auto& a, const auto& b) { return a.spec.fold < b.spec.fold; });
    std::vector<double> losses, accuracies;
    for (const auto& f : folds) {
        losses.push_back(f.event.valLoss.value_or(NAN));
        if (f.event.valAccuracy) accuracies.push_back(*f.event.valAccuracy);
        std::printf("fold %d/%d: val_loss %.4f%s\n", f.spec.fold, k, losses.back(),
                    f.event.valAccuracy ? (", val_accuracy " + std::to_string(*f.event.valAccuracy)).c_str() : "");
    }
    const auto [lossMean, lossStd] = meanStd(losses);
    std::printf("cross-validation (%d folds): val_loss %.4f +- %.4f", k, lossMean, lossStd);
    if (accuracies.size() == losses.size()) {
        const auto [accMean, accStd] = meanStd(accuracies);
        std::printf(", val_accuracy %.4f +- %.4f", accMean, accStd);
    }
    std::printf("\n");
    return 0;
}

}  // namespace

int runTrain(int argc, char** argv) {
    Args args(argc, argv, 2, {"json", "curves", "help", "no-db"},
              {"epochs", "batch-size", "lr", "device", "threads", "seed", "precision", "max-steps",
               "scores", "db", "data", "target", "target-scaling", "folds", "gpu-memory-cap", "branch", "perturb"});
    if (args.flag("help")) {
        std::fputs(kTrainHelp, stdout);
        return 0;
    }
    if (args.positional().size() != 1)
        throwBadInput("train needs exactly one project file (see neurite-cli train --help)");
    const std::string path = args.positional()[0];

    // Opened before anything slow, so that a bad path does not cost a run.
    std::unique_ptr<ScoresFile> scores;
    if (auto p = args.str("scores")) scores = std::make_unique<ScoresFile>(*p);

    // The store too, so that an unusable database is reported before the data is loaded.
    if (args.flag("no-db") && args.str("db")) throwBadInput("--db and --no-db exclude each other");
    std::optional<storage::RunStore> store;
    if (!args.flag("no-db")) store.emplace(dbPath(args, true));

    std::optional<storage::BranchPoint> branch;
    if (auto v = args.str("branch")) {
        if (!store) throwBadInput("--branch needs the run database; drop --no-db");
        if (args.str("folds")) throwBadInput("--branch and --folds do not go together");
        branch = branchPoint(*v);
    }
    const auto perturb = args.integer("perturb", 1, 1024);
    if (perturb && branch) throwBadInput("--perturb and --branch do not go together: a branch starts from trained weights");
    if (perturb && args.str("folds")) throwBadInput("--perturb and --folds do not go together; perturb one training at a time");
    if (auto mib = args.integer("gpu-memory-cap", 1, 1LL << 24))
        setGpuMemoryCap(static_cast<std::size_t>(*mib) << 20);

    std::vector<std::string> warnings;
    ProjectDocument project = loadProject(path, &warnings);
    applyTrainOverrides(args, project.training);
    if (auto v = args.str("data")) {
        project.data.source = *v;
        project.data.target.clear();  // the project's target column belongs to its own source
    }
    if (auto v = args.str("target")) project.data.target = *v;
    if (auto v = args.str("target-scaling")) {
        if (*v != "standardize" && *v != "none")
            throwBadInput("--target-scaling must be standardize or none, got '" + *v + "'");
        project.data.targetScaling = *v;
    }
    for (const auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (auto k = args.integer("folds", 2, 1000)) {
        if (scores) throwBadInput("--scores and --folds do not go together; score one model at a time");
        return runFolds(project, path, static_cast<int>(*k), args.flag("json"), store ? &*store : nullptr);
    }

    RunSetup setup = prepareRun(project);
    printNotes(setup.data);
    for (const auto& w : setup.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    if (!setup.deviceNote.empty()) std::fprintf(stderr, "%s\n", setup.deviceNote.c_str());
    if (!setup.weightsNote.empty()) std::fprintf(stderr, "%s\n", setup.weightsNote.c_str());
    std::fprintf(stderr, "%s: %lld parameters, data %s (%lld train, %lld val, %lld test), %s\n",
                 project.name.empty() ? path.c_str() : project.name.c_str(),
                 static_cast<long long>(setup.model->parameterCount()), setup.data.source.c_str(),
                 static_cast<long long>(setup.data.train.count),
                 static_cast<long long>(setup.data.validation.count),
                 static_cast<long long>(setup.data.test.count), setup.backend->name().c_str());

    const DataSplit& scored = setup.data.test.count > 0 ? setup.data.test : setup.data.validation;
    if (scores && setup.data.numClasses <= 0)
        throwBadInput("--scores needs class labels, but '" + setup.data.source +
                      "' has regression targets");
    if (scores && scored.count == 0)
        throwBadInput("--scores needs a test or validation split; set data.test_split or "
                      "data.validation_split");

    std::optional<TrainerState> start;
    if (branch) {
        std::vector<std::string> notes;
        start = storage::branchState(*store, setup, *branch, notes);
        for (const auto& n : notes) std::fprintf(stderr, "note: %s\n", n.c_str());
    }
    Trainer trainer(*setup.model, setup.data, project.training);
    if (perturb) {
        const int64_t moved = perturbWeights(*setup.model, static_cast<int>(*perturb));
        std::fprintf(stderr, "perturbed: %lld of %lld initial weights moved by %lld ulp\n", static_cast<long long>(moved),
                     static_cast<long long>(setup.model->parameterCount()), static_cast<long long>(*perturb));
    }
    if (start) trainer.resumeFrom(std::move(*start));
    if (project.training.distillation.enabled()) {
        std::fprintf(stderr, "distilling from %s (alpha %g, temperature %g): its outputs on the training split...\n",
                     project.training.distillation.teacher.c_str(), project.training.distillation.alpha,
                     project.training.distillation.temperature);
        trainer.setTeacher(storage::distillationTeacher(project, setup.data, store ? store->path() : dbPath(args, false)));
    }
    CliPrinter printer(args.flag("json"), project.name.empty() ? "run" : project.name,
                       args.flag("curves"));
    printer.setClassifier(setup.data.numClasses > 0);
    // The run is created once the trainer accepted the setup, so bad input leaves no run behind.
    std::unique_ptr<storage::Recorder> recorder;
    if (store) {
        const std::string db = store->path();
        const int64_t runId = branch ? store->beginBranch(storage::describeBranch(setup, *branch), branch->run, branch->epoch)
                                     : store->beginRun(storage::describeRun(setup));
        recorder = std::make_unique<storage::Recorder>(db, runId, project.training.epochs, reportJson());
        printer.setRunId(runId);
        if (perturb) {
            store->addTag(runId, "perturbed");
            store->setNote(runId, "initial weights moved by " + std::to_string(*perturb) +
                                      " ulp (neurite-cli train --perturb)");
        }
        std::fprintf(stderr, "recording run %lld in %s\n", static_cast<long long>(runId), db.c_str());
        if (branch)
            std::fprintf(stderr, "branched from run %lld after epoch %d of %d\n", static_cast<long long>(branch->run),
                         branch->epoch, project.training.epochs);
    }
    const int code = runRecorded(trainer, setup, printer, recorder.get());
    if (scores) {
        scores->write(trainer.evaluate(scored).scores);
        std::fprintf(stderr, "scores of %lld %s samples written to %s\n",
                     static_cast<long long>(scored.count),
                     &scored == &setup.data.test ? "test" : "validation", scores->path().c_str());
    }
    return code;
}

}  // namespace neurite::cli
