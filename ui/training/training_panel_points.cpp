// TrainingPanel's point editing on the decision map (PointEditBar): the bar above the map, its
// requests passed on as the panel's signals (TrainingWorkspace turns them into project edits),
// and whether clicks may edit now.
#include "decision_plot.h"
#include "point_edit_bar.h"
#include "training_panel.h"

namespace neurite {

void TrainingPanel::buildPointEditing() {
    m_pointBar = new PointEditBar(m_decision);
    m_decision->addHeaderWidget(m_pointBar);
    connect(m_decision, &plot::DecisionPlot::classesChanged, m_pointBar, &PointEditBar::setClassNames);
    connect(m_pointBar, &PointEditBar::addRequested, this, [this](double x, double y, int cls) {
        emit pointAddRequested(x, y, cls);
        setStatus(tr("Point added at (%1, %2). The next run trains with it: Start, or Reset for the same initial "
                     "weights. Ctrl+Z takes it back.")
                      .arg(x, 0, 'g', 3)
                      .arg(y, 0, 'g', 3));
    });
    connect(m_pointBar, &PointEditBar::removeRequested, this, [this](double x, double y) {
        emit pointRemoveRequested(x, y);
        setStatus(tr("Point at (%1, %2) removed from the training data of the next run. Ctrl+Z takes it back.")
                      .arg(x, 0, 'g', 3)
                      .arg(y, 0, 'g', 3));
    });
    connect(m_pointBar, &PointEditBar::clearRequested, this, &TrainingPanel::pointsClearRequested);
    connect(m_pointBar, &PointEditBar::message, this, [this](const QString& text) { setStatus(text); });
}

void TrainingPanel::setPointEdits(int added, int removed, bool locked) {
    m_pointsLocked = locked;
    m_pointBar->setEditCounts(added, removed);
    updatePointBar();
}

void TrainingPanel::updatePointBar() {
    if (m_pointsLocked)
        m_pointBar->setEditable(false, tr("This lesson keeps the data's points as they are."));
    else if (m_controller.running())
        m_pointBar->setEditable(false, tr("Points are added or removed between runs: stop this run first, then "
                                          "Start or Reset."));
    else
        m_pointBar->setEditable(true);
}

}  // namespace neurite
