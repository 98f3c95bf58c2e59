// TrialConfusions: the Experiments tab's "Confusion" view, the confusion matrices of up to four
// trials side by side. A trial's matrix is pooled over its trainings (repeats and folds): the
// counts of each run's evaluation on the split the objective scores (test for test_* objectives,
// else validation; a run without that one falls back to its final evaluation), summed. With
// k-fold cross-validation that is the out-of-fold confusion of the whole training data, the matrix
// scikit-learn's cross_val_predict gives. The trials are the ones chosen in the trials table, or,
// with none chosen, the best three completed ones. One "Row shares" switch applies to every matrix.
#pragma once

#include <QWidget>

#include <vector>

#include "plot_data.h"
#include "run_store.h"

class QCheckBox;
class QHBoxLayout;
class QLabel;

namespace neurite {

namespace plot {
class ConfusionPlot;
}

// One trial's matrix, summed over its runs; `error` says why there is none.
struct PooledConfusion {
    plot::ConfusionData data;
    int runs = 0;      // runs whose counts are in it
    QString split;     // "validation", "test", ... (the split of the first run pooled)
    QString error;
};
// Throws nothing: a damaged run is named in `error`.
PooledConfusion pooledConfusion(storage::RunStore& store, const std::vector<qint64>& runIds, bool testObjective);

class TrialConfusions : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxTrials = 4;
    explicit TrialConfusions(QWidget* parent = nullptr);

    struct Trial {
        int number = 0;
        std::vector<qint64> runIds;
        QString caption;  // "objective 0.8807 (completed)"
    };
    // Shows these trials (the first kMaxTrials), reading their evaluations from `store`.
    // `chosen` says whether the user picked them (else they are the best ones, and the note says so).
    void showTrials(storage::RunStore* store, const std::vector<Trial>& trials, bool testObjective, bool chosen);
    void clear(const QString& why);

    int shownCount() const { return static_cast<int>(m_plots.size()); }
    plot::ConfusionPlot* plotAt(int i) const { return m_plots.at(static_cast<std::size_t>(i)); }
    QLabel* captionAt(int i) const { return m_captions.at(static_cast<std::size_t>(i)); }
    QLabel* note() const { return m_note; }
    QCheckBox* sharesBox() const { return m_shares; }

private:
    void removePlots();

    QLabel* m_note;
    QCheckBox* m_shares;
    QHBoxLayout* m_row;
    std::vector<plot::ConfusionPlot*> m_plots;
    std::vector<QLabel*> m_captions;
    std::vector<QWidget*> m_columns;
};

}  // namespace neurite
