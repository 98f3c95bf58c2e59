// ExperimentResults: the right side of the Experiments tab. The stored experiments to pick from
// (ExperimentStore::list), the picked one's trials as a sortable table, its optimization history
// (objective per trial and the best so far) and the objective against a parameter chosen in a
// combo box (log axis for log-uniform ranges and wide positive value lists, categories for text
// values). Reads the run store on the GUI thread, as the Runs tab does (small queries); a running
// experiment's rows are updated from its trial events in between. Double-clicking a trial asks
// for its first run in the Runs tab.
#pragma once

#include <QWidget>

#include <memory>
#include <vector>

#include "experiment_controller.h"
#include "run_store.h"

class QComboBox;
class QTabWidget;
class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace neurite {

namespace plot {
class BandPlot;
class ImportancePlot;
class ParallelCoordinatesPlot;
class ParetoPlot;
class TrialScatterPlot;
}
class TrialConfusions;
class TrialsTableModel;

class ExperimentResults : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentResults(QWidget* parent = nullptr);

    // The store to read (not owned; null shows nothing).
    void setStore(storage::RunStore* store);
    // Re-reads the list of experiments, keeping the pick. Throws nothing: failures are shown.
    void reloadList();
    // Picks experiment `id` and reads its trials from the store (0: none).
    void showExperiment(qint64 id);
    qint64 shownExperiment() const { return m_shown; }
    // A running experiment's events, for the experiment shown.
    void applyEvents(const std::vector<TrialEvent>& events);

    QComboBox* experimentBox() const { return m_experiments; }
    QTableView* table() const { return m_table; }
    TrialsTableModel* model() const { return m_model; }
    QSortFilterProxyModel* proxy() const { return m_proxy; }
    plot::TrialScatterPlot* historyPlot() const { return m_history; }
    plot::TrialScatterPlot* parameterPlot() const { return m_scatter; }
    QComboBox* parameterBox() const { return m_parameter; }
    QTabWidget* views() const { return m_views; }
    plot::ParallelCoordinatesPlot* parallelPlot() const { return m_parallel; }
    plot::ImportancePlot* importancePlot() const { return m_importance; }
    plot::ParetoPlot* paretoPlot() const { return m_pareto; }
    QComboBox* costBox() const { return m_cost; }
    plot::BandPlot* bandPlot() const { return m_bands; }
    TrialConfusions* confusions() const { return m_confusions; }
    QLabel* summary() const { return m_summary; }
    // The status the list gives the picked experiment ("stopped", "completed", ...).
    QString shownStatus() const;
    QPushButton* deleteButton() const { return m_delete; }
    // Deletes experiment `id` (and with `withRuns` its runs); false, with the reason shown, when
    // the store refuses (a running experiment). The Delete button asks first, then calls this.
    bool deleteExperiment(qint64 id, bool withRuns);

signals:
    void experimentPicked(qint64 id);
    // Double-click on a trial: its first run, in the Runs tab.
    void runRequested(qint64 runId);
    // An experiment was deleted (with its runs when `withRuns`).
    void experimentDeleted(qint64 id, bool withRuns);

private:
    void picked();
    void refreshPlots();
    void refreshScatter();
    // Parallel coordinates, importance, the Pareto front and the curves' bands.
    void refreshViews();
    void refreshPareto();
    // The Confusion view, when it is the one shown (it reads the store).
    void refreshConfusions();
    void selectTrial(int number);
    void updateSummary();
    void askDelete();

    storage::RunStore* m_store = nullptr;
    qint64 m_shown = 0;
    QComboBox* m_experiments;
    QPushButton* m_delete;
    QLabel* m_summary;
    TrialsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    plot::TrialScatterPlot* m_history;
    plot::TrialScatterPlot* m_scatter;
    QComboBox* m_parameter;
    QTabWidget* m_views;
    plot::ParallelCoordinatesPlot* m_parallel;
    plot::ImportancePlot* m_importance;
    plot::ParetoPlot* m_pareto;
    QComboBox* m_cost;
    plot::BandPlot* m_bands;
    TrialConfusions* m_confusions;
};

}  // namespace neurite
