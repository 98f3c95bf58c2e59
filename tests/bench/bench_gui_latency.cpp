// GUI responsiveness while training: the event loop's latency (how late a 5 ms timer fires)
// while the training panel runs a project on its worker thread, against the same loop idle.
// Also the number of progress drains per second and the run's samples/s.
//   bench_gui_latency PROJECT [--epochs N] [--threads N] [--screenshot FILE] [--views off] [--teaching]
// --views off trains without the live views (2-D decision and unit maps, an image network's
// activation maps; their cost on the training thread is the samples/s difference); --teaching
// shows the Neurons tab and a designer canvas with the unit maps inside the blocks while it
// trains, or for an image network the Activations tab and the blocks' output maps (their cost on
// the GUI thread is in the latency).
// Run with QT_QPA_PLATFORM=offscreen or under Xvfb (DISPLAY=:99).
#include <QApplication>
#include <QElapsedTimer>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>
#include <memory>
#include <cstdio>
#include <vector>

#include "backend/cpu/openmp_runtime.h"
#include "designer/designer_widget.h"
#include "designer/graph_model.h"
#include "designer/graph_scene.h"
#include "io/project.h"
#include "training/activation_view.h"
#include "training/neuron_view.h"
#include "training/training_panel.h"

namespace {

struct Latency {
    std::vector<double> ms;
    double pct(double p) {
        if (ms.empty()) return 0;
        std::sort(ms.begin(), ms.end());
        return ms[static_cast<std::size_t>(p * static_cast<double>(ms.size() - 1))];
    }
};

// Samples how late a `periodMs` timer fires until `done` says stop.
Latency sample(QApplication& app, int periodMs, const std::function<bool()>& done) {
    Latency lat;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        lat.ms.push_back(std::max(0.0, (now - last) / 1e6 - periodMs));
        last = now;
        if (done()) app.quit();
    });
    timer.start(periodMs);
    app.exec();
    return lat;
}

}  // namespace

int main(int argc, char** argv) {
    neurite::cpu::tuneOpenMpRuntime(argv);
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: bench_gui_latency PROJECT [--epochs N] [--threads N] [--screenshot FILE]\n");
        return 2;
    }
    auto option = [&](const char* name) {
        const int i = static_cast<int>(args.indexOf(QString::fromLatin1(name)));
        return i > 0 && i + 1 < args.size() ? args[i + 1] : QString();
    };
    neurite::ProjectDocument doc;
    try {
        doc = neurite::loadProject(args[1].toStdString(), nullptr);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    }
    if (!option("--epochs").isEmpty()) doc.training.epochs = option("--epochs").toInt();
    if (!option("--threads").isEmpty()) doc.training.threads = option("--threads").toInt();

    neurite::TrainingPanel panel;
    panel.resize(1400, 850);
    panel.show();
    if (option("--views") == QLatin1String("off")) panel.controller().setLiveViews(false);
    neurite::GraphModel graph;
    QUndoStack undo;
    std::unique_ptr<neurite::DesignerWidget> canvas;
    if (args.contains(QStringLiteral("--teaching"))) {
        graph.setDocument(doc);
        canvas = std::make_unique<neurite::DesignerWidget>(&graph, &undo);
        canvas->resize(900, 850);
        canvas->show();
        QObject::connect(&panel, &neurite::TrainingPanel::unitMapsChanged, canvas->scene(),
                         &neurite::GraphScene::setUnitMaps);
        QObject::connect(&panel, &neurite::TrainingPanel::outputMapsChanged, canvas->scene(),
                         &neurite::GraphScene::setOutputMaps);
        // An image network: the Activations tab, once the run has added it.
        QObject::connect(&panel.controller(), &neurite::TrainingController::prepared, &panel, [&panel] {
            for (QTabWidget* t : panel.findChildren<QTabWidget*>())
                if (t->indexOf(panel.activationView()) >= 0) t->setCurrentWidget(panel.activationView());
        });
        QObject::connect(&panel, &neurite::TrainingPanel::unitMapsChanged, &panel, [&panel] {
            for (QTabWidget* t : panel.findChildren<QTabWidget*>())
                if (t->indexOf(panel.neuronView()) >= 0 && t->currentWidget() != panel.neuronView())
                    t->setCurrentWidget(panel.neuronView());
        });
    }
    panel.setProjectSource([doc](QString*) { return std::optional<neurite::ProjectDocument>(doc); });

    QElapsedTimer idleClock;
    idleClock.start();
    Latency idle = sample(app, 5, [&] { return idleClock.elapsed() > 2000; });

    double samplesPerSec = 0;
    QString status;
    QObject::connect(&panel, &neurite::TrainingPanel::runFinished,
                     [&](const neurite::FinishedEvent& e) { samplesPerSec = e.samplesPerSec; });
    QElapsedTimer runClock;
    runClock.start();
    panel.startTraining();
    Latency busy = sample(app, 5, [&] { return !panel.controller().running(); });
    const double seconds = runClock.elapsed() / 1000.0;
    status = panel.statusText();

    const QString shot = option("--screenshot");
    if (!shot.isEmpty()) panel.grab().save(shot);

    std::printf("project            %s\n", qPrintable(args[1]));
    std::printf("run                %s\n", qPrintable(status.section('\n', 0, 0)));
    std::printf("samples/s          %.0f\n", samplesPerSec);
    std::printf("drains/s           %.1f (%d in %.1f s)\n", panel.controller().drainCount() / seconds,
                panel.controller().drainCount(), seconds);
    std::printf("latency idle       p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%zu ticks)\n", idle.pct(0.5),
                idle.pct(0.99), idle.pct(1.0), idle.ms.size());
    std::printf("latency training   p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%zu ticks)\n", busy.pct(0.5),
                busy.pct(0.99), busy.pct(1.0), busy.ms.size());
    return 0;
}
