#include "definition_builder.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QVBoxLayout>

#include <map>

#include "experiment/objective.h"
#include "io/json_text.h"
#include "parameter_table.h"

namespace neurite {

namespace {

using nlohmann::json;

// The file name errors start with while the definition has no file yet.
constexpr const char* kUnsavedName = "experiment";

QSpinBox* spin(QWidget* parent, int lo, int hi, int value, const QString& special = {}) {
    auto* s = new QSpinBox(parent);
    s->setRange(lo, hi);
    s->setValue(value);
    if (!special.isEmpty()) s->setSpecialValueText(special);
    return s;
}

}  // namespace

DefinitionBuilder::DefinitionBuilder(QWidget* parent) : QWidget(parent) {
    m_projectLabel = new QLabel(this);
    m_projectLabel->setWordWrap(true);
    m_useOpen = new QPushButton(tr("Use Open Project"), this);
    m_useOpen->setToolTip(tr("Build the experiment on the project open in the studio"));
    connect(m_useOpen, &QPushButton::clicked, this, &DefinitionBuilder::useOpenProject);
    auto* open = new QPushButton(tr("Open..."), this);
    open->setToolTip(tr("Open a *.experiment.json file"));
    connect(open, &QPushButton::clicked, this, &DefinitionBuilder::openWithDialog);
    auto* save = new QPushButton(tr("Save..."), this);
    save->setToolTip(tr("Save the definition, with its project inline, as a *.experiment.json file"));
    connect(save, &QPushButton::clicked, this, &DefinitionBuilder::saveWithDialog);
    auto* files = new QHBoxLayout;
    files->addWidget(m_useOpen);
    files->addStretch(1);
    files->addWidget(open);
    files->addWidget(save);

    m_name = new QLineEdit(this);
    m_table = new ParameterTable(this);
    m_table->setMinimumHeight(110);
    auto* add = new QPushButton(tr("Add Parameter"), this);
    connect(add, &QPushButton::clicked, this, [this] { m_table->addParameter(); });
    auto* remove = new QPushButton(tr("Remove"), this);
    connect(remove, &QPushButton::clicked, this, [this] {
        m_table->removeParameter(m_table->currentRow() >= 0 ? m_table->currentRow() : m_table->rowCount() - 1);
    });
    auto* rows = new QHBoxLayout;
    rows->addWidget(add);
    rows->addWidget(remove);
    rows->addStretch(1);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_projectLabel);
    layout->addLayout(files);
    auto* nameRow = new QHBoxLayout;
    nameRow->addWidget(new QLabel(tr("Name"), this));
    nameRow->addWidget(m_name, 1);
    layout->addLayout(nameRow);
    layout->addWidget(new QLabel(tr("Parameters to vary"), this));
    layout->addWidget(m_table, 1);
    layout->addLayout(rows);
    layout->addWidget(makeSettings());
    layout->addWidget(m_message);
    connect(m_table, &ParameterTable::edited, this, [this] {
        m_name->setPlaceholderText(defaultName());
        clearFailure(m_message);
        m_message->clear();
    });
    setProject(json::object(), {}, {});
}

QWidget* DefinitionBuilder::makeSettings() {
    auto* box = new QWidget(this);
    auto* grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    m_strategy = new QComboBox(box);
    m_strategy->addItems({tr("Grid"), tr("Grid, shuffled"), tr("Random"), tr("Bayesian (TPE)")});
    m_trials = spin(box, 0, 100000, 0, tr("all"));
    m_trials->setToolTip(tr("How many trials: a random or Bayesian search draws this many; a grid "
                            "stops after this many (all: every combination)"));
    m_seed = spin(box, 0, 1000000000, 0);
    m_seed->setToolTip(tr("Fixes the order and the draws of the trials (not the trainings' seeds)"));
    m_startup = spin(box, 0, 100000, 0, tr("auto"));
    m_startup->setToolTip(tr("Bayesian search: random trials before TPE proposes (auto: min(10, max(3, trials/4)))"));
    m_startup->setEnabled(false);
    connect(m_strategy, &QComboBox::currentIndexChanged, this, [this](int s) {
        if ((s == Random || s == Bayesian) && m_trials->value() == 0) m_trials->setValue(20);
        m_startup->setEnabled(s == Bayesian);
    });
    m_repeats = spin(box, 1, 1000, 1);
    m_repeats->setToolTip(tr("Trainings per trial, with seeds training.seed + 0, 1, ..."));
    m_folds = spin(box, 0, 100, 0, tr("none"));
    m_folds->setToolTip(tr("k-fold cross-validation of every repeat (2 or more; none: the project's own splits)"));
    m_objective = new QComboBox(box);
    m_objective->setEditable(true);
    m_objective->addItems(objectiveMetrics());
    m_objective->setCurrentText(QStringLiteral("val_loss"));
    m_direction = new QComboBox(box);
    m_direction->addItems({tr("minimize"), tr("maximize")});
    connect(m_objective, &QComboBox::currentTextChanged, this, [this](const QString& m) {
        if (isKnownMetric(m.toStdString())) m_direction->setCurrentIndex(largerIsBetter(m.toStdString()) ? 1 : 0);
    });
    m_pruner = new QComboBox(box);
    m_pruner->addItems({tr("none"), tr("median"), tr("successive halving")});
    m_pruner->setToolTip(tr("Stops weak trials early from their objective after each epoch (val_* and train_* metrics)"));
    m_prunerFirstLabel = new QLabel(box);
    m_prunerSecondLabel = new QLabel(box);
    m_prunerFirst = spin(box, 1, 1000000, 1);
    m_prunerSecond = spin(box, 1, 100000, 4);
    connect(m_pruner, &QComboBox::currentIndexChanged, this, &DefinitionBuilder::prunerChanged);
    m_constraints = new QLineEdit(box);
    m_constraints->setPlaceholderText(tr("none, e.g. parameters <= 50000; seconds <= 60"));
    m_constraints->setToolTip(tr("Trials whose mean misses one are infeasible (kept, never the best). Entries "
                                 "\"metric <= number\" or \"metric >= number\", separated by ;"));
    m_budgetTrials = spin(box, 0, 100000, 0, tr("no limit"));
    m_budgetMinutes = new QDoubleSpinBox(box);
    m_budgetMinutes->setRange(0, 1e6);
    m_budgetMinutes->setDecimals(1);
    m_budgetMinutes->setSpecialValueText(tr("no limit"));
    m_budgetMinutes->setSuffix(tr(" min"));
    m_budgetMinutes->setToolTip(tr("No trial starts after this much wall time"));
    m_parallel = spin(box, 1, 64, 1);
    m_parallel->setToolTip(tr("Trials trained at the same time; the CPU threads are split between them"));

    int row = 0;
    const auto label = [box](const QString& text) { return new QLabel(text, box); };
    grid->addWidget(label(tr("Strategy")), row, 0);
    grid->addWidget(m_strategy, row, 1);
    grid->addWidget(label(tr("Trials")), row, 2);
    grid->addWidget(m_trials, row, 3);
    grid->addWidget(label(tr("Seed")), ++row, 0);
    grid->addWidget(m_seed, row, 1);
    grid->addWidget(label(tr("Repeats")), row, 2);
    grid->addWidget(m_repeats, row, 3);
    grid->addWidget(label(tr("Folds")), ++row, 0);
    grid->addWidget(m_folds, row, 1);
    grid->addWidget(label(tr("At once")), row, 2);
    grid->addWidget(m_parallel, row, 3);
    grid->addWidget(label(tr("Objective")), ++row, 0);
    grid->addWidget(m_objective, row, 1);
    grid->addWidget(m_direction, row, 2, 1, 2);
    grid->addWidget(label(tr("Startup trials")), ++row, 0);
    grid->addWidget(m_startup, row, 1);
    grid->addWidget(label(tr("Pruner")), ++row, 0);
    grid->addWidget(m_pruner, row, 1, 1, 3);
    grid->addWidget(m_prunerFirstLabel, ++row, 0);
    grid->addWidget(m_prunerFirst, row, 1);
    grid->addWidget(m_prunerSecondLabel, row, 2);
    grid->addWidget(m_prunerSecond, row, 3);
    grid->addWidget(label(tr("Constraints")), ++row, 0);
    grid->addWidget(m_constraints, row, 1, 1, 3);
    grid->addWidget(label(tr("Budget")), ++row, 0);
    grid->addWidget(m_budgetTrials, row, 1);
    grid->addWidget(m_budgetMinutes, row, 2, 1, 2);
    m_budgetTrials->setSuffix(tr(" trials"));
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    prunerChanged();
    return box;
}

void DefinitionBuilder::prunerChanged() {
    const int kind = m_pruner->currentIndex();  // none, median, halving
    const bool median = kind == 1;
    m_prunerFirstLabel->setText(median ? tr("Warm-up epochs") : tr("First rung"));
    m_prunerSecondLabel->setText(median ? tr("Min trials") : tr("Keep 1 in"));
    m_prunerFirst->setSuffix(median ? QString() : tr(" epoch(s)"));
    m_prunerFirst->setToolTip(median ? tr("The first epoch at which a training can be stopped")
                                     : tr("Epochs before the first comparison; later rungs at this x the factor^k"));
    m_prunerSecond->setToolTip(median ? tr("Other trials' values needed at an epoch before it can stop a training")
                                      : tr("The reduction factor: at each rung the best 1 in this many go on"));
    {
        const QSignalBlocker block(m_prunerSecond);
        m_prunerSecond->setMinimum(median ? 1 : 2);
        m_prunerSecond->setValue(median ? PrunerConfig{}.minTrials : PrunerConfig{}.reductionFactor);
        const QSignalBlocker blockFirst(m_prunerFirst);
        m_prunerFirst->setValue(median ? PrunerConfig{}.warmupEpochs : PrunerConfig{}.minEpochs);
    }
    for (QWidget* w : std::initializer_list<QWidget*>{m_prunerFirstLabel, m_prunerSecondLabel, m_prunerFirst, m_prunerSecond})
        w->setEnabled(kind > 0);
}

std::optional<json> DefinitionBuilder::constraintsJson(QString* error) const {
    json out = json::array();
    std::map<std::string, std::size_t> at;  // metric -> its entry in `out`
    const QStringList entries = m_constraints->text().split(';', Qt::SkipEmptyParts);
    for (int i = 0; i < entries.size(); ++i) {
        const QString entry = entries[i].trimmed();
        if (entry.isEmpty()) continue;
        const bool max = entry.contains(QLatin1String("<="));
        const bool min = entry.contains(QLatin1String(">="));
        const QStringList sides = entry.split(max ? QStringLiteral("<=") : QStringLiteral(">="));
        bool number = false;
        const double value = sides.size() == 2 ? sides[1].trimmed().toDouble(&number) : 0;
        if (max == min || sides.size() != 2 || sides[0].trimmed().isEmpty() || !number) {
            if (error)
                *error = tr("constraint %1 \"%2\": write metric <= number or metric >= number, entries separated by ;")
                             .arg(i + 1)
                             .arg(entry);
            return std::nullopt;
        }
        const std::string metric = sides[0].trimmed().toStdString();
        auto [it, fresh] = at.try_emplace(metric, out.size());
        if (fresh) out.push_back(json{{"metric", metric}});
        out[it->second][max ? "max" : "min"] = value;
    }
    return out;
}

void DefinitionBuilder::setProjectSource(ProjectSource source) {
    m_source = std::move(source);
    refreshProject();
}

void DefinitionBuilder::refreshProject() {
    if (!m_follow) return;
    std::optional<ProjectSnapshot> snap = m_source ? m_source() : std::nullopt;
    if (!snap) {
        setProject(json::object(), {}, tr("No project is open: open or create one first."));
        return;
    }
    const QString shown = snap->path.isEmpty() ? tr("the open project (unsaved)") : QFileInfo(snap->path).fileName();
    setProject(std::move(snap->project), snap->path, tr("Project: %1, as open in the studio").arg(shown));
}

void DefinitionBuilder::useOpenProject() {
    m_follow = true;
    m_file.clear();
    refreshProject();
}

void DefinitionBuilder::setProject(json project, const QString& path, const QString& note) {
    m_project = std::move(project);
    m_projectPath = path;
    m_projectLabel->setText(note);
    m_useOpen->setEnabled(!m_follow);
    m_table->setFields(experimentFields(m_project));
    m_name->setPlaceholderText(defaultName());
}

QString DefinitionBuilder::projectText() const { return m_projectLabel->text(); }

QString DefinitionBuilder::defaultName() const {
    QStringList keys;
    for (int row = 0; row < m_table->rowCount(); ++row) keys << m_table->pathAt(row).section('.', -1);
    const QString project = m_project.is_object() && m_project.contains("name") && m_project["name"].is_string()
                                ? QString::fromStdString(m_project["name"].get<std::string>()) : QString();
    if (keys.isEmpty()) return project.isEmpty() ? tr("Experiment") : project;
    return (project.isEmpty() ? QString() : project + ": ") + keys.join(QStringLiteral(" x "));
}

std::optional<json> DefinitionBuilder::definitionJson(QString* error) {
    refreshProject();
    if (!m_project.is_object() || m_project.empty()) {
        if (error) *error = tr("no project: open a project in the studio, or an experiment file");
        return std::nullopt;
    }
    std::optional<json> params = m_table->toJson(error);
    if (!params) return std::nullopt;
    const int s = m_strategy->currentIndex();
    json strategy{{"type", s == Random ? "random" : s == Bayesian ? "bayesian" : "grid"},
                  {"seed", m_seed->value()}};
    if (s == Grid || s == GridShuffled) strategy["shuffle"] = s == GridShuffled;
    if (m_trials->value() > 0) strategy["trials"] = m_trials->value();
    const QString name = m_name->text().trimmed().isEmpty() ? defaultName() : m_name->text().trimmed();
    json out{{"format", "neurite-experiment"},
             {"version", ExperimentDefinition::kVersion},
             {"name", name.toStdString()},
             {"project", m_project},
             {"project_path", (m_projectPath.isEmpty() ? tr("untitled project") : m_projectPath).toStdString()},
             {"parameters", *params},
             {"strategy", strategy},
             {"repeats", m_repeats->value()},
             {"folds", m_folds->value()},
             {"objective", {{"metric", m_objective->currentText().trimmed().toStdString()},
                            {"direction", m_direction->currentIndex() == 1 ? "maximize" : "minimize"}}}};
    if (s == Bayesian && m_startup->value() > 0) strategy["startup_trials"] = m_startup->value();
    out["strategy"] = strategy;
    if (m_pruner->currentIndex() == 1)
        out["pruner"] = {{"type", "median"}, {"warmup_epochs", m_prunerFirst->value()}, {"min_trials", m_prunerSecond->value()}};
    else if (m_pruner->currentIndex() == 2)
        out["pruner"] = {{"type", "halving"}, {"min_epochs", m_prunerFirst->value()}, {"reduction_factor", m_prunerSecond->value()}};
    const std::optional<json> constraints = constraintsJson(error);
    if (!constraints) return std::nullopt;
    if (!constraints->empty()) out["constraints"] = *constraints;
    json budget = json::object();
    if (m_budgetTrials->value() > 0) budget["trials"] = m_budgetTrials->value();
    if (m_budgetMinutes->value() > 0) budget["minutes"] = m_budgetMinutes->value();
    if (!budget.empty()) out["budget"] = budget;
    return out;
}

std::optional<ExperimentDefinition> DefinitionBuilder::definition(Failure* failure) {
    QString error;
    const std::optional<json> j = definitionJson(&error);
    Failure f;
    if (j) {
        const std::string file = m_file.isEmpty() ? std::string(kUnsavedName) : QFileInfo(m_file).fileName().toStdString();
        const std::string dir = m_file.isEmpty() ? std::string() : QFileInfo(m_file).absolutePath().toStdString();
        try {
            return parseExperiment(io::dumpJson(*j), file, dir);
        } catch (...) {
            f = currentFailure();
        }
    } else {
        f = Failure{ErrorKind::BadInput, error};
    }
    showError(f, tr("Not a valid experiment"));
    if (failure) *failure = f;
    return std::nullopt;
}

bool DefinitionBuilder::check() {
    const std::optional<ExperimentDefinition> def = definition();
    if (!def) return false;
    const int trainings = def->repeats * std::max(1, def->folds);
    showMessage(tr("Valid: %1 trial(s) of %2 training(s) each, objective %3 (%4).")
                    .arg(plannedTrialCount(*def))
                    .arg(trainings)
                    .arg(QString::fromStdString(def->objective), def->maximize ? tr("maximize") : tr("minimize")));
    return true;
}

ExperimentOptions DefinitionBuilder::options() const {
    ExperimentOptions o;
    o.parallel = m_parallel->value();
    return o;
}

void DefinitionBuilder::showMessage(const QString& text) {
    clearFailure(m_message);
    m_message->setText(text);
}

void DefinitionBuilder::showError(const Failure& failure, const QString& context) {
    showFailure(failure, m_message, this, context);
}

void DefinitionBuilder::fill(const ExperimentDefinition& def) {
    m_name->setText(QString::fromStdString(def.name));
    const bool shuffled = def.strategy == SearchStrategy::Grid && def.shuffle;
    m_strategy->setCurrentIndex(def.strategy == SearchStrategy::Random     ? Random
                                : def.strategy == SearchStrategy::Bayesian ? Bayesian
                                : shuffled                                 ? GridShuffled
                                                                           : Grid);
    m_trials->setValue(def.trials);
    m_seed->setValue(static_cast<int>(std::min<uint64_t>(def.seed, static_cast<uint64_t>(m_seed->maximum()))));
    m_repeats->setValue(def.repeats);
    m_folds->setValue(def.folds);
    m_objective->setCurrentText(QString::fromStdString(def.objective));
    m_direction->setCurrentIndex(def.maximize ? 1 : 0);
    m_pruner->setCurrentIndex(static_cast<int>(def.pruner.kind));
    const bool median = def.pruner.kind == PrunerConfig::Kind::Median;
    m_prunerFirst->setValue(median ? def.pruner.warmupEpochs : def.pruner.minEpochs);
    m_prunerSecond->setValue(median ? def.pruner.minTrials : def.pruner.reductionFactor);
    m_startup->setValue(def.startupTrials);
    QStringList constraints;
    for (const Constraint& c : def.constraints) {
        const QString metric = QString::fromStdString(c.metric);
        if (c.min) constraints << QStringLiteral("%1 >= %2").arg(metric, QString::number(*c.min, 'g', 15));
        if (c.max) constraints << QStringLiteral("%1 <= %2").arg(metric, QString::number(*c.max, 'g', 15));
    }
    m_constraints->setText(constraints.join(QStringLiteral("; ")));
    m_budgetTrials->setValue(def.maxTrials);
    m_budgetMinutes->setValue(def.maxMinutes);
    m_table->setParameters(def.space);
}

bool DefinitionBuilder::openFile(const QString& path) {
    try {
        const ExperimentDefinition def = loadExperiment(path.toStdString());
        m_follow = false;
        m_file = path;
        setProject(def.project, QString::fromStdString(def.projectPath),
                   tr("Project: %1, from %2").arg(QFileInfo(QString::fromStdString(def.projectPath)).fileName(),
                                                  QFileInfo(path).fileName()));
        fill(def);
        showMessage(tr("Opened %1").arg(path));
        return true;
    } catch (...) {
        showError(currentFailure(), tr("Cannot open the experiment"));
        return false;
    }
}

bool DefinitionBuilder::saveFile(const QString& path) {
    Failure failure;
    const std::optional<ExperimentDefinition> def = definition(&failure);
    if (!def) return false;
    QSaveFile f(path);
    const QByteArray bytes = QByteArray::fromStdString(io::dumpJson(experimentToJson(*def), 2) + "\n");
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
        showError(Failure{ErrorKind::Io, tr("could not write %1: %2").arg(path, f.errorString())},
                  tr("Cannot save the experiment"));
        return false;
    }
    m_file = path;
    showMessage(tr("Saved %1").arg(path));
    return true;
}

void DefinitionBuilder::openWithDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open experiment"), QString(),
                                                      tr("Experiments (*.experiment.json);;JSON files (*.json)"));
    if (!path.isEmpty()) openFile(path);
}

void DefinitionBuilder::saveWithDialog() {
    QString path = QFileDialog::getSaveFileName(this, tr("Save experiment"), m_file,
                                                tr("Experiments (*.experiment.json)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(QLatin1String(".json"))) path += QStringLiteral(".experiment.json");
    saveFile(path);
}

}  // namespace neurite
