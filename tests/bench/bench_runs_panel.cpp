// The runs panel with a real history: a generated store with 1,000 runs (each with a 10-class
// test evaluation and its curves) opens in the panel, and 10 runs of 100,000 steps each (as the
// Recorder stores them: thinned to kMaxStepPoints window averages) are overlaid and drawn; then
// every run is selected at once (Ctrl+A), timed until the panel has drawn, with the process's
// resident memory before and after. Reports medians of several repeats.
//   bench_runs_panel [--runs N] [--steps N] [--repeats N]
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTableView>
#include <QTemporaryDir>
#include <qcustomplot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "curve_plot.h"
#include "io/json_text.h"
#include "metrics_json.h"
#include "recorder.h"
#include "run_store.h"
#include "runs/runs_panel.h"
#include "runs/runs_table_model.h"
#include "runs/runs_view.h"

namespace {

// Resident memory of this process in MB (VmRSS).
double residentMb() {
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly)) return 0;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:")) return line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

// A final test evaluation as the recorder stores it for a 10-class run (metricsJson of a real
// report): per-class ROC and PR curves of about 50 points each and the confusion matrix.
std::string evaluationReport(int run) {
    neurite::ClassScores scores;
    for (int c = 0; c < 10; ++c) scores.classNames.push_back("class " + std::to_string(c));
    std::mt19937 rng(static_cast<unsigned>(run));
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (int i = 0; i < 1000; ++i) {
        scores.labels.push_back(i % 10);
        float sum = 0;
        std::vector<float> row(10);
        for (int c = 0; c < 10; ++c) sum += row[static_cast<std::size_t>(c)] = u(rng) + (c == i % 10 ? 2.0f : 0.0f);
        for (float v : row) scores.probs.push_back(v / sum);
    }
    return neurite::io::dumpJson(neurite::storage::metricsJson(neurite::evaluateClassification(scores, "test", 50), true));
}

void generate(const std::string& path, int runs, int longRuns, int64_t steps) {
    neurite::storage::RunStore store(path);
    store.db().exec("BEGIN");
    for (int r = 0; r < runs; ++r) {
        neurite::storage::NewRun n;
        n.name = "run " + std::to_string(r);
        n.projectJson = R"({"model":{"nodes":[{"id":"fc","op":"Dense","params":{"units":64}}]}})";
        n.settingsJson = R"({"training.batch_size":64,"training.optimizer.lr":)" + std::to_string(0.001 * (r % 7 + 1)) + "}";
        n.dataJson = R"({"train":60000})";
        n.device = "CPU";
        n.epochsPlanned = 10;
        const int64_t id = store.beginRun(n);
        const bool isLong = r < longRuns;
        const int64_t nsteps = isLong ? steps : 200;
        // What the Recorder stores for such a run: at most kMaxStepPoints window averages.
        const int64_t stride = (nsteps + neurite::storage::kMaxStepPoints - 1) / neurite::storage::kMaxStepPoints;
        std::vector<neurite::storage::StepPoint> pts(static_cast<std::size_t>(nsteps / stride));
        for (int64_t k = 0; k < nsteps / stride; ++k) {
            const int64_t s = (k + 1) * stride - 1;
            pts[static_cast<std::size_t>(k)] = {s + 1, static_cast<int>(s * 10 / nsteps) + 1,
                                                static_cast<float>(2.0 * std::exp(-s / (nsteps / 4.0)) + 0.05 * std::sin(s * (r + 1))),
                                                1e-3f};
        }
        store.appendSteps(id, pts);
        for (int e = 1; e <= 10; ++e) {
            neurite::storage::EpochRecord rec;
            rec.epoch = e;
            rec.trainLoss = 1.0 / e;
            rec.trainAccuracy = 1 - 0.5 / e;
            rec.valLoss = 1.1 / e;
            rec.valAccuracy = 1 - 0.55 / e;
            store.putEpoch(id, rec);
        }
        store.putEvaluation(id, {"test", 0.3, 0.9, 0.95, evaluationReport(r)});
        neurite::storage::RunOutcome o;
        o.status = "completed";
        o.epochsDone = 10;
        o.valAccuracy = 0.9;
        store.finishRun(id, o);
    }
    store.db().exec("COMMIT");
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto option = [&](const char* name, int fallback) {
        const int i = static_cast<int>(args.indexOf(QString::fromLatin1(name)));
        return i > 0 && i + 1 < args.size() ? args[i + 1].toInt() : fallback;
    };
    const int runs = option("--runs", 1000), repeats = option("--repeats", 5);
    const int64_t steps = option("--steps", 100000);
    const int longRuns = 10;
    QTemporaryDir dir;
    const QString db = dir.filePath("history.db");
    QElapsedTimer t;
    t.start();
    generate(db.toStdString(), runs, longRuns, steps);
    std::printf("generated %d runs (%d of %lld steps) in %.1f s\n", runs, longRuns, static_cast<long long>(steps),
                t.elapsed() / 1000.0);

    {
        neurite::storage::RunStore store(db.toStdString(), neurite::storage::RunStore::Mode::ReadOnly);
        t.restart();
        int64_t points = 0;
        for (int i = 1; i <= longRuns; ++i) points += static_cast<int64_t>(store.steps(i).size());
        std::printf("read %lld step points from the store in %lld ms\n", static_cast<long long>(points),
                    static_cast<long long>(t.elapsed()));
    }
    std::vector<double> open, overlay, selectAll, rssBefore, rssAfter;
    for (int r = 0; r < repeats; ++r) {
        neurite::RunsPanel panel;
        panel.resize(1600, 900);
        panel.show();
        QApplication::processEvents();
        t.restart();
        panel.openStore(db, nullptr);
        QApplication::processEvents();  // the table lays out and paints its rows
        open.push_back(t.elapsed());
        if (panel.model()->rowCount() != runs) {
            std::fprintf(stderr, "error: the panel lists %d runs, expected %d\n", panel.model()->rowCount(), runs);
            return 1;
        }
        std::vector<int64_t> ids;
        for (int i = 1; i <= longRuns; ++i) ids.push_back(i);
        t.restart();
        panel.selectRuns(ids);
        panel.view()->lossPlot()->customPlot()->replot();  // the draw itself, not a queued one
        overlay.push_back(t.elapsed());

        // Every run at once, as Ctrl+A in the table does, until the panel has drawn.
        rssBefore.push_back(residentMb());
        t.restart();
        panel.table()->selectAll();
        QApplication::processEvents();
        panel.view()->lossPlot()->customPlot()->replot();
        QApplication::processEvents();
        selectAll.push_back(t.elapsed());
        rssAfter.push_back(residentMb());
        if (r == 0)
            std::printf("select all: %zu runs overlaid of %zu selected, %d evaluations\n",
                        panel.view()->shownRuns().size(), panel.selectedRuns().size(), panel.view()->evaluationCount());
    }
    std::printf("open %d runs in the panel     median %.0f ms (min %.0f, max %.0f, %d repeats)\n", runs,
                median(open), *std::min_element(open.begin(), open.end()), *std::max_element(open.begin(), open.end()), repeats);
    std::printf("overlay %d x %lld steps, draw  median %.0f ms (min %.0f, max %.0f)\n", longRuns,
                static_cast<long long>(steps), median(overlay), *std::min_element(overlay.begin(), overlay.end()),
                *std::max_element(overlay.begin(), overlay.end()));
    std::printf("select all %d runs, draw        median %.0f ms (min %.0f, max %.0f)\n", runs, median(selectAll),
                *std::min_element(selectAll.begin(), selectAll.end()), *std::max_element(selectAll.begin(), selectAll.end()));
    // The first repeat is the one a user sees (a fresh process); later ones start from the heap
    // the earlier panels left behind.
    std::printf("resident memory before / after selecting all: %.0f / %.0f MB in the first repeat; per repeat:",
                rssBefore.front(), rssAfter.front());
    for (std::size_t i = 0; i < rssBefore.size(); ++i) std::printf(" %.0f/%.0f", rssBefore[i], rssAfter[i]);
    std::printf("\n");
    return 0;
}
