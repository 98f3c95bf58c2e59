// RocPlot: ROC curves (FPR vs TPR, with the chance diagonal) or precision-recall curves, one per
// class (or per run when comparing), the area in each legend entry ("cat (AUC 0.954)").
#pragma once

#include <vector>

#include "plot_data.h"
#include "plot_frame.h"

class QCPCurve;

namespace neurite::plot {

class RocPlot : public PlotFrame {
    Q_OBJECT
public:
    enum class Kind { Roc, PrecisionRecall };
    explicit RocPlot(Kind kind, QWidget* parent = nullptr);

    Kind kind() const { return m_kind; }
    // Replaces the curves (a new evaluation arrives once per epoch, so no appending).
    void setCurves(const std::vector<CurveData>& curves);
    int curveCount() const { return static_cast<int>(m_curves.size()); }
    QString legendText(int i) const;

    // Long format: curve,x,y with x/y named after the kind (fpr,tpr or recall,precision).
    QString csv() const override;

protected:
    void fitView() override;

private:
    Kind m_kind;
    std::vector<CurveData> m_data;
    std::vector<QCPCurve*> m_curves;
};

}  // namespace neurite::plot
