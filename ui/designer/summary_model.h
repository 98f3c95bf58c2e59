// SummaryModel: the Keras-style model summary as a table (layer, type, key parameters, output
// shape, parameters) in topological order, with a total row; follows the GraphModel.
#pragma once

#include <QAbstractTableModel>
#include <QStringList>
#include <vector>

namespace neurite {

class GraphModel;

class SummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Layer, Type, Details, Shape, Params, Sparsity, ColumnCount };
    explicit SummaryModel(GraphModel* model, QObject* parent = nullptr);
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QString nodeAt(int row) const;  // empty for the total row

private:
    void reload();

    struct Row {
        QString id, op, details, shape;
        QString sparsity;  // after a run that pruned: "50.0%" or "50.0%, 16 of 32 units"
        qint64 params = -1;  // -1: unknown (shape not inferred)
    };
    GraphModel* m_model;
    std::vector<Row> m_rows;
    qint64 m_total = 0;
};

}  // namespace neurite
