// Reading and checking an ONNX file (see onnx_read.h).
#include "export/onnx_read.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <climits>
#include <cstring>
#include <set>

#include "core/error.h"
#include "core/file_read.h"

namespace neurite::onnximport {

namespace {

constexpr int64_t kMaxElements = int64_t{1} << 31;  // per tensor (8 GiB of float32: far past any file)

[[noreturn]] void bad(const std::string& what, const std::string& message) {
    throwBadInput(what + ": " + message);
}

float halfToFloat(uint16_t h) {
    const uint32_t sign = uint32_t(h & 0x8000u) << 16, exp = (h >> 10) & 0x1Fu, man = h & 0x3FFu;
    uint32_t bits;
    if (exp == 0 && man == 0) {
        bits = sign;
    } else if (exp == 0) {  // subnormal: normalize
        int e = -1;
        uint32_t m = man;
        do {
            ++e;
            m <<= 1;
        } while ((m & 0x400u) == 0);
        bits = sign | uint32_t(127 - 15 - e) << 23 | (m & 0x3FFu) << 13;
    } else if (exp == 31) {
        bits = sign | 0x7F800000u | man << 13;
    } else {
        bits = sign | (exp + 127 - 15) << 23 | man << 13;
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

template <class T> T rawAt(const std::string& raw, std::size_t k) {
    T v;
    std::memcpy(&v, raw.data() + k * sizeof(T), sizeof(T));
    return v;
}

// A TensorProto as a Constant: dims checked, element count checked against the data before any
// allocation of its size.
Constant readTensor(const onnx::TensorProto& t, const std::string& where) {
    if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
        throwBadInput(where + " keeps its data in an external file; Neurite imports self-contained "
                              "models only (save the model with its weights inside: onnx.save(model, path, "
                              "save_as_external_data=False))");
    if (t.has_segment()) throwBadInput(where + " is a segment of a tensor; segmented tensors are not supported");
    Constant c;
    int64_t numel = 1;
    for (int64_t d : t.dims()) {
        if (d < 0) throwBadInput(where + " has a negative dimension " + std::to_string(d));
        if (d > 0 && numel > kMaxElements / d)
            throwBadInput(where + " has dimensions whose product passes 2^31 elements");
        numel *= d;
        c.dims.push_back(d);
    }
    const auto n = static_cast<std::size_t>(numel);
    const std::string& raw = t.raw_data();
    const bool hasRaw = t.has_raw_data();
    auto count = [&](int64_t have, const char* field) {
        if (have != numel)
            throwBadInput(where + " has " + std::to_string(have) + " values in " + field + " but its dimensions say " +
                          std::to_string(numel));
    };
    auto rawCount = [&](std::size_t size) {
        if (raw.size() != n * size)
            throwBadInput(where + " has " + std::to_string(raw.size()) + " bytes of raw data but its dimensions and type need " +
                          std::to_string(n * size));
    };
    switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
        if (hasRaw) {
            rawCount(4);
            c.f.resize(n);
            if (n) std::memcpy(c.f.data(), raw.data(), n * 4);
        } else {
            count(t.float_data_size(), "float_data");
            c.f.assign(t.float_data().begin(), t.float_data().end());
        }
        return c;
    case onnx::TensorProto::DOUBLE:
        c.f.resize(n);
        if (hasRaw) {
            rawCount(8);
            for (std::size_t k = 0; k < n; ++k) c.f[k] = static_cast<float>(rawAt<double>(raw, k));
        } else {
            count(t.double_data_size(), "double_data");
            for (std::size_t k = 0; k < n; ++k) c.f[k] = static_cast<float>(t.double_data(int(k)));
        }
        return c;
    case onnx::TensorProto::FLOAT16:
    case onnx::TensorProto::BFLOAT16: {
        const bool bf = t.data_type() == onnx::TensorProto::BFLOAT16;
        c.f.resize(n);
        if (!hasRaw) count(t.int32_data_size(), "int32_data");
        else rawCount(2);
        for (std::size_t k = 0; k < n; ++k) {
            const uint16_t h = hasRaw ? rawAt<uint16_t>(raw, k) : static_cast<uint16_t>(t.int32_data(int(k)));
            if (bf) {
                const uint32_t bits = uint32_t(h) << 16;
                std::memcpy(&c.f[k], &bits, 4);
            } else {
                c.f[k] = halfToFloat(h);
            }
        }
        return c;
    }
    case onnx::TensorProto::INT64:
        c.integer = true;
        if (hasRaw) {
            rawCount(8);
            c.i.resize(n);
            if (n) std::memcpy(c.i.data(), raw.data(), n * 8);
        } else {
            count(t.int64_data_size(), "int64_data");
            c.i.assign(t.int64_data().begin(), t.int64_data().end());
        }
        return c;
    case onnx::TensorProto::INT32:
    case onnx::TensorProto::INT16:
    case onnx::TensorProto::UINT16:
    case onnx::TensorProto::INT8:
    case onnx::TensorProto::UINT8:
    case onnx::TensorProto::BOOL: {
        c.integer = true;
        const int type = t.data_type();
        const std::size_t size = type == onnx::TensorProto::INT32 ? 4
                                 : (type == onnx::TensorProto::INT16 || type == onnx::TensorProto::UINT16) ? 2
                                                                                                          : 1;
        c.i.resize(n);
        if (!hasRaw) {
            count(t.int32_data_size(), "int32_data");
            for (std::size_t k = 0; k < n; ++k) c.i[k] = t.int32_data(int(k));
            return c;
        }
        rawCount(size);
        for (std::size_t k = 0; k < n; ++k) {
            switch (type) {
            case onnx::TensorProto::INT32: c.i[k] = rawAt<int32_t>(raw, k); break;
            case onnx::TensorProto::INT16: c.i[k] = rawAt<int16_t>(raw, k); break;
            case onnx::TensorProto::UINT16: c.i[k] = rawAt<uint16_t>(raw, k); break;
            case onnx::TensorProto::INT8: c.i[k] = rawAt<int8_t>(raw, k); break;
            default: c.i[k] = rawAt<uint8_t>(raw, k); break;
            }
        }
        return c;
    }
    default:
        throwBadInput(where + " has element type " + std::to_string(t.data_type()) +
                      " (ONNX TensorProto.DataType); Neurite reads float, double, half, bfloat16 and integer tensors");
    }
}

Attribute readAttribute(const onnx::AttributeProto& a, const std::string& where) {
    Attribute out;
    switch (a.type()) {
    case onnx::AttributeProto::FLOAT: out.kind = Attribute::Kind::Float, out.f = a.f(); break;
    case onnx::AttributeProto::INT: out.kind = Attribute::Kind::Int, out.i = a.i(); break;
    case onnx::AttributeProto::STRING: out.kind = Attribute::Kind::String, out.s = a.s(); break;
    case onnx::AttributeProto::FLOATS:
        out.kind = Attribute::Kind::Floats;
        out.floats.assign(a.floats().begin(), a.floats().end());
        break;
    case onnx::AttributeProto::INTS:
        out.kind = Attribute::Kind::Ints;
        out.ints.assign(a.ints().begin(), a.ints().end());
        break;
    case onnx::AttributeProto::STRINGS:
        out.kind = Attribute::Kind::Strings;
        out.strings.assign(a.strings().begin(), a.strings().end());
        break;
    case onnx::AttributeProto::TENSOR:
        out.kind = Attribute::Kind::Tensor;
        out.tensor = readTensor(a.t(), where + " attribute " + a.name());
        break;
    default: out.kind = Attribute::Kind::Other; break;  // graphs: refused by the op that needs them
    }
    return out;
}

std::vector<int64_t> dimsOf(const onnx::ValueInfoProto& v, bool& known) {
    std::vector<int64_t> dims;
    known = v.has_type() && v.type().has_tensor_type() && v.type().tensor_type().has_shape();
    if (!known) return dims;
    for (const auto& d : v.type().tensor_type().shape().dim())
        dims.push_back(d.has_dim_value() && d.dim_value() > 0 ? d.dim_value() : -1);
    return dims;
}

// Kahn's order over the value names; a node left over sits on a cycle (or reads a value nothing
// produces, which is reported first).
std::vector<OnnxNode> sorted(std::vector<OnnxNode> nodes, const std::set<std::string>& available,
                             const std::string& what) {
    std::map<std::string, std::size_t> producer;
    for (std::size_t k = 0; k < nodes.size(); ++k)
        for (const std::string& o : nodes[k].outputs) {
            if (o.empty()) continue;
            if (available.count(o) || !producer.emplace(o, k).second)
                bad(what, "node " + nodes[k].name + " (" + nodes[k].op + ") writes the value \"" + o +
                              "\", which another node or a graph input already defines");
        }
    for (const OnnxNode& n : nodes)
        for (const std::string& in : n.inputs)
            if (!in.empty() && !available.count(in) && !producer.count(in))
                bad(what, "node " + n.name + " (" + n.op + ") reads the value \"" + in +
                              "\", which no node, initializer or graph input defines");
    std::vector<int> waiting(nodes.size(), 0);
    std::map<std::size_t, std::vector<std::size_t>> consumers;
    for (std::size_t k = 0; k < nodes.size(); ++k)
        for (const std::string& in : nodes[k].inputs)
            if (auto it = producer.find(in); it != producer.end()) {
                ++waiting[k];
                consumers[it->second].push_back(k);
            }
    std::vector<std::size_t> ready, order;
    for (std::size_t k = 0; k < nodes.size(); ++k)
        if (waiting[k] == 0) ready.push_back(k);
    while (!ready.empty()) {
        const std::size_t k = ready.back();
        ready.pop_back();
        order.push_back(k);
        for (std::size_t c : consumers[k])
            if (--waiting[c] == 0) ready.push_back(c);
    }
    if (order.size() != nodes.size()) {
        for (std::size_t k = 0; k < nodes.size(); ++k)
            if (waiting[k] > 0)
                bad(what, "the graph has a cycle through node " + nodes[k].name + " (" + nodes[k].op +
                              "); an ONNX graph must be acyclic");
    }
    // Kahn's stack reverses siblings; keep the file's order where it is already valid.
    std::vector<std::size_t> position(nodes.size());
    for (std::size_t p = 0; p < order.size(); ++p) position[order[p]] = p;
    bool fileOrderValid = true;
    for (std::size_t k = 0; k < nodes.size() && fileOrderValid; ++k)
        for (const std::string& in : nodes[k].inputs)
            if (auto it = producer.find(in); it != producer.end() && it->second >= k) fileOrderValid = false;
    if (fileOrderValid) return nodes;
    std::vector<OnnxNode> out;
    out.reserve(nodes.size());
    for (std::size_t k : order) out.push_back(std::move(nodes[k]));
    return out;
}

}  // namespace

int64_t OnnxNode::i(const std::string& a, int64_t def) const {
    auto it = attrs.find(a);
    return it != attrs.end() && it->second.kind == Attribute::Kind::Int ? it->second.i : def;
}
float OnnxNode::f(const std::string& a, float def) const {
    auto it = attrs.find(a);
    return it != attrs.end() && it->second.kind == Attribute::Kind::Float ? it->second.f : def;
}
std::string OnnxNode::s(const std::string& a, const std::string& def) const {
    auto it = attrs.find(a);
    return it != attrs.end() && it->second.kind == Attribute::Kind::String ? it->second.s : def;
}
std::vector<int64_t> OnnxNode::ints(const std::string& a, std::vector<int64_t> def) const {
    auto it = attrs.find(a);
    return it != attrs.end() && it->second.kind == Attribute::Kind::Ints ? it->second.ints : def;
}

OnnxGraph readOnnx(const std::vector<uint8_t>& bytes, const std::string& what) {
    if (bytes.size() > static_cast<std::size_t>(INT_MAX))
        bad(what, "is larger than 2 GiB, more than an ONNX file can hold");
    onnx::ModelProto model;
    if (bytes.empty() || !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
        bad(what, "is not an ONNX model (the protobuf does not parse: a truncated or corrupt file, or "
                  "another format)");
    if (!model.has_graph() || model.graph().node_size() == 0)
        bad(what, "holds no graph nodes; is it an ONNX model?");
    OnnxGraph g;
    g.what = what;
    for (const auto& o : model.opset_import())
        if (o.domain().empty() || o.domain() == "ai.onnx") g.opset = o.version();
    if (g.opset == 0) g.opset = model.opset_import_size() == 0 ? 1 : 0;
    g.producer = model.producer_name();
    g.producerVersion = model.producer_version();
    for (const auto& p : model.metadata_props()) g.metadata[p.key()] = p.value();
    const onnx::GraphProto& graph = model.graph();
    g.graphName = graph.name();
    if (graph.sparse_initializer_size() > 0)
        bad(what, "has sparse initializers; Neurite imports dense tensors only");
    std::set<std::string> available;
    for (const auto& t : graph.initializer()) {
        if (t.name().empty()) bad(what, "has an initializer without a name");
        if (!g.initializers.emplace(t.name(), readTensor(t, what + ": initializer " + t.name())).second)
            bad(what, "defines the initializer " + t.name() + " twice");
        available.insert(t.name());
    }
    for (const auto& in : graph.input()) {
        if (g.initializers.count(in.name())) continue;  // an initializer listed as input (IR < 4)
        GraphInput gi;
        gi.name = in.name();
        gi.dims = dimsOf(in, gi.known);
        g.inputs.push_back(gi);
        available.insert(in.name());
    }
    for (const auto& out : graph.output()) g.outputs.push_back(out.name());
    std::vector<OnnxNode> nodes;
    nodes.reserve(static_cast<std::size_t>(graph.node_size()));
    std::map<std::string, int> unnamed;
    for (const auto& n : graph.node()) {
        OnnxNode node;
        node.op = n.op_type();
        node.domain = n.domain() == "ai.onnx" ? "" : n.domain();
        node.name = n.name().empty() ? n.op_type() + " #" + std::to_string(++unnamed[n.op_type()]) : n.name();
        node.inputs.assign(n.input().begin(), n.input().end());
        node.outputs.assign(n.output().begin(), n.output().end());
        for (const auto& a : n.attribute())
            node.attrs[a.name()] = readAttribute(a, what + ": node " + node.name);
        nodes.push_back(std::move(node));
    }
    g.nodes = sorted(std::move(nodes), available, what);
    std::set<std::string> produced = available;
    for (const OnnxNode& n : g.nodes) produced.insert(n.outputs.begin(), n.outputs.end());
    for (const std::string& o : g.outputs)
        if (!produced.count(o)) bad(what, "graph output \"" + o + "\" is produced by no node");
    return g;
}

OnnxGraph readOnnxFile(const std::string& path) {
    return readOnnx(readRegularFileBytes(path, kMaxOnnxBytes, "an ONNX model"), path);
}

bool exportedByNeurite(const OnnxGraph& g) {
    return g.producer == "Neurite" && g.metadata.count("neurite.task") != 0;
}

std::string modelOutputOf(const OnnxGraph& g, const std::string& wanted) {
    if (g.outputs.empty()) throwBadInput(g.what + ": the model has no outputs");
    if (!wanted.empty()) {
        if (std::find(g.outputs.begin(), g.outputs.end(), wanted) != g.outputs.end()) return wanted;
    } else if (g.outputs.size() == 1 || exportedByNeurite(g)) {
        return g.outputs.front();  // a Neurite export: logits (or values) first, probabilities second
    }
    std::string names;
    for (const std::string& o : g.outputs) names += (names.empty() ? "" : ", ") + o;
    if (!wanted.empty()) throwBadInput(g.what + ": the model has no output \"" + wanted + "\"; its outputs are " + names);
    throwBadInput(g.what + ": the model has " + std::to_string(g.outputs.size()) + " outputs (" + names +
                  "); Neurite models have one: choose it (neurite-cli import --model-output NAME)");
}

}  // namespace neurite::onnximport
