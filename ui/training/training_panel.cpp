#include "training_panel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

#include "activation_view.h"
#include "confusion_plot.h"
#include "curve_plot.h"
#include "data_view.h"
#include "forecast_view.h"
#include "neuron_view.h"
#include "reconstruction_view.h"
#include "decision_plot.h"
#include "deploy/run_export.h"
#include "display_convert.h"
#include "evaluation_plots.h"
#include "explanations.h"
#include "failure.h"
#include "roc_plot.h"

namespace neurite {

namespace {

QString clock(double seconds) {
    const auto s = static_cast<qint64>(std::max(0.0, seconds));
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s / 60 % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// "spiral: $.training.optimizer.lr: must be > 0, got 0" (the parser's words) as
// "learning rate (training.optimizer.lr): must be > 0, got 0".
QString settingsProblem(const QString& error) {
    const qsizetype at = error.indexOf(QStringLiteral("$."));
    if (at < 0) return error;
    const QString rest = error.mid(at + 2);
    const qsizetype colon = rest.indexOf(QStringLiteral(": "));
    if (colon < 0) return rest;
    const QString path = rest.left(colon);
    QString name = path.section(QLatin1Char('.'), -1);
    name = name == QLatin1String("lr") ? QObject::tr("learning rate") : name.replace(QLatin1Char('_'), QLatin1Char(' '));
    return QStringLiteral("%1 (%2): %3").arg(name, path, rest.mid(colon + 2));
}

}  // namespace

TrainingPanel::TrainingPanel(QWidget* parent) : QWidget(parent) {
    auto* bar = new QToolBar(this);
    m_start = bar->addAction(tr("Start"), this, &TrainingPanel::startTraining);
    m_start->setShortcut(Qt::Key_F5);
    m_start->setToolTip(tr("Train the current project (F5)"));
    m_pause = bar->addAction(tr("Pause"), this, &TrainingPanel::togglePause);
    m_pause->setShortcut(Qt::Key_F6);
    m_pause->setToolTip(tr("Pause or resume after the current step (F6)"));
    m_stop = bar->addAction(tr("Stop"), this, &TrainingPanel::stopTraining);
    m_stop->setShortcut(Qt::SHIFT | Qt::Key_F5);
    m_stop->setToolTip(tr("Stop after the current step and keep what was trained (Shift+F5)"));
    m_step = bar->addAction(tr("Step"), this, &TrainingPanel::stepBatch);
    m_step->setShortcut(Qt::Key_F10);
    m_step->setToolTip(tr("Train one batch, then pause: watch what a single step changes (F10)"));
    m_stepEpoch = bar->addAction(tr("Step epoch"), this, &TrainingPanel::stepEpoch);
    m_stepEpoch->setShortcut(Qt::SHIFT | Qt::Key_F10);
    m_stepEpoch->setToolTip(tr("Train to the end of the current epoch, then pause (Shift+F10)"));
    m_reset = bar->addAction(tr("Reset"), this, &TrainingPanel::resetRun);
    m_reset->setShortcut(Qt::CTRL | Qt::SHIFT | Qt::Key_F5);
    m_reset->setToolTip(tr("Start again from the same initial weights (same seed), paused before the first step "
                           "(Ctrl+Shift+F5)"));
    m_rewind = bar->addAction(tr("Rewind..."), this, &TrainingPanel::rewindRun);
    m_rewind->setShortcut(Qt::CTRL | Qt::Key_F10);
    m_rewind->setToolTip(tr("Go back to an earlier epoch of this run and branch a new run from there, with the settings "
                            "now in the project (Ctrl+F10)"));
    for (QAction* a : {m_start, m_pause, m_stop, m_step, m_stepEpoch, m_reset, m_rewind})
        a->setShortcutContext(Qt::WindowShortcut);
    bar->addSeparator();
    m_export = bar->addAction(tr("Export model..."), this, &TrainingPanel::exportModel);
    m_export->setToolTip(tr("Export the finished run's model as ONNX or a native model file"));
    m_export->setEnabled(false);
    m_tryIt = bar->addAction(tr("Try it"), this, [this] {
        if (m_info.runId > 0 && !m_controller.running()) emit tryItRequested(m_controller.storePath(), m_info.runId);
    });
    m_tryIt->setToolTip(tr("Predict with the finished run's model in the Try it tab (no export needed)"));
    m_tryIt->setEnabled(false);
    bar->setMinimumWidth(bar->sizeHint().width());  // the buttons never fold into an overflow menu

    m_progress = new QProgressBar(this);
    m_progress->setTextVisible(true);
    m_epochLabel = new QLabel(this);
    m_speedLabel = new QLabel(this);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // The controls on one row, the progress below them: a 1280-pixel window has room for both
    // beside the settings column (and a lesson's steps below).
    auto* top = new QVBoxLayout;
    top->addWidget(bar);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progress, 1);
    progressRow->addWidget(m_epochLabel);
    progressRow->addWidget(m_speedLabel);
    top->addLayout(progressRow);

    buildPlots();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_status);
    auto* split = new QSplitter(Qt::Horizontal, this);
    auto* curves = new QWidget(split);
    auto* curvesLayout = new QVBoxLayout(curves);
    curvesLayout->setContentsMargins(0, 0, 0, 0);
    auto* smoothRow = new QHBoxLayout;
    smoothRow->addWidget(new QLabel(tr("Smoothing"), curves));
    smoothRow->addWidget(m_smoothing, 1);
    curvesLayout->addWidget(m_loss, 3);
    curvesLayout->addLayout(smoothRow);
    curvesLayout->addWidget(m_accuracy, 2);
    auto* eval = new QWidget(split);
    auto* evalLayout = new QVBoxLayout(eval);
    evalLayout->setContentsMargins(0, 0, 0, 0);
    evalLayout->addWidget(m_evalTitle);
    evalLayout->addWidget(m_evalTabs, 1);
    split->addWidget(curves);
    split->addWidget(eval);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setSizes({600, 500});  // the curves never collapse behind the evaluation tabs
    layout->addWidget(split, 1);

    connect(&m_controller, &TrainingController::prepared, this, &TrainingPanel::onPrepared);
    connect(&m_controller, &TrainingController::progressed, this, &TrainingPanel::onProgress);
    connect(&m_controller, &TrainingController::finished, this, &TrainingPanel::onFinished);
    connect(&m_controller, &TrainingController::failed, this, &TrainingPanel::onFailed);
    connect(&m_controller, &TrainingController::stateChanged, this, &TrainingPanel::updateActions);
    connect(&m_controller, &TrainingController::stateChanged, this, &TrainingPanel::restartIfPending);
    setStatus(tr("Press Start (F5) to train the project."));
    updateActions();
}

void TrainingPanel::buildPlots() {
    m_loss = new plot::CurvePlot(this);
    m_loss->setAxisLabels(tr("epoch"), tr("loss"));
    m_loss->setLogScaleAvailable(true);
    m_accuracy = new plot::CurvePlot(this);
    m_accuracy->setAxisLabels(tr("epoch"), tr("accuracy"));
    m_lr = new plot::CurvePlot(this);
    m_lr->setAxisLabels(tr("epoch"), tr("learning rate"));
    m_lr->setLogScaleAvailable(true);
    for (const EvaluationPlot& e : evaluationPlots()) m_evalPlots.push_back(e.create(this));
    m_decision = new plot::DecisionPlot(this);
    m_reconstructions = new ReconstructionView(this);
    m_reconstructions->hide();
    m_forecast = new ForecastView(this);
    m_forecast->hide();
    m_decision->hide();  // only 2-D data gets the decision map tab; until then it must not show
    buildPointEditing();
    m_neurons = new NeuronView(this);
    m_neurons->hide();
    connect(m_neurons, &NeuronView::weightEdited, &m_controller, &TrainingController::setWeight);
    connect(m_neurons, &NeuronView::message, this, [this](const QString& text) { setStatus(text); });
    m_activations = new ActivationView(this);
    m_activations->hide();
    connect(m_activations, &ActivationView::sampleChosen, &m_controller, &TrainingController::setActivationSample);
    m_smoothing = new QSlider(Qt::Horizontal, this);
    m_smoothing->setRange(0, 99);
    m_smoothing->setValue(60);
    m_smoothing->setToolTip(tr("Exponential moving average of the per-step loss (raw points stay faint)"));
    connect(m_smoothing, &QSlider::valueChanged, this, [this](int v) { m_loss->setSmoothing(v / 100.0); });
    m_evalTitle = new QLabel(this);
    m_evalTabs = new QTabWidget(this);
    m_data = new DataView(this);
    m_evalTabs->addTab(m_data, tr("Data"));
    for (std::size_t i = 0; i < m_evalPlots.size(); ++i) m_evalTabs->addTab(m_evalPlots[i], evaluationPlots()[i].titleText());
    m_evalTabs->addTab(m_lr, tr("Learning rate"));
    resetPlots();
    explainTrainingPlots(*this, m_evalTabs);
}

void TrainingPanel::resetPlots() {
    m_loss->clear();
    m_accuracy->clear();
    m_lr->clear();
    m_trainLoss = m_loss->addSeries(tr("train loss (per step)"), {}, true);
    m_valLoss = m_loss->addSeries(tr("validation loss"), {QColor(), true, true});
    m_loss->setSmoothing(m_smoothing->value() / 100.0);
    m_accuracy->setAxisLabels(tr("epoch"), tr("accuracy"));
    m_accuracy->setFixedValueRange(0, 1);  // a fraction: never -30..30 around one point
    m_trainAcc = m_accuracy->addSeries(tr("train accuracy"), {QColor(), false, true});
    m_valAcc = m_accuracy->addSeries(tr("validation accuracy"), {QColor(), true, true});
    m_regression = false;
    showClassTabs(true);
    m_lrSeries = m_lr->addSeries(tr("learning rate"));
    for (plot::CurvePlot* p : {m_loss, m_accuracy, m_lr}) p->resetView();  // no zoom or range of the last run
    m_decision->clear();
    for (std::size_t i = 0; i < m_evalPlots.size(); ++i) evaluationPlots()[i].show(m_evalPlots[i], EvaluationReport{});
    m_data->clear();
    m_evalTitle->setText(tr("Evaluation: after the first epoch"));
    const int mapTab = m_evalTabs->indexOf(m_decision);
    if (mapTab >= 0) m_evalTabs->removeTab(mapTab);
    m_decision->hide();
    const int activationTab = m_evalTabs->indexOf(m_activations);
    if (activationTab >= 0) m_evalTabs->removeTab(activationTab);
    m_activations->clear();
    m_activations->hide();
    const int neuronTab = m_evalTabs->indexOf(m_neurons);
    if (neuronTab >= 0) m_evalTabs->removeTab(neuronTab);
    m_neurons->setMaps(nullptr);
    m_neurons->hide();
    const int reconTab = m_evalTabs->indexOf(m_reconstructions);
    if (reconTab >= 0) m_evalTabs->removeTab(reconTab);
    m_reconstructions->clear();
    m_reconstructions->hide();
    const int forecastTab = m_evalTabs->indexOf(m_forecast);
    if (forecastTab >= 0) m_evalTabs->removeTab(forecastTab);
    m_forecast->clear();
    m_forecast->hide();
    m_lastStep = 0;
    m_lastSamplesPerSec = 0;
    m_runWarning.clear();
    m_progress->setValue(0);
    m_epochLabel->clear();
    m_speedLabel->clear();
}

void TrainingPanel::showClassTabs(bool show) {
    int at = m_evalTabs->indexOf(m_data) + 1;
    for (std::size_t k = 0; k < m_evalPlots.size(); ++k) {
        if (!evaluationPlots()[k].classification) continue;
        QWidget* w = m_evalPlots[k];
        const int i = m_evalTabs->indexOf(w);
        if (show && i < 0) m_evalTabs->insertTab(at, w, evaluationPlots()[k].titleText());
        if (!show && i >= 0) m_evalTabs->removeTab(i);
        if (show) ++at;
    }
}

void TrainingPanel::startTraining() { startRun(false); }

bool TrainingPanel::startRun(bool paused, std::optional<storage::BranchPoint> branch) {
    if (m_controller.running()) return false;
    QString why;
    std::optional<ProjectDocument> project = m_source ? m_source(&why) : std::nullopt;
    if (!project) {
        setStatus(why.isEmpty() ? tr("There is no project to train.") : why, true);
        return false;
    }
    try {
        // The checks a project file gets on opening: a learning rate of 0 and the like would
        // train nothing, so the run does not start.
        parseProject(projectToJson(*project), project->name, nullptr);
    } catch (...) {
        Failure failure = currentFailure();
        failure.message = settingsProblem(failure.message);
        showFailure(failure, m_status, this, tr("Not started"));
        emit runFailed(failureText(failure, tr("Not started")));
        return false;
    }
    m_detached = false;
    resetPlots();
    m_info = RunPrepared{};  // the previous run's id must not be exported as this one's
    m_progress->setRange(0, std::max(project->training.epochs, 1));
    m_startNote.clear();
    m_changeNote.clear();
    m_branchNote.clear();
    m_runSeed = static_cast<qulonglong>(project->training.seed);
    const bool started = m_controller.start(*project, paused, branch);
    if (started) {
        m_hasRun = true;
        setStatus(tr("Loading the data and building the model..."));
    }
    m_clock.start();
    return started;
}

void TrainingPanel::setNeuronsHidden(bool hidden) {
    m_neuronsHidden = hidden;
    const int tab = m_evalTabs->indexOf(m_neurons);
    if (hidden && tab >= 0) m_evalTabs->removeTab(tab);
    if (hidden) m_neurons->hide();
}

void TrainingPanel::showPaused() {
    if (m_controller.running() && m_controller.paused() && m_lastStep > 0 && !m_resetPending)
        setStatus(tr("Paused after step %1. Step (F10), Step epoch (Shift+F10) or Resume (F6).").arg(m_lastStep) +
                  (m_branchNote.isEmpty() ? QString() : QLatin1Char('\n') + m_branchNote) +
                  (m_changeNote.isEmpty() ? QString() : QLatin1Char('\n') + m_changeNote));
}

void TrainingPanel::stepBatch() {
    if (!m_controller.running() && !startRun(true)) return;
    m_controller.stepBatches(1);
}

void TrainingPanel::stepEpoch() {
    if (!m_controller.running() && !startRun(true)) return;
    m_controller.stepEpoch();
}

// Before a project's first run the Data tab (and a 2-D data set's map, as a scatter of the
// training points) shows what DataProbe loaded; null clears it (the data did not load). A run,
// running or finished, keeps showing its own data.
void TrainingPanel::showDataPreview(const RunPrepared* data) {
    // A run of the previous project that is still winding down (detached) shows nothing more.
    if (m_controller.running() && !m_detached) return;
    if (m_hasRun) {  // the run's regions stay; the points follow the project's edits (data.points)
        if (data && data->twoDimensional && m_evalTabs->indexOf(m_decision) >= 0) m_decision->setPoints(data->points);
        return;
    }
    m_data->clear();
    m_decision->clear();
    const int mapTab = m_evalTabs->indexOf(m_decision);
    if (!data || !data->twoDimensional) {
        if (mapTab >= 0) m_evalTabs->removeTab(mapTab);
        m_decision->hide();
    }
    if (!data) return;
    m_evalTitle->setText(tr("The data, before training; the evaluation follows the first epoch"));
    m_data->showData(*data);
    if (data->twoDimensional) {
        m_decision->setClassNames(data->classNames);
        m_decision->setPoints(data->points);
        if (mapTab < 0) m_evalTabs->insertTab(0, m_decision, tr("Decision map"));
        m_evalTabs->setCurrentWidget(m_decision);
    } else {
        m_evalTabs->setCurrentWidget(m_data);
    }
}

void TrainingPanel::togglePause() {
    if (!m_controller.running()) return;
    if (m_controller.paused()) {
        m_controller.resume();
        setStatus(tr("Training on %1").arg(m_info.device) + (m_changeNote.isEmpty() ? QString() : QLatin1Char('\n') + m_changeNote));
    } else {
        m_controller.pause();
        setStatus(tr("Paused after step %1. Resume with F6.").arg(m_lastStep));
    }
    showSpeed(true);  // no ETA while paused
}

void TrainingPanel::resetForProject() {
    m_hasRun = false;
    m_controller.forgetRun();
    const bool stopping = m_controller.running();
    if (stopping) {
        m_detached = true;
        m_controller.stop();
    }
    resetPlots();
    m_info = RunPrepared{};
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    if (!stopping)
        setStatus(tr("Press Start (F5) to train the project."));
    else if (m_controller.storePath().isEmpty())
        setStatus(tr("The previous project's run was stopped."));
    else
        setStatus(tr("The previous project's run was stopped; what it trained is in the Runs tab."));
    updateActions();
}

void TrainingPanel::stopTraining() {
    if (!m_controller.running()) return;
    m_controller.stop();
    setStatus(tr("Stopping after the current step..."));
}

void TrainingPanel::exportModel() {
    const QString path = m_controller.storePath();
    if (m_info.runId <= 0 || path.isEmpty() || m_controller.running()) return;
    exportRunModel(this, path, m_info.runId);  // loads on a worker; errors come as a message box
}

void TrainingPanel::onPrepared(const RunPrepared& info) {
    if (m_detached) return;
    m_info = info;
    m_clock.restart();
    const qint64 total = std::max<qint64>(1, info.stepsPerEpoch * info.epochs);
    m_progress->setRange(0, static_cast<int>(std::min<qint64>(total, 1 << 30)));
    QString text = tr("Training on %1: %2 training, %3 validation, %4 test samples.")
                       .arg(info.device)
                       .arg(info.trainCount)
                       .arg(info.validationCount)
                       .arg(info.testCount);
    if (!info.deviceNote.isEmpty()) text += QLatin1Char(' ') + info.deviceNote;
    if (!info.weightsNote.isEmpty()) text += QLatin1Char('\n') + info.weightsNote.left(1).toUpper() + info.weightsNote.mid(1) + QLatin1Char('.');
    for (const QString& w : info.warnings) text += QStringLiteral("\nwarning: ") + w;
    if (!m_startNote.isEmpty()) text += QLatin1Char('\n') + m_startNote.arg(m_runSeed);
    if (!m_branchNote.isEmpty()) text += QLatin1Char('\n') + m_branchNote;
    m_startNote.clear();
    setStatus(text);
    m_data->showData(info);
    if (info.classNames.isEmpty()) {  // regression or reconstruction: errors instead of accuracy
        m_regression = true;
        showClassTabs(false);
        m_accuracy->clear();
        m_accuracy->setFixedValueRange(0, 0);  // errors have no fixed scale
        m_accuracy->setAxisLabels(tr("epoch"), tr("validation error"));
        m_valAcc = m_accuracy->addSeries(tr("validation RMSE"), {QColor(), true, true});
        m_trainAcc = m_accuracy->addSeries(tr("validation MAE"), {QColor(), true, true});
    }
    if (!info.twoDimensional && !info.previews.isEmpty()) m_evalTabs->setCurrentWidget(m_data);
    if (!info.previews.isEmpty() && !info.reconstructs) {  // an image network: every layer's output
        m_activations->setClassNames(info.classNames);
        m_activations->setSampleCount(info.validationCount > 0 ? info.validationCount : info.trainCount);
        m_evalTabs->insertTab(m_evalTabs->indexOf(m_data) + 1, m_activations, tr("Activations"));
    }
    if (info.twoDimensional) {
        m_decision->setClassNames(info.classNames);
        m_decision->setPoints(info.points);
        m_evalTabs->insertTab(0, m_decision, tr("Decision map"));
        if (!m_neuronsHidden) m_evalTabs->insertTab(1, m_neurons, tr("Neurons"));
        m_evalTabs->setCurrentIndex(0);
    }
    if (info.reconstructs) {
        m_evalTabs->insertTab(0, m_reconstructions, tr("Reconstructions"));
        m_evalTabs->setCurrentIndex(0);
    }
    if (info.forecasts) {
        m_forecast->setTargets(info.targetNames);
        m_evalTabs->insertTab(0, m_forecast, tr("Forecast"));
        m_evalTabs->setCurrentIndex(0);
    }
}

void TrainingPanel::onProgress(const TrainingUpdate& u) {
    if (m_detached) return;
    if (!u.steps.empty()) {
        std::vector<double> x, loss, lr;
        x.reserve(u.steps.size());
        loss.reserve(u.steps.size());
        lr.reserve(u.steps.size());
        for (const StepEvent& s : u.steps) {
            x.push_back(s.epoch - 1 + static_cast<double>(s.stepInEpoch) / std::max<int64_t>(s.stepsPerEpoch, 1));
            loss.push_back(s.loss);
            lr.push_back(s.lr);
        }
        m_loss->appendPoints(m_trainLoss, x, loss);
        m_lr->appendPoints(m_lrSeries, x, lr);
        const StepEvent& last = u.steps.back();
        m_lastStep = last.step;
        m_progress->setValue(static_cast<int>(std::min<int64_t>(last.step, m_progress->maximum())));
        m_epochLabel->setText(tr("epoch %1/%2 · step %3/%4")
                                  .arg(last.epoch)
                                  .arg(m_info.epochs)
                                  .arg(last.stepInEpoch)
                                  .arg(last.stepsPerEpoch));
        showPaused();  // the last steps before a pause may arrive after it
    }
    for (const EpochEvent& e : u.epochs) {
        m_loss->appendPoint(m_valLoss, e.epoch, e.valLoss.value_or(e.trainLoss));
        if (!e.valLoss) m_loss->setSeriesVisible(m_valLoss, false);
        if (m_regression) {
            const auto* r = e.valMetrics && e.valMetrics->regression ? &*e.valMetrics->regression : nullptr;
            if (r && r->rmse.defined()) m_accuracy->appendPoint(m_valAcc, e.epoch, r->rmse.v);
            if (r && r->mae.defined()) m_accuracy->appendPoint(m_trainAcc, e.epoch, r->mae.v);
        } else if (m_info.classNames.size() > 0) {
            m_accuracy->appendPoint(m_trainAcc, e.epoch, e.trainAccuracy);
            if (e.valAccuracy) m_accuracy->appendPoint(m_valAcc, e.epoch, *e.valAccuracy);
        }
        m_lastSamplesPerSec = e.samplesPerSec;
        if (!e.warning.empty()) {  // the loss exploded but stayed finite: say so while it runs
            m_runWarning = QString::fromStdString(e.warning);
            setStatus(statusText() + tr("\nwarning: %1").arg(m_runWarning), true);
        }
        if (e.valMetrics) showEvaluation(*e.valMetrics, tr("Validation after epoch %1").arg(e.epoch));
    }
    if (u.map) m_decision->setGrid(gridOf(*u.map));
    if (u.activations) {
        m_activations->setMaps(u.activations, u.activationSample, u.activationLabel);
        emit outputMapsChanged(u.activations);
    }
    if (u.unitMaps) {
        m_neurons->setMaps(u.unitMaps);
        emit unitMapsChanged(u.unitMaps);
    }
    if (!u.settingChanges.empty()) {
        QStringList lines;
        bool refused = false;
        for (const SettingsChangedEvent& c : u.settingChanges) {
            const QString name = c.setting == "lr" ? tr("learning rate")
                                 : c.setting == "batch_size" ? tr("batch size")
                                 : c.setting.find('.') != std::string::npos ? QString::fromStdString(c.setting)  // a weight
                                                             : QString::fromStdString(c.setting).toUpper();
            if (c.refusal.empty())
                lines << tr("From step %1: %2 %3 → %4 (recorded with the run).")
                             .arg(c.step + 1)
                             .arg(name)
                             .arg(c.before, 0, 'g', 4)
                             .arg(c.after, 0, 'g', 4);
            else
                lines << tr("The %1 stays %2: %3.").arg(name).arg(c.before, 0, 'g', 4).arg(QString::fromStdString(c.refusal));
            refused |= !c.refusal.empty();
        }
        m_changeNote = lines.join(QLatin1Char('\n'));
        setStatus(m_changeNote, refused);
    }
    if (u.reconstructions) m_reconstructions->setReconstructions(u.reconstructions->epoch, u.reconstructions->samples);
    if (u.forecast) m_forecast->setForecast(u.forecast->epoch, u.forecast->forecast, u.forecast->restored);
    if (!u.viewError.isEmpty()) setStatus(statusText() + tr("\nwarning: %1").arg(u.viewError), true);
    showSpeed(false);
}

void TrainingPanel::showSpeed(bool ended) {
    const double elapsed = m_clock.isValid() ? m_clock.elapsed() / 1000.0 : 0.0;
    const qint64 total = m_info.stepsPerEpoch * m_info.epochs;
    QString speed = tr("elapsed %1").arg(clock(elapsed));
    // An estimate only while the run is going: not after it ended, was stopped or paused.
    if (!ended && !m_controller.paused() && m_lastStep > 0 && total > m_lastStep)
        speed += tr(" · ETA %1").arg(clock(elapsed * static_cast<double>(total - m_lastStep) / static_cast<double>(m_lastStep)));
    if (m_lastSamplesPerSec > 0) speed += tr(" · %1 samples/s").arg(QLocale().toString(qRound64(m_lastSamplesPerSec)));
    m_speedLabel->setText(speed);
}

plot::RocPlot* TrainingPanel::rocPlot() const { return static_cast<plot::RocPlot*>(findEvaluationPlot(this, "roc")); }
plot::RocPlot* TrainingPanel::prPlot() const { return static_cast<plot::RocPlot*>(findEvaluationPlot(this, "pr")); }
plot::ConfusionPlot* TrainingPanel::confusionPlot() const {
    return static_cast<plot::ConfusionPlot*>(findEvaluationPlot(this, "confusion"));
}

void TrainingPanel::showEvaluation(const EvaluationReport& report, const QString& title) {
    m_evalTitle->setText(title);
    for (std::size_t i = 0; i < m_evalPlots.size(); ++i)
        if (!evaluationPlots()[i].classification || report.classification) evaluationPlots()[i].show(m_evalPlots[i], report);
}

void TrainingPanel::onFinished(const FinishedEvent& e) {
    if (m_detached) return;
    if (e.testMetrics) showEvaluation(*e.testMetrics, tr("Test split, final model"));
    else if (e.valMetrics) showEvaluation(*e.valMetrics, tr("Validation, final model"));
    showSpeed(true);
    const QString epochs = e.epochs == 1 ? tr("1 epoch") : tr("%1 epochs").arg(e.epochs);
    QString text;
    if (e.status == "early_stopped")
        text = tr("Stopped early after %1 in %2: the monitored metric stopped improving").arg(epochs, clock(e.seconds)) +
               (e.bestEpoch > 0 ? tr(" (best epoch %1)").arg(e.bestEpoch) : QString());
    else if (e.status == "cancelled")
        text = tr("Stopped by you after %1 in %2").arg(epochs, clock(e.seconds));
    else
        text = tr("Completed %1 in %2").arg(epochs, clock(e.seconds));
    if (e.valAccuracy) text += tr(" · validation accuracy %1").arg(*e.valAccuracy, 0, 'f', 4);
    if (e.testAccuracy) text += tr(" · test accuracy %1").arg(*e.testAccuracy, 0, 'f', 4);
    const std::optional<EvaluationReport>& shown = e.testMetrics ? e.testMetrics : e.valMetrics;
    if (shown && shown->regression && shown->regression->rmse.defined())
        text += (e.testMetrics ? tr(" · test RMSE %1") : tr(" · validation RMSE %1"))
                    .arg(shown->regression->rmse.v, 0, 'g', 4);
    if (!m_runWarning.isEmpty()) text += tr("\nwarning: %1").arg(m_runWarning);
    setStatus(text, !m_runWarning.isEmpty());
    emit runFinished(e);
}

void TrainingPanel::onFailed(const Failure& failure) {
    if (m_detached) return;
    showSpeed(true);
    showFailure(failure, m_status, this, tr("Training failed"));
    emit runFailed(failure.message);
}

void TrainingPanel::updateActions() {
    const bool running = m_controller.running();
    m_start->setEnabled(!running);
    m_pause->setEnabled(running);
    m_stop->setEnabled(running);
    const bool canStep = !m_resetPending && (!running || m_controller.paused());
    m_step->setEnabled(canStep);
    m_stepEpoch->setEnabled(canStep);
    m_reset->setEnabled(!m_resetPending);
    m_rewind->setEnabled(!m_resetPending && m_info.runId > 0 && !m_controller.storePath().isEmpty());
    m_neurons->setEditable(running && m_controller.paused());
    m_export->setEnabled(!running && m_info.runId > 0 && !m_controller.storePath().isEmpty());
    m_tryIt->setEnabled(m_export->isEnabled());
    m_pause->setText(m_controller.paused() ? tr("Resume") : tr("Pause"));
    updatePointBar();
}

void TrainingPanel::setStatus(const QString& text, bool error) {
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

QString TrainingPanel::statusText() const { return m_status->text(); }

QString TrainingPanel::speedText() const { return m_speedLabel->text(); }

}  // namespace neurite
