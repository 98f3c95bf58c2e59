#include "variants_dialog.h"
#include "runs_panel.h"
#include "training/rewind_dialog.h"
#include "failure.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QProgressDialog>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

#include "background_task.h"
#include "core/error.h"
#include "deploy/run_export.h"
#include "run_import.h"
#include "runs_table_model.h"
#include "runs_view.h"

namespace neurite {

RunsPanel::RunsPanel(QWidget* parent) : QWidget(parent) {
    m_model = new RunsTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(Qt::UserRole);
    m_proxy->setFilterKeyColumn(-1);  // the filter matches any column: name, status, data, tag, device
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table = new QTableView(this);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunsTableModel::Id, Qt::DescendingOrder);  // newest first
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RunsPanel::showSelection);
    // A new sort may put other runs of a large selection first.
    connect(m_proxy, &QSortFilterProxyModel::layoutChanged, this, &RunsPanel::showSelection);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this](const QPoint& pos) {
        QMenu menu(this);
        menu.addAction(tr("Rename..."), this, &RunsPanel::renameSelected);
        menu.addAction(tr("Add tag..."), this, &RunsPanel::tagSelected);
        menu.addAction(tr("Note..."), this, &RunsPanel::noteSelected);
        menu.addAction(tr("Export model..."), this, &RunsPanel::exportSelected);
        menu.addAction(tr("Try it"), this, &RunsPanel::tryItSelected);
        menu.addAction(tr("Rewind and branch..."), this, &RunsPanel::branchSelected);
        menu.addAction(tr("Compare variants..."), this, &RunsPanel::compareVariants);
        menu.addSeparator();
        menu.addAction(tr("Delete..."), this, &RunsPanel::deleteSelected);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });

    m_filter = new QLineEdit(this);
    m_filter->setPlaceholderText(tr("Filter runs (name, status, data, device, tag)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, &RunsPanel::setFilter);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);

    auto* buttons = new QHBoxLayout;
    const std::pair<QString, void (RunsPanel::*)()> actions[] = {
        {tr("Rename"), &RunsPanel::renameSelected}, {tr("Tag"), &RunsPanel::tagSelected},
        {tr("Note"), &RunsPanel::noteSelected}, {tr("Delete"), &RunsPanel::deleteSelected},
        {tr("Export model..."), &RunsPanel::exportSelected}, {tr("Try it"), &RunsPanel::tryItSelected},
        {tr("Import run..."), &RunsPanel::importRunDialog}};
    for (const auto& [label, slot] : actions) {
        auto* b = new QPushButton(label, this);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
    }
    buttons->addStretch(1);

    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_filter);
    leftLayout->addWidget(m_table, 1);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_message);
    m_view = new RunsView(this);
    m_hint = new QLabel(this);
    m_hint->setAlignment(Qt::AlignCenter);
    m_hint->setWordWrap(true);
    m_hint->setMargin(24);
    m_right = new QStackedWidget(this);
    m_right->addWidget(m_hint);
    m_right->addWidget(m_view);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_right);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);

    m_poll.setInterval(1000);
    connect(&m_poll, &QTimer::timeout, this, &RunsPanel::reload);
    updateHint();
}

QString RunsPanel::hintText() const {
    return m_right->currentWidget() == m_hint ? m_hint->text() : QString();
}

// With no run selected the right side says what to do instead of showing empty plots.
void RunsPanel::updateHint() {
    if (!m_view->shownRuns().empty()) {
        m_right->setCurrentWidget(m_view);
        return;
    }
    m_hint->setText(!m_store ? tr("No run store is open, so runs are not recorded.")
                    : m_model->rowCount() == 0
                        ? tr("No runs yet. Train a project (Training > Start, F5) or run "
                             "neurite-cli train with this database, and it appears here.")
                        : tr("Select a run to see its curves, evaluation, metrics, settings and "
                             "network. Select several (Ctrl+click) to compare them, the oldest as "
                             "the baseline."));
    m_right->setCurrentWidget(m_hint);
}

RunsPanel::~RunsPanel() = default;

bool RunsPanel::openStore(const QString& path, QString* error) {
    try {
        auto store = std::make_unique<storage::RunStore>(path.toStdString());
        m_store = std::move(store);
    } catch (...) {
        const Failure failure = currentFailure();
        m_store.reset();
        m_model->setRuns({});
        updateHint();
        showFailure(failure, m_message, this, tr("Run store unavailable"));
        if (error) *error = failure.message;
        m_poll.stop();
        return false;
    }
    clearFailure(m_message);
    m_message->setText(tr("Runs in %1").arg(path));
    reload();
    m_poll.start();
    return true;
}

QString RunsPanel::storePath() const { return m_store ? QString::fromStdString(m_store->path()) : QString(); }

void RunsPanel::reload() {
    if (!m_store) return;
    try {
        std::vector<storage::RunSummary> runs = m_store->listRuns();
        m_view->followNames(*m_store, runs);
        const std::vector<int64_t> selected = selectedRuns();
        m_model->setRuns(std::move(runs));
        // A new or deleted run resets the list, which drops the selection without a signal:
        // select the runs that are still there, and show what is selected now.
        if (selectedRuns() != selected) selectRuns(selected);
        showSelection();
        m_view->refresh(*m_store);
        updateHint();
    } catch (...) {
        // A locked or vanished database: say so and try again on the next tick.
        showFailure(currentFailure(), m_message, this, tr("Could not read the run store"));
    }
}

void RunsPanel::setFilter(const QString& text) { m_proxy->setFilterFixedString(text); }

std::vector<int64_t> RunsPanel::selectedRuns() const {
    std::vector<int64_t> ids;
    for (const QModelIndex& i : m_table->selectionModel()->selectedRows()) {
        if (const storage::RunSummary* r = m_model->runAt(m_proxy->mapToSource(i).row())) ids.push_back(r->id);
    }
    std::sort(ids.begin(), ids.end());  // the oldest run is the baseline
    return ids;
}

std::vector<int64_t> RunsPanel::selectedInListOrder() const {
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex& a, const QModelIndex& b) { return a.row() < b.row(); });
    std::vector<int64_t> ids;
    for (const QModelIndex& i : rows)
        if (const storage::RunSummary* r = m_model->runAt(m_proxy->mapToSource(i).row())) ids.push_back(r->id);
    return ids;
}

QString RunsPanel::sortDescription() const {
    const int column = m_proxy->sortColumn();
    if (column < 0) return tr("unsorted");
    return tr("sorted by %1, %2")
        .arg(m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString(),
             m_proxy->sortOrder() == Qt::AscendingOrder ? tr("ascending") : tr("descending"));
}

void RunsPanel::selectRuns(const std::vector<int64_t>& ids) {
    QItemSelection selection;
    for (int64_t id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0) continue;
        const QModelIndex left = m_proxy->mapFromSource(m_model->index(row, 0));
        const QModelIndex right = m_proxy->mapFromSource(m_model->index(row, RunsTableModel::ColumnCount - 1));
        selection.select(left, right);
    }
    m_table->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect);
}

void RunsPanel::showSelection() {
    if (!m_store) return;
    std::vector<int64_t> ids = selectedInListOrder();
    const std::size_t selected = ids.size();
    if (ids.size() > static_cast<std::size_t>(kMaxShownRuns)) ids.resize(kMaxShownRuns);
    std::sort(ids.begin(), ids.end());  // the oldest shown run is the baseline
    m_view->setNote(selected <= ids.size() ? QString()
                    : tr("Showing %1 of %2 selected runs: the first %1 in the list (%3). Sort or "
                         "filter the list to choose others.")
                          .arg(kMaxShownRuns).arg(selected).arg(sortDescription()));
    if (ids == m_view->shownRuns()) return;
    try {
        m_view->showRuns(*m_store, ids);
    } catch (...) {
        showFailure(currentFailure(), m_message, this, tr("Could not read the run"));
    }
    updateHint();
    emit runsSelected(ids);
}

bool RunsPanel::edit(const std::function<void()>& action, QString* error) {
    if (!m_store) {
        if (error) *error = tr("no run store is open");
        return false;
    }
    try {
        action();
    } catch (...) {
        if (error) *error = currentFailure().message;
        return false;
    }
    reload();
    return true;
}

bool RunsPanel::renameRun(int64_t id, const QString& name, QString* error) {
    return edit([&] { m_store->renameRun(id, name.trimmed().toStdString()); }, error);
}

bool RunsPanel::tagRun(int64_t id, const QString& tag, QString* error) {
    return edit([&] { m_store->addTag(id, tag.trimmed().toStdString()); }, error);
}

bool RunsPanel::noteRun(int64_t id, const QString& note, QString* error) {
    return edit([&] { m_store->setNote(id, note.toStdString()); }, error);
}

bool RunsPanel::deleteRun(int64_t id, QString* error) {
    return edit([&] { m_store->deleteRun(id); }, error);
}

std::optional<int64_t> RunsPanel::storeImport(const storage::PreparedImport& prepared, QString* error) {
    std::optional<int64_t> id;
    const bool ok = edit([&] {
        id = storage::importRun(*m_store, prepared.run, prepared.weights ? &*prepared.weights : nullptr);
    }, error);
    if (!ok) return std::nullopt;
    selectRuns({*id});
    return id;
}

std::optional<int64_t> RunsPanel::importRunFile(const QString& eventsPath, QString* error, const QString& projectPath,
                                                const QString& weightsDir) {
    std::optional<storage::PreparedImport> prepared;
    const bool ok = edit([&] {
        prepared = storage::prepareImport(eventsPath.toStdString(), projectPath.toStdString(), weightsDir.toStdString());
    }, error);
    if (!ok) return std::nullopt;
    return storeImport(*prepared, error);
}

void RunsPanel::importRunDialog() {
    if (!m_store) return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import a run trained elsewhere"), QString(),
        tr("Run events (*.jsonl *.json);;All files (*)"));
    if (path.isEmpty()) return;
    // train.py writes its final weights beside its events (runs/<time>/weights/).
    QString project, weights;
    const QString beside = QFileInfo(path).dir().filePath("weights");
    if (QFileInfo(beside).isDir()) {
        QMessageBox ask(QMessageBox::Question, tr("Import run"),
                        tr("This run's final weights are in %1.\n\nTo bring them in too (to try the model, "
                           "export it or branch from it), choose the project it was exported from. Without it, "
                           "only the run's history is imported.")
                            .arg(QDir::toNativeSeparators(beside)),
                        QMessageBox::Cancel, this);
        QPushButton* withWeights = ask.addButton(tr("Choose project..."), QMessageBox::AcceptRole);
        QPushButton* historyOnly = ask.addButton(tr("History only"), QMessageBox::RejectRole);
        ask.setDefaultButton(withWeights);
        ask.exec();
        if (ask.clickedButton() == withWeights) {
            project = QFileDialog::getOpenFileName(this, tr("The project the run was exported from"), QString(),
                                                   tr("Neurite projects (*.neurite.json);;All files (*)"));
            if (project.isEmpty()) return;
            weights = beside;
        } else if (ask.clickedButton() != historyOnly) {
            return;
        }
    }
    const auto imported = [this, path](const std::optional<int64_t>& id, const QString& error) {
        if (id)
            m_message->setText(tr("Imported %1 as run %2.").arg(QFileInfo(path).fileName()).arg(*id));
        else
            QMessageBox::warning(this, tr("Import run"), tr("%1 was not imported: %2").arg(path, error));
    };
    // On a worker: the events may be large, and with weights the project's data and model are
    // built to map them (as slow as a training's setup).
    const TaskProgress progress = startTaskProgress(
        this, tr("Import run"), project.isEmpty() ? tr("Reading the run...") : tr("Reading the run and its weights..."));
    auto prepared = std::make_shared<std::optional<storage::PreparedImport>>();
    progress.task->start(
        [prepared, path, project, weights](const StopToken&, const BackgroundTask::Stage&) {
            *prepared = storage::prepareImport(path.toStdString(), project.toStdString(), weights.toStdString());
        },
        [this, prepared, imported, dialog = QPointer<QProgressDialog>(progress.dialog)](
            const std::optional<Failure>& failure) {
            if (dialog) dialog->close();
            if (failure && failure->cancelled()) return;
            QString error;
            std::optional<int64_t> id;
            if (failure) error = failure->message;
            else if (m_store) id = storeImport(**prepared, &error);
            imported(id, error);
        });
}

void RunsPanel::renameSelected() {
    const std::vector<int64_t> ids = selectedRuns();
    if (ids.size() != 1) return;
    const storage::RunSummary* r = m_model->runAt(m_model->rowOf(ids[0]));
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename run"), tr("Name"), QLineEdit::Normal,
                                               r ? QString::fromStdString(r->name) : QString(), &ok);
    QString error;
    if (ok && !renameRun(ids[0], name, &error)) QMessageBox::warning(this, tr("Rename failed"), error);
}

void RunsPanel::tagSelected() {
    const std::vector<int64_t> ids = selectedRuns();
    if (ids.empty()) return;
    bool ok = false;
    const QString tag = QInputDialog::getText(this, tr("Tag runs"), tr("Tag"), QLineEdit::Normal, QString(), &ok);
    if (!ok || tag.trimmed().isEmpty()) return;
    QString error;
    for (int64_t id : ids)
        if (!tagRun(id, tag, &error)) {
            QMessageBox::warning(this, tr("Tag failed"), error);
            return;
        }
}

void RunsPanel::noteSelected() {
    const std::vector<int64_t> ids = selectedRuns();
    if (ids.size() != 1) return;
    const storage::RunSummary* r = m_model->runAt(m_model->rowOf(ids[0]));
    bool ok = false;
    const QString note = QInputDialog::getMultiLineText(this, tr("Note"), tr("Note for this run"),
                                                        r ? QString::fromStdString(r->note) : QString(), &ok);
    QString error;
    if (ok && !noteRun(ids[0], note, &error)) QMessageBox::warning(this, tr("Note failed"), error);
}

std::optional<int64_t> RunsPanel::oneSelected(const QString& ask) {
    const std::vector<int64_t> ids = selectedRuns();
    if (ids.size() == 1 && m_store) return ids.front();
    clearFailure(m_message);
    m_message->setText(ask);
    return std::nullopt;
}

void RunsPanel::exportSelected() {
    if (const auto id = oneSelected(tr("Select one run to export its model."))) exportRunModel(this, storePath(), *id);
}

void RunsPanel::tryItSelected() {
    if (const auto id = oneSelected(tr("Select one run to try its model."))) emit tryItRequested(storePath(), *id);
}

void RunsPanel::branchSelected() {
    const auto id = oneSelected(tr("Select one run to rewind it to an earlier epoch."));
    if (!id) return;
    RewindDialog dialog(storePath(), *id, this);
    if (dialog.exec() == QDialog::Accepted && dialog.epoch() > 0) emit branchRequested(*id, dialog.epoch());
}

void RunsPanel::compareVariants() {
    const auto id = oneSelected(tr("Select one run to compare it with its pruned, quantized and distilled variants."));
    if (!id) return;
    auto* dialog = new VariantsDialog(storePath(), *id, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->show();
}

void RunsPanel::deleteSelected() {
    const std::vector<int64_t> ids = selectedRuns();
    if (ids.empty()) return;
    const auto answer = QMessageBox::question(
        this, tr("Delete runs"),
        tr("Delete %n run(s) with their curves, checkpoints and models? This cannot be undone.", nullptr,
           static_cast<int>(ids.size())));
    if (answer != QMessageBox::Yes) return;
    QString error;
    for (int64_t id : ids)
        if (!deleteRun(id, &error)) {
            QMessageBox::warning(this, tr("Delete failed"), error);
            return;
        }
}

}  // namespace neurite
