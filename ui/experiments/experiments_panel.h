// ExperimentsPanel: the Experiments tab. The definition builder on the left (with Check and
// Run), the run's controls (Stop, Resume, the overall progress and an ETA) and the results on
// the right. The experiment trains on ExperimentController's worker and is recorded in the run
// store the Runs tab shows; the ETA is the mean time of the finished trials times the trials
// left, over the trials run at once.
#pragma once

#include <QWidget>

#include <memory>
#include <set>
#include <vector>

#include "definition_builder.h"
#include "experiment_controller.h"
#include "run_store.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace neurite {

class ExperimentResults;

class ExperimentsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentsPanel(QWidget* parent = nullptr);
    ~ExperimentsPanel() override;

    void setProjectSource(DefinitionBuilder::ProjectSource source);
    // The run store experiments are recorded in and read from (the Runs tab's). False, with the
    // reason shown, when it cannot be opened.
    bool setStorePath(const QString& path);

    // The panel's buttons.
    bool run();
    void stop();
    bool resume();

    DefinitionBuilder* builder() const { return m_builder; }
    ExperimentResults* results() const { return m_results; }
    ExperimentController& controller() { return m_controller; }
    QPushButton* checkButton() const { return m_check; }
    QPushButton* runButton() const { return m_run; }
    QPushButton* stopButton() const { return m_stop; }
    QPushButton* resumeButton() const { return m_resume; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* etaLabel() const { return m_eta; }
    QLabel* statusLabel() const { return m_status; }
    // Trials finished in the experiment running (or last run) here, in the order they finished.
    const std::vector<int>& finishedTrials() const { return m_finishedNow; }

signals:
    void runRequested(qint64 runId);  // a trial's first run, for the Runs tab
    void runsChanged();               // an experiment ended: the Runs tab has new runs

protected:
    void showEvent(QShowEvent* event) override;

private:
    void started(const ExperimentStarted& info);
    void progressed(const std::vector<TrialEvent>& events);
    void ended(const QString& status);
    void updateProgress();
    void updateButtons();

    DefinitionBuilder* m_builder;
    ExperimentResults* m_results;
    ExperimentController m_controller;
    std::unique_ptr<storage::RunStore> m_store;  // the GUI thread's reading connection
    QPushButton* m_check;
    QPushButton* m_run;
    QPushButton* m_stop;
    QPushButton* m_resume;
    QProgressBar* m_progress;
    QLabel* m_eta;
    QLabel* m_status;
    int m_planned = 0;
    int m_parallel = 1;
    std::set<int> m_done;           // trial numbers with a final status
    std::vector<double> m_seconds;  // of the finished trials, for the ETA
    std::vector<int> m_finishedNow;
};

}  // namespace neurite
