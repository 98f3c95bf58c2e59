// The summary table's rows: resolved order first, then nodes resolution could not place.
#include "summary_model.h"

#include <QFont>
#include <QLocale>
#include <set>

#include "graph_model.h"

namespace neurite {

SummaryModel::SummaryModel(GraphModel* model, QObject* parent)
    : QAbstractTableModel(parent), m_model(model) {
    connect(model, &GraphModel::analysisChanged, this, &SummaryModel::reload);
    connect(model, &GraphModel::sparsityChanged, this, &SummaryModel::reload);
    reload();
}

void SummaryModel::reload() {
    beginResetModel();
    m_rows.clear();
    const auto& nodes = m_model->nodes();
    const auto& cost = m_model->cost();
    std::vector<int> order = m_model->resolved().order;
    std::set<int> placed(order.begin(), order.end());
    for (int i = 0; i < static_cast<int>(nodes.size()); ++i)
        if (!placed.count(i)) order.push_back(i);  // on a cycle: still listed
    for (int i : order) {
        const auto u = static_cast<std::size_t>(i);
        Row r;
        r.id = QString::fromStdString(nodes[u].id);
        r.op = QString::fromStdString(nodes[u].op);
        r.details = m_model->summaryOf(r.id);
        r.shape = m_model->shapeOf(r.id);
        if (!r.shape.isEmpty() && u < cost.params.size()) r.params = cost.params[u];
        for (const LayerSparsity& s : m_model->sparsity()) {
            if (s.node != nodes[u].id) continue;
            r.sparsity = QLocale().toString(100.0 * s.sparsity(), 'f', 1) + QLatin1Char('%');
            if (s.unitsPruned > 0) r.sparsity += tr(", %1 of %2 units").arg(s.unitsPruned).arg(s.units);
        }
        m_rows.push_back(r);
    }
    m_total = cost.totalParams;
    endResetModel();
}

int SummaryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size()) + 1;
}

int SummaryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString SummaryModel::nodeAt(int row) const {
    return row >= 0 && row < static_cast<int>(m_rows.size()) ? m_rows[static_cast<std::size_t>(row)].id
                                                              : QString();
}

QVariant SummaryModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid()) return {};
    const bool total = index.row() == static_cast<int>(m_rows.size());
    if (role == Qt::TextAlignmentRole && (index.column() == Params || index.column() == Sparsity))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::FontRole && total) {
        QFont f;
        f.setBold(true);
        return f;
    }
    if (role != Qt::DisplayRole) return {};
    if (total) {
        if (index.column() == Layer) return tr("Total");
        if (index.column() == Params) return QLocale().toString(m_total);
        return {};
    }
    const Row& r = m_rows[static_cast<std::size_t>(index.row())];
    switch (index.column()) {
    case Layer: return r.id;
    case Type: return r.op;
    case Details: return r.details;
    case Shape: return r.shape.isEmpty() ? tr("unknown") : r.shape;
    case Params: return r.params < 0 ? QStringLiteral("–") : QLocale().toString(r.params);
    case Sparsity: return r.sparsity;
    default: return {};
    }
}

QVariant SummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Layer: return tr("Layer");
    case Type: return tr("Type");
    case Details: return tr("Configuration");
    case Shape: return tr("Output shape");
    case Params: return tr("Parameters");
    case Sparsity: return tr("Pruned");
    default: return {};
    }
}

}  // namespace neurite
