#include "trials_table_model.h"

#include <QFont>

#include <algorithm>

#include "experiment_controller.h"
#include "experiment_fields.h"

namespace neurite {

namespace {

QString number(const std::optional<double>& v) { return v ? QString::number(*v, 'g', 4) : QStringLiteral("-"); }

}  // namespace

TrialsTableModel::TrialsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void TrialsTableModel::setDefinition(std::shared_ptr<const ExperimentDefinition> def) {
    beginResetModel();
    m_def = std::move(def);
    m_rows.clear();
    m_best = 0;
    endResetModel();
}

void TrialsTableModel::setTrials(std::vector<TrialRow> rows) {
    beginResetModel();
    m_rows = std::move(rows);
    std::sort(m_rows.begin(), m_rows.end(),
              [](const TrialRow& a, const TrialRow& b) { return a.result.number < b.result.number; });
    endResetModel();
    updateBest();
}

int TrialsTableModel::rowOf(int number) const {
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].result.number == number) return static_cast<int>(i);
    return -1;
}

const TrialRow* TrialsTableModel::rowAt(int row) const {
    return row >= 0 && row < rowCount() ? &m_rows[static_cast<std::size_t>(row)] : nullptr;
}

std::vector<TrialResult> TrialsTableModel::results() const {
    std::vector<TrialResult> out;
    for (const TrialRow& r : m_rows) out.push_back(r.result);
    return out;
}

int TrialsTableModel::insertRowFor(int number) {
    const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), number,
                                     [](const TrialRow& r, int n) { return r.result.number < n; });
    const int row = static_cast<int>(it - m_rows.begin());
    beginInsertRows({}, row, row);
    TrialRow r;
    r.result.number = number;
    m_rows.insert(it, r);
    endInsertRows();
    return row;
}

void TrialsTableModel::apply(const TrialEvent& e) {
    int row = rowOf(e.number);
    if (row < 0) {
        if (e.kind == TrialEvent::Kind::Progress) return;  // its start was not seen: the next reload shows it
        row = insertRowFor(e.number);
    }
    TrialRow& r = m_rows[static_cast<std::size_t>(row)];
    switch (e.kind) {
    case TrialEvent::Kind::Started:
        r.result = TrialResult{};
        r.result.number = e.number;
        r.result.values = e.values;
        r.result.status = "running";
        r.progress.clear();
        r.runIds.clear();
        break;
    case TrialEvent::Kind::Progress: r.progress = e.progress; break;
    case TrialEvent::Kind::Finished:
        r.result = e.result;
        r.progress.clear();
        break;
    case TrialEvent::Kind::Stopped:
        r.result.status = "stopped";
        r.progress.clear();
        break;
    }
    rowChanged(row);
    if (e.kind == TrialEvent::Kind::Finished) updateBest();
}

void TrialsTableModel::setRunIds(int number, std::vector<qint64> runIds) {
    const int row = rowOf(number);
    if (row >= 0) m_rows[static_cast<std::size_t>(row)].runIds = std::move(runIds);
}

void TrialsTableModel::rowChanged(int row) {
    emit dataChanged(index(row, 0), index(row, columnCount() - 1));
}

void TrialsTableModel::updateBest() {
    const int before = m_best;
    m_best = 0;
    if (m_def) {
        const std::vector<TrialResult> all = results();
        if (const std::optional<std::size_t> best = bestTrial(*m_def, all)) m_best = all[*best].number;
    }
    if (before == m_best) return;
    for (int n : {before, m_best})
        if (const int row = rowOf(n); row >= 0) rowChanged(row);
}

int TrialsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TrialsTableModel::columnCount(const QModelIndex& parent) const {
    if (parent.isValid()) return 0;
    return FirstParameter + (m_def ? static_cast<int>(m_def->space.size()) : 0) + 1;
}

QVariant TrialsTableModel::data(const QModelIndex& index, int role) const {
    const TrialRow* r = rowAt(index.row());
    if (!r) return {};
    const TrialResult& t = r->result;
    const int c = index.column();
    if (role == Qt::FontRole && t.number == m_best && m_best > 0) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ToolTipRole) {
        if (!t.message.empty()) return QString::fromStdString(t.message);
        if (t.number == m_best && m_best > 0) return tr("The best trial so far");
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const bool sortKey = role == Qt::UserRole;
    const auto optional = [&](const std::optional<double>& v) -> QVariant {
        if (sortKey) return v ? QVariant(*v) : QVariant();
        return number(v);
    };
    if (c == statusColumn()) {
        QString s = QString::fromStdString(t.status);
        if (sortKey) return s;
        if (!r->progress.isEmpty()) s += QStringLiteral(": ") + r->progress;
        if (t.number == m_best && m_best > 0) s += tr(" (best)");
        return s;
    }
    switch (c) {
    case Trial: return t.number;
    case Objective: return optional(t.objective);
    case Std: return optional(t.objectiveStd);
    case Seconds:
        if (t.status == "running") return sortKey ? QVariant() : QVariant(QStringLiteral("-"));
        return sortKey ? QVariant(t.seconds) : QVariant(QString::number(t.seconds, 'f', 1));
    default: break;
    }
    const std::size_t p = static_cast<std::size_t>(c - FirstParameter);
    if (p >= t.values.size()) return {};
    const nlohmann::json& v = t.values[p];
    if (sortKey && v.is_number()) return v.get<double>();
    return valueListText({v});
}

QVariant TrialsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole && section >= FirstParameter && m_def &&
        static_cast<std::size_t>(section - FirstParameter) < m_def->space.size())
        return QString::fromStdString(m_def->space[static_cast<std::size_t>(section - FirstParameter)].path);
    if (role != Qt::DisplayRole) return {};
    if (section == statusColumn()) return tr("Status");
    switch (section) {
    case Trial: return tr("Trial");
    case Objective: return m_def ? QString::fromStdString(m_def->objective) : tr("Objective");
    case Std: return tr("Std");
    case Seconds: return tr("Seconds");
    default: break;
    }
    const std::size_t p = static_cast<std::size_t>(section - FirstParameter);
    if (!m_def || p >= m_def->space.size()) return {};
    return shortFieldName(QString::fromStdString(m_def->space[p].path));
}

}  // namespace neurite
