// The entries: each converts the engine's report into its plot's data and nothing else.
#include "evaluation_plots.h"

#include <QCoreApplication>

#include <array>
#include <cstring>

#include "confusion_plot.h"
#include "roc_plot.h"

namespace neurite {

namespace {

// One curve per positive class that has points (a summary without them draws nothing).
std::vector<plot::CurveData> curvesOf(const EvaluationReport& report, bool roc) {
    std::vector<plot::CurveData> out;
    if (!report.curves) return out;
    for (const ClassCurves& c : report.curves->perClass) {
        const QString name = QString::fromStdString(c.name);
        if (roc && !c.curves.roc.fpr.empty())
            out.push_back({name, c.curves.roc.fpr, c.curves.roc.tpr, c.curves.roc.auc.v});
        if (!roc && !c.curves.pr.recall.empty())
            out.push_back({name, c.curves.pr.recall, c.curves.pr.precision, c.curves.pr.averagePrecision.v});
    }
    return out;
}


const std::array<EvaluationPlot, 3> kPlots{{
    {"roc", QT_TRANSLATE_NOOP("EvaluationPlot", "ROC"), true,
     [](QWidget* parent) -> plot::PlotFrame* { return new plot::RocPlot(plot::RocPlot::Kind::Roc, parent); },
     [](plot::PlotFrame* p, const EvaluationReport& r) { static_cast<plot::RocPlot*>(p)->setCurves(curvesOf(r, true)); }},
    {"pr", QT_TRANSLATE_NOOP("EvaluationPlot", "Precision-recall"), true,
     [](QWidget* parent) -> plot::PlotFrame* { return new plot::RocPlot(plot::RocPlot::Kind::PrecisionRecall, parent); },
     [](plot::PlotFrame* p, const EvaluationReport& r) { static_cast<plot::RocPlot*>(p)->setCurves(curvesOf(r, false)); }},
    {"confusion", QT_TRANSLATE_NOOP("EvaluationPlot", "Confusion"), true,
     [](QWidget* parent) -> plot::PlotFrame* { return new plot::ConfusionPlot(parent); },
     [](plot::PlotFrame* p, const EvaluationReport& r) { static_cast<plot::ConfusionPlot*>(p)->setMatrix(confusionOf(r)); }},
}};

}  // namespace

plot::ConfusionData confusionOf(const EvaluationReport& report) {
    plot::ConfusionData d;
    if (!report.classification) return d;
    const ClassificationMetrics& m = *report.classification;
    for (int c = 0; c < m.confusion.numClasses; ++c)
        d.classes << (c < static_cast<int>(m.perClass.size()) ? QString::fromStdString(m.perClass[static_cast<std::size_t>(c)].name)
                                                              : QString::number(c));
    d.counts = m.confusion.counts;
    return d;
}

plot::PlotFrame* EvaluationPlot::create(QWidget* parent) const {
    plot::PlotFrame* p = make(parent);
    p->setObjectName(QLatin1String("evaluation-") + QLatin1String(id));
    return p;
}

QString EvaluationPlot::titleText() const { return QCoreApplication::translate("EvaluationPlot", title); }

std::span<const EvaluationPlot> evaluationPlots() { return kPlots; }

plot::PlotFrame* findEvaluationPlot(const QWidget* parent, const char* id) {
    return parent->findChild<plot::PlotFrame*>(QLatin1String("evaluation-") + QLatin1String(id));
}

}  // namespace neurite
