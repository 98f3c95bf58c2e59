// DataView: what the run trains on, shown as soon as the data is loaded: the source, the sample
// shape, the split sizes, what loading did (its notes), the training split's class counts and,
// for image data, the first training samples with their labels; for text the vocabulary and the
// first texts; for a time series the series over its windows, coloured by split.
#pragma once

#include <QWidget>

#include "training_controller.h"

class QGridLayout;
class QLabel;
class QTableWidget;

namespace neurite {
namespace plot {
class CurvePlot;
}

class DataView : public QWidget {
    Q_OBJECT
public:
    explicit DataView(QWidget* parent = nullptr);

    void showData(const RunPrepared& info);
    void clear();
    int previewCount() const { return m_previews; }
    QTableWidget* classTable() const { return m_classes; }
    QString summaryText() const;
    const plot::CurvePlot* seriesPlot() const { return m_series; }

private:
    QLabel* m_summary;
    QTableWidget* m_classes;
    QWidget* m_grid;
    QWidget* m_scroll;  // holds m_grid; hidden when there is nothing to show in it
    QGridLayout* m_gridLayout;
    plot::CurvePlot* m_series;
    int m_previews = 0;
};

}  // namespace neurite
