// GraphModel: the designer's id-based view of the open ProjectDocument, the single source of
// truth. Undo commands are its only writers; the scene, inspector, problems and summary read it
// and listen to its past-tense signals. After every edit it re-resolves the graph against the
// data (shapes, problems, costs), which is cheap for graphs a person draws.
#pragma once

#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

#include "graph/graph.h"
#include "graph/graph_cost.h"
#include "io/project.h"
#include "train/events.h"
#include "train/output_check.h"

namespace neurite {

class GraphModel : public QObject {
    Q_OBJECT
public:
    explicit GraphModel(QObject* parent = nullptr);

    const ProjectDocument& document() const { return m_doc; }
    const std::vector<Node>& nodes() const { return m_doc.nodes; }
    // Replaces the whole document (open, new); emits documentReset.
    void setDocument(ProjectDocument doc);
    // What the data says about "auto" sizes; unknown until the data was probed. With `facts`
    // (the data loaded) problems() also has the trainer's check of the output against the loss
    // and the data. A new document or data source forgets the facts until the next probe.
    void setDataInfo(const DataInfo& info, std::optional<DataFacts> facts = std::nullopt);
    const DataInfo& dataInfo() const { return m_info; }

    // Queries by node id; nullptr / -1 / empty when the id does not exist.
    const Node* node(const QString& id) const;
    int indexOf(const QString& id) const;
    QString uniqueId(const QString& base) const;  // "conv" -> "conv3" when conv, conv2 exist
    QStringList consumersOf(const QString& id) const;
    const ResolvedGraph& resolved() const { return m_resolved; }
    const GraphCost& cost() const { return m_cost; }
    QString shapeOf(const QString& id) const;    // "[N,32,28,28]", empty when not inferred
    Shape shapeValue(const QString& id) const;   // rank 0 when not inferred
    QString summaryOf(const QString& id) const;  // "Conv 3x3, 32, same", empty when unknown
    std::vector<Problem> problemsOf(const QString& id) const;  // errors and warnings
    // The graph's, the loss lint's and the trainer's output check's, errors first.
    std::vector<Problem> problems() const;
    int64_t trainingBytes() const;  // estimate at the project's batch size

    // Empty when `to` may take `from` as its next input, else why not ("would form a cycle
    // a -> b -> a", the engine's shape message, ...). Never throws.
    QString canConnect(const QString& from, const QString& to) const;
    // canConnect without the shape rule: unknown ids, a cycle, an Input or full target.
    QString structuralRefusal(const QString& from, const QString& to) const;

    // Edits, for undo commands. setNodes diffs against the current nodes and emits nodeAdded,
    // nodeRemoved and nodeChanged per id (file order kept exactly as given).
    void setNodes(std::vector<Node> nodes, std::string output);
    // model.weights, the starting weights' file (relative to the project's folder); emits
    // settingsChanged.
    void setWeights(std::string weights);
    void setPositions(const std::vector<std::pair<QString, QPointF>>& positions);
    // The data and training sections (the training settings panel); emits settingsChanged.
    void setSettings(DataConfig data, TrainConfig training);

    // Every pruned layer's sparsity after the last run that pruned (FinishedEvent::sparsity);
    // empty when it did not, and after another project is opened.
    void setSparsity(std::vector<LayerSparsity> layers);
    const std::vector<LayerSparsity>& sparsity() const { return m_sparsity; }

signals:
    void documentReset();
    void sparsityChanged();
    void nodeAdded(const QString& id);
    void nodeRemoved(const QString& id);
    void nodeChanged(const QString& id);  // op, parameters or inputs
    void nodeMoved(const QString& id);
    void analysisChanged();  // shapes, problems and costs were recomputed
    void settingsChanged();  // the data or training section changed

private:
    void analyze();
    QString shapeRefusal(const QString& from, const QString& to) const;  // the target's shape rule

    ProjectDocument m_doc;
    DataInfo m_info;
    std::optional<DataFacts> m_facts;
    ResolvedGraph m_resolved;
    GraphCost m_cost;
    std::vector<LayerSparsity> m_sparsity;
};

}  // namespace neurite
