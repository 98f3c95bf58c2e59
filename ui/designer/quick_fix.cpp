// Quick fixes keyed on the engine's own advice in the message ("insert a Flatten before it"), so
// a fix is offered exactly when the engine says what the repair is.
#include "quick_fix.h"

#include <QObject>
#include <algorithm>

#include "graph_edits.h"

namespace neurite {

std::optional<QuickFix> quickFixFor(const Problem& problem, const GraphState& state) {
    const std::string& m = problem.message;
    const std::string& id = problem.nodeId;
    auto node = std::find_if(state.nodes.begin(), state.nodes.end(),
                             [&](const Node& n) { return n.id == id; });
    if (id.empty() || node == state.nodes.end()) return std::nullopt;
    const QString qid = QString::fromStdString(id);
    if (m.find("insert a Flatten before it") != std::string::npos && node->inputs.size() == 1)
        return QuickFix{QObject::tr("Insert a Flatten before %1").arg(qid),
                        edits::withFlattenBefore(state, id)};
    if (m.find("the loss applies it itself") != std::string::npos ||
        m.find("does not feed the output") != std::string::npos)
        return QuickFix{QObject::tr("Delete %1").arg(qid), edits::withoutNodes(state, {id})};
    if (m.find("a second Input node") != std::string::npos)
        return QuickFix{QObject::tr("Delete the second Input %1").arg(qid),
                        edits::withoutNodes(state, {id})};
    return std::nullopt;
}

}  // namespace neurite
