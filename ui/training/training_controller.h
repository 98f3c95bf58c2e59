// TrainingController: runs one training run at a time on a worker thread and hands its progress
// to the GUI thread in batches. For 2-D data the worker also draws the decision map and every
// unit's map (engine decisionMap and unitMaps, between two steps) before the first step, at most
// kViewHz times a second while it trains, whenever stepping pauses it and at its end; for autoencoders the
// reconstructions. Teaching's time controls step one batch or one epoch at a time from a paused
// run (StopToken::stepBatches, stepEpoch). The worker's observer appends events to a mutex-guarded queue;
// the first epoch/finish/failure posts one queued drain, steps wait for a ~30 Hz timer. After an
// image network's run the model stays for the Activations tab (forgetRun drops it). So a run
// at thousands of steps per second costs the GUI a few dozen updates a second, never a flood of
// queued signals. Exceptions stay on the worker: a failed run arrives as `failed`.
#pragma once

#include <QImage>
#include <QList>
#include <QStringList>
#include <QObject>
#include <QString>
#include <QElapsedTimer>
#include <QTimer>

#include <functional>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "data/data_description.h"
#include "export/decision_map.h"
#include "export/activation_maps.h"
#include "export/unit_maps.h"
#include "failure.h"
#include "io/project.h"
#include "plot_data.h"
#include "run_info.h"
#include "train/events.h"
#include "train/forecast.h"
#include "train/reconstruction.h"

class QThread;

namespace neurite {

struct ModelAfterRun;  // training_controller_setup.h

// What the worker learned while preparing the run (data loaded, graph resolved, device picked).
struct RunPrepared {
    QString device;          // "CPU (oneDNN, 2 threads)" or the GPU's name
    QString deviceNote;      // why "auto" chose it, when it did
    QString weightsNote;     // where the starting weights came from (model.weights)
    qint64 runId = 0;        // the run's id in the store, 0 when not recorded
    QStringList warnings;
    QStringList classNames;
    qint64 trainCount = 0, validationCount = 0, testCount = 0;
    qint64 stepsPerEpoch = 0;
    int epochs = 0;
    bool twoDimensional = false;  // two input features: a decision map is drawn
    plot::LabelledPoints points;  // training points (raw features) for the decision map
    QString source, sampleShape;  // "builtin:fashion-mnist", "[1,28,28]"
    std::vector<qint64> classCounts;  // training split, per class
    bool reconstructs = false;    // an image autoencoder (data.reconstruct): reconstructions are drawn
    bool forecasts = false;       // a time-series forecast: forecasts against the actual values are drawn
    QStringList targetNames;      // regression: the target columns, when the source names them
    QStringList notes;            // what loading the data did
    // A forecast's first target over the windows of each split, and where validation and test start.
    std::vector<double> seriesTrain, seriesValidation, seriesTest;
    qint64 seriesValidationStart = 0, seriesTestStart = 0;
    QList<QImage> previews;       // image data: the first training samples, as the file holds them
    QStringList previewLabels;    // their class names
    // Text data: the vocabulary size, its most frequent tokens, the held-out split's share of
    // out-of-vocabulary tokens, and the first training texts with their class names.
    qint64 vocabularySize = 0;
    QStringList topTokens;
    double unknownShare = 0;
    QString unknownSplit;
    QStringList sampleTexts, sampleTextLabels;
};

// A data description (engine, describeData) as the Training tab shows it: counts, classes, the
// 2-D points or image samples. The device, epochs and steps are left for the run to fill in.
RunPrepared preparedOf(const DataDescription& data);

// Everything that arrived since the previous drain, in order.
struct TrainingUpdate {
    std::vector<StepEvent> steps;
    std::vector<EpochEvent> epochs;
    std::optional<DecisionMap> map;  // newest decision map (engine decisionMap)
    std::shared_ptr<const UnitMaps> unitMaps;  // newest unit maps (engine unitMaps), 2-D data
    // Autoencoders: the first held-out samples and the model's reconstructions of them after the
    // newest epoch (engine reconstructSamples).
    struct Reconstructed {
        int epoch = 0;
        Reconstructions samples;
    };
    std::optional<Reconstructed> reconstructions;
    // Time-series forecasts: the validation windows' actual values and the model's forecasts after
    // the newest epoch (engine forecastSplit).
    struct Forecasted {
        int epoch = 0;
        Forecast forecast;
        bool restored = false;  // the run's final model: the best epoch's weights, restored at the end
    };
    std::optional<Forecasted> forecast;
    // Image networks, when asked for (setActivationSample): every layer's output for one sample of
    // the validation split (else the training split), its index and its class (-1 without).
    std::shared_ptr<const ActivationMaps> activations;
    qint64 activationSample = -1;
    int activationLabel = -1;
    // Settings changed while paused, as the trainer applied (or refused) them.
    std::vector<SettingsChangedEvent> settingChanges;
    // Why the decision map or the reconstructions could not be drawn (once; the run goes on).
    QString viewError;
};

class TrainingController : public QObject {
    Q_OBJECT
public:
    explicit TrainingController(QObject* parent = nullptr);
    ~TrainingController() override;  // stops a running run and waits for the worker

    // Records every run into the run store at `path` (empty: runs are not recorded). The worker
    // writes through a storage::Recorder, so a reader (the runs panel) sees the run grow.
    void setStorePath(const QString& path) { m_storePath = path; }
    QString storePath() const { return m_storePath; }

    // Starts `project` on the worker. Refused (returns false) while a run is active. Started
    // paused, the run loads its data and builds its model, then waits before its first step.
    // With `branch` (rewind), the run starts from that stored run's state after that epoch and
    // carries its history (storage::branchState; a refusal arrives as `failed`).
    bool start(const ProjectDocument& project, bool paused = false,
               std::optional<storage::BranchPoint> branch = std::nullopt);
    void pause();
    void resume();
    // From a paused run: `steps` more training steps, or on to the end of the current epoch,
    // then paused again (stateChanged follows once it is).
    void stepBatches(int64_t steps);
    void stepEpoch();
    // While paused: settings for the next steps (learning rate, batch size, L1, L2), applied by
    // the trainer (progressed carries what it did), and one weight of the model set to `value`
    // (the neuron view; the maps are drawn again). Ignored unless a run is paused.
    void changeSettings(const SettingsChange& change);
    void setWeight(const QString& node, const QString& param, qint64 index, float value);
    // Image networks: draw every layer's output for this sample of the validation split (the
    // training split without one) with the maps (the first sample unless told), and at once while
    // paused; -1 stops. Kept for the next runs.
    void setActivationSample(qint64 index);
    // After a run of an image network has ended, its model stays for the Activations tab
    // (setActivationSample computes at once, on this thread) until the next run starts or this.
    void forgetRun();
    bool hasModelAfterRun() const { return m_afterRun != nullptr; }
    void stop();  // keeps what was trained: the run ends as "cancelled" after the current step

    bool running() const { return m_thread != nullptr; }
    bool paused() const { return m_stop && m_stop->paused(); }
    // Decision and unit maps for 2-D data (on by default); off for the overhead benchmark.
    void setLiveViews(bool on) { m_liveViews = on; }
    // Drains per second at most (the timer's rate).
    static constexpr int kDrainHz = 30;
    // Decision and unit maps drawn per second at most while steps run (more when stepping ends).
    static constexpr int kViewHz = 4;
    int drainCount() const { return m_drains; }

signals:
    void prepared(const neurite::RunPrepared& info);
    void progressed(const neurite::TrainingUpdate& update);
    void finished(const neurite::FinishedEvent& event);
    void failed(const neurite::Failure& failure);  // failure.h: shown by its kind
    void stateChanged();  // running, paused or idle changed

private:
    class Queue;
    std::shared_ptr<ModelAfterRun> m_afterRun;
    // fromTimer: the 30 Hz tick; a posted drain within a tick of the last one waits for the tick.
    void drain(bool fromTimer);
    void workerDone();

    QString m_storePath;
    std::shared_ptr<Queue> m_queue;
    std::shared_ptr<StopToken> m_stop;
    QThread* m_thread = nullptr;
    QTimer m_timer;
    QElapsedTimer m_sinceDrain;
    int m_drains = 0;
    bool m_wasPaused = false;
    bool m_liveViews = true;
    qint64 m_activationSample = 0;  // stateChanged when the worker paused itself after stepping
};

}  // namespace neurite

Q_DECLARE_METATYPE(neurite::RunPrepared)
Q_DECLARE_METATYPE(neurite::TrainingUpdate)
Q_DECLARE_METATYPE(neurite::FinishedEvent)
