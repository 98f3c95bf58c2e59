#include "experiments_panel.h"

#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "experiment_results.h"
#include "failure.h"

namespace neurite {

namespace {

QString duration(double seconds) {
    const long s = std::lround(std::max(0.0, seconds));
    if (s < 60) return QObject::tr("%1 s").arg(s);
    if (s < 3600) return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60);
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
}

bool resumable(const QString& status) {
    return status == QLatin1String("stopped") || status == QLatin1String("interrupted") ||
           status == QLatin1String("budget") || status == QLatin1String("failed");
}

}  // namespace

ExperimentsPanel::ExperimentsPanel(QWidget* parent) : QWidget(parent) {
    m_builder = new DefinitionBuilder(this);
    m_check = new QPushButton(tr("Check"), this);
    m_check->setToolTip(tr("Read the definition as neurite-cli would and say what it runs"));
    connect(m_check, &QPushButton::clicked, m_builder, &DefinitionBuilder::check);
    m_run = new QPushButton(tr("Run Experiment"), this);
    m_run->setToolTip(tr("Train every trial, recorded in the run store (Runs tab)"));
    connect(m_run, &QPushButton::clicked, this, &ExperimentsPanel::run);
    auto* runRow = new QHBoxLayout;
    runRow->addStretch(1);
    runRow->addWidget(m_check);
    runRow->addWidget(m_run);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->addWidget(m_builder, 1);
    leftLayout->addLayout(runRow);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(left);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(left->minimumSizeHint().width() + 20);

    m_stop = new QPushButton(tr("Stop"), this);
    m_stop->setToolTip(tr("Stop every running training after its current step; Resume continues later"));
    connect(m_stop, &QPushButton::clicked, this, &ExperimentsPanel::stop);
    m_resume = new QPushButton(tr("Resume"), this);
    m_resume->setToolTip(tr("Continue the experiment picked below: finished trials are kept, the others run"));
    connect(m_resume, &QPushButton::clicked, this, &ExperimentsPanel::resume);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%v of %m trials"));
    m_progress->setTextVisible(false);  // until an experiment runs
    m_eta = new QLabel(this);
    m_eta->setMinimumWidth(m_eta->fontMetrics().horizontalAdvance(tr("about 59 min 59 s left")) + 8);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_stop);
    controls->addWidget(m_resume);
    controls->addWidget(m_progress, 1);
    controls->addWidget(m_eta);

    m_results = new ExperimentResults(this);
    connect(m_results, &ExperimentResults::runRequested, this, &ExperimentsPanel::runRequested);
    connect(m_results, &ExperimentResults::experimentPicked, this, &ExperimentsPanel::updateButtons);
    connect(m_results, &ExperimentResults::experimentDeleted, this, [this] {
        updateButtons();
        emit runsChanged();  // the runs went, or no longer belong to an experiment
    });
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->addLayout(controls);
    rightLayout->addWidget(m_status);
    rightLayout->addWidget(m_results, 1);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
    split->addWidget(right);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(&m_controller, &ExperimentController::started, this, &ExperimentsPanel::started);
    connect(&m_controller, &ExperimentController::progressed, this, &ExperimentsPanel::progressed);
    connect(&m_controller, &ExperimentController::finished, this, &ExperimentsPanel::ended);
    connect(&m_controller, &ExperimentController::failed, this, [this](const Failure& f) {
        showFailure(f, m_status, this, tr("The experiment failed"));
    });
    connect(&m_controller, &ExperimentController::stateChanged, this, &ExperimentsPanel::updateButtons);
    updateButtons();
}

// The worker must end before the results (and the reading store) go.
ExperimentsPanel::~ExperimentsPanel() { m_controller.disconnect(this); }

void ExperimentsPanel::setProjectSource(DefinitionBuilder::ProjectSource source) {
    m_builder->setProjectSource(std::move(source));
}

bool ExperimentsPanel::setStorePath(const QString& path) {
    m_results->setStore(nullptr);
    m_store.reset();
    m_controller.setStorePath(QString());
    if (path.isEmpty()) {
        m_status->setText(tr("No run store is open, so experiments cannot be recorded."));
        updateButtons();
        return false;
    }
    try {
        m_store = std::make_unique<storage::RunStore>(path.toStdString());
    } catch (...) {
        showFailure(currentFailure(), m_status, this, tr("Run store unavailable"));
        updateButtons();
        return false;
    }
    m_controller.setStorePath(path);
    m_results->setStore(m_store.get());
    clearFailure(m_status);
    m_status->setText(tr("Trials are recorded in %1").arg(path));
    updateButtons();
    return true;
}

bool ExperimentsPanel::run() {
    const std::optional<ExperimentDefinition> def = m_builder->definition();
    if (!def) return false;
    const ExperimentOptions options = m_builder->options();
    QString error;
    if (!m_controller.start(*def, QString::fromStdString(def->projectPath), options, &error)) {
        showFailure(Failure{ErrorKind::BadInput, error}, m_status, this, tr("Cannot run the experiment"));
        return false;
    }
    m_parallel = options.parallel;
    m_builder->showMessage(tr("Running \"%1\"").arg(QString::fromStdString(def->name)));
    clearFailure(m_status);
    m_status->setText(tr("Starting the experiment..."));
    return true;
}

void ExperimentsPanel::stop() {
    if (!m_controller.running()) return;
    m_controller.stop();
    m_status->setText(tr("Stopping after the current step of every running training..."));
}

bool ExperimentsPanel::resume() {
    const qint64 id = m_results->shownExperiment();
    if (id <= 0) return false;
    const ExperimentOptions options = m_builder->options();
    QString error;
    if (!m_controller.resume(id, options, &error)) {
        showFailure(Failure{ErrorKind::BadInput, error}, m_status, this, tr("Cannot resume the experiment"));
        return false;
    }
    m_parallel = options.parallel;
    clearFailure(m_status);
    m_status->setText(tr("Resuming experiment %1...").arg(id));
    return true;
}

void ExperimentsPanel::started(const ExperimentStarted& info) {
    m_planned = info.planned;
    m_done.clear();
    m_seconds.clear();
    m_finishedNow.clear();
    for (const TrialResult& t : info.done) {
        m_done.insert(t.number);
        m_seconds.push_back(t.seconds);
    }
    m_results->reloadList();
    m_results->showExperiment(info.id);
    m_status->setText(tr("Experiment %1: %2 trial(s), %3 at once; every training is recorded in the Runs tab.")
                          .arg(info.id)
                          .arg(info.planned)
                          .arg(m_parallel));
    updateProgress();
    updateButtons();
}

void ExperimentsPanel::progressed(const std::vector<TrialEvent>& events) {
    m_results->applyEvents(events);
    for (const TrialEvent& e : events) {
        if (e.kind != TrialEvent::Kind::Finished) continue;
        m_done.insert(e.number);
        m_seconds.push_back(e.result.seconds);
        m_finishedNow.push_back(e.number);
    }
    updateProgress();
}

void ExperimentsPanel::updateProgress() {
    m_progress->setTextVisible(m_planned > 0);
    m_progress->setRange(0, std::max(1, m_planned));
    m_progress->setValue(std::min(static_cast<int>(m_done.size()), std::max(1, m_planned)));
    if (!m_controller.running()) {
        m_eta->clear();
        return;
    }
    const int left = std::max(0, m_planned - static_cast<int>(m_done.size()));
    if (m_seconds.empty()) {
        m_eta->setText(tr("estimating time left..."));
        return;
    }
    const double mean = std::accumulate(m_seconds.begin(), m_seconds.end(), 0.0) / static_cast<double>(m_seconds.size());
    m_eta->setText(tr("about %1 left").arg(duration(mean * left / std::max(1, m_parallel))));
}

void ExperimentsPanel::ended(const QString& status) {
    const qint64 id = m_controller.experimentId();
    m_results->reloadList();
    if (id > 0) m_results->showExperiment(id);
    if (status == QLatin1String("stopped"))
        m_status->setText(tr("Experiment %1 stopped; the unfinished trials run again on Resume.").arg(id));
    else if (status == QLatin1String("budget"))
        m_status->setText(tr("Experiment %1 ended: its budget is spent (Resume continues it).").arg(id));
    else if (status != QLatin1String("failed"))
        m_status->setText(tr("Experiment %1 %2.").arg(id).arg(status));
    m_builder->showMessage(QString());
    updateProgress();
    updateButtons();
    emit runsChanged();
}

void ExperimentsPanel::updateButtons() {
    const bool running = m_controller.running();
    const bool store = m_store != nullptr;
    m_run->setEnabled(!running && store);
    m_stop->setEnabled(running && !m_controller.stopping());
    m_resume->setEnabled(!running && store && m_results->shownExperiment() > 0 && resumable(m_results->shownStatus()));
    m_run->setToolTip(store ? tr("Train every trial, recorded in the run store (Runs tab)")
                            : tr("No run store is open (see the Runs tab)"));
}

void ExperimentsPanel::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    m_builder->refreshProject();
    if (!m_controller.running()) m_results->reloadList();
    updateButtons();
}

}  // namespace neurite
