// DefinitionBuilder: the left side of the Experiments tab, where an experiment is put together
// from a project: the parameters to vary (ParameterTable), the strategy, repeats, folds,
// objective, pruner, budget and trials at once. It builds the *.experiment.json text with the
// project inline and checks it with the engine's reader (parseExperiment), so what it accepts
// is exactly what neurite-cli accepts, and its refusals name the entry. The project is the
// studio's open project (taken afresh at each check) until an experiment file is opened, whose
// own project it then keeps; Open and Save read and write *.experiment.json files.
#pragma once

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include "experiment/definition.h"
#include "experiment/runner.h"
#include "failure.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace neurite {

class ParameterTable;

// The open project as the builder takes it.
struct ProjectSnapshot {
    nlohmann::json project;  // the project file's JSON
    QString path;            // its file, empty while unsaved
};

class DefinitionBuilder : public QWidget {
    Q_OBJECT
public:
    explicit DefinitionBuilder(QWidget* parent = nullptr);

    using ProjectSource = std::function<std::optional<ProjectSnapshot>()>;
    void setProjectSource(ProjectSource source);
    // Takes the open project again (when the builder follows it) and offers its fields.
    void refreshProject();
    // Back to following the open project after an experiment file brought its own.
    void useOpenProject();
    bool followsOpenProject() const { return m_follow; }

    // The definition as JSON (project inline), or nullopt with *error naming the entry.
    std::optional<nlohmann::json> definitionJson(QString* error);
    // Built and read by parseExperiment; a failure is shown in the builder's message (red) and
    // returned in *failure.
    std::optional<ExperimentDefinition> definition(Failure* failure = nullptr);
    // Checks the definition and says what it would run ("9 trials x 3 trainings ...").
    bool check();
    ExperimentOptions options() const;

    bool openFile(const QString& path);  // errors shown in the message
    bool saveFile(const QString& path);
    void showMessage(const QString& text);
    void showError(const Failure& failure, const QString& context = {});

    ParameterTable* parameters() const { return m_table; }
    QLineEdit* nameEdit() const { return m_name; }
    QComboBox* strategyBox() const { return m_strategy; }
    QSpinBox* trialsBox() const { return m_trials; }
    QSpinBox* seedBox() const { return m_seed; }
    QSpinBox* repeatsBox() const { return m_repeats; }
    QSpinBox* foldsBox() const { return m_folds; }
    QComboBox* objectiveBox() const { return m_objective; }
    QComboBox* directionBox() const { return m_direction; }
    QComboBox* prunerBox() const { return m_pruner; }
    // The pruner's two settings: median: warm-up epochs and minimum trials; halving: the first
    // rung (epochs) and the reduction factor.
    QSpinBox* prunerFirstBox() const { return m_prunerFirst; }
    QSpinBox* prunerSecondBox() const { return m_prunerSecond; }
    QSpinBox* startupBox() const { return m_startup; }  // Bayesian: random trials first (0: auto)
    // "parameters <= 50000; seconds <= 30": each entry `metric <= number` or `metric >= number`.
    QLineEdit* constraintsEdit() const { return m_constraints; }
    QSpinBox* budgetTrialsBox() const { return m_budgetTrials; }
    QDoubleSpinBox* budgetMinutesBox() const { return m_budgetMinutes; }
    QSpinBox* parallelBox() const { return m_parallel; }
    QLabel* message() const { return m_message; }
    QString projectText() const;

    enum Strategy { Grid, GridShuffled, Random, Bayesian };

private:
    QWidget* makeSettings();
    void setProject(nlohmann::json project, const QString& path, const QString& note);
    void fill(const ExperimentDefinition& def);
    void prunerChanged();
    // The constraints field as the file's "constraints" list, or nullopt with *error.
    std::optional<nlohmann::json> constraintsJson(QString* error) const;
    void openWithDialog();
    void saveWithDialog();
    QString defaultName() const;

    ProjectSource m_source;
    bool m_follow = true;
    nlohmann::json m_project;
    QString m_projectPath;
    QString m_file;  // the experiment file opened or saved last: names errors, resolves paths
    QLabel* m_projectLabel;
    QLineEdit* m_name;
    ParameterTable* m_table;
    QComboBox* m_strategy = nullptr;
    QSpinBox* m_trials = nullptr;
    QSpinBox* m_seed = nullptr;
    QSpinBox* m_repeats = nullptr;
    QSpinBox* m_folds = nullptr;
    QComboBox* m_objective = nullptr;
    QComboBox* m_direction = nullptr;
    QComboBox* m_pruner = nullptr;
    QLabel* m_prunerFirstLabel = nullptr;
    QLabel* m_prunerSecondLabel = nullptr;
    QSpinBox* m_prunerFirst = nullptr;
    QSpinBox* m_prunerSecond = nullptr;
    QSpinBox* m_startup = nullptr;
    QLineEdit* m_constraints = nullptr;
    QSpinBox* m_budgetTrials = nullptr;
    QDoubleSpinBox* m_budgetMinutes = nullptr;
    QSpinBox* m_parallel = nullptr;
    QPushButton* m_useOpen;
    QLabel* m_message;
};

}  // namespace neurite
