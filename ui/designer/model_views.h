// The two text views of the open model beside the canvas: SummaryView (the summary table; a
// double-click selects the layer on the canvas) and JsonView (the project file exactly as Save
// would write it). Both follow every edit.
#pragma once

#include <QPlainTextEdit>
#include <QTableView>

namespace neurite {

class GraphModel;
class SummaryModel;

class SummaryView : public QTableView {
    Q_OBJECT
public:
    explicit SummaryView(GraphModel* model, QWidget* parent = nullptr);
    SummaryModel* summary() const { return m_summary; }

signals:
    void nodeActivated(const QString& id);

private:
    SummaryModel* m_summary;
};

class JsonView : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit JsonView(GraphModel* model, QWidget* parent = nullptr);

private:
    void scheduleRefresh();
    void refresh();

    GraphModel* m_model;
    bool m_pending = false;
};

}  // namespace neurite
