#include "explanations.h"

#include <QEvent>
#include <QHelpEvent>
#include <QTabBar>
#include <QTabWidget>
#include <QToolTip>
#include <QVariant>

#include <qcustomplot.h>

#include "activation_view.h"
#include "confusion_plot.h"
#include "curve_plot.h"
#include "data_view.h"
#include "decision_plot.h"
#include "neuron_view.h"
#include "roc_plot.h"
#include "training_panel.h"

namespace neurite {

namespace {

constexpr const char* kProperty = "neuriteExplanation";

// Shows the page's explanation when the mouse rests on its tab.
class TabExplainer : public QObject {
public:
    TabExplainer(QTabWidget* tabs) : QObject(tabs), m_tabs(tabs) {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() != QEvent::ToolTip) return false;
        auto* help = static_cast<QHelpEvent*>(event);
        const int i = m_tabs->tabBar()->tabAt(help->pos());
        QWidget* page = i >= 0 ? m_tabs->widget(i) : nullptr;
        const QString text = page ? page->property(kProperty).toString() : QString();
        if (text.isEmpty()) return false;
        QToolTip::showText(help->globalPos(), text, qobject_cast<QWidget*>(watched));
        return true;
    }

private:
    QTabWidget* m_tabs;
};

void explain(QWidget* page, plot::PlotFrame* plot, const QString& text) {
    page->setProperty(kProperty, text);
    if (plot) plot->customPlot()->setToolTip(text);  // shown when the mouse rests away from the data
}

}  // namespace

void explainTrainingPlots(TrainingPanel& p, QTabWidget* tabs) {
    const auto glossary = [](const QString& text, const QString& term) {
        return QObject::tr("%1 (Help > Glossary: %2)").arg(text, term);
    };
    explain(p.lossPlot(), p.lossPlot(),
            glossary(QObject::tr("How wrong the model is: per training step (faint, smoothed by the slider) and on the "
                                 "validation split after each epoch. Training loss falling while validation loss rises "
                                 "is overfitting."),
                     QObject::tr("Loss")));
    explain(p.accuracyPlot(), p.accuracyPlot(),
            glossary(QObject::tr("The share of samples classified right, on the training split and on the validation "
                                 "split, after each epoch."),
                     QObject::tr("Accuracy")));
    explain(p.lrPlot(), p.lrPlot(),
            glossary(QObject::tr("The learning rate of every step, as the schedule (and any change made while paused) "
                                 "set it."),
                     QObject::tr("Learning rate")));
    explain(p.decisionPlot(), p.decisionPlot(),
            glossary(QObject::tr("The class the model predicts at every point of the plane, behind the training points; "
                                 "paler where it is less sure."),
                     QObject::tr("Decision map")));
    explain(p.rocPlot(), p.rocPlot(),
            glossary(QObject::tr("For each class against the rest: the true-positive rate against the false-positive "
                                 "rate as the threshold moves. Closer to the top-left is better; AUC is the area."),
                     QObject::tr("ROC curve")));
    explain(p.prPlot(), p.prPlot(),
            glossary(QObject::tr("For each class: precision against recall as the threshold moves; useful when a class "
                                 "is rare."),
                     QObject::tr("Precision and recall")));
    explain(p.confusionPlot(), p.confusionPlot(),
            glossary(QObject::tr("True class (rows) against predicted class (columns): the diagonal is right, the rest "
                                 "shows which classes are mistaken for which."),
                     QObject::tr("Confusion matrix")));
    explain(p.neuronView(), nullptr,
            glossary(QObject::tr("Every unit's output over the plane and every weight between them; pause and click one "
                                 "to change it."),
                     QObject::tr("Neuron (unit)")));
    explain(p.activationView(), nullptr,
            glossary(QObject::tr("Every layer's output for one sample; click a convolution's map, then a value, to see "
                                 "its arithmetic."),
                     QObject::tr("Feature map")));
    explain(p.dataView(), nullptr,
            glossary(QObject::tr("What the run trains on: the splits, the classes and their counts, the first samples."),
                     QObject::tr("Training split")));
    tabs->tabBar()->installEventFilter(new TabExplainer(tabs));
}

}  // namespace neurite
