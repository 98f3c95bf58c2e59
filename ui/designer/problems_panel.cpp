// The problems list and its quick fixes.
#include "problems_panel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include "designer_widget.h"
#include "graph_model.h"
#include "quick_fix.h"

namespace neurite {

ProblemsPanel::ProblemsPanel(GraphModel* model, DesignerWidget* designer, QWidget* parent)
    : QWidget(parent), m_model(model), m_designer(designer) {
    m_list = new QListWidget(this);
    m_list->setWordWrap(true);
    m_list->setTextElideMode(Qt::ElideNone);
    m_fix = new QPushButton(tr("Fix"), this);
    m_note = new QLabel(this);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_note, 1);
    bar->addWidget(m_fix);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_list);
    layout->addLayout(bar);
    connect(model, &GraphModel::analysisChanged, this, &ProblemsPanel::refresh);
    connect(m_list, &QListWidget::currentRowChanged, this, &ProblemsPanel::updateFixButton);
    connect(m_list, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        const QString id = item->data(Qt::UserRole).toString();
        if (!id.isEmpty()) m_designer->selectNode(id);
    });
    connect(m_fix, &QPushButton::clicked, this, &ProblemsPanel::applyFix);
    refresh();
}

void ProblemsPanel::setNote(const QString& note) {
    m_note->setText(note);
}

void ProblemsPanel::refresh() {
    const int row = m_list->currentRow();
    m_problems = m_model->problems();
    m_list->clear();
    int errors = 0, warnings = 0;
    const GraphState state = stateOf(*m_model);
    for (const Problem& p : m_problems) {
        const bool error = p.severity == Problem::Severity::Error;
        (error ? errors : warnings)++;
        auto* item = new QListWidgetItem(
            style()->standardIcon(error ? QStyle::SP_MessageBoxCritical : QStyle::SP_MessageBoxWarning),
            QString::fromStdString(p.message), m_list);
        item->setData(Qt::UserRole, QString::fromStdString(p.nodeId));
        if (auto fix = quickFixFor(p, state)) item->setToolTip(tr("Fix: %1").arg(fix->label));
    }
    if (m_problems.empty()) {
        auto* item = new QListWidgetItem(tr("No problems: every layer's shape is known."), m_list);
        item->setFlags(Qt::NoItemFlags);
    }
    // Keep the user's row; otherwise offer the first problem's fix without a click.
    if (!m_problems.empty()) m_list->setCurrentRow(row >= 0 && row < static_cast<int>(m_problems.size()) ? row : 0);
    updateFixButton();
    emit countChanged(errors, warnings);
}

void ProblemsPanel::updateFixButton() {
    const int row = m_list->currentRow();
    std::optional<QuickFix> fix;
    if (row >= 0 && row < static_cast<int>(m_problems.size()))
        fix = quickFixFor(m_problems[static_cast<std::size_t>(row)], stateOf(*m_model));
    m_fix->setEnabled(fix.has_value());
    m_fix->setText(fix ? fix->label : tr("Fix"));
    m_fix->setToolTip(fix ? QString() : tr("Select a problem that has an obvious fix"));
}

void ProblemsPanel::applyFix() {
    const int row = m_list->currentRow();
    if (row < 0 || row >= static_cast<int>(m_problems.size())) return;
    auto fix = quickFixFor(m_problems[static_cast<std::size_t>(row)], stateOf(*m_model));
    if (fix) m_designer->pushEdit(fix->label, fix->after);
}

}  // namespace neurite
