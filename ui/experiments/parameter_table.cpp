#include "parameter_table.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>

#include <cmath>

namespace neurite {


ParameterTable::ParameterTable(QWidget* parent) : QTableWidget(0, ColumnCount, parent) {
    setHorizontalHeaderLabels({tr("Field"), tr("Kind"), tr("Values or range")});
    horizontalHeader()->setSectionResizeMode(FieldColumn, QHeaderView::Stretch);
    // As wide as its combo box with the longest kind, which the header's own sizing does not see.
    QComboBox probe;
    probe.addItems(kindNames());
    horizontalHeader()->setSectionResizeMode(KindColumn, QHeaderView::Fixed);
    horizontalHeader()->resizeSection(KindColumn, probe.sizeHint().width());
    horizontalHeader()->setSectionResizeMode(ValuesColumn, QHeaderView::Stretch);
    verticalHeader()->hide();
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);  // the cell widgets edit
}

void ParameterTable::setFields(std::vector<FieldChoice> fields) {
    m_fields = std::move(fields);
    for (int row = 0; row < rowCount(); ++row) fillFieldBox(fieldBox(row), pathAt(row));
}

void ParameterTable::fillFieldBox(QComboBox* box, const QString& current) {
    const QSignalBlocker block(box);
    box->clear();
    for (const FieldChoice& f : m_fields) {
        box->addItem(f.path);
        box->setItemData(box->count() - 1, f.label, Qt::ToolTipRole);
    }
    const int index = box->findText(current);
    if (index >= 0)
        box->setCurrentIndex(index);
    else
        box->setEditText(current);
}

QComboBox* ParameterTable::fieldBox(int row) const { return qobject_cast<QComboBox*>(cellWidget(row, FieldColumn)); }
QComboBox* ParameterTable::kindBox(int row) const { return qobject_cast<QComboBox*>(cellWidget(row, KindColumn)); }
QLineEdit* ParameterTable::valuesEdit(int row) const { return qobject_cast<QLineEdit*>(cellWidget(row, ValuesColumn)); }

QString ParameterTable::pathAt(int row) const {
    const QComboBox* box = fieldBox(row);
    return box ? box->currentText().trimmed() : QString();
}

int ParameterTable::addParameter(const QString& path, std::optional<SearchParam::Kind> kind, const QString& text) {
    QString chosen = path;
    if (chosen.isEmpty()) {
        for (const FieldChoice& f : m_fields) {
            bool used = false;
            for (int r = 0; r < rowCount(); ++r) used = used || pathAt(r) == f.path;
            if (!used) {
                chosen = f.path;
                break;
            }
        }
    }
    const int row = rowCount();
    insertRow(row);
    auto* field = new QComboBox(this);
    field->setEditable(true);
    field->setInsertPolicy(QComboBox::NoInsert);
    field->setToolTip(tr("Where the value goes in the project: training.* settings, or "
                         "model.nodes[ID].params.NAME for a layer's parameter"));
    fillFieldBox(field, chosen);
    auto* kinds = new QComboBox(this);
    kinds->addItems(kindNames());
    auto* values = new QLineEdit(this);
    setCellWidget(row, FieldColumn, field);
    setCellWidget(row, KindColumn, kinds);
    setCellWidget(row, ValuesColumn, values);
    if (kind)
        kinds->setCurrentIndex(static_cast<int>(*kind));
    if (!text.isEmpty() || kind)
        values->setText(text);
    else
        fieldPicked(row, chosen);  // the field's suggestion
    updatePlaceholder(row);
    // The row of a widget is looked up when it changes: rows above may have been removed.
    const auto rowOf = [this](QWidget* w) {
        for (int r = 0; r < rowCount(); ++r)
            for (int c = 0; c < ColumnCount; ++c)
                if (cellWidget(r, c) == w) return r;
        return -1;
    };
    connect(field, &QComboBox::textActivated, this, [this, field, rowOf](const QString& p) {
        if (const int r = rowOf(field); r >= 0) fieldPicked(r, p);
    });
    connect(field, &QComboBox::editTextChanged, this, &ParameterTable::edited);
    connect(kinds, &QComboBox::currentIndexChanged, this, [this, kinds, rowOf] {
        if (const int r = rowOf(kinds); r >= 0) updatePlaceholder(r);
        emit edited();
    });
    connect(values, &QLineEdit::textChanged, this, &ParameterTable::edited);
    emit edited();
    return row;
}

void ParameterTable::fieldPicked(int row, const QString& path) {
    for (const FieldChoice& f : m_fields) {
        if (f.path != path) continue;
        kindBox(row)->setCurrentIndex(static_cast<int>(f.kind));
        valuesEdit(row)->setText(f.text);
        break;
    }
    updatePlaceholder(row);
}

void ParameterTable::updatePlaceholder(int row) {
    const auto kind = static_cast<SearchParam::Kind>(kindBox(row)->currentIndex());
    valuesEdit(row)->setPlaceholderText(kind == SearchParam::Kind::Choice ? tr("values, separated by commas")
                                        : kind == SearchParam::Kind::Integer ? tr("low, high (inclusive)")
                                                                : tr("low, high"));
}

void ParameterTable::removeParameter(int row) {
    if (row < 0 || row >= rowCount()) return;
    removeRow(row);
    emit edited();
}

void ParameterTable::setParameters(const std::vector<SearchParam>& space) {
    setRowCount(0);
    for (const SearchParam& p : space) {
        const QString text = p.kind == SearchParam::Kind::Choice ? valueListText(p.values) : rangeText(p.low, p.high);
        addParameter(QString::fromStdString(p.path), p.kind, text);
    }
    emit edited();
}

std::optional<nlohmann::json> ParameterTable::toJson(QString* error) const {
    nlohmann::json out = nlohmann::json::array();
    for (int row = 0; row < rowCount(); ++row) {
        const QString path = pathAt(row);
        const QString entry = tr("parameters[%1] (%2)").arg(row).arg(path.isEmpty() ? tr("no field") : path);
        const auto fail = [&](const QString& why) {
            if (error) *error = entry + ": " + why;
            return std::nullopt;
        };
        if (path.isEmpty()) return fail(tr("pick the field to vary"));
        const auto kind = static_cast<SearchParam::Kind>(kindBox(row)->currentIndex());
        const QString text = valuesEdit(row)->text();
        nlohmann::json e{{"path", path.toStdString()}};
        if (kind == SearchParam::Kind::Choice) {
            const std::vector<nlohmann::json> values = parseValueList(text);
            if (values.empty()) return fail(tr("give at least one value"));
            e["values"] = values;
        } else {
            const auto range = parseRange(text);
            if (!range) return fail(tr("a range is two numbers, low, high; got \"%1\"").arg(text));
            if (kind == SearchParam::Kind::Integer) {
                if (range->first != std::floor(range->first) || range->second != std::floor(range->second))
                    return fail(tr("an integer range needs whole numbers; got \"%1\"").arg(text));
                e["integer"] = {static_cast<int64_t>(range->first), static_cast<int64_t>(range->second)};
            } else {
                e[kind == SearchParam::Kind::Uniform ? "uniform" : "log_uniform"] = {range->first, range->second};
            }
        }
        out.push_back(e);
    }
    return out;
}

}  // namespace neurite
