// RunsView: one or more stored runs side by side. Curves overlaid per metric on an epoch axis
// (a pinned baseline drawn thicker), each run's ROC curves and confusion matrix, a table with
// each metric's best (and its epoch), last, minimum and maximum, the settings (all, or only those
// that differ) and the network's differences from the baseline. Running runs grow on refresh().
// The evaluation plots (two plot widgets per run) are built only when their tab is shown; a
// two-feature run's decision map is drawn from its stored model on a worker (storage
// runDecisionMap), one run at a time, and kept until the run's models change.
#pragma once

#include <QPointer>
#include <QWidget>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "run_data.h"
#include "run_records.h"

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QTableWidget;
class QPlainTextEdit;
class QTabWidget;
class QVBoxLayout;

namespace neurite {
class BackgroundTask;
}

namespace neurite::storage {
struct RunDecisionMap;
}

namespace neurite::plot {
class CurvePlot;
}

namespace neurite {

class RunsView : public QWidget {
    Q_OBJECT
public:
    explicit RunsView(QWidget* parent = nullptr);

    // Shows these runs (the first is the baseline). Reads everything stored so far.
    void showRuns(storage::RunStore& store, const std::vector<int64_t>& ids);
    // Appends what running runs stored since the last read; cheap when nothing changed.
    void refresh(storage::RunStore& store);
    // Relabels the shown runs that `runs` (the store's list) names differently: the baseline
    // box, legends, evaluation titles and tables follow a rename.
    void followNames(storage::RunStore& store, const std::vector<storage::RunSummary>& runs);
    std::vector<int64_t> shownRuns() const;

    void setBaseline(int index);
    // A line above the plots (the panel's "showing 20 of 1,000 selected runs ..."); empty hides it.
    void setNote(const QString& note);
    QString note() const;
    plot::CurvePlot* lossPlot() const { return m_loss; }
    plot::CurvePlot* accuracyPlot() const { return m_accuracy; }
    QTableWidget* metricsTable() const { return m_metrics; }
    QTableWidget* settingsTable() const { return m_settings; }
    QString networkText() const;
    QComboBox* baselineBox() const { return m_baseline; }
    // Shown runs with a stored evaluation (read with the runs; the plots follow on their tab).
    int evaluationCount() const;
    // Evaluation plot widgets that exist now (0 until the Evaluation tab was shown).
    int evaluationPlotCount() const;

    // Stored decision maps still being drawn (or waiting for their turn).
    bool mapsPending() const { return !m_mapSlots.empty() || !m_mapQueue.empty(); }

    // All shown runs' curves as one CSV: run,metric,epoch,value.
    QString curvesCsv() const;
    // Writes every plot of the view as PNG into `dir`; returns the files written. Decision maps
    // still being drawn are not written.
    QStringList exportImages(const QString& dir, QString* error);

private:
    struct Shown {
        storage::RunDetails details;
        RunSeries series;
        storage::RunSettings settings;              // with "device"; empty when damaged
        std::optional<storage::DataSummary> data;   // nullopt when damaged
        std::optional<storage::StoredEvaluation> evaluation;
        QString problem, evaluationProblem;  // what of the stored run could not be read
        int lossSeries = -1, valLossSeries = -1, accSeries = -1, valAccSeries = -1;
        bool live = false;
    };
    void rebuildCurves();
    void nameByDifferences();
    void styleBaseline(int index);  // the plots only; setBaseline also redoes the tables
    void appendPoints(Shown& s, std::size_t stepFrom, std::size_t epochFrom);
    void loadEvaluation(storage::RunStore& store, Shown& s);
    void evaluationsChanged();  // rebuilds the strip now if its tab is shown, else when it is
    void buildEvaluationStrip();
    void addDecisionMap(const Shown& shown, QWidget* column, QVBoxLayout* layout);
    void startNextMap();
    void mapArrived(int64_t id, const QString& key, std::shared_ptr<const storage::RunDecisionMap> map,
                    const QString& error);
    void rebuildTables();
    void exportCsvWithDialog();
    void exportImagesWithDialog();

    std::vector<Shown> m_runs;
    QComboBox* m_baseline;
    QTabWidget* m_tabs;
    plot::CurvePlot *m_loss, *m_accuracy;
    QLabel* m_note;
    QWidget* m_evalStrip;
    QWidget* m_evalTab;
    QHBoxLayout* m_evalLayout;
    bool m_evalStale = false;
    std::string m_storePath;  // where the shown runs are (the evaluation's decision maps read models)
    struct StoredMap {
        QString key;  // the run's status and epochs when it was asked for
        bool ready = false;
        std::shared_ptr<const storage::RunDecisionMap> map;  // null while drawn, or on error
        QString error;
    };
    struct MapSlot {
        QVBoxLayout* layout = nullptr;
        QPointer<QWidget> note;  // "Drawing the decision map...": replaced when the map arrives
    };
    BackgroundTask* m_mapTask;
    std::map<int64_t, StoredMap> m_maps;      // by run id
    std::vector<int64_t> m_mapQueue;          // runs whose map waits for the worker
    std::map<int64_t, MapSlot> m_mapSlots;    // maps the strip shown now waits for
    QTableWidget *m_metrics, *m_settings;
    QCheckBox* m_diffOnly;
    QPlainTextEdit* m_network;
};

}  // namespace neurite
