// ImportancePlot: how much each parameter of an experiment matters, as horizontal bars sorted
// from the most important down, each with its value, under a subtitle naming the method and the
// number of trials the figures rest on. With fewer than 3 completed trials, or an objective that
// never varied, it shows why there is nothing to rank instead of empty bars.
#pragma once

#include <QVector>

#include "plot_frame.h"

class QCPBars;
class QCPItemText;
class QCPTextElement;

namespace neurite::plot {

class ImportancePlot : public PlotFrame {
    Q_OBJECT
public:
    explicit ImportancePlot(QWidget* parent = nullptr);

    // names[i]'s importance (e.g. its share of the explained variance, 0..1; NaN counts as 0).
    // `method` names how they were computed, `trials` how many completed trials they rest on.
    // Lists of different lengths show the empty state.
    void setData(const QStringList& names, const QVector<double>& importance, const QString& method,
                 int trials);

    // As drawn, most important first.
    QStringList sortedNames() const { return m_names; }
    QVector<double> sortedValues() const { return m_values; }
    // Why no bars are shown; empty while they are.
    QString emptyReason() const { return m_emptyReason; }
    QString subtitle() const;
    // The text of bar `rank`'s value label.
    QString valueLabel(int rank) const;

    QString tooltipAt(QPointF pos) const override;
    // parameter,importance, most important first.
    QString csv() const override;

    static constexpr int kMinTrials = 3;

protected:
    void fitView() override;

private:
    QStringList m_names;
    QVector<double> m_values;
    QString m_method, m_emptyReason;
    int m_trials = 0;
    QCPBars* m_bars;
    QCPTextElement* m_subtitle;
    QCPItemText* m_empty;
    QVector<QCPItemText*> m_labels;
};

}  // namespace neurite::plot
