// ProblemsPanel: the graph's errors and warnings as the engine words them. Clicking one selects
// the layer at fault; "Fix" applies the quick fix when the problem has an obvious one.
#pragma once

#include <QWidget>
#include <vector>

#include "graph/graph.h"

class QLabel;
class QListWidget;
class QPushButton;

namespace neurite {

class GraphModel;
class DesignerWidget;

class ProblemsPanel : public QWidget {
    Q_OBJECT
public:
    ProblemsPanel(GraphModel* model, DesignerWidget* designer, QWidget* parent = nullptr);
    QListWidget* list() const { return m_list; }
    QPushButton* fixButton() const { return m_fix; }
    // Extra context for an empty list (for example "loading the data to bind auto sizes").
    void setNote(const QString& note);

signals:
    void countChanged(int errors, int warnings);

private:
    void refresh();
    void applyFix();
    void updateFixButton();

    GraphModel* m_model;
    DesignerWidget* m_designer;
    QListWidget* m_list;
    QPushButton* m_fix;
    QLabel* m_note;
    std::vector<Problem> m_problems;
};

}  // namespace neurite
