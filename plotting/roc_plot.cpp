#include "roc_plot.h"

#include <qcustomplot.h>

namespace neurite::plot {

RocPlot::RocPlot(Kind kind, QWidget* parent) : PlotFrame(parent), m_kind(kind) {
    QCustomPlot* plot = customPlot();
    const bool roc = kind == Kind::Roc;
    plot->xAxis->setLabel(roc ? tr("false positive rate") : tr("recall"));
    plot->yAxis->setLabel(roc ? tr("true positive rate") : tr("precision"));
    plot->axisRect()->insetLayout()->setInsetAlignment(
        0, roc ? Qt::AlignBottom | Qt::AlignRight : Qt::AlignBottom | Qt::AlignLeft);
    if (roc) {
        // The chance line: a classifier that guesses lies on it.
        auto* chance = new QCPItemLine(plot);
        chance->start->setCoords(0, 0);
        chance->end->setCoords(1, 1);
        chance->setPen(QPen(Qt::gray, 1, Qt::DashLine));
    }
    fitView();
}

void RocPlot::setCurves(const std::vector<CurveData>& curves) {
    QCustomPlot* plot = customPlot();
    for (QCPCurve* c : m_curves) plot->removePlottable(c);
    m_curves.clear();
    m_data = curves;
    for (std::size_t i = 0; i < curves.size(); ++i) {
        const CurveData& d = curves[i];
        auto* c = new QCPCurve(plot->xAxis, plot->yAxis);
        c->setName(legendText(static_cast<int>(i)));
        c->setPen(QPen(seriesColor(static_cast<int>(i)), 1.8));
        QVector<double> t(static_cast<qsizetype>(d.x.size()));
        for (qsizetype k = 0; k < t.size(); ++k) t[k] = static_cast<double>(k);
        // QCPCurve keeps the given order (a PR curve may go back in x), keyed by t.
        c->setData(t, QVector<double>(d.x.begin(), d.x.end()), QVector<double>(d.y.begin(), d.y.end()),
                   true);
        m_curves.push_back(c);
    }
    requestReplot();
}

QString RocPlot::legendText(int i) const {
    if (i < 0 || i >= static_cast<int>(m_data.size())) return {};
    const CurveData& d = m_data[static_cast<std::size_t>(i)];
    return QStringLiteral("%1 (%2 %3)")
        .arg(d.label, m_kind == Kind::Roc ? QStringLiteral("AUC") : QStringLiteral("AP"),
             QString::number(d.area, 'f', 3));
}

void RocPlot::fitView() {
    // Rates live in [0,1]; a small margin keeps the curves off the frame.
    customPlot()->xAxis->setRange(-0.02, 1.02);
    customPlot()->yAxis->setRange(-0.02, 1.02);
}

QString RocPlot::csv() const {
    const bool roc = m_kind == Kind::Roc;
    QString out = roc ? QStringLiteral("curve,fpr,tpr\n") : QStringLiteral("curve,recall,precision\n");
    for (const CurveData& d : m_data)
        for (std::size_t k = 0; k < d.x.size(); ++k)
            out += csvField(d.label) + QLatin1Char(',') + QString::number(d.x[k], 'g', 10) +
                   QLatin1Char(',') + QString::number(d.y[k], 'g', 10) + QLatin1Char('\n');
    return out;
}

}  // namespace neurite::plot
