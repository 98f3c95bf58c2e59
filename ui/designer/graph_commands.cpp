// The designer's undo commands.
#include "graph_commands.h"

#include "graph_model.h"

namespace neurite {

GraphState stateOf(const GraphModel& model) {
    return {model.nodes(), model.document().output, model.document().weights};
}

bool operator==(const GraphState& a, const GraphState& b) {
    if (a.output != b.output || a.weights != b.weights || a.nodes.size() != b.nodes.size()) return false;
    for (std::size_t i = 0; i < a.nodes.size(); ++i) {
        const Node& x = a.nodes[i];
        const Node& y = b.nodes[i];
        if (x.id != y.id || x.op != y.op || x.params != y.params || x.inputs != y.inputs ||
            x.trainable != y.trainable || x.x != y.x || x.y != y.y)
            return false;
    }
    return true;
}

EditGraphCommand::EditGraphCommand(GraphModel* model, const QString& text, GraphState before,
                                   GraphState after)
    : QUndoCommand(text), m_model(model), m_before(std::move(before)), m_after(std::move(after)) {}

void EditGraphCommand::redo() {
    if (m_after.weights != m_model->document().weights) m_model->setWeights(m_after.weights);
    m_model->setNodes(m_after.nodes, m_after.output);
}

void EditGraphCommand::undo() {
    if (m_before.weights != m_model->document().weights) m_model->setWeights(m_before.weights);
    m_model->setNodes(m_before.nodes, m_before.output);
}

MoveNodesCommand::MoveNodesCommand(GraphModel* model, Positions before, Positions after)
    : QUndoCommand(after.size() == 1 ? QObject::tr("Move %1").arg(after.front().first)
                                     : QObject::tr("Move %n layers", nullptr, int(after.size()))),
      m_model(model),
      m_before(std::move(before)),
      m_after(std::move(after)) {}

void MoveNodesCommand::redo() {
    m_model->setPositions(m_after);
}

void MoveNodesCommand::undo() {
    m_model->setPositions(m_before);
}

bool MoveNodesCommand::mergeWith(const QUndoCommand* other) {
    const auto* move = static_cast<const MoveNodesCommand*>(other);
    if (move->m_after.size() != m_after.size()) return false;
    for (std::size_t i = 0; i < m_after.size(); ++i)
        if (move->m_after[i].first != m_after[i].first) return false;
    m_after = move->m_after;
    return true;
}

SettingsCommand::SettingsCommand(GraphModel* model, QString field, Settings before, Settings after)
    : QUndoCommand(QObject::tr("Change %1").arg(field)), m_model(model), m_field(std::move(field)),
      m_before(std::move(before)), m_after(std::move(after)) {}

void SettingsCommand::redo() { m_model->setSettings(m_after.data, m_after.training); }

void SettingsCommand::undo() { m_model->setSettings(m_before.data, m_before.training); }

bool SettingsCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = static_cast<const SettingsCommand*>(other);
    if (o->m_field != m_field) return false;
    m_after = o->m_after;
    return true;
}

}  // namespace neurite
