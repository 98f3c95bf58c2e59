#include "trial_confusions.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "confusion_plot.h"
#include "evaluation_plots.h"
#include "failure.h"
#include "run_records.h"

namespace neurite {

PooledConfusion pooledConfusion(storage::RunStore& store, const std::vector<qint64>& runIds, bool testObjective) {
    PooledConfusion out;
    const std::string wanted = testObjective ? "test" : "validation";
    for (const qint64 id : runIds) {
        try {
            const std::optional<storage::StoredEvaluation> eval = storage::finalEvaluation(store, id, wanted);
            if (!eval) continue;  // a run stopped before its first evaluation
            const plot::ConfusionData d = confusionOf(eval->report);
            if (d.classes.isEmpty()) {
                out.error = QObject::tr("run %1 has no confusion matrix (a regression?)").arg(id);
                return out;
            }
            if (out.runs == 0) {
                out.data = d;
                out.split = QString::fromStdString(eval->title);
            } else if (d.classes != out.data.classes || d.counts.size() != out.data.counts.size()) {
                out.error = QObject::tr("run %1 has other classes than run %2").arg(id).arg(runIds.front());
                return out;
            } else {
                for (std::size_t i = 0; i < d.counts.size(); ++i) out.data.counts[i] += d.counts[i];
            }
            ++out.runs;
        } catch (...) {
            out.error = currentFailure().message;
            return out;
        }
    }
    if (out.runs == 0) out.error = QObject::tr("no run of it has an evaluation yet");
    return out;
}

TrialConfusions::TrialConfusions(QWidget* parent) : QWidget(parent) {
    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    m_shares = new QCheckBox(tr("Row shares"), this);
    m_shares->setToolTip(tr("Show each cell's share of its true class next to the count"));
    connect(m_shares, &QCheckBox::toggled, this, [this](bool on) {
        for (plot::ConfusionPlot* p : m_plots) p->setShowShares(on);
    });
    auto* top = new QHBoxLayout;
    top->addWidget(m_note, 1);
    top->addWidget(m_shares);
    m_row = new QHBoxLayout;
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addLayout(m_row, 1);
    clear(tr("Select up to %1 trials in the table to compare their confusion matrices.").arg(kMaxTrials));
}

void TrialConfusions::removePlots() {
    for (QWidget* w : m_columns) delete w;
    m_columns.clear();
    m_plots.clear();
    m_captions.clear();
}

void TrialConfusions::clear(const QString& why) {
    removePlots();
    m_note->setText(why);
}

void TrialConfusions::showTrials(storage::RunStore* store, const std::vector<Trial>& trials, bool testObjective,
                                 bool chosen) {
    removePlots();
    if (!store || trials.empty()) {
        clear(chosen ? tr("The chosen trials have no runs yet.")
                     : tr("No trial has finished yet. Select up to %1 trials in the table to compare their "
                          "confusion matrices.").arg(kMaxTrials));
        return;
    }
    const std::size_t n = std::min<std::size_t>(trials.size(), kMaxTrials);
    for (std::size_t i = 0; i < n; ++i) {
        const Trial& t = trials[i];
        const PooledConfusion pooled = pooledConfusion(*store, t.runIds, testObjective);
        auto* column = new QWidget(this);
        auto* layout = new QVBoxLayout(column);
        layout->setContentsMargins(0, 0, 0, 0);
        auto* caption = new QLabel(column);
        caption->setWordWrap(true);
        QString text = tr("<b>Trial %1</b> %2").arg(t.number).arg(t.caption.toHtmlEscaped());
        if (pooled.error.isEmpty())
            text += QStringLiteral("<br>") + (pooled.runs > 1 ? tr("%1, %2 runs pooled").arg(pooled.split).arg(pooled.runs)
                                                                : pooled.split);
        else
            text += QStringLiteral("<br>") + tr("No matrix: %1").arg(pooled.error.toHtmlEscaped());
        caption->setText(text);
        auto* plot = new plot::ConfusionPlot(column);
        plot->setObjectName(QStringLiteral("trial-confusion-%1").arg(t.number));
        plot->setMatrix(pooled.data);
        plot->setShowShares(m_shares->isChecked());
        layout->addWidget(caption);
        layout->addWidget(plot, 1);
        m_row->addWidget(column, 1);
        m_columns.push_back(column);
        m_plots.push_back(plot);
        m_captions.push_back(caption);
    }
    QString note = chosen ? tr("The trials chosen in the table") : tr("The best completed trials (select trials in the table to choose others)");
    if (trials.size() > n) note += tr("; the first %1 of the %2 chosen").arg(n).arg(trials.size());
    m_note->setText(note + '.');
}

}  // namespace neurite
