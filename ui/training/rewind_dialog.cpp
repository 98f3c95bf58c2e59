#include "rewind_dialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

#include "failure.h"
#include "run_store.h"

namespace neurite {

namespace {

QString number(const std::optional<double>& v, int digits = 4) {
    return v ? QString::number(*v, 'f', digits) : QStringLiteral("-");
}

}  // namespace

RewindDialog::RewindDialog(const QString& storePath, qint64 runId, QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Rewind run %1").arg(runId));
    m_text = new QLabel(this);
    m_text->setWordWrap(true);
    m_table = new QTableWidget(0, 5, this);
    m_table->setHorizontalHeaderLabels({tr("Epoch"), tr("Train loss"), tr("Train accuracy"), tr("Validation loss"),
                                        tr("Validation accuracy")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_branch = buttons->addButton(tr("Branch"), QDialogButtonBox::AcceptRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(620, 420);

    int best = 0;
    try {
        storage::RunStore store(storePath.toStdString(), storage::RunStore::Mode::ReadOnly);
        const storage::RunDetails run = store.requireRun(runId);
        best = run.bestEpoch;
        const std::vector<int> kept = store.epochStates(runId);
        std::map<int, storage::EpochRecord> records;
        for (storage::EpochRecord& r : store.epochs(runId)) records[r.epoch] = std::move(r);
        m_table->setRowCount(static_cast<int>(kept.size()));
        for (int row = 0; row < static_cast<int>(kept.size()); ++row) {
            const int e = kept[static_cast<std::size_t>(row)];
            auto* epochItem = new QTableWidgetItem(e == best ? tr("%1 (best)").arg(e) : QString::number(e));
            epochItem->setData(Qt::UserRole, e);
            m_table->setItem(row, 0, epochItem);
            const auto it = records.find(e);
            if (it == records.end()) continue;
            const storage::EpochRecord& r = it->second;
            m_table->setItem(row, 1, new QTableWidgetItem(number(r.trainLoss)));
            m_table->setItem(row, 2, new QTableWidgetItem(number(r.trainAccuracy)));
            m_table->setItem(row, 3, new QTableWidgetItem(number(r.valLoss)));
            m_table->setItem(row, 4, new QTableWidgetItem(number(r.valAccuracy)));
        }
        if (kept.empty())
            m_text->setText(tr("Run %1 keeps no epoch's state to rewind to: it has not finished an epoch yet, or its "
                               "model is too large for the run store's rewind budget (each state is kept while "
                               "the run's states fit in 64 MB).").arg(runId));
        else
            m_text->setText(tr("Run %1 (%2) kept the state of these epochs. A new run starts from the chosen epoch's "
                               "weights, optimizer state and schedule, with the settings now in the project, paused "
                               "before its next step; change a setting first to see where another choice leads. Run %1 "
                               "stays in the Runs tab as it is.")
                                .arg(runId)
                                .arg(QString::fromStdString(run.name)));
        // The best epoch when it was kept, else the newest.
        int select = static_cast<int>(kept.size()) - 1;
        for (int row = 0; row < static_cast<int>(kept.size()); ++row)
            if (kept[static_cast<std::size_t>(row)] == best) select = row;
        if (select >= 0) m_table->selectRow(select);
    } catch (...) {
        m_text->setText(tr("The run store could not be read: %1").arg(currentFailure().message));
    }
    connect(m_table, &QTableWidget::itemSelectionChanged, this, &RewindDialog::updateButton);
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this] {
        if (epoch() > 0) accept();
    });
    updateButton();
}

int RewindDialog::epoch() const {
    const QList<QTableWidgetItem*> selected = m_table->selectedItems();
    if (selected.isEmpty()) return 0;
    const QTableWidgetItem* item = m_table->item(selected.first()->row(), 0);
    return item ? item->data(Qt::UserRole).toInt() : 0;
}

bool RewindDialog::hasEpochs() const { return m_table->rowCount() > 0; }

QString RewindDialog::message() const { return m_text->text(); }

void RewindDialog::updateButton() {
    const int e = epoch();
    m_branch->setEnabled(e > 0);
    m_branch->setText(e > 0 ? tr("Branch from epoch %1").arg(e) : tr("Branch"));
}

}  // namespace neurite
