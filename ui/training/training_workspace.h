// TrainingWorkspace: the Training tab. The project's settings (a scroll column that always fits
// its pane: no sideways scrolling, nothing clipped) beside the live run (TrainingPanel). It keeps
// the two in step with the project: opening or creating a project clears the previous one's
// results, and the settings are disabled, with a hint, while a run is active.
#pragma once

#include <QSplitter>

class QLabel;
class QScrollArea;
class QUndoStack;

namespace neurite {
class GraphModel;
class TrainingSettings;
}  // namespace neurite

namespace neurite {

class TrainingPanel;

class TrainingWorkspace : public QSplitter {
    Q_OBJECT
public:
    TrainingWorkspace(GraphModel* model, QUndoStack* undo, QWidget* parent = nullptr);

    TrainingPanel* panel() const { return m_panel; }
    TrainingSettings* settings() const { return m_settings; }
    QScrollArea* settingsArea() const { return m_scroll; }
    QWidget* settingsColumn() const { return widget(0); }  // the column: hint and settings
    // Above the settings column, shown while a run is active: why the settings are disabled.
    QLabel* runHint() const { return m_runHint; }

private:
    TrainingSettings* m_settings;
    QScrollArea* m_scroll;
    QLabel* m_runHint;
    TrainingPanel* m_panel;
};

}  // namespace neurite
