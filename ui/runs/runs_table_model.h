// RunsTableModel: the runs of a store as table rows (name, status, start, device, key settings,
// epochs and the final metrics). Numbers are returned as numbers under Qt::UserRole so sorting is numeric.
#pragma once

#include <QAbstractTableModel>

#include <vector>

#include "run_store.h"

namespace neurite {

class RunsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Name, Status, Data, Started, Device, Settings, Epochs, ValAccuracy, ValLoss, TestAccuracy, Speed, Tags, ColumnCount };

    explicit RunsTableModel(QObject* parent = nullptr);

    // Replaces the rows; rows whose content did not change keep their selection.
    void setRuns(std::vector<storage::RunSummary> runs);
    const storage::RunSummary* runAt(int row) const;
    int rowOf(int64_t id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    // A run's status in words ("stopped early" for early_stopped, "stopped" for cancelled).
    static QString statusText(const std::string& status);
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<storage::RunSummary> m_runs;
};

}  // namespace neurite
