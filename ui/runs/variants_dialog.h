// VariantsDialog: the Runs tab's Compare Variants (docs/compression.md). A stored run and its
// variants (runs branched from it, such as pruning or quantization-aware fine-tunes, and runs
// distilled from it) are measured on a worker thread, each as a float and as an int8 model: file
// size, parameters, non-zero parameters, FLOPs, batch-1 latency p50/p99, batch-256 throughput and
// the test metric, as a table and as a plot of the metric against latency. The measuring shows
// what it does and can be stopped; Export opens the export of the selected variant's run.
#pragma once

#include <QDialog>
#include <QString>

#include <cstdint>
#include <memory>
#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;

namespace neurite {

class BackgroundTask;
namespace plot {
class VariantsPlot;
}

class VariantsDialog : public QDialog {
    Q_OBJECT
public:
    VariantsDialog(const QString& storePath, int64_t runId, QWidget* parent = nullptr);
    ~VariantsDialog() override;

    QTableWidget* table() const { return m_table; }
    plot::VariantsPlot* plot() const { return m_plot; }
    bool busy() const;

signals:
    void measured();  // the table and plot are filled (or the failure shown)

private:
    void start();
    void exportSelected();

    QString m_storePath;
    int64_t m_runId;
    BackgroundTask* m_task;
    QLabel* m_status;
    QTableWidget* m_table;
    plot::VariantsPlot* m_plot;
    QPushButton *m_export, *m_stop;
    std::vector<int64_t> m_rowRuns;
};

}  // namespace neurite
