// TrialsTableModel: an experiment's trials, one row each: trial number, objective, its standard
// deviation over the trainings, seconds, one column per parameter, and last the status (with the
// running trial's progress, the longest text). Rows come from the store (setTrials) and are updated in place by the
// live trial events; the best trial (bestTrial of the engine) is drawn bold. Qt::UserRole holds
// the sort key of each cell (numbers as numbers).
#pragma once

#include <QAbstractTableModel>

#include <memory>
#include <vector>

#include "experiment/runner.h"

namespace neurite {

struct TrialRow {
    TrialResult result;
    std::vector<qint64> runIds;  // its runs in repeat and fold order (known once it has finished)
    QString progress;            // while it runs
};

struct TrialEvent;

class TrialsTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Trial, Objective, Std, Seconds, FirstParameter };
    int statusColumn() const { return columnCount() - 1; }
    explicit TrialsTableModel(QObject* parent = nullptr);

    // The experiment the rows belong to (its parameters are the last columns); clears the rows.
    void setDefinition(std::shared_ptr<const ExperimentDefinition> def);
    const ExperimentDefinition* definition() const { return m_def.get(); }
    void setTrials(std::vector<TrialRow> rows);
    void apply(const TrialEvent& event);
    // The runs of trial `number`, once the store has them (rows from live events start without).
    void setRunIds(int number, std::vector<qint64> runIds);

    int rowOf(int number) const;
    const TrialRow* rowAt(int row) const;
    std::vector<TrialResult> results() const;
    // The number of the best trial (0: none yet).
    int bestNumber() const { return m_best; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    int insertRowFor(int number);
    void updateBest();
    void rowChanged(int row);

    std::shared_ptr<const ExperimentDefinition> m_def;
    std::vector<TrialRow> m_rows;  // by trial number
    int m_best = 0;
};

}  // namespace neurite
