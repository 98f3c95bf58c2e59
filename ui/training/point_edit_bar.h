// PointEditBar: TensorFlow Playground's "click to add data" on the Training tab's decision map,
// for any 2-D classification data (synthetic or the user's CSV). A click on the map asks for a
// point of the chosen class there; Shift+click on a training point asks for its removal; Clear
// drops every edit. The bar only asks: TrainingSettings turns each request into one undoable
// project edit (data.points), and the map shows the point at once. Edits wait while a run trains.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;

namespace neurite {

namespace plot {
class DecisionPlot;
}

class PointEditBar : public QWidget {
    Q_OBJECT
public:
    // Sits above `map` (plot::PlotFrame::addHeaderWidget) and listens to its clicks.
    explicit PointEditBar(plot::DecisionPlot* map, QWidget* parent = nullptr);

    void setClassNames(const QStringList& names);
    // Whether clicks edit (no run is training); a click otherwise says why it does nothing.
    void setEditable(bool editable, const QString& why = {});
    // The project's edits, as the bar reports them ("3 added, 1 removed").
    void setEditCounts(int added, int removed);
    QComboBox* classChooser() const { return m_class; }
    QPushButton* clearButton() const { return m_clear; }
    QString countText() const;

signals:
    void addRequested(double x, double y, int cls);
    void removeRequested(double x, double y);  // a training point's exact coordinates
    void clearRequested();
    void message(const QString& text);

private:
    void clicked(double x, double y, Qt::KeyboardModifiers modifiers, QPoint pos);

    plot::DecisionPlot* m_map;
    QComboBox* m_class;
    QLabel* m_counts;
    QPushButton* m_clear;
    bool m_editable = true;
    int m_chosen = 0;  // the class last chosen
    QString m_why;
};

}  // namespace neurite
