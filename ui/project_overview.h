// ProjectOverview: a read-only view of a loaded project (data, training settings, the layers in
// file order with their parameters and inputs). The designer replaces it as the central editor.
#pragma once

#include <QWidget>

#include "io/project.h"
#include "model_analysis.h"

class QLabel;
class QTableWidget;

namespace neurite {

class ProjectOverview : public QWidget {
    Q_OBJECT
public:
    explicit ProjectOverview(QWidget* parent = nullptr);
    void showProject(const ProjectDocument& doc, const QString& path);
    // Fills the shape and parameter columns, or shows why the model cannot be built.
    void showAnalysis(const ModelAnalysis& analysis);

private:
    QLabel* m_header;
    QLabel* m_analysis;
    QTableWidget* m_layers;
};

}  // namespace neurite
