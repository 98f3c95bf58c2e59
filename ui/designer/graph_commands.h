// Undo commands of the designer. They act on the GraphModel only (never on scene items), so
// undo and redo restore exactly the document they replaced. Structural edits store the node
// list before and after; moves store positions and merge while the same nodes keep moving.
#pragma once

#include <QPointF>
#include <QString>
#include <QUndoCommand>
#include <string>
#include <utility>
#include <vector>

#include "graph/graph.h"
#include "io/project.h"

namespace neurite {

class GraphModel;

// The part of the document the designer edits: the nodes (in file order) and the output id.
struct GraphState {
    std::vector<Node> nodes;
    std::string output;
    std::string weights;  // model.weights, the starting weights' file (as written)
};

GraphState stateOf(const GraphModel& model);
// Same nodes (ids, ops, parameters, inputs, trainable flags, positions, in order), output and
// starting weights.
bool operator==(const GraphState& a, const GraphState& b);

class EditGraphCommand : public QUndoCommand {
public:
    EditGraphCommand(GraphModel* model, const QString& text, GraphState before, GraphState after);
    void redo() override;
    void undo() override;

private:
    GraphModel* m_model;
    GraphState m_before, m_after;
};

class MoveNodesCommand : public QUndoCommand {
public:
    using Positions = std::vector<std::pair<QString, QPointF>>;
    MoveNodesCommand(GraphModel* model, Positions before, Positions after);
    void redo() override;
    void undo() override;
    int id() const override { return 1; }
    bool mergeWith(const QUndoCommand* other) override;  // same node set: keep the first "before"

private:
    GraphModel* m_model;
    Positions m_before, m_after;
};

// A change of the data or training settings. Consecutive changes of the same setting (a spin box
// stepped ten times) merge into one undo step.
class SettingsCommand : public QUndoCommand {
public:
    struct Settings {
        DataConfig data;
        TrainConfig training;
    };
    SettingsCommand(GraphModel* model, QString field, Settings before, Settings after);
    void redo() override;
    void undo() override;
    int id() const override { return 2; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    GraphModel* m_model;
    QString m_field;
    Settings m_before, m_after;
};

}  // namespace neurite
