#include "training_workspace.h"

#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QStyle>
#include <QVBoxLayout>

#include <algorithm>

#include "designer/graph_model.h"
#include "training_panel.h"
#include "training_settings.h"

namespace neurite {

TrainingWorkspace::TrainingWorkspace(GraphModel* model, QUndoStack* undo, QWidget* parent)
    : QSplitter(Qt::Horizontal, parent),
      m_settings(new TrainingSettings(model, undo)),
      m_scroll(new QScrollArea),
      m_runHint(new QLabel(tr("A run is in progress and keeps the settings it started with. Stop it to "
                              "change them for the next run."))),
      m_panel(new TrainingPanel(this)) {
    m_scroll->setWidget(m_settings);
    m_scroll->setWidgetResizable(true);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // The column is never narrower than its widest row (labels, spin arrows and combo arrows
    // whole) plus the vertical scroll bar, so it never needs to scroll sideways.
    const int bar = m_scroll->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, m_scroll);
    const int width = m_settings->minimumSizeHint().width() + bar + 2 * m_scroll->frameWidth();
    auto* column = new QWidget(this);
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 0, 0);
    m_runHint->setWordWrap(true);
    m_runHint->setContentsMargins(8, 4, 8, 4);
    m_runHint->setObjectName(QStringLiteral("runHint"));
    m_runHint->hide();
    layout->addWidget(m_runHint);  // outside the scroll area: seen wherever the column is scrolled
    layout->addWidget(m_scroll, 1);
    column->setMinimumWidth(width);
    column->setMaximumWidth(std::max(width, 460));
    addWidget(column);
    addWidget(m_panel);
    setStretchFactor(1, 1);
    setCollapsible(0, false);
    setSizes({std::max(width, 340), 1100});

    connect(model, &GraphModel::documentReset, m_panel, &TrainingPanel::resetForProject);
    connect(&m_panel->controller(), &TrainingController::stateChanged, m_settings, [this] {
        const bool running = m_panel->controller().running();
        const bool paused = running && m_panel->controller().paused();
        m_settings->setRunState(running, paused);
        m_runHint->setText(paused ? tr("The run is paused: a new learning rate, batch size or L2 applies from its next "
                                       "step and is recorded with it. The other settings wait for the next run.")
                                  : tr("A run is in progress and keeps the settings it started with. Stop it to "
                                       "change them for the next run."));
        m_runHint->setVisible(running);
    });
    connect(m_settings, &TrainingSettings::liveSettingsChanged, &m_panel->controller(),
            &TrainingController::changeSettings);
    // The decision map's clicks edit the project's points; the counts come back from the document.
    connect(m_panel, &TrainingPanel::pointAddRequested, m_settings, &TrainingSettings::addPoint);
    connect(m_panel, &TrainingPanel::pointRemoveRequested, m_settings, &TrainingSettings::removePoint);
    connect(m_panel, &TrainingPanel::pointsClearRequested, m_settings, &TrainingSettings::clearPoints);
    connect(m_settings, &TrainingSettings::pointEditsChanged, m_panel, [this](int added, int removed) {
        m_panel->setPointEdits(added, removed, m_settings->pointsLocked());
    });
}

}  // namespace neurite
