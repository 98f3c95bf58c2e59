// DataView: what the run trains on, shown as soon as the data is loaded: the source, the sample
// shape, the split sizes, the training split's class counts and, for image data, the first
// training samples with their labels.
#pragma once

#include <QWidget>

#include "training_controller.h"

class QGridLayout;
class QLabel;
class QTableWidget;

namespace neurite {

class DataView : public QWidget {
    Q_OBJECT
public:
    explicit DataView(QWidget* parent = nullptr);

    void showData(const RunPrepared& info);
    void clear();
    int previewCount() const { return m_previews; }
    QTableWidget* classTable() const { return m_classes; }
    QString summaryText() const;

private:
    QLabel* m_summary;
    QTableWidget* m_classes;
    QWidget* m_grid;
    QGridLayout* m_gridLayout;
    int m_previews = 0;
};

}  // namespace neurite
