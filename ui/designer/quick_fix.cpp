// Quick fixes keyed on the engine's own advice in the message ("insert a Flatten before it"), so
// a fix is offered exactly when the engine says what the repair is.
#include "quick_fix.h"

#include <QObject>
#include <algorithm>
#include <cstdlib>

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
    // The trainer's output check: "...; set the last Dense's units to 3 or "auto"" (or "to 1").
    const std::string units = "set the last Dense's units to ";
    if (const std::size_t at = m.find(units); at != std::string::npos && node->op == "Dense") {
        const bool toAuto = m.find("or \"auto\"", at) != std::string::npos;
        const ParamValue value = toAuto ? ParamValue(std::string("auto"))
                                        : ParamValue(int64_t{std::atoll(m.c_str() + at + units.size())});
        return QuickFix{QObject::tr("Set the units of %1 to %2")
                            .arg(qid, toAuto ? QStringLiteral("auto (the number of classes)")
                                             : QString::number(std::get<int64_t>(value))),
                        edits::withParam(state, id, "units", value)};
    }
    if (m.find("a second Input node") != std::string::npos)
        return QuickFix{QObject::tr("Delete the second Input %1").arg(qid),
                        edits::withoutNodes(state, {id})};
    return std::nullopt;
}

}  // namespace neurite
