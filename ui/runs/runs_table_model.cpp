#include "runs_table_model.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace neurite {

namespace {

QVariant optional(const std::optional<double>& v) { return v ? QVariant(*v) : QVariant(); }

QString fixed(const std::optional<double>& v, int digits) {
    return v ? QString::number(*v, 'f', digits) : QString();
}

bool sameRow(const storage::RunSummary& a, const storage::RunSummary& b) {
    return a.id == b.id && a.name == b.name && a.status == b.status && a.epochsDone == b.epochsDone &&
           a.valLoss == b.valLoss && a.testAccuracy == b.testAccuracy && a.tags == b.tags &&
           a.note == b.note && a.keySettings == b.keySettings && a.dataSource == b.dataSource;
}

// A data source as short as tells runs apart in a list: the kind and the file or set name,
// without folders or options ("csv:prices.csv", "synthetic:spiral"); the tooltip has all of it.
QString shortSource(const std::string& source) {
    QString s = QString::fromStdString(source);
    s = s.section(QLatin1Char('?'), 0, 0);
    const qsizetype colon = s.indexOf(QLatin1Char(':'));
    if (colon < 0) return s;
    QString rest = s.mid(colon + 1);
    while (rest.endsWith(QLatin1Char('/'))) rest.chop(1);
    return s.left(colon + 1) + rest.section(QLatin1Char('/'), -1);
}

}  // namespace

RunsTableModel::RunsTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void RunsTableModel::setRuns(std::vector<storage::RunSummary> runs) {
    // Same runs in the same order: update cells in place so selection and scroll stay put.
    const bool sameIds = runs.size() == m_runs.size() &&
                         std::equal(runs.begin(), runs.end(), m_runs.begin(),
                                    [](const auto& a, const auto& b) { return a.id == b.id; });
    if (!sameIds) {
        beginResetModel();
        m_runs = std::move(runs);
        endResetModel();
        return;
    }
    for (std::size_t i = 0; i < runs.size(); ++i) {
        if (sameRow(runs[i], m_runs[i])) continue;
        m_runs[i] = std::move(runs[i]);
        const int r = static_cast<int>(i);
        emit dataChanged(index(r, 0), index(r, ColumnCount - 1));
    }
}

const storage::RunSummary* RunsTableModel::runAt(int row) const {
    return row >= 0 && row < rowCount() ? &m_runs[static_cast<std::size_t>(row)] : nullptr;
}

int RunsTableModel::rowOf(int64_t id) const {
    for (std::size_t i = 0; i < m_runs.size(); ++i)
        if (m_runs[i].id == id) return static_cast<int>(i);
    return -1;
}

int RunsTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunsTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString RunsTableModel::statusText(const std::string& status) {
    if (status == "early_stopped") return tr("stopped early");
    if (status == "cancelled") return tr("stopped");
    return QString::fromStdString(status);  // completed, running, failed, interrupted: plain words
}

QVariant RunsTableModel::data(const QModelIndex& index, int role) const {
    const storage::RunSummary* r = runAt(index.row());
    if (!r) return {};
    const auto col = static_cast<Column>(index.column());
    if (role == Qt::UserRole) {  // sort key
        switch (col) {
        case Id: return QVariant::fromValue<qlonglong>(r->id);
        case Started: return r->startedAt;
        case Epochs: return r->epochsDone;
        case ValAccuracy: return optional(r->valAccuracy);
        case ValLoss: return optional(r->valLoss);
        case TestAccuracy: return optional(r->testAccuracy);
        case Speed: return optional(r->samplesPerSec);
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ForegroundRole && col == Status) {
        if (r->status == "failed" || r->status == "interrupted") return QBrush(QColor(192, 57, 43));
        if (r->status == "running") return QBrush(QColor(41, 128, 185));
        return {};
    }
    if (role == Qt::ToolTipRole && col == Data && !r->dataSource.empty())
        return QString::fromStdString(r->dataSource);
    if (role == Qt::ToolTipRole) {
        QString tip = QString::fromStdString(r->message);
        if (!r->note.empty()) tip += (tip.isEmpty() ? QString() : QStringLiteral("\n")) + QString::fromStdString(r->note);
        return tip.isEmpty() ? QVariant() : QVariant(tip);
    }
    if (role == Qt::TextAlignmentRole && col != Name && col != Status && col != Data && col != Device && col != Settings &&
        col != Tags)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole) return {};
    switch (col) {
    case Id: return QVariant::fromValue<qlonglong>(r->id);
    case Name: return QString::fromStdString(r->name);
    case Status: return statusText(r->status);
    case Data: return shortSource(r->dataSource);
    case Started:
        return QDateTime::fromSecsSinceEpoch(static_cast<qint64>(r->startedAt)).toString(QStringLiteral("yyyy-MM-dd hh:mm"));
    case Device: return QString::fromStdString(r->device);
    case Settings: return QString::fromStdString(r->keySettings);
    case Epochs: return QStringLiteral("%1/%2").arg(r->epochsDone).arg(r->epochsPlanned);
    case ValAccuracy: return fixed(r->valAccuracy, 4);
    case ValLoss: return fixed(r->valLoss, 4);
    case TestAccuracy: return fixed(r->testAccuracy, 4);
    case Speed: return r->samplesPerSec ? QLocale().toString(qRound64(*r->samplesPerSec)) : QString();
    case Tags: {
        QStringList tags;
        for (const auto& t : r->tags) tags << QString::fromStdString(t);
        return tags.join(QStringLiteral(", "));
    }
    case ColumnCount: break;
    }
    return {};
}

QVariant RunsTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* const names[] = {"Run", "Name", "Status", "Data", "Started", "Device", "Settings", "Epochs",
                                        "Val acc", "Val loss", "Test acc", "Samples/s", "Tags"};
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

}  // namespace neurite
