// CliPrinter: the command line's training observer. People get progress on stderr (an in-place
// line on a terminal, one line per epoch); with --json, JSON Lines events go to stdout.
#pragma once

#include <chrono>
#include <string>

#include "train/events.h"

namespace neurite::cli {

class CliPrinter : public TrainObserver {
public:
    // curves: also put per-class tables, the confusion matrix and ROC/PR curves into every epoch
    // event (the finished event always has them).
    CliPrinter(bool json, std::string model, bool curves = false)
        : m_json(json), m_curves(curves), m_model(std::move(model)) {}
    void onStep(const StepEvent& e) override;
    void onEpoch(const EpochEvent& e) override;
    void onFinished(const FinishedEvent& e) override;
    void onFailed(const Error& e) override;
    // The run store's id of this run; the finished and failed events then carry "run_id".
    void setRunId(int64_t id) { m_runId = id; }
    // A regression (or reconstruction) run has no accuracy to show.
    void setClassifier(bool classifier) { m_classifier = classifier; }
    // One training of an experiment: `label` starts every human line ("trial 3/9 fold 2: "),
    // `fields` (a JSON object's text) goes into every JSON event, and there is no in-place step
    // line (trainings may run at once). Lines of printers used at once never interleave.
    void setContext(std::string label, std::string fields);

private:
    bool m_json, m_curves;
    bool m_classifier = true;
    std::string m_model;
    std::string m_label, m_fields;
    int64_t m_runId = 0;
    bool m_tty = false, m_checkedTty = false, m_lineOpen = false;
    std::chrono::steady_clock::time_point m_lastDraw{};
    void closeLine();
};

}  // namespace neurite::cli
