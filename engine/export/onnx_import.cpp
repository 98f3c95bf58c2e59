// The ONNX importer: values, nodes, layout and the public functions (onnx_import.h).
#include "export/onnx_import_internal.h"

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/file_write.h"
#include "layers/registry.h"

namespace neurite {

using namespace onnximport;

namespace onnximport {

namespace {

bool idChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

std::string shapeText(const Shape& s) {
    std::string t = "[";
    for (int k = 0; k < s.rank(); ++k) {
        if (k) t += ",";
        t += s[k] == Shape::kBatch ? std::string("N") : std::to_string(s[k]);
    }
    return t + "]";
}

}  // namespace

// "/layer1/layer1.0/conv1/Conv" -> "layer1.0.conv1.Conv" -> kept short: the part after the last
// '/' that is not the op, with the module path before it.
std::string idFromName(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '/' ? '.' : (idChar(c) ? c : '_');
    while (!out.empty() && (out.front() == '.' || out.front() == '_')) out.erase(out.begin());
    while (!out.empty() && out.back() == '.') out.pop_back();
    return out;
}

Converter::Converter(const OnnxGraph& graph, const ImportOptions& options) : g(graph), opt(options) {
    for (const OnnxNode& n : g.nodes) {
        for (const std::string& i : n.inputs)
            if (!i.empty()) ++m_consumers[i], m_readers[i].push_back(&n);
        for (const std::string& o : n.outputs)
            if (!o.empty()) m_producers[o] = &n;
    }
    for (const std::string& o : g.outputs) ++m_consumers[o];
    for (const auto& [name, c] : g.initializers) {
        Value v;
        v.kind = Value::Kind::Constant;
        v.c = c;
        m_values[name] = v;
    }
}

bool Converter::hasInput(std::size_t k) const {
    return k < current->inputs.size() && !current->inputs[k].empty();
}

const Value& Converter::in(std::size_t k) const {
    if (!hasInput(k)) throw Refuse{"input " + std::to_string(k) + " is missing"};
    return m_values.at(current->inputs[k]);
}

const Constant& Converter::constIn(std::size_t k, const char* what) const {
    const Value& v = in(k);
    if (v.kind != Value::Kind::Constant)
        throw Refuse{std::string(what) + " (input " + std::to_string(k) +
                     ") is computed from the model's input; Neurite needs it constant (an initializer)"};
    return v.c;
}

Value Converter::tensorIn(std::size_t k) {
    const Value& v = in(k);
    if (v.kind == Value::Kind::Constant)
        throw Refuse{"input " + std::to_string(k) + " is a constant; Neurite layers compute on the model's input"};
    return plain(v);
}

Value Converter::plain(const Value& v) {
    if (v.kind == Value::Kind::Expr) return materialize(v);
    if (v.kind == Value::Kind::Filled)
        throw Refuse{"a value of the batch's size filled with one number: Neurite takes that only as a recurrent "
                     "layer's zero initial state"};
    if (v.kind == Value::Kind::Constant) throw Refuse{"a constant where Neurite's layers need the model's values"};
    if (v.kind != Value::Kind::Tensor || v.perm.empty()) return v;
    for (std::size_t k = 0; k < v.perm.size(); ++k)
        if (v.perm[k] != int(k)) {
            std::string order;
            for (int p : v.perm) {
                if (!order.empty()) order += ',';
                order += std::to_string(p);
            }
            throw Refuse{"its input is " + shapeText(v.shape) + ", the axes of " + shapeText(v.view) + " in the order (" +
                         order + "); Neurite's layers read the batch first and a sequence as [N, T, C]"};
        }
    Value out = reshapeTo(tensorValue(v.node, m_shapes.at(v.node)), v.view);
    if (out.node == v.node) out.recurrent = v.recurrent, out.timeAxis = v.timeAxis;
    return out;
}

bool Converter::outputUsed(std::size_t k) const {
    return k < current->outputs.size() && !current->outputs[k].empty() && consumersOf(current->outputs[k]) > 0;
}

int Converter::consumersOf(const std::string& value) const {
    auto it = m_consumers.find(value);
    return it == m_consumers.end() ? 0 : it->second;
}

void Converter::setOut(std::size_t k, Value v) {
    if (k < current->outputs.size() && !current->outputs[k].empty()) m_values[current->outputs[k]] = std::move(v);
}

const OnnxNode* Converter::producerOf(const std::string& value) const {
    auto it = m_producers.find(value);
    return it == m_producers.end() ? nullptr : it->second;
}

const std::vector<const OnnxNode*>& Converter::readersOf(const std::string& value) const {
    static const std::vector<const OnnxNode*> none;
    auto it = m_readers.find(value);
    return it == m_readers.end() ? none : it->second;
}

const Constant* Converter::constantValue(const std::string& value) const {
    if (auto it = m_values.find(value); it != m_values.end() && it->second.kind == Value::Kind::Constant) return &it->second.c;
    const OnnxNode* p = producerOf(value);
    if (p && p->op == "Constant" && p->has("value") && p->attrs.at("value").kind == Attribute::Kind::Tensor)
        return &p->attrs.at("value").tensor;
    return nullptr;
}

Node* Converter::node(const std::string& id) {
    auto it = m_index.find(id);
    return it == m_index.end() ? nullptr : &m_nodes[it->second];
}

void Converter::retune(const std::string& id, const std::string& name, ParamValue value) {
    Node& n = m_nodes[m_index.at(id)];
    n.params[name] = std::move(value);
    const LayerType* type = findLayerType(n.op);
    const ParamCheck check = checkParams(*type, n.params);
    std::vector<Shape> shapes;
    for (const std::string& i : n.inputs) shapes.push_back(m_shapes.at(i));
    const ShapeResult r = type->inferShape(check.params, shapes);
    if (!check.errors.empty() || !r.ok()) throwInternal("importer: retuning " + id + " failed");
    m_shapes[id] = r.shape;
}

void Converter::setParam(const std::string& id, const std::string& name, Constant c) {
    const std::string key = id + "." + name;
    if (!m_params.count(key)) m_paramOrder.emplace_back(id, name);
    m_params[key] = std::move(c);
}

Constant* Converter::param(const std::string& id, const std::string& name) {
    auto it = m_params.find(id + "." + name);
    return it == m_params.end() ? nullptr : &it->second;
}

std::string Converter::idFor(const std::string& weightInput) const {
    std::string base;
    if (!weightInput.empty() && weightInput.rfind("onnx::", 0) != 0) {
        base = weightInput;
        for (const char* suffix : {".weight", ".bias", ".running_mean", ".running_var"})
            if (base.size() > std::strlen(suffix) && base.compare(base.size() - std::strlen(suffix), std::string::npos, suffix) == 0)
                base.resize(base.size() - std::strlen(suffix));
        base = idFromName(base);
    }
    if (base.empty() && current->name.find(" #") == std::string::npos) base = idFromName(current->name);
    if (base.empty()) {
        base = current->op;
        std::transform(base.begin(), base.end(), base.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    }
    return base;
}

Value Converter::addNode(const std::string& wanted, const std::string& op, const std::vector<Value>& inputs,
                         std::map<std::string, ParamValue> params) {
    const LayerType* type = findLayerType(op);
    if (!type) throwInternal("importer: unknown layer type " + op);
    const ParamCheck check = checkParams(*type, params);
    if (!check.errors.empty()) throw Refuse{op + ": " + check.errors.front()};
    std::vector<Shape> shapes;
    Node n;
    for (const Value& v : inputs) {
        if (v.kind != Value::Kind::Tensor) throwInternal("importer: a layer input that is not a tensor");
        shapes.push_back(m_shapes.at(v.node));
        n.inputs.push_back(v.node);
    }
    const ShapeResult r = type->inferShape(check.params, shapes);
    if (!r.ok()) throw Refuse{op + ": " + r.error};
    std::string id = wanted.empty() ? op : wanted;
    for (int k = 2; m_ids.count(id); ++k) id = (wanted.empty() ? op : wanted) + "_" + std::to_string(k);
    m_ids.insert(id);
    n.id = id;
    n.op = op;
    n.params = std::move(params);
    m_index[id] = m_nodes.size();
    m_nodes.push_back(std::move(n));
    m_shapes[id] = r.shape;
    Value out;
    out.kind = Value::Kind::Tensor;
    out.node = id;
    out.shape = r.shape;
    return out;
}

Value Converter::full(const Value& v) {
    if (v.kind != Value::Kind::Tensor || v.hiddenOnes == 0) return v;
    if (auto it = m_restored.find(v.node); it != m_restored.end() && it->second.shape == v.shape) return it->second;
    std::vector<int64_t> dims(v.shape.begin() + 1, v.shape.end());
    Value out = addNode(v.node + "_unsqueeze", "Reshape", {tensorValue(v.node, m_shapes.at(v.node))},
                        {{"shape", dims}});
    m_restored[v.node] = out;
    return out;
}

Value Converter::reshapeTo(const Value& src, const Shape& target) {
    // the node's own output already has that shape (a Flatten after GlobalAvgPool)
    if (src.kind == Value::Kind::Tensor && m_shapes.at(src.node) == target) {
        Value v = src;
        v.shape = target;
        v.hiddenOnes = 0;
        return v;
    }
    if (src.shape == target) return src;
    // hidden trailing ones: the target is the shape plus some 1s
    const Shape& own = m_shapes.at(src.node);
    if (target.rank() > own.rank()) {
        bool onesOnly = true;
        for (int k = 0; k < target.rank(); ++k)
            if (k < own.rank() ? target[k] != own[k] : target[k] != 1) onesOnly = false;
        if (onesOnly) {
            Value v = src;
            v.shape = target;
            v.hiddenOnes = target.rank() - own.rank();
            return v;
        }
    }
    Value base = tensorValue(src.node, own);
    if (target.rank() == 2 && own.rank() > 2) return addNode(idFor(), "Flatten", {base}, {});  // reads better
    std::vector<int64_t> dims(target.begin() + 1, target.end());
    return addNode(idFor(), "Reshape", {base}, {{"shape", dims}});
}

void Converter::mapped(const std::string& layerOp, const std::string& id) {
    report.mapped.push_back(current->op + " " + current->name + " -> " + layerOp + " " + id);
}
void Converter::folded(const std::string& into) {
    report.folded.push_back(current->op + " " + current->name + " -> " + into);
}
void Converter::dropped(const std::string& why) {
    report.dropped.push_back(current->op + " " + current->name + ": " + why);
}

void Converter::addInput() {
    if (g.inputs.size() != 1)
        throwBadInput(g.what + ": the model has " + std::to_string(g.inputs.size()) +
                      " inputs; Neurite models take one (the data's samples)");
    const GraphInput& gi = g.inputs.front();
    if (!gi.known || gi.dims.empty())
        if (opt.inputShape.empty())
            throwBadInput(g.what + ": the input \"" + gi.name + "\" has no shape in the file; give one sample's shape "
                          "with --input-shape (e.g. 3,224,224)");
    std::vector<int64_t> sample(gi.dims.begin() + (gi.dims.empty() ? 0 : 1), gi.dims.end());
    if (!opt.inputShape.empty()) {
        if (gi.known && !gi.dims.empty() && opt.inputShape.size() != sample.size())
            throwBadInput(g.what + ": --input-shape has " + std::to_string(opt.inputShape.size()) +
                          " dimensions, but the input \"" + gi.name + "\" has " + std::to_string(sample.size()) +
                          " besides the batch");
        for (std::size_t k = 0; k < sample.size() && k < opt.inputShape.size(); ++k)
            if (sample[k] > 0 && sample[k] != opt.inputShape[k])
                throwBadInput(g.what + ": --input-shape says " + std::to_string(opt.inputShape[k]) + " for dimension " +
                              std::to_string(k + 1) + " of the input, the file says " + std::to_string(sample[k]));
        sample = opt.inputShape;
    }
    if (sample.empty())
        throwBadInput(g.what + ": the input \"" + gi.name + "\" is 1-D; Neurite's first dimension is the batch, so a "
                      "sample needs at least one more");
    int64_t numel = 1;
    for (int64_t d : sample) {
        if (d <= 0)
            throwBadInput(g.what + ": the input \"" + gi.name + "\" has a dimension the file leaves open; give one "
                          "sample's shape with --input-shape (e.g. 3,224,224)");
        if (d > (int64_t{1} << 24) || (numel *= d) > (int64_t{1} << 31))
            throwBadInput(g.what + ": the input \"" + gi.name + "\" is absurdly large (" + std::to_string(d) +
                          " in one dimension, or more than 2^31 values a sample)");
    }
    if (sample.size() + 1 > std::size_t(Shape::kMaxRank))
        throwBadInput(g.what + ": the input has " + std::to_string(sample.size() + 1) + " dimensions; Neurite handles " +
                      std::to_string(Shape::kMaxRank) + " at most");
    std::string id = idFromName(gi.name);
    if (id.empty()) id = "input";
    m_ids.insert(id);
    Node n = makeNode(id, "Input", {}, {{"shape", sample}});
    m_index[id] = 0;
    m_nodes.push_back(n);
    Shape shape{Shape::kBatch};
    for (int64_t d : sample) shape.push(d);
    m_shapes[id] = shape;
    m_sample = Shape(sample.begin(), sample.end());
    m_values[gi.name] = tensorValue(id, shape);
}

void Converter::convert(const OnnxNode& n) {
    current = &n;
    if (m_absorbed.count(&n)) return;  // part of a pattern converted whole (its outputs are set)
    if (m_neuriteFile && !n.inputs.empty() && (n.name.rfind("preprocess_", 0) == 0 || n.name.rfind("target_un", 0) == 0)) {
        setOut(0, m_values.at(n.inputs[0]));  // applied by the project's data settings again
        dropped(n.name.rfind("preprocess_", 0) == 0 ? "Neurite's input preprocessing; the project's data settings apply it"
                                                    : "Neurite's target scaling; the project's data settings apply it");
        return;
    }
    const std::string where = n.op + " node '" + n.name + "' (opset " + std::to_string(g.opset) + ")";
    bool downstream = false;  // of a refused node
    for (const std::string& i : n.inputs) downstream = downstream || (!i.empty() && m_values.at(i).kind == Value::Kind::Poisoned);
    try {
        if (!n.domain.empty()) throw Refuse{"operator domain " + n.domain + " is not ONNX's own"};
        const Handler h = handlerFor(n.op);
        if (!h) throw Refuse{"no Neurite layer computes this operator"};
        if (downstream) {  // a known operator after a refused one: its cause is listed already
            for (std::size_t k = 0; k < n.outputs.size(); ++k) setOut(k, Value{});
            return;
        }
        if (!takesViews(n.op))  // views reshaped (or refused), Filled values refused
            for (const std::string& i : n.inputs) {
                if (i.empty()) continue;
                if (Value& v = m_values.at(i); v.kind == Value::Kind::Filled || !v.perm.empty()) v = plain(v);
            }
        h(*this, n);
    } catch (const Refuse& r) {
        m_unsupported.push_back(where + ": " + r.reason);
        for (std::size_t k = 0; k < n.outputs.size(); ++k) setOut(k, Value{});
    }
}

void Converter::finish(ImportedModel& out) {
    // the output, as a tensor of ONNX's shape
    current = nullptr;
    const Value& result = m_values.at(m_output);
    if (result.kind == Value::Kind::Constant)
        throwBadInput(g.what + ": the output \"" + m_output + "\" does not depend on the input");
    const OnnxNode outputNode{"Output", "", "output", {m_output}, {}, {}};
    current = &outputNode;
    Value v;
    try {
        v = full(plain(result));
    } catch (const Refuse& r) {
        throwBadInput(g.what + ": the output \"" + m_output + "\": " + r.reason);
    }
    // keep what the output depends on
    std::set<std::string> live{v.node};
    for (std::size_t k = m_nodes.size(); k-- > 0;)
        if (live.count(m_nodes[k].id))
            for (const std::string& i : m_nodes[k].inputs) live.insert(i);
    std::vector<Node> nodes;
    for (Node& n : m_nodes)
        if (live.count(n.id)) {
            nodes.push_back(std::move(n));
        } else {  // mapped first, then left out: said once, as dropped
            const std::string tail = " -> " + n.op + " " + n.id;
            std::erase_if(report.mapped, [&](const std::string& line) {
                return line.size() >= tail.size() && line.compare(line.size() - tail.size(), tail.size(), tail) == 0;
            });
            report.dropped.push_back(n.op + " " + n.id + ": the output does not depend on it");
        }
    // layout: rows by depth from the input, the nodes of a row side by side
    std::map<std::string, int> depth;
    std::map<int, int> perRow;
    for (Node& n : nodes) {
        int d = 0;
        for (const std::string& i : n.inputs) d = std::max(d, depth[i] + 1);
        depth[n.id] = d;
        const int column = perRow[d]++;
        n.x = (column % 2 ? 1 : -1) * ((column + 1) / 2) * 220.0;
        n.y = d * 90.0;
    }
    ProjectDocument& doc = out.project;
    doc.nodes = std::move(nodes);
    doc.output = v.node;
    doc.data.source = opt.dataSource;
    for (const auto& [id, name] : m_paramOrder) {
        if (!live.count(id)) continue;
        const Constant& c = m_params.at(id + "." + name);
        SafeTensor t;
        t.name = id + "." + name;
        t.shape = c.dims;
        t.bytes.resize(c.f.size() * 4);
        if (!c.f.empty()) std::memcpy(t.bytes.data(), c.f.data(), t.bytes.size());
        out.weights.tensors.push_back(std::move(t));
    }
    out.weights.metadata["format"] = "neurite-weights";
    out.weights.metadata["source"] = std::filesystem::path(g.what).filename().string();
    out.sampleShape = m_sample;
    // the graph validates as a drawn one does
    DataInfo info;
    info.sampleShape = m_sample;
    const ResolvedGraph resolved = resolveGraph(doc.nodes, doc.output, info);
    if (!resolved.ok()) throwInternal(g.what + ": the imported graph does not validate: " + resolved.firstError());
    const Shape& got = resolved.shapes[static_cast<std::size_t>(resolved.output)];
    if (got != v.shape)
        throwInternal(g.what + ": the imported output has shape " + shapeText(got) + ", ONNX's is " + shapeText(v.shape));
}

ImportedModel Converter::run() {
    if (g.opset < 9 || g.opset > 17)
        throwBadInput(g.what + ": the model uses ONNX opset " + std::to_string(g.opset) +
                      "; Neurite imports opsets 9 to 17 (convert it with onnx.version_converter)");
    m_neuriteFile = exportedByNeurite(g);
    m_output = modelOutputOf(g, opt.output);
    addInput();
    for (const OnnxNode& n : g.nodes) convert(n);
    if (!m_unsupported.empty()) {
        std::string text = g.what + ": cannot import " + std::to_string(m_unsupported.size()) + " of its " +
                           std::to_string(g.nodes.size()) + " nodes, so nothing was imported:";
        for (const std::string& u : m_unsupported) text += "\n  " + u;
        throwBadInput(text);
    }
    ImportedModel out;
    report.file = g.what;
    report.producer = g.producer + (g.producerVersion.empty() ? "" : " " + g.producerVersion);
    report.opset = g.opset;
    report.onnxNodes = static_cast<int>(g.nodes.size());
    finish(out);
    out.report = report;
    out.project.name = opt.name.empty() ? std::filesystem::path(g.what).stem().string() : opt.name;
    out.project.description = "Imported from " + std::filesystem::path(g.what).filename().string() + ". " +
                              report.summary();
    return out;
}

}  // namespace onnximport

std::string ImportReport::summary() const {
    std::string s = std::to_string(onnxNodes) + " ONNX nodes (opset " + std::to_string(opset) +
                    (producer.empty() ? "" : ", from " + producer) + "): " + std::to_string(mapped.size()) +
                    " mapped to layers, " + std::to_string(folded.size()) + " folded into others, " +
                    std::to_string(dropped.size()) + " dropped.";
    return s;
}

std::string ImportReport::text() const {
    std::string s = summary() + "\n";
    for (const auto& [title, lines] : {std::pair{"mapped", &mapped}, {"folded", &folded}, {"dropped", &dropped}}) {
        if (lines->empty()) continue;
        s += std::string(title) + ":\n";
        for (const std::string& l : *lines) s += "  " + l + "\n";
    }
    return s;
}

ImportedModel importOnnx(const OnnxGraph& graph, const ImportOptions& options) {
    return Converter(graph, options).run();
}

ImportedModel importOnnxFile(const std::string& path, const ImportOptions& options) {
    return importOnnx(readOnnxFile(path), options);
}

std::string saveImported(ImportedModel& model, const std::string& projectPath) {
    namespace fs = std::filesystem;
    std::string stem = fs::path(projectPath).filename().string();
    for (const char* suffix : {".neurite.json", ".json"})
        if (stem.size() > std::strlen(suffix) && stem.compare(stem.size() - std::strlen(suffix), std::string::npos, suffix) == 0) {
            stem.resize(stem.size() - std::strlen(suffix));
            break;
        }
    const fs::path folder = fs::path(projectPath).parent_path();
    const std::string weightsName = stem + ".weights.safetensors";
    const std::string weightsPath = (folder / weightsName).string();
    const std::vector<uint8_t> bytes = encodeSafeTensors(model.weights);
    writeFileAtomic(weightsPath, bytes.data(), bytes.size());
    model.project.weights = weightsName;
    model.project.folder = folder.string();
    saveProject(model.project, projectPath);
    return weightsPath;
}

std::vector<std::string> importableOperators() {
    return supportedOperators();
}

std::string bundledDataFor(const Shape& sample) {
    const std::vector<int64_t> d(sample.begin(), sample.end());
    using V = std::vector<int64_t>;
    if (d == V{1, 28, 28}) return "builtin:fashion-mnist";
    if (d == V{1, 8, 8}) return "builtin:digits";
    if (d == V{4}) return "builtin:iris";
    if (d == V{13}) return "builtin:wine";
    if (d == V{30}) return "builtin:breast-cancer";
    if (d == V{2}) return "synthetic:spiral";
    return {};
}

}  // namespace neurite
