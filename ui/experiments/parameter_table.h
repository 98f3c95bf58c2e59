// ParameterTable: the experiment builder's list of parameters to vary, one row each: the field
// (a path in the project, picked from the project's fields or typed), the kind (values,
// uniform, log-uniform, integer) and the values or the range. Picking a field fills in the
// suggestion for it (experiment_fields.h). toJson() gives the definition's "parameters" list;
// what only the reader can judge (a value the field refuses) is left to parseExperiment.
#pragma once

#include <QTableWidget>

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "experiment_fields.h"

class QComboBox;
class QLineEdit;

namespace neurite {

class ParameterTable : public QTableWidget {
    Q_OBJECT
public:
    enum Column { FieldColumn, KindColumn, ValuesColumn, ColumnCount };
    explicit ParameterTable(QWidget* parent = nullptr);

    // The fields offered in every row's list (the rows keep their paths).
    void setFields(std::vector<FieldChoice> fields);
    const std::vector<FieldChoice>& fields() const { return m_fields; }

    // A new row; an empty path takes the first offered field no row uses yet, with its
    // suggestion. Returns the row.
    int addParameter(const QString& path = {}, std::optional<SearchParam::Kind> kind = std::nullopt,
                     const QString& text = {});
    void removeParameter(int row);
    void setParameters(const std::vector<SearchParam>& space);

    // The "parameters" list, or nullopt with *error naming the entry ("parameters[1]
    // (training.batch_size): ...") when a row is incomplete.
    std::optional<nlohmann::json> toJson(QString* error) const;

    QComboBox* fieldBox(int row) const;
    QComboBox* kindBox(int row) const;
    QLineEdit* valuesEdit(int row) const;
    QString pathAt(int row) const;

signals:
    void edited();

private:
    void fieldPicked(int row, const QString& path);
    void fillFieldBox(QComboBox* box, const QString& current);
    void updatePlaceholder(int row);

    std::vector<FieldChoice> m_fields;
};

}  // namespace neurite
