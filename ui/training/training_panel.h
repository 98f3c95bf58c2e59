// TrainingPanel: the training workspace's run controls and live plots. Start, Pause/Resume and
// Stop (F5, F6, Shift+F5) drive a TrainingController; teaching's time controls step one batch
// (F10) or one epoch (Shift+F10) from a paused or not yet started run, and Reset (Ctrl+Shift+F5)
// starts the project again from the same initialization, paused before its first step; Rewind
// (Ctrl+F10) branches a new run from an earlier epoch's kept state (training_panel_rewind.cpp); progress (epoch, step, elapsed, ETA,
// samples/s) and the plots (loss per step with smoothing and per epoch, accuracy, learning rate,
// ROC, PR, confusion matrix, and a decision map for 2-D data) update from its batched updates.
#pragma once

#include <QElapsedTimer>
#include <QWidget>

#include <functional>
#include <optional>

#include "training_controller.h"

class QAction;
class QLabel;
class QProgressBar;
class QSlider;
class QTabWidget;
class QToolButton;

namespace neurite::plot {
class PlotFrame;
class ConfusionPlot;
class CurvePlot;
class DecisionPlot;
class RocPlot;
}  // namespace neurite::plot

namespace neurite {

class ActivationView;
class DataView;
class ForecastView;
class NeuronView;
class PointEditBar;
class ReconstructionView;

class TrainingPanel : public QWidget {
    Q_OBJECT
public:
    explicit TrainingPanel(QWidget* parent = nullptr);

    // Where Start takes the project from (the designer's current document). Returning nullopt
    // (e.g. the graph has errors) with a message in *why keeps Start from doing anything.
    using ProjectSource = std::function<std::optional<ProjectDocument>(QString* why)>;
    void setProjectSource(ProjectSource source) { m_source = std::move(source); }

    TrainingController& controller() { return m_controller; }
    QAction* startAction() const { return m_start; }
    QAction* pauseAction() const { return m_pause; }
    QAction* stopAction() const { return m_stop; }
    QAction* stepAction() const { return m_step; }
    QAction* stepEpochAction() const { return m_stepEpoch; }
    QAction* resetAction() const { return m_reset; }
    QAction* rewindAction() const { return m_rewind; }
    PointEditBar* pointEditBar() const { return m_pointBar; }
    // The project's point edits (the bar's counts) and whether a lesson locks them.
    void setPointEdits(int added, int removed, bool locked);
    QAction* exportAction() const { return m_export; }
    QAction* tryItAction() const { return m_tryIt; }

    plot::CurvePlot* lossPlot() const { return m_loss; }
    plot::CurvePlot* accuracyPlot() const { return m_accuracy; }
    plot::CurvePlot* lrPlot() const { return m_lr; }
    // The evaluation plots (evaluation_plots.h), one tab each.
    plot::RocPlot* rocPlot() const;
    plot::RocPlot* prPlot() const;
    plot::ConfusionPlot* confusionPlot() const;
    plot::DecisionPlot* decisionPlot() const { return m_decision; }
    ReconstructionView* reconstructionView() const { return m_reconstructions; }
    ForecastView* forecastView() const { return m_forecast; }
    DataView* dataView() const { return m_data; }
    NeuronView* neuronView() const { return m_neurons; }
    ActivationView* activationView() const { return m_activations; }
    // A lesson hides the Neurons tab (it is not offered for the next runs either).
    void setNeuronsHidden(bool hidden);
    QString statusText() const;
    QString speedText() const;  // elapsed, ETA (while running), samples/s

public slots:
    // Refuses (with the reason in the status line) a project whose settings the project file
    // would reject, such as a learning rate of 0.
    void startTraining();
    void togglePause();
    // One training step (or on to the end of the epoch), then paused; starts the run paused
    // first when none is going.
    void stepBatch();
    void stepEpoch();
    // Stops the run (it stays in the run store as cancelled) and starts the project again,
    // paused before its first step: the same seed gives the same initial weights.
    void resetRun();
    // Rewind: a dialog of the epochs the current run (or the last one) can be rewound to; the
    // chosen one starts a branch (rewindTo).
    void rewindRun();
    // Stops the run going (it stays in the store) and starts a new run of the project from stored
    // run `runId`'s state after `epoch`, with its history, paused before its next step. A
    // refusal (another network, too few epochs) is shown like any failed start.
    void rewindTo(qint64 runId, int epoch);
    void stopTraining();
    // Export the last recorded run's model (ONNX or native, best or final).
    void exportModel();
    // Another project was opened or created: nothing of the previous one stays (plots, legends,
    // axes, status, export target). A run still going is stopped (it stays in the run store) and
    // its last updates are dropped.
    void resetForProject();
    void showDataPreview(const RunPrepared* data);

signals:
    void runFinished(const neurite::FinishedEvent& event);
    void runFailed(const QString& message);
    // The finished run's model in the Try it tab.
    void tryItRequested(const QString& storePath, qint64 runId);
    // The newest unit maps of a 2-D run (the designer draws them inside the blocks).
    void unitMapsChanged(std::shared_ptr<const neurite::UnitMaps> maps);
    // An image network's outputs for the Activations tab's sample (the designer draws each block's).
    void outputMapsChanged(std::shared_ptr<const neurite::ActivationMaps> maps);
    // Clicks on the decision map (PointEditBar): edits of the project's data.points.
    void pointAddRequested(double x, double y, int cls);
    void pointRemoveRequested(double x, double y);
    void pointsClearRequested();

private:
    void buildPlots();
    bool startRun(bool paused, std::optional<storage::BranchPoint> branch = std::nullopt);
    void restartIfPending();
    void buildPointEditing();  // training_panel_points.cpp
    void updatePointBar();     // editable while no run trains and no lesson locks the points  // after a Reset or Rewind stopped the run: start the new one
    void showPaused();  // "Paused after step N" while the run is paused
    void resetPlots();
    void onPrepared(const RunPrepared& info);
    void onProgress(const TrainingUpdate& update);
    void onFinished(const FinishedEvent& event);
    void onFailed(const Failure& failure);
    void showEvaluation(const EvaluationReport& report, const QString& title);
    void updateActions();
    void setStatus(const QString& text, bool error = false);
    void showSpeed(bool finished);  // elapsed, ETA while running, samples/s

    TrainingController m_controller;
    ProjectSource m_source;
    QAction *m_start, *m_pause, *m_stop, *m_export;
    QAction *m_step, *m_stepEpoch, *m_reset, *m_rewind;
    bool m_resetPending = false;  // Reset or Rewind stopped the run: start again once it has ended
    std::optional<storage::BranchPoint> m_pendingBranch;  // Rewind's, started once the run has ended
    QString m_startNote;
    QString m_changeNote;         // the run's latest settings change made while paused
    QString m_branchNote;         // a rewound run: where it started (said while it is paused)
    qulonglong m_runSeed = 0;
    QAction* m_tryIt = nullptr;
    QProgressBar* m_progress;
    QLabel *m_epochLabel, *m_speedLabel, *m_status, *m_evalTitle;
    QSlider* m_smoothing;
    QTabWidget* m_evalTabs;
    plot::CurvePlot *m_loss, *m_accuracy, *m_lr;
    std::vector<plot::PlotFrame*> m_evalPlots;  // one per evaluationPlots() entry, in its order
    plot::DecisionPlot* m_decision;
    DataView* m_data;
    NeuronView* m_neurons;
    ActivationView* m_activations;
    bool m_neuronsHidden = false;
    PointEditBar* m_pointBar = nullptr;
    bool m_pointsLocked = false;
    ReconstructionView* m_reconstructions;
    ForecastView* m_forecast;
    int m_trainLoss = -1, m_valLoss = -1, m_trainAcc = -1, m_valAcc = -1, m_lrSeries = -1;
    bool m_regression = false;  // the second plot shows validation errors, no class tabs
    void showClassTabs(bool show);
    RunPrepared m_info;
    QElapsedTimer m_clock;
    double m_lastSamplesPerSec = 0;
    int64_t m_lastStep = 0;
    QString m_runWarning;  // the trainer's warning for this run (a loss that exploded), if any
    bool m_hasRun = false;  // a run started since the project was opened: no data preview
    bool m_detached = false;  // the running run belongs to a project no longer open
};

}  // namespace neurite
