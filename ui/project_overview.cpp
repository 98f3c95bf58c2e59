// Fills the overview from a ProjectDocument; layer summaries come from the layer registry.
#include "project_overview.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "layers/registry.h"

namespace neurite {

ProjectOverview::ProjectOverview(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    m_header = new QLabel(this);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_analysis = new QLabel(this);
    m_analysis->setWordWrap(true);
    m_analysis->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_layers = new QTableWidget(0, 6, this);
    m_layers->setHorizontalHeaderLabels(
        {tr("Layer"), tr("Type"), tr("Settings"), tr("Inputs"), tr("Output shape"), tr("Parameters")});
    m_layers->horizontalHeader()->setStretchLastSection(true);
    m_layers->verticalHeader()->setVisible(false);
    m_layers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_layers->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_header);
    layout->addWidget(m_analysis);
    layout->addWidget(m_layers, 1);
}

void ProjectOverview::showProject(const ProjectDocument& doc, const QString& path) {
    const TrainConfig& t = doc.training;
    m_header->setText(
        tr("<h2>%1</h2><p>%2</p><p><b>Data:</b> %3 &nbsp; <b>Validation:</b> %4% &nbsp; "
           "<b>Loss:</b> %5 &nbsp; <b>Optimizer:</b> %6 (lr %7) &nbsp; <b>Epochs:</b> %8 "
           "&nbsp; <b>Batch:</b> %9</p><p><small>%10</small></p>")
            .arg(QString::fromStdString(doc.name).toHtmlEscaped(),
                 QString::fromStdString(doc.description).toHtmlEscaped(),
                 QString::fromStdString(doc.data.source).toHtmlEscaped())
            .arg(doc.data.validationSplit * 100.0)
            .arg(nameOf(t.loss.kind), nameOf(t.optimizer.kind))
            .arg(static_cast<double>(t.optimizer.lr))
            .arg(t.epochs)
            .arg(t.batchSize)
            .arg(path.toHtmlEscaped()));
    m_analysis->setText(tr("Loading the data to infer shapes..."));
    m_layers->setRowCount(static_cast<int>(doc.nodes.size()));
    int row = 0;
    for (const Node& n : doc.nodes) {
        QString settings;
        if (const LayerType* type = findLayerType(n.op)) {
            ParamCheck check = checkParams(*type, n.params);
            settings = check.errors.empty() && type->summary
                           ? QString::fromStdString(type->summary(check.params))
                           : QString::fromStdString(check.errors.empty() ? "" : check.errors.front());
        } else {
            settings = tr("unknown layer type");
        }
        QStringList inputs;
        for (const auto& in : n.inputs) inputs << QString::fromStdString(in);
        const QStringList cells{QString::fromStdString(n.id), QString::fromStdString(n.op), settings,
                                inputs.join(", ")};
        for (int c = 0; c < cells.size(); ++c) m_layers->setItem(row, c, new QTableWidgetItem(cells[c]));
        m_layers->setItem(row, 4, new QTableWidgetItem());
        m_layers->setItem(row, 5, new QTableWidgetItem());
        ++row;
    }
    m_layers->resizeColumnsToContents();
}

void ProjectOverview::showAnalysis(const ModelAnalysis& a) {
    if (!a.error.isEmpty()) {
        m_analysis->setText(QString("<span style='color:#c0392b'>%1</span>")
                                .arg(a.error.toHtmlEscaped().replace("\n", "<br>")));
        return;
    }
    QString text = tr("<b>Parameters:</b> %L1 &nbsp; <b>Forward FLOPs per sample:</b> %L2 &nbsp; "
                      "<b>Samples:</b> %3")
                       .arg(a.totalParams)
                       .arg(a.flopsPerSample, 0, 'f', 0)
                       .arg(a.data);
    for (const QString& w : a.warnings) text += "<br><span style='color:#b9770e'>" + w.toHtmlEscaped() + "</span>";
    m_analysis->setText(text);
    for (int row = 0; row < m_layers->rowCount(); ++row) {
        const QString id = m_layers->item(row, 0)->text();
        m_layers->item(row, 4)->setText(a.shapes.value(id));
        const qint64 params = a.params.value(id);
        m_layers->item(row, 5)->setText(params ? QString("%L1").arg(params) : QString());
        m_layers->item(row, 5)->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    }
    m_layers->resizeColumnsToContents();
}

}  // namespace neurite
