// The Experiments tab with a big experiment: a generated store holding a 200-trial experiment
// over 7 parameters (each trial 3 folds, so 600 runs, each with its validation evaluation and
// curves) opens in the tab; then every view is shown, a brush is dragged over the parallel
// coordinates, the table is sorted and all of it selected (the Confusion view then pools and
// draws four trials). Each user step is timed from the input to the repaint done; the medians,
// p99 and maxima are printed. The issue's target: no step stalls the event loop (p99 < 50 ms).
//   bench_experiments_panel [--trials N] [--repeats N] [--width W --height H]
// Run with QT_QPA_PLATFORM=offscreen or under Xvfb (DISPLAY=:99).
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "experiment_store.h"
#include "experiments/experiment_results.h"
#include "experiments/experiments_panel.h"
#include "experiments/trial_confusions.h"
#include "experiments/trials_table_model.h"
#include "io/json_text.h"
#include "metrics/evaluation.h"
#include "metrics_json.h"
#include "parallel_coordinates_plot.h"
#include "run_store.h"
#include "trial_records.h"

namespace {

using nlohmann::json;

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

// A validation evaluation as the recorder stores it for a 3-class run: curves and confusion.
std::string evaluationReport(std::mt19937& rng, double skill) {
    neurite::ClassScores scores;
    scores.classNames = {"class 1", "class 2", "class 3"};
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (int i = 0; i < 60; ++i) {
        scores.labels.push_back(i % 3);
        float sum = 0;
        std::vector<float> row(3);
        for (int c = 0; c < 3; ++c)
            sum += row[static_cast<std::size_t>(c)] = u(rng) + (c == i % 3 ? static_cast<float>(skill) : 0.0f);
        for (float v : row) scores.probs.push_back(v / sum);
    }
    return neurite::io::dumpJson(neurite::storage::metricsJson(neurite::evaluateClassification(scores, "validation", 50), true));
}

json definition(const QString& sourceDir, int trials) {
    QFile f(sourceDir + "/resources/examples/wine.neurite.json");
    if (!f.open(QIODevice::ReadOnly)) return {};
    return {{"format", "neurite-experiment"},
            {"version", 1},
            {"name", "bench: 200 random trials"},
            {"project", neurite::io::parseJson(f.readAll().toStdString(), "wine")},
            {"project_path", "wine.neurite.json"},
            {"parameters",
             {{{"path", "training.optimizer.lr"}, {"log_uniform", {1e-4, 1e-1}}},
              {{"path", "training.batch_size"}, {"values", {8, 16, 32, 64}}},
              {{"path", "model.nodes[fc1].params.units"}, {"integer", {4, 128}}},
              {{"path", "training.optimizer.type"}, {"values", {"adam", "sgd", "rmsprop"}}},
              {{"path", "training.regularization.l2"}, {"log_uniform", {1e-6, 1e-2}}},
              {{"path", "training.epochs"}, {"integer", {5, 40}}},
              {{"path", "data.validation_split"}, {"uniform", {0.1, 0.3}}}}},
            {"strategy", {{"type", "random"}, {"trials", trials}, {"seed", 1}}},
            {"folds", 3},
            {"objective", {{"metric", "val_accuracy"}, {"direction", "maximize"}}}};
}

bool generate(const std::string& path, const json& defJson, int trials) {
    using namespace neurite;
    const ExperimentDefinition def = parseExperiment(io::dumpJson(defJson), "bench", "");
    storage::RunStore store(path);
    storage::ExperimentStore experiments(store);
    const int64_t id = experiments.create(def.name, io::dumpJson(experimentToJson(def)), "bench.experiment.json", trials);
    const std::vector<Assignment> plan = plannedTrials(def);
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0, 0.02);
    store.db().exec("BEGIN");
    for (int n = 1; n <= trials; ++n) {
        TrialResult r;
        r.number = n;
        r.values = plan[static_cast<std::size_t>(n - 1)];
        const double lr = r.values[0].get<double>();
        const double skill = 2.0 - 0.4 * std::fabs(std::log10(lr) + 2.5);  // best near lr 3e-3
        std::vector<double> folds;
        for (int fold = 1; fold <= 3; ++fold) {
            storage::NewRun run;
            run.name = "trial " + std::to_string(n) + " fold " + std::to_string(fold);
            run.projectJson = "{}";
            run.settingsJson = "{}";
            run.dataJson = R"({"train":118,"validation":60,"classes":["class 1","class 2","class 3"]})";
            run.device = "CPU";
            run.epochsPlanned = 20;
            run.experiment = storage::NewRun::ExperimentLink{id, n, 0, fold};
            const int64_t runId = store.beginRun(run);
            std::vector<double> curve;
            for (int e = 1; e <= 20; ++e) {
                storage::EpochRecord rec;
                rec.epoch = e;
                rec.trainLoss = 1.0 / e;
                rec.valLoss = 1.1 / e;
                rec.valAccuracy = std::min(1.0, 0.4 + skill * 0.25 * (1 - std::exp(-e / 5.0)) + noise(rng));
                store.putEpoch(runId, rec);
                curve.push_back(*rec.valAccuracy);
            }
            store.putEvaluation(runId, {"validation", 0.3, curve.back(), 0.95, evaluationReport(rng, skill)});
            storage::RunOutcome o;
            o.status = "completed";
            o.epochsDone = 20;
            o.valAccuracy = curve.back();
            store.finishRun(runId, o);
            folds.push_back(curve.back());
            r.curves.push_back(curve);
            r.trainingObjectives.push_back(curve.back());
        }
        double mean = 0;
        for (double v : folds) mean += v / 3;
        r.objective = mean;
        r.objectiveStd = 0.01;
        r.status = "completed";
        r.seconds = 2 + n % 7;
        r.parameters = 13 * 32 + 32 * 3 + 35;
        r.flopsPerSample = 1000;
        experiments.finishTrial(id, trialRecordOf(def, r));
    }
    store.db().exec("COMMIT");
    experiments.finish(id, "completed");
    return true;
}

struct Steps {
    std::vector<double> ms;
    void time(const std::function<void()>& step, QWidget* paint) {
        QElapsedTimer t;
        t.start();
        step();
        QCoreApplication::processEvents();
        paint->repaint();
        ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
};

void report(const char* what, const std::vector<double>& ms) {
    std::printf("%-44s p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms  (%zu steps)\n", what, percentile(ms, 0.5),
                percentile(ms, 0.99), ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()), ms.size());
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto option = [&](const char* name, int fallback) {
        const int i = static_cast<int>(args.indexOf(QString::fromLatin1(name)));
        return i > 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
    };
    const int trials = option("--trials", 200), repeats = option("--repeats", 3);
    const int width = option("--width", 1280), height = option("--height", 720);
    const QString sourceDir = QStringLiteral(NEURITE_SOURCE_DIR);
    QTemporaryDir dir;
    const QString db = dir.filePath("experiments.db");
    QElapsedTimer t;
    t.start();
    try {
        generate(db.toStdString(), definition(sourceDir, trials), trials);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
    std::printf("generated %d trials x 3 folds in %.1f s; the tab at %dx%d\n", trials, t.elapsed() / 1000.0, width, height);

    std::vector<double> open, views, brush, sort, selectAll;
    for (int r = 0; r < repeats; ++r) {
        neurite::ExperimentsPanel panel;
        panel.resize(width, height);
        panel.show();
        if (!QTest::qWaitForWindowExposed(&panel)) return 1;
        neurite::ExperimentResults* results = panel.results();
        Steps steps;
        steps.time([&] { panel.setStorePath(db); }, &panel);
        open.push_back(steps.ms.back());
        if (results->model()->rowCount() != trials) {
            std::fprintf(stderr, "error: the table has %d trials, expected %d\n", results->model()->rowCount(), trials);
            return 1;
        }
        steps.ms.clear();
        QTabWidget* tabs = results->views();
        for (int round = 0; round < 2; ++round)
            for (int i = 0; i < tabs->count(); ++i) steps.time([&] { tabs->setCurrentIndex(i); }, &panel);
        views.insert(views.end(), steps.ms.begin(), steps.ms.end());

        // A brush on the parallel coordinates' units axis (4..128), dragged up and down.
        tabs->setCurrentWidget(results->parallelPlot());
        QCoreApplication::processEvents();
        neurite::plot::ParallelCoordinatesPlot* pc = results->parallelPlot();
        QCustomPlot* plot = pc->customPlot();
        plot->replot();
        int replots = 0, selections = 0;
        QObject::connect(plot, &QCustomPlot::afterReplot, [&] { ++replots; });
        QObject::connect(pc, &neurite::plot::ParallelCoordinatesPlot::selectionChanged, [&] { ++selections; });
        const QPointF top = pc->axisPoint(2, 120), bottom = pc->axisPoint(2, 10);
        QTest::mousePress(plot, Qt::LeftButton, {}, top.toPoint());
        steps.ms.clear();
        for (int i = 0; i < 200; ++i) {
            const double f = 0.1 + 0.8 * std::fabs(std::sin(i * 0.07));
            steps.time([&] { QTest::mouseMove(plot, (top + f * (bottom - top)).toPoint()); }, &panel);
        }
        QTest::mouseRelease(plot, Qt::LeftButton, {}, (top + 0.5 * (bottom - top)).toPoint());
        brush.insert(brush.end(), steps.ms.begin(), steps.ms.end());
        if (r == 0)
            std::printf("brush: %d replots and %d selection changes over 200 moves; %d of %d trials kept at the end\n",
                        replots, selections, static_cast<int>(pc->selectedTrials().size()), pc->trialCount());

        // Sort by each of the first columns, then select every trial in the Confusion view.
        steps.ms.clear();
        QHeaderView* header = results->table()->horizontalHeader();
        for (int c = 0; c < 6; ++c)
            steps.time([&] { QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                                              QPoint(header->sectionViewportPosition(c) + 5, header->height() / 2)); },
                       &panel);
        sort.insert(sort.end(), steps.ms.begin(), steps.ms.end());
        tabs->setCurrentWidget(results->confusions());
        steps.ms.clear();
        steps.time([&] { results->table()->selectAll(); }, &panel);
        if (r == 0)
            std::printf("parallel coordinates: %d trials x %d axes; confusion view: %d matrices after select all\n",
                        pc->trialCount(), pc->axisCount(), results->confusions()->shownCount());
        steps.time([&] { results->table()->clearSelection(); }, &panel);
        selectAll.insert(selectAll.end(), steps.ms.begin(), steps.ms.end());
    }
    report("open the store (table, every plot)", open);
    report("switch view tab (6 tabs, twice)", views);
    report("brush drag step, parallel coordinates", brush);
    report("sort by a column (click on the header)", sort);
    report("select all / none (Confusion view)", selectAll);
    return 0;
}
