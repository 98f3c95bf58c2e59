// GraphModel: diffing edits into per-node signals, re-resolving after each, and the connection
// check the canvas asks while the user drags.
#include "graph_model.h"

#include <algorithm>
#include <map>
#include <set>

namespace neurite {

namespace {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

bool sameNodeContent(const Node& a, const Node& b) {
    return a.op == b.op && a.params == b.params && a.inputs == b.inputs && a.trainable == b.trainable;
}

}  // namespace

GraphModel::GraphModel(QObject* parent) : QObject(parent) {
    analyze();
}

void GraphModel::setDocument(ProjectDocument doc) {
    m_doc = std::move(doc);
    m_facts.reset();
    m_sparsity.clear();
    analyze();
    emit documentReset();
    emit analysisChanged();
}

void GraphModel::setSparsity(std::vector<LayerSparsity> layers) {
    m_sparsity = std::move(layers);
    emit sparsityChanged();
}

void GraphModel::setSettings(DataConfig data, TrainConfig training) {
    if (data.source != m_doc.data.source || data.target != m_doc.data.target ||
        data.reconstruct != m_doc.data.reconstruct)
        m_facts.reset();  // another data set: its classes are not known yet
    m_doc.data = std::move(data);
    m_doc.training = std::move(training);
    analyze();  // the loss lint and the memory estimate depend on these
    emit settingsChanged();
    emit analysisChanged();
}

void GraphModel::setDataInfo(const DataInfo& info, std::optional<DataFacts> facts) {
    m_info = info;
    m_facts = std::move(facts);
    analyze();
    emit analysisChanged();
}

const Node* GraphModel::node(const QString& id) const {
    const int i = indexOf(id);
    return i < 0 ? nullptr : &m_doc.nodes[static_cast<std::size_t>(i)];
}

int GraphModel::indexOf(const QString& id) const {
    const std::string key = id.toStdString();
    for (std::size_t i = 0; i < m_doc.nodes.size(); ++i)
        if (m_doc.nodes[i].id == key) return static_cast<int>(i);
    return -1;
}

QString GraphModel::uniqueId(const QString& base) const {
    QString stem = base.isEmpty() ? QStringLiteral("layer") : base;
    if (!node(stem)) return stem;
    for (int k = 2;; ++k) {
        const QString candidate = stem + QString::number(k);
        if (!node(candidate)) return candidate;
    }
}

QStringList GraphModel::consumersOf(const QString& id) const {
    QStringList out;
    const std::string key = id.toStdString();
    for (const Node& n : m_doc.nodes)
        if (std::find(n.inputs.begin(), n.inputs.end(), key) != n.inputs.end()) out << qs(n.id);
    return out;
}

QString GraphModel::shapeOf(const QString& id) const {
    const Shape s = shapeValue(id);
    return s.rank() == 0 ? QString() : qs(s.str());
}

Shape GraphModel::shapeValue(const QString& id) const {
    const int i = indexOf(id);
    if (i < 0 || static_cast<std::size_t>(i) >= m_resolved.shapes.size()) return {};
    return m_resolved.shapes[static_cast<std::size_t>(i)];
}

QString GraphModel::summaryOf(const QString& id) const {
    const int i = indexOf(id);
    if (i < 0) return {};
    const Node& n = m_doc.nodes[static_cast<std::size_t>(i)];
    const LayerType* type = findLayerType(n.op);
    if (!type || !type->summary) return {};
    // Summaries read validated parameters; a node with a bad parameter has none to read.
    ParamCheck check = checkParams(*type, n.params);
    if (!check.errors.empty()) return {};
    try {
        return qs(type->summary(check.params));
    } catch (const std::exception&) {
        return {};
    }
}

std::vector<Problem> GraphModel::problemsOf(const QString& id) const {
    std::vector<Problem> out;
    const std::string key = id.toStdString();
    for (const Problem& p : problems())
        if (p.nodeId == key) out.push_back(p);
    return out;
}

std::vector<Problem> GraphModel::problems() const {
    std::vector<Problem> all = m_resolved.problems;
    if (m_resolved.ok()) {
        const std::vector<Problem> lint = lintForLoss(m_resolved, m_doc.nodes, m_doc.training.loss.kind);
        all.insert(all.end(), lint.begin(), lint.end());
        const auto out = static_cast<std::size_t>(m_resolved.output);
        if (m_facts && m_resolved.output >= 0 && out < m_resolved.shapes.size())
            if (const std::string why = outputMismatch(m_resolved.shapes[out], *m_facts, m_doc.training); !why.empty())
                all.push_back({Problem::Severity::Error, m_doc.nodes[out].id,
                               m_doc.nodes[out].id + ": " + why, m_resolved.output, {}});
    }
    std::stable_sort(all.begin(), all.end(), [](const Problem& a, const Problem& b) {
        return a.severity == Problem::Severity::Error && b.severity != Problem::Severity::Error;
    });
    return all;
}

int64_t GraphModel::trainingBytes() const {
    return estimateTrainingBytes(m_cost, m_doc.training.batchSize, m_doc.training.optimizer);
}

QString GraphModel::canConnect(const QString& from, const QString& to) const {
    const QString why = structuralRefusal(from, to);
    return why.isEmpty() ? shapeRefusal(from, to) : why;
}

QString GraphModel::structuralRefusal(const QString& from, const QString& to) const {
    const Node* src = node(from);
    const Node* dst = node(to);
    if (!src || !dst) return tr("there is no layer named '%1'").arg(src ? to : from);
    if (from == to) return tr("a layer cannot feed itself");
    const LayerType* type = findLayerType(dst->op);
    if (type && type->maxInputs == 0)
        return tr("'%1' is an %2 layer: the data enters there, nothing connects into it")
            .arg(to, qs(dst->op));
    const int given = static_cast<int>(dst->inputs.size());
    if (type && type->maxInputs > 0 && given >= type->maxInputs)
        return tr("'%1' (%2) takes %n input(s) and already has them (from %3); delete a "
                  "connection first", nullptr, type->maxInputs)
            .arg(to, qs(dst->op), qs(dst->inputs.front()));
    // A cycle: `to` already reaches `from` through consumers.
    std::map<QString, QString> cameFrom{{to, QString()}};
    std::vector<QString> stack{to};
    while (!stack.empty()) {
        const QString at = stack.back();
        stack.pop_back();
        for (const QString& c : consumersOf(at)) {
            if (cameFrom.count(c)) continue;
            cameFrom[c] = at;
            if (c == from) {
                QStringList path{from};
                for (QString k = from; !cameFrom[k].isEmpty(); k = cameFrom[k])
                    path.prepend(cameFrom[k]);
                path << to;
                return tr("it would form a cycle %1; a layer cannot depend on its own output")
                    .arg(path.join(QStringLiteral(" -> ")));
            }
            stack.push_back(c);
        }
    }
    return {};
}

QString GraphModel::shapeRefusal(const QString& from, const QString& to) const {
    const Node* dst = node(to);
    const LayerType* type = dst ? findLayerType(dst->op) : nullptr;
    if (!type) return {};
    const int given = static_cast<int>(dst->inputs.size());
    // The shape the target would receive: refuse what its shape rule refuses. Layers still
    // missing inputs (an Add with one so far) or with unknown input shapes are let through.
    std::vector<Shape> srcShapes;
    for (const std::string& in : dst->inputs) srcShapes.push_back(shapeValue(qs(in)));
    srcShapes.push_back(shapeValue(from));
    const bool unknown = std::any_of(srcShapes.begin(), srcShapes.end(),
                                     [](const Shape& s) { return s.rank() == 0; });
    if (unknown || given + 1 < type->minInputs) return {};
    ParamCheck check = checkParams(*type, dst->params);
    if (!check.errors.empty()) return {};
    // "auto" sizes bound as the graph binds them; what the data has not told yet stays "auto".
    (void)bindAutoParams(*type, check.params, m_info.sampleShape, m_info.outputUnits,
                         m_info.vocabularySize);
    try {
        const ShapeResult r = type->inferShape(check.params, srcShapes);
        if (!r.ok() && r.error.find("\"auto\"") == std::string::npos)
            return tr("'%1' would receive %2 from '%3': %4")
                .arg(to, shapeOf(from), from, qs(r.error));
    } catch (const std::exception& e) {
        return qs(e.what());
    }
    return {};
}

void GraphModel::setWeights(std::string weights) {
    m_doc.weights = std::move(weights);
    emit settingsChanged();
}

void GraphModel::setNodes(std::vector<Node> nodes, std::string output) {
    std::vector<Node> old = std::move(m_doc.nodes);
    std::map<std::string, const Node*> before;
    for (const Node& n : old) before[n.id] = &n;
    m_doc.nodes = std::move(nodes);
    m_doc.output = std::move(output);
    analyze();
    std::set<std::string> now;
    for (const Node& n : m_doc.nodes) now.insert(n.id);
    for (const Node& n : old)
        if (!now.count(n.id)) emit nodeRemoved(qs(n.id));
    for (const Node& n : m_doc.nodes) {
        auto it = before.find(n.id);
        if (it == before.end()) {
            emit nodeAdded(qs(n.id));
            continue;
        }
        if (!sameNodeContent(*it->second, n)) emit nodeChanged(qs(n.id));
        if (it->second->x != n.x || it->second->y != n.y) emit nodeMoved(qs(n.id));
    }
    emit analysisChanged();
}

void GraphModel::setPositions(const std::vector<std::pair<QString, QPointF>>& positions) {
    for (const auto& [id, pos] : positions) {
        const int i = indexOf(id);
        if (i < 0) continue;
        Node& n = m_doc.nodes[static_cast<std::size_t>(i)];
        if (n.x == pos.x() && n.y == pos.y()) continue;
        n.x = pos.x();
        n.y = pos.y();
        emit nodeMoved(id);
    }
}

void GraphModel::analyze() {
    m_resolved = resolveGraph(m_doc.nodes, m_doc.output, m_info);
    m_cost = estimateCost(m_doc.nodes, m_resolved);
}

}  // namespace neurite
