// Pure graph edits behind the designer's actions.
#include "graph_edits.h"

#include "layers/layer.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace neurite::edits {

namespace {

Node* find(GraphState& s, const std::string& id) {
    for (Node& n : s.nodes)
        if (n.id == id) return &n;
    return nullptr;
}

bool has(const GraphState& s, const std::string& id) {
    return std::any_of(s.nodes.begin(), s.nodes.end(), [&](const Node& n) { return n.id == id; });
}

// Ids reachable from `id` through consumers (not including `id`).
std::set<std::string> downstream(const GraphState& s, const std::string& id) {
    std::set<std::string> seen;
    std::vector<std::string> stack{id};
    while (!stack.empty()) {
        const std::string at = stack.back();
        stack.pop_back();
        for (const Node& n : s.nodes)
            if (std::find(n.inputs.begin(), n.inputs.end(), at) != n.inputs.end() &&
                seen.insert(n.id).second)
                stack.push_back(n.id);
    }
    return seen;
}

}  // namespace

std::string uniqueId(const GraphState& state, const std::string& base) {
    const std::string stem = base.empty() ? "layer" : base;
    if (!has(state, stem)) return stem;
    for (int k = 2;; ++k) {
        std::string candidate = stem + std::to_string(k);
        if (!has(state, candidate)) return candidate;
    }
}

std::string idBase(const std::string& op) {
    std::string s;
    for (char c : op) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

GraphState withNodeInserted(const GraphState& state, Node node, const std::string& after) {
    GraphState s = state;
    node.id = uniqueId(s, node.id.empty() ? idBase(node.op) : node.id);
    if (const Node* prev = find(s, after)) {
        node.inputs = {after};
        node.x = prev->x;
        node.y = prev->y + kRowStep;
        const std::set<std::string> below = downstream(s, after);
        for (Node& n : s.nodes) {
            if (below.count(n.id)) n.y += kRowStep;
            std::replace(n.inputs.begin(), n.inputs.end(), after, node.id);
        }
        if (s.output == after) s.output = node.id;
        // A Dense that lands between layers is a hidden layer: "auto" (the number of classes)
        // is only right for the last one, so it starts with a usual hidden width instead.
        const bool hidden = std::any_of(s.nodes.begin(), s.nodes.end(), [&](const Node& n) {
            return std::find(n.inputs.begin(), n.inputs.end(), node.id) != n.inputs.end();
        });
        if (hidden && node.op == "Dense" && !node.params.count("units"))
            node.params["units"] = int64_t{kHiddenUnits};
    }
    s.nodes.push_back(std::move(node));
    return s;
}

GraphState withConnection(const GraphState& state, const std::string& from, const std::string& to) {
    GraphState s = state;
    if (Node* n = find(s, to)) n->inputs.push_back(from);
    return s;
}

GraphState withoutConnection(const GraphState& state, const std::string& to, int slot) {
    GraphState s = state;
    Node* n = find(s, to);
    if (n && slot >= 0 && slot < static_cast<int>(n->inputs.size()))
        n->inputs.erase(n->inputs.begin() + slot);
    return s;
}

GraphState withoutNodes(const GraphState& state, const std::set<std::string>& ids) {
    GraphState s = state;
    // Each deleted node's replacement: its single input, followed through deleted chains.
    std::map<std::string, std::string> bridge;
    for (const Node& n : state.nodes)
        if (ids.count(n.id) && n.inputs.size() == 1) bridge[n.id] = n.inputs.front();
    auto replacement = [&](std::string id) {
        for (int guard = 0; ids.count(id) && guard < 10000; ++guard) {
            auto it = bridge.find(id);
            if (it == bridge.end()) return std::string();
            id = it->second;
        }
        return ids.count(id) ? std::string() : id;
    };
    std::erase_if(s.nodes, [&](const Node& n) { return ids.count(n.id) != 0; });
    for (Node& n : s.nodes) {
        std::vector<std::string> inputs;
        for (const std::string& in : n.inputs) {
            std::string r = ids.count(in) ? replacement(in) : in;
            if (!r.empty() && (r == in || std::find(inputs.begin(), inputs.end(), r) == inputs.end()))
                inputs.push_back(r);
        }
        n.inputs = std::move(inputs);
    }
    if (ids.count(s.output)) s.output = replacement(s.output);
    return s;
}

GraphState withPasted(const GraphState& state, const std::vector<Node>& nodes, QPointF offset,
                      QStringList* newIds) {
    GraphState s = state;
    std::map<std::string, std::string> renamed;
    for (const Node& n : nodes) {
        std::string id = uniqueId(s, n.id);
        // Reserve the id before the next copy picks one.
        s.nodes.push_back(makeNode(id, n.op));
        renamed[n.id] = id;
    }
    s.nodes.resize(state.nodes.size());
    for (const Node& n : nodes) {
        Node copy = n;
        copy.id = renamed[n.id];
        copy.x += offset.x();
        copy.y += offset.y();
        std::vector<std::string> inputs;
        for (const std::string& in : n.inputs) {
            if (renamed.count(in))
                inputs.push_back(renamed[in]);
            else if (has(state, in))
                inputs.push_back(in);
        }
        copy.inputs = std::move(inputs);
        if (newIds) newIds->append(QString::fromStdString(copy.id));
        s.nodes.push_back(std::move(copy));
    }
    return s;
}

GraphState withRenamed(const GraphState& state, const std::string& from, const std::string& to) {
    GraphState s = state;
    for (Node& n : s.nodes) {
        if (n.id == from) n.id = to;
        std::replace(n.inputs.begin(), n.inputs.end(), from, to);
    }
    if (s.output == from) s.output = to;
    return s;
}

GraphState withParam(const GraphState& state, const std::string& id, const std::string& name,
                     const std::optional<ParamValue>& value) {
    GraphState s = state;
    if (Node* n = find(s, id)) {
        if (value)
            n->params[name] = *value;
        else
            n->params.erase(name);
    }
    return s;
}

GraphState withFlattenBefore(const GraphState& state, const std::string& id) {
    const Node* target = nullptr;
    for (const Node& n : state.nodes)
        if (n.id == id) target = &n;
    if (!target || target->inputs.size() != 1) return state;
    return withNodeInserted(state, makeNode("flatten", "Flatten"), target->inputs.front());
}

bool hasParameters(const LayerType& type) {
    if (!type.create || type.examples.empty()) return false;
    try {
        const LayerExample& example = type.examples.front();
        const ParamCheck check = checkParams(type, example.params);
        if (!check.errors.empty()) return false;
        return !type.create(check.params)->paramSpecs(exampleShapes(example, nullptr)).empty();
    } catch (...) {
        return false;
    }
}

bool hasParameters(const Node& node) {
    // asked on every paint of a frozen block: once per layer type
    static std::map<std::string, bool> known;
    if (auto it = known.find(node.op); it != known.end()) return it->second;
    const LayerType* type = findLayerType(node.op);
    const bool has = type && hasParameters(*type);
    if (type) known[node.op] = has;
    return has;
}

GraphState withHeadReplaced(const GraphState& state, const std::string& cut, int64_t units, bool flatten,
                            bool freezeBefore, std::string* headId) {
    GraphState s = state;
    const Node* target = find(s, cut);
    if (!target || target->inputs.empty()) return state;
    const std::string source = target->inputs.front();
    std::set<std::string> gone = downstream(state, cut);  // cut and what depends on it
    gone.insert(cut);
    s.nodes.erase(std::remove_if(s.nodes.begin(), s.nodes.end(), [&](const Node& n) { return gone.count(n.id) != 0; }),
                  s.nodes.end());
    if (freezeBefore)
        for (Node& n : s.nodes)
            if (hasParameters(n)) n.trainable = false;
    const Node* from = find(s, source);
    const double x = from ? from->x : 0, y = from ? from->y : 0;
    std::string feed = source;
    if (flatten) {
        Node f = makeNode(uniqueId(s, "flatten"), "Flatten", {source});
        f.x = x, f.y = y + kRowStep;
        feed = f.id;
        s.nodes.push_back(f);
    }
    Node head = makeNode(uniqueId(s, "head"), "Dense", {feed},
                         {{"units", units > 0 ? ParamValue(units) : ParamValue(std::string("auto"))}});
    head.x = x, head.y = y + (flatten ? 2 : 1) * kRowStep;
    s.output = head.id;
    if (headId) *headId = head.id;
    s.nodes.push_back(head);
    return s;
}

GraphState laidOut(const GraphState& state) {
    GraphState s = state;
    const std::size_t n = s.nodes.size();
    std::map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i) index[s.nodes[i].id] = i;
    // Longest path from a source; relaxation n times tolerates any order and stops on cycles.
    std::vector<int> layer(n, 0);
    for (std::size_t pass = 0; pass < n; ++pass) {
        bool changed = false;
        for (std::size_t i = 0; i < n; ++i)
            for (const std::string& in : s.nodes[i].inputs) {
                auto it = index.find(in);
                if (it != index.end() && layer[it->second] + 1 > layer[i] &&
                    layer[it->second] + 1 <= static_cast<int>(n)) {
                    layer[i] = layer[it->second] + 1;
                    changed = true;
                }
            }
        if (!changed) break;
    }
    const int depth = n == 0 ? 0 : *std::max_element(layer.begin(), layer.end());
    std::vector<double> x(n, 0);
    for (int l = 0; l <= depth; ++l) {
        std::vector<std::pair<double, std::size_t>> row;  // (mean producer x, node), file order ties
        for (std::size_t i = 0; i < n; ++i) {
            if (layer[i] != l) continue;
            double sum = 0;
            int count = 0;
            for (const std::string& in : s.nodes[i].inputs)
                if (auto it = index.find(in); it != index.end() && layer[it->second] < l) {
                    sum += x[it->second];
                    ++count;
                }
            row.push_back({count ? sum / count : 0.0, i});
        }
        std::stable_sort(row.begin(), row.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        const double width = kColumnStep * static_cast<double>(row.size() > 0 ? row.size() - 1 : 0);
        for (std::size_t k = 0; k < row.size(); ++k) {
            const std::size_t i = row[k].second;
            x[i] = -width / 2 + kColumnStep * static_cast<double>(k);
            s.nodes[i].x = x[i];
            s.nodes[i].y = kRowStep * l;
        }
    }
    return s;
}

}  // namespace neurite::edits
