// RunsView: one or more stored runs side by side. Curves overlaid per metric on an epoch axis
// (a pinned baseline drawn thicker), each run's ROC curves and confusion matrix, a table with
// each metric's best (and its epoch), last, minimum and maximum, the settings (all, or only those
// that differ) and the network's differences from the baseline. Running runs grow on refresh().
#pragma once

#include <QWidget>

#include <vector>

#include "run_data.h"

class QCheckBox;
class QComboBox;
class QHBoxLayout;
class QTableWidget;
class QPlainTextEdit;
class QTabWidget;

namespace neurite::plot {
class CurvePlot;
}

namespace neurite::ui {

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
    plot::CurvePlot* lossPlot() const { return m_loss; }
    plot::CurvePlot* accuracyPlot() const { return m_accuracy; }
    QTableWidget* metricsTable() const { return m_metrics; }
    QTableWidget* settingsTable() const { return m_settings; }
    QString networkText() const;
    QComboBox* baselineBox() const { return m_baseline; }
    int evaluationCount() const { return m_evalCount; }

    // All shown runs' curves as one CSV: run,metric,epoch,value.
    QString curvesCsv() const;
    // Writes every plot of the view as PNG into `dir`; returns the files written.
    QStringList exportImages(const QString& dir, QString* error);

private:
    struct Shown {
        storage::RunDetails details;
        RunSeries series;
        int lossSeries = -1, valLossSeries = -1, accSeries = -1, valAccSeries = -1;
        bool live = false;
    };
    void rebuildCurves();
    void styleBaseline(int index);  // the plots only; setBaseline also redoes the tables
    void appendPoints(Shown& s, std::size_t stepFrom, std::size_t epochFrom);
    void rebuildEvaluations(storage::RunStore& store);
    void rebuildTables();
    void exportCsvWithDialog();
    void exportImagesWithDialog();

    std::vector<Shown> m_runs;
    QComboBox* m_baseline;
    QTabWidget* m_tabs;
    plot::CurvePlot *m_loss, *m_accuracy;
    QWidget* m_evalStrip;
    QHBoxLayout* m_evalLayout;
    QTableWidget *m_metrics, *m_settings;
    QCheckBox* m_diffOnly;
    QPlainTextEdit* m_network;
    int m_evalCount = 0;
};

}  // namespace neurite::ui
