// Graph edits as pure functions from one GraphState to the next: the designer's actions compute
// the new state here and push it as one EditGraphCommand, so every edit is one undo step and
// the rules (wiring a new layer in, bridging a deleted one, renaming ids on paste) are testable
// without a window.
#pragma once

#include <QPointF>
#include <QString>
#include <QStringList>
#include <map>
#include <optional>
#include <set>

#include "graph_commands.h"

namespace neurite {

namespace edits {

inline constexpr double kRowStep = 100;     // vertical distance between layers (the DAG flows down)
inline constexpr int kHiddenUnits = 64;     // a Dense inserted between layers starts this wide
inline constexpr double kColumnStep = 230;  // horizontal distance between siblings

// A fresh id that `state` does not use: "conv" -> "conv", "conv2", ...
std::string uniqueId(const GraphState& state, const std::string& base);
// A lower-case id base for an op: "Conv2D" -> "conv2d", "MaxPool2D" -> "maxpool2d".
std::string idBase(const std::string& op);

// Adds `node` (its id made unique). With `after` set, the node takes `after` as input and
// `after`'s consumers take the new node instead; the layers below move down one row. A Dense
// that ends up between layers gets kHiddenUnits units unless `node` sets them ("auto", the
// number of classes, is meant for the last layer).
GraphState withNodeInserted(const GraphState& state, Node node, const std::string& after);
GraphState withConnection(const GraphState& state, const std::string& from, const std::string& to);
// Removes input number `slot` of `to` (which must be `from`).
GraphState withoutConnection(const GraphState& state, const std::string& to, int slot);
// Deletes nodes; a deleted node with exactly one input is bridged (its consumers take that
// input), so deleting a ReLU from a chain keeps the chain whole.
GraphState withoutNodes(const GraphState& state, const std::set<std::string>& ids);
// Adds copies of `nodes` with fresh ids, shifted by `offset`; edges among them are kept, inputs
// from outside the pasted set are kept when that node exists. `newIds` gets the ids given.
GraphState withPasted(const GraphState& state, const std::vector<Node>& nodes, QPointF offset,
                      QStringList* newIds);
// Renames a node and every reference to it; the caller checks the new id is free and non-empty.
GraphState withRenamed(const GraphState& state, const std::string& from, const std::string& to);
// Sets (or, with nullopt, removes: back to the default) one parameter.
GraphState withParam(const GraphState& state, const std::string& id, const std::string& name,
                     const std::optional<ParamValue>& value);
// Inserts a Flatten between `id` and its single input (the fix for a Dense after a conv).
GraphState withFlattenBefore(const GraphState& state, const std::string& id);
// Layered layout of the DAG, top to bottom: layer = longest path from a source, order within a
// layer by the mean x of the producers, each row centred on x = 0.
GraphState laidOut(const GraphState& state);

// Whether layers of this type have weights (only those can be frozen): its first example's.
bool hasParameters(const LayerType& type);
bool hasParameters(const Node& node);  // of its op; false for an unknown op

// Transfer learning's head replacement: `cut` and every layer after it are removed; a new Dense
// "head" of `units` outputs (0: "auto", the data's classes) takes cut's input, through a
// Flatten when `flatten` (that input is not [N, features]), and becomes the output. With
// freezeBefore, every layer left that has weights is frozen (not trainable). The new head's id goes to *headId.
GraphState withHeadReplaced(const GraphState& state, const std::string& cut, int64_t units, bool flatten,
                            bool freezeBefore, std::string* headId = nullptr);

}  // namespace edits

}  // namespace neurite
