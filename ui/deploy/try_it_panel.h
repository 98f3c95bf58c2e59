// TryItPanel: loads a native model file (*.nmodel) and predicts one sample at a time, from an
// image file, a CSV row typed or pasted in, or a sample of the data set the model was trained on
// (its held-out test split, else its validation split), showing the predicted class and every
// class's probability as bars (or the values of a regression model). Data-set samples also show
// the true label, and "Next mistake" walks to the next sample the model gets wrong. Problems
// appear in the panel; the model and samples already loaded stay usable.
#pragma once

#include <QWidget>

#include <memory>
#include <optional>

#include "export/native_model.h"

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QThread;

namespace neurite {
namespace plot {
class DecisionPlot;
}

class BackgroundTask;
struct Failure;
class ProbabilityBars;

class TryItPanel : public QWidget {
    Q_OBJECT
public:
    explicit TryItPanel(QWidget* parent = nullptr);
    ~TryItPanel() override;  // waits for a data-set load in flight

    // Each returns success; failures show their message in the panel (errorText()).
    // loadModel reads the native model file on a worker thread and returns whether the load
    // started (false for a path that does not exist); a model file or run still loading is
    // dropped for it. modelLoaded() or modelLoadFailed() follows.
    bool loadModel(const QString& path);
    // A stored run's model (its final one, else its best), without exporting it first: loaded
    // on a worker thread (storage::loadRunModels: the run's data is prepared again for its
    // preprocessing), the step shown in the panel; modelLoaded() or a message in the panel
    // follows. The model shown until then stays usable.
    void loadRun(const QString& dbPath, qint64 runId);
    bool modelLoading() const;  // a model file or a run is being loaded
    QString modelText() const;
    // Two-feature classifiers: the model's decision over the plane; a click predicts that point.
    // The grid is drawn on a worker (engine decisionMap on a copy of the model): mapUpdated()
    // follows each new model or sample set.
    neurite::plot::DecisionPlot* map() const { return m_map; }
    bool mapDrawing() const;
    // Predictions run on a worker (the image file is read there too); each returns whether one
    // was asked for (false without a model, or for a row that does not parse), and predicted()
    // follows with the result shown, or the reason in errorText().
    bool predictPoint(double x, double y);
    bool predictImage(const QString& path);
    bool predictRow(const QString& csvRow);
    bool predicting() const;

    // Loads the model's data set (the project's data source, split with its seed) on a worker
    // thread; samplesLoaded() follows, with sampleCount() > 0 on success.
    void loadSamples();
    bool samplesLoading() const { return m_worker != nullptr; }
    int64_t sampleCount() const;
    QString sampleSplitName() const;
    // Predicts sample `index` (0-based) of the loaded split and shows its true label.
    bool showSample(int64_t index);
    // Searches, on a worker (engine firstMistake on a copy of the model), from the sample after
    // the current one (wrapping) for the first the model gets wrong, and shows it; or says that
    // it gets every sample right. Returns whether a search started (false without samples, for a
    // regression model, or while one runs); mistakeSearched() follows.
    bool nextMistake();
    bool searchingMistake() const;
    int64_t currentSample() const { return m_current; }

    bool hasModel() const { return m_model != nullptr; }
    QString predictionText() const;
    QString truthText() const;
    QString errorText() const;
    // A text model's note on the last text: how many tokens it has and which are out of vocabulary.
    QString wordsText() const;
    const ProbabilityBars& bars() const { return *m_bars; }
    bool hasPreview() const;

signals:
    void samplesLoaded();
    void modelLoaded();
    void modelLoadFailed(const QString& message);  // the model shown before stays
    void mapUpdated();  // the decision map's grid arrived (or why it could not be drawn)
    void mistakeSearched();
    void predicted();  // a prediction's result (or why there is none) is shown  // nextMistake's search ended: a sample shown, or a message

private:
    struct Samples;
    struct Prediction;
    // Predicts on the worker: the newest request waits while one runs, older waiting ones are
    // dropped; predicted() follows. False without a model.
    bool requestPrediction(Prediction p);
    void startPrediction();
    void showPrediction(const Prediction& p);
    void showTruth(int64_t sample);
    std::vector<float> rawSample(int64_t index) const;
    void showError(const QString& message);  // the user's input: a BadInput failure
    void showFailure(const Failure& failure, const QString& context);  // failure.h, then no prediction shown
    void showPreview(const std::vector<float>& raw);
    QString wordsNote(const QString& text) const;
    void resetSamples();
    void updateSampleControls();
    void installModel(std::unique_ptr<NativeModel> model, const QString& name);
    void updateMap();  // starts the decision grid around the samples (or the training data's spread)

    std::shared_ptr<NativeModel> m_model;  // shared with a prediction running on the worker
    std::shared_ptr<Samples> m_samples;
    QThread* m_worker = nullptr;
    BackgroundTask* m_runTask;  // loadRun
    BackgroundTask* m_mapTask;  // the decision map
    BackgroundTask* m_mistakeTask;  // nextMistake's search
    BackgroundTask* m_predictTask;  // predictions: the only thread that runs m_model's model
    std::shared_ptr<Prediction> m_pendingPrediction;
    qint64 m_loadingRun = 0;
    int m_generation = 0;  // bumped by each model load: a late data set for an old model is dropped
    int64_t m_current = -1;
    QLabel* m_modelInfo;
    QLineEdit* m_row;
    QPushButton* m_image;
    QPushButton* m_predict;
    QPushButton* m_loadSamples;
    QSpinBox* m_index;
    QLabel* m_sampleInfo;
    QPushButton* m_random;
    QPushButton* m_nextMistake;
    QLabel* m_preview;
    QLabel* m_prediction;
    QLabel* m_truth;
    QLabel* m_error;
    QLabel* m_words;  // text models: the tokens of the predicted text the model does not know
    ProbabilityBars* m_bars;
    neurite::plot::DecisionPlot* m_map;
    std::optional<int> m_lastPredicted;  // class of the last prediction (classifiers)
};

}  // namespace neurite
