// ConfusionPlot: a confusion matrix as a heat map, true class down, predicted class across, with
// the count in each cell (and the row share when normalized). Colour is the row-normalized share,
// so a rare class's errors are as visible as a frequent one's.
#pragma once

#include "plot_data.h"
#include "plot_frame.h"

class QCPColorMap;

namespace neurite::plot {

class ConfusionPlot : public PlotFrame {
    Q_OBJECT
public:
    explicit ConfusionPlot(QWidget* parent = nullptr);

    // Counts must hold classes.size()^2 entries; anything else clears the plot.
    void setMatrix(const ConfusionData& data);
    const ConfusionData& matrix() const { return m_data; }

    // Cells show "count" or "count\nshare%" (share of the true class's row).
    void setShowShares(bool on);
    bool showShares() const { return m_shares; }
    QString cellText(int trueClass, int predicted) const;

    QString tooltipAt(QPointF pos) const override;
    // A matrix with a header row: true\predicted,class0,class1,...
    QString csv() const override;

protected:
    void fitView() override;
    void extendMenu(QMenu& menu) override;

private:
    void rebuildLabels();
    int64_t rowSum(int r) const;

    ConfusionData m_data;
    QCPColorMap* m_map;
    bool m_shares = false;
};

}  // namespace neurite::plot
