// Summary table and JSON text of the open model.
#include "model_views.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QScrollBar>
#include <QTimer>

#include "graph_model.h"
#include "io/project.h"
#include "summary_model.h"

namespace neurite {

SummaryView::SummaryView(GraphModel* model, QWidget* parent)
    : QTableView(parent), m_summary(new SummaryModel(model, this)) {
    setModel(m_summary);
    setSelectionBehavior(SelectRows);
    setEditTriggers(NoEditTriggers);
    setAlternatingRowColors(true);
    verticalHeader()->hide();
    horizontalHeader()->setStretchLastSection(false);
    horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    horizontalHeader()->setSectionResizeMode(SummaryModel::Details, QHeaderView::Stretch);
    connect(this, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const QString id = m_summary->nodeAt(index.row());
        if (!id.isEmpty()) emit nodeActivated(id);
    });
}

JsonView::JsonView(GraphModel* model, QWidget* parent) : QPlainTextEdit(parent), m_model(model) {
    setReadOnly(true);
    setLineWrapMode(NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    connect(model, &GraphModel::analysisChanged, this, &JsonView::scheduleRefresh);
    connect(model, &GraphModel::nodeMoved, this, &JsonView::scheduleRefresh);
    refresh();
}

// A drag moves many nodes one signal at a time; render the text once afterwards.
void JsonView::scheduleRefresh() {
    if (m_pending) return;
    m_pending = true;
    QTimer::singleShot(0, this, &JsonView::refresh);
}

void JsonView::refresh() {
    m_pending = false;
    const int scroll = verticalScrollBar()->value();
    setPlainText(QString::fromStdString(projectToJson(m_model->document())));
    verticalScrollBar()->setValue(scroll);
}

}  // namespace neurite
