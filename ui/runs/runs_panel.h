// RunsPanel: the runs of one store, listed (sortable, filterable) with rename, tag, note and
// delete; selecting runs shows them in a RunsView (one run, or several compared). The list and
// the shown runs refresh every second, so a run that neurite-cli trains into the same database
// appears and grows while it trains. Of a large selection (Ctrl+A over 1,000 runs) the view
// shows the first kMaxShownRuns in the list's order and says so; the list's sort chooses them.
#pragma once

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

#include "run_import.h"
#include "run_store.h"

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace neurite {

class RunsTableModel;
class RunsView;

// The most runs the view overlays and tabulates at once: 20 colours still tell runs apart, and
// each shown run costs its curves, tables and (on their tab) two evaluation plots.
inline constexpr int kMaxShownRuns = 20;

class RunsPanel : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(QWidget* parent = nullptr);
    ~RunsPanel() override;

    // Opens the store at `path` (created when missing). On failure the panel shows the error,
    // keeps no store and returns false with the message in *error.
    bool openStore(const QString& path, QString* error);
    storage::RunStore* store() const { return m_store.get(); }
    QString storePath() const;

    // Re-reads the list and the shown runs now.
    void reload();
    void selectRuns(const std::vector<int64_t>& ids);
    std::vector<int64_t> selectedRuns() const;  // all selected, by id
    // The selected runs in the list's order (its sort and filter), as the view picks them.
    std::vector<int64_t> selectedInListOrder() const;

    QTableView* table() const { return m_table; }
    RunsTableModel* model() const { return m_model; }
    RunsView* view() const { return m_view; }
    // What the right side says while no run is selected; empty while runs are shown.
    QString hintText() const;
    void setFilter(const QString& text);

    // Editing the selected runs; errors go to a message box.
    bool renameRun(int64_t id, const QString& name, QString* error);
    bool tagRun(int64_t id, const QString& tag, QString* error);
    bool noteRun(int64_t id, const QString& note, QString* error);
    bool deleteRun(int64_t id, QString* error);
    // A run trained elsewhere: the JSON Lines events of `neurite-cli train --json` or of the
    // pytorch export's train.py (storage/run_import.h), added to the store and selected; with the
    // project it was exported from and train.py's weights/ folder, with its final weights too, so
    // it can be tried, exported and branched from. Returns its id, or nothing with the reason in
    // *error (the store is left as it was). Runs on the calling thread; "Import run..." does the
    // slow part (the project's data, the weights) on a worker with a progress dialog.
    std::optional<int64_t> importRunFile(const QString& eventsPath, QString* error,
                                         const QString& projectPath = {}, const QString& weightsDir = {});

signals:
    void runsSelected(const std::vector<int64_t>& ids);  // the runs now shown
    // "Try it" on one run: its model in the Try it tab, without exporting it first.
    void tryItRequested(const QString& storePath, qint64 runId);
    // "Rewind and branch" on one run: a new run of the open project from that run's epoch.
    void branchRequested(qint64 runId, int epoch);

private:
    void showSelection();
    void renameSelected();
    void tagSelected();
    void noteSelected();
    void deleteSelected();
    void compareVariants();  // the run and its variants measured side by side (VariantsDialog)
    void exportSelected();
    void tryItSelected();
    void branchSelected();
    // "Import run...": picks an events file and, when a weights/ folder lies beside it, offers
    // to bring the weights in with the project they belong to.
    void importRunDialog();
    std::optional<int64_t> storeImport(const storage::PreparedImport& prepared, QString* error);
    // The one selected run, or nullopt after saying `ask` in the message line.
    std::optional<int64_t> oneSelected(const QString& ask);
    bool edit(const std::function<void()>& action, QString* error);

    std::unique_ptr<storage::RunStore> m_store;
    RunsTableModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QLineEdit* m_filter;
    QLabel* m_message;
    RunsView* m_view;
    QStackedWidget* m_right;  // the view, or a hint while no run is selected
    QLabel* m_hint;
    void updateHint();
    QString sortDescription() const;
    QTimer m_poll;
};

}  // namespace neurite
