// Graph resolution: ops and parameters checked against the layer registry, edges, a stable
// topological order, the output, "auto" bound from the data, and shape inference. Every issue
// becomes a Problem naming its node; a node downstream of an error is not inferred, so one
// mistake gives one message.
#include "graph/graph.h"

#include <algorithm>
#include <functional>
#include <map>
#include <queue>
#include <set>

#include "core/suggest.h"

namespace neurite {

namespace {

std::string quoted(const std::string& s) {
    return "'" + s + "'";
}

std::string joinIds(const std::vector<Node>& nodes, const std::vector<int>& indices,
                    const char* sep = ", ") {
    std::string out;
    for (int i : indices)
        out += (out.empty() ? "" : sep) + nodes[static_cast<std::size_t>(i)].id;
    return out;
}

std::string plural(int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

class Resolver {
public:
    Resolver(const std::vector<Node>& nodes, const std::string& output, const DataInfo& info)
        : m_nodes(nodes), m_outputId(output), m_info(info), m_n(static_cast<int>(nodes.size())) {}

    ResolvedGraph run() {
        if (m_n == 0) {
            error(-1, "the model is empty; add an Input node and the layers that follow it");
            return std::move(m_g);
        }
        m_g.inputs.resize(size());
        m_g.params.resize(size());
        m_g.shapes.resize(size());
        m_types.assign(size(), nullptr);
        m_broken.assign(size(), false);
        indexIds();
        findInput();
        for (int i = 0; i < m_n; ++i)
            checkNode(i);
        order();
        findOutput();
        inferShapes();
        return std::move(m_g);
    }

private:
    std::size_t size() const { return static_cast<std::size_t>(m_n); }
    const Node& node(int i) const { return m_nodes[static_cast<std::size_t>(i)]; }

    void add(Problem::Severity severity, int i, const std::string& message) {
        Problem p;
        p.severity = severity;
        p.nodeId = i >= 0 ? node(i).id : std::string();
        p.nodeIndex = i;
        p.message = i >= 0 ? node(i).id + ": " + message : message;
        m_g.problems.push_back(std::move(p));
    }
    void error(int i, const std::string& message) {
        add(Problem::Severity::Error, i, message);
        if (i >= 0) m_broken[static_cast<std::size_t>(i)] = true;
    }
    void warning(int i, const std::string& message) { add(Problem::Severity::Warning, i, message); }

    void indexIds() {
        for (int i = 0; i < m_n; ++i) {
            auto [it, fresh] = m_index.emplace(node(i).id, i);
            if (!fresh)
                error(i, "the id is also used by node " + std::to_string(it->second + 1) +
                             "; give each node a unique id");
            m_ids.push_back(node(i).id);
        }
    }

    void checkNode(int i) {
        const Node& nd = node(i);
        const LayerType* type = findLayerType(nd.op);
        if (!type) {
            std::vector<std::string> names;
            for (const LayerType& t : layerTypes())
                names.push_back(t.name);
            std::string hint = didYouMean(nd.op, names);
            error(i, "unknown op \"" + nd.op + "\"" + hint +
                         (hint.empty() ? "; the layer palette lists the available ops" : ""));
        } else {
            m_types[static_cast<std::size_t>(i)] = type;
            ParamCheck check = checkParams(*type, nd.params);
            for (const std::string& e : check.errors) {
                error(i, e);
                // checkParams words each error "<param>: what is wrong".
                for (const ParamSchema& ps : type->params)
                    if (e.rfind(ps.name + ": ", 0) == 0) m_g.problems.back().param = ps.name;
            }
            for (const std::string& w : check.warnings)
                warning(i, w);
            m_g.params[static_cast<std::size_t>(i)] = std::move(check.params);
            checkInputCount(i, *type);
        }
        for (const std::string& in : nd.inputs) {
            auto it = m_index.find(in);
            if (it == m_index.end()) {
                error(i, "input " + quoted(in) + " does not exist" + didYouMean(in, m_ids) +
                             "; connect an existing node or remove the input");
                continue;
            }
            m_g.inputs[static_cast<std::size_t>(i)].push_back(it->second);
        }
    }

    void checkInputCount(int i, const LayerType& type) {
        const int given = static_cast<int>(node(i).inputs.size());
        if (given >= type.minInputs && (type.maxInputs < 0 || given <= type.maxInputs)) return;
        std::string expected;
        if (type.maxInputs == 0)
            expected = "takes no inputs";
        else if (type.minInputs == type.maxInputs)
            expected = "takes exactly " + plural(type.minInputs, "input");
        else if (type.maxInputs < 0)
            expected = "takes at least " + plural(type.minInputs, "input");
        else
            expected = "takes " + std::to_string(type.minInputs) + " to " +
                       std::to_string(type.maxInputs) + " inputs";
        std::string fix =
            given < type.minInputs
                ? "connect " + (given == 0 ? std::string("a node") : "more nodes") + " to it"
                : "remove the extra connections";
        error(i, type.name + " " + expected + ", got " + std::to_string(given) + "; " + fix);
    }

    void findInput() {
        std::vector<int> inputs;
        for (int i = 0; i < m_n; ++i)
            if (const LayerType* t = findLayerType(node(i).op); t && t->dataInput)
                inputs.push_back(i);
        if (inputs.empty()) {
            error(-1, "the model has no Input node; add one (op \"Input\") where the data enters");
            return;
        }
        m_g.input = inputs[0];
        for (std::size_t k = 1; k < inputs.size(); ++k)
            error(inputs[k], "a second Input node (the first is " + quoted(node(inputs[0]).id) +
                                 "); a model has exactly one Input: delete this one");
    }

    // Kahn's algorithm with the smallest file index first among ready nodes. Nodes left over
    // are on a cycle or downstream of one.
    void order() {
        std::vector<int> pending(size(), 0);
        m_consumers.assign(size(), {});
        for (int i = 0; i < m_n; ++i)
            for (int p : m_g.inputs[static_cast<std::size_t>(i)]) {
                ++pending[static_cast<std::size_t>(i)];
                m_consumers[static_cast<std::size_t>(p)].push_back(i);
            }
        std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
        for (int i = 0; i < m_n; ++i)
            if (pending[static_cast<std::size_t>(i)] == 0) ready.push(i);
        while (!ready.empty()) {
            int i = ready.top();
            ready.pop();
            m_g.order.push_back(i);
            for (int c : m_consumers[static_cast<std::size_t>(i)])
                if (--pending[static_cast<std::size_t>(c)] == 0) ready.push(c);
        }
        std::vector<bool> left(size(), false);
        for (int i = 0; i < m_n; ++i)
            left[static_cast<std::size_t>(i)] = pending[static_cast<std::size_t>(i)] > 0;
        reportCycles(left);
    }

    // Walks producers from each left-over node until a node repeats: that loop is a cycle.
    void reportCycles(const std::vector<bool>& left) {
        std::vector<bool> reported(size(), false);
        for (int start = 0; start < m_n; ++start) {
            if (!left[static_cast<std::size_t>(start)] || reported[static_cast<std::size_t>(start)])
                continue;
            std::vector<int> walk;
            std::map<int, std::size_t> seenAt;
            int at = start;
            bool dangling = false;
            while (!seenAt.count(at) && !reported[static_cast<std::size_t>(at)]) {
                seenAt[at] = walk.size();
                walk.push_back(at);
                const auto& ins = m_g.inputs[static_cast<std::size_t>(at)];
                auto next = std::find_if(ins.begin(), ins.end(),
                                         [&](int p) { return left[static_cast<std::size_t>(p)]; });
                dangling =
                    next == ins.end(); // cannot happen: a left-over node has a left-over producer
                if (dangling) break;
                at = *next;
            }
            for (int w : walk)
                m_broken[static_cast<std::size_t>(w)] = true;
            if (dangling || reported[static_cast<std::size_t>(at)])
                continue; // downstream of a known cycle
            std::vector<int> cycle(walk.begin() + static_cast<std::ptrdiff_t>(seenAt[at]),
                                   walk.end());
            std::reverse(cycle.begin(), cycle.end()); // producers first: the direction data flows
            auto first = std::min_element(cycle.begin(), cycle.end());
            std::rotate(cycle.begin(), first, cycle.end());
            for (int c : cycle)
                reported[static_cast<std::size_t>(c)] = true;
            cycle.push_back(cycle.front());
            error(cycle.front(),
                  "is on a cycle " + joinIds(m_nodes, cycle, " -> ") +
                      "; a node cannot depend on its own output: remove one of these connections");
        }
    }

    void findOutput() {
        if (!m_outputId.empty()) {
            auto it = m_index.find(m_outputId);
            if (it == m_index.end()) {
                error(-1, "the output node " + quoted(m_outputId) + " does not exist" +
                              didYouMean(m_outputId, m_ids) +
                              "; set \"output\" to the id of the layer the loss reads");
                return;
            }
            m_g.output = it->second;
        } else {
            std::vector<int> sinks;
            for (int i = 0; i < m_n; ++i)
                if (m_consumers[static_cast<std::size_t>(i)].empty()) sinks.push_back(i);
            if (sinks.empty()) {
                error(-1, "the model has no output: every node feeds another; set \"output\" to "
                          "the layer the loss reads");
                return;
            }
            if (sinks.size() > 1) {
                error(-1, "the model has " + std::to_string(sinks.size()) + " possible outputs (" +
                              joinIds(m_nodes, sinks) +
                              "): nodes whose result nothing uses; connect them, "
                              "delete them, or set \"output\" to the one the loss reads");
                return;
            }
            m_g.output = sinks[0];
        }
        std::vector<bool> feeds(size(), false);
        std::vector<int> stack{m_g.output};
        feeds[static_cast<std::size_t>(m_g.output)] = true;
        while (!stack.empty()) {
            int i = stack.back();
            stack.pop_back();
            for (int p : m_g.inputs[static_cast<std::size_t>(i)])
                if (!feeds[static_cast<std::size_t>(p)]) {
                    feeds[static_cast<std::size_t>(p)] = true;
                    stack.push_back(p);
                }
        }
        for (int i = 0; i < m_n; ++i)
            if (!feeds[static_cast<std::size_t>(i)])
                warning(i, "does not feed the output " + quoted(node(m_g.output).id) +
                               ", so training ignores it; connect it or delete it");
    }

    // Binds "auto" parameters from the data; false (with an error) when the data is unknown.
    bool bindAuto(int i) {
        const LayerType* type = m_types[static_cast<std::size_t>(i)];
        LayerParams& p = m_g.params[static_cast<std::size_t>(i)];
        const std::string e = bindAutoParams(*type, p, m_info.sampleShape, m_info.outputUnits, m_info.vocabularySize);
        if (!e.empty()) error(i, e);
        return e.empty();
    }

    void inferShapes() {
        for (int i : m_g.order) {
            const auto u = static_cast<std::size_t>(i);
            const std::vector<int>& ins = m_g.inputs[u];
            bool skip = m_broken[u] || !m_types[u];
            for (int p : ins)
                skip = skip || m_broken[static_cast<std::size_t>(p)];
            if (skip) {
                m_broken[u] = true; // downstream nodes stay quiet
                continue;
            }
            if (!bindAuto(i)) continue;
            std::vector<Shape> srcShapes;
            for (int p : ins)
                srcShapes.push_back(m_g.shapes[static_cast<std::size_t>(p)]);
            ShapeResult r = m_types[u]->inferShape(m_g.params[u], srcShapes);
            if (r.ok()) {
                m_g.shapes[u] = r.shape;
                continue;
            }
            std::string message = r.error;
            if (!ins.empty()) {
                // "got [N,128] from fc1; insert a Flatten" reads better than a trailing "from fc1".
                const std::string from = " from " + joinIds(m_nodes, ins);
                const std::size_t hint = message.find("; ");
                message.insert(hint == std::string::npos ? message.size() : hint, from);
            }
            error(i, message);
        }
    }

    const std::vector<Node>& m_nodes;
    const std::string& m_outputId;
    const DataInfo& m_info;
    const int m_n;
    ResolvedGraph m_g;
    std::map<std::string, int> m_index;
    std::vector<std::string> m_ids;
    std::vector<const LayerType*> m_types;
    std::vector<bool> m_broken; // has an error, or depends on a node that has one
    std::vector<std::vector<int>> m_consumers;
};

} // namespace

bool ResolvedGraph::ok() const {
    return std::none_of(problems.begin(), problems.end(),
                        [](const Problem& p) { return p.severity == Problem::Severity::Error; });
}

std::string ResolvedGraph::firstError() const {
    for (const Problem& p : problems)
        if (p.severity == Problem::Severity::Error) return p.message;
    return {};
}

ResolvedGraph resolveGraph(const std::vector<Node>& nodes, const std::string& output,
                           const DataInfo& info) {
    return Resolver(nodes, output, info).run();
}

std::vector<Problem> lintForLoss(const ResolvedGraph& graph, const std::vector<Node>& nodes,
                                 LossKind loss) {
    std::vector<Problem> out;
    if (graph.output < 0 || graph.output >= static_cast<int>(nodes.size())) return out;
    const Node& last = nodes[static_cast<std::size_t>(graph.output)];
    const LayerType* type = findLayerType(last.op);
    if (!type || type->appliedByLoss.empty()) return out;
    const bool softmaxLoss = loss == LossKind::CrossEntropy || loss == LossKind::Focal;
    const bool sigmoidLoss = loss == LossKind::BinaryCrossEntropy;
    const std::string& fn = type->appliedByLoss;
    if ((fn == "softmax" && softmaxLoss) || (fn == "sigmoid" && sigmoidLoss))
        out.push_back({Problem::Severity::Warning, last.id,
                       last.id + ": " + last.op + " before " + nameOf(loss) + " applies " + fn +
                           " twice; remove it, the loss applies it itself",
                       graph.output, {}});
    return out;
}

} // namespace neurite
