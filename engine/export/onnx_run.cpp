// The ONNX interpreter's driver (onnx_run.h): runs the sorted nodes in order, keeping each value
// only until its last reader, and the helpers every operator shares. The operators themselves live
// in onnx_run_math.cpp, onnx_run_shape.cpp, onnx_run_nn.cpp and onnx_run_rnn.cpp.
#include "export/onnx_run.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "export/onnx_run_internal.h"

namespace neurite {

namespace onnxrun {

void OpContext::fail(const std::string& why) const {
    throwBadInput(m_node.op + " node '" + m_node.name + "': " + why);
}

const Tensor* OpContext::optional(std::size_t k) const {
    return k < m_inputs.size() ? m_inputs[k] : nullptr;
}

const Tensor& OpContext::in(std::size_t k) const {
    if (const Tensor* t = optional(k)) return *t;
    fail("input " + std::to_string(k) + " is required but missing");
}

const Tensor& OpContext::floatIn(std::size_t k) const {
    const Tensor& t = in(k);
    if (t.integer)
        fail("input " + std::to_string(k) +
             " is an integer tensor; this operator is evaluated on float tensors only");
    return t;
}

std::vector<int64_t> OpContext::ints(const Tensor& t, const char* what) const {
    if (!t.integer) fail(std::string(what) + " must be an integer tensor, not float");
    return t.i;
}

bool OpContext::outputWanted(std::size_t k) const {
    return k < m_node.outputs.size() && !m_node.outputs[k].empty() &&
           m_needed.count(m_node.outputs[k]);
}

int64_t OpContext::numel(const std::vector<int64_t>& dims) const {
    int64_t n = 1;
    for (int64_t d : dims) {
        if (d < 0) fail("a tensor would have the negative dimension " + std::to_string(d));
        if (d > 0 && n > kMaxElements / d)
            fail("a tensor would have more than 2^28 elements (the interpreter's limit)");
        n *= d;
    }
    if (n > kMaxElements)
        fail("a tensor would have more than 2^28 elements (the interpreter's limit)");
    return n;
}

void OpContext::checkWork(const std::vector<int64_t>& factors) const {
    int64_t work = 1;
    for (int64_t f : factors) {
        if (f > 0 && work > kMaxWork / f)
            fail("evaluating it would take more than 2^36 multiply-adds (the interpreter's limit)");
        work *= std::max<int64_t>(f, 0);
    }
}

Tensor OpContext::floatTensor(const std::vector<int64_t>& dims, float fill) const {
    Tensor t;
    t.f.assign(static_cast<std::size_t>(numel(dims)), fill);
    t.dims = dims;
    return t;
}

Tensor OpContext::intTensor(const std::vector<int64_t>& dims, int64_t fill) const {
    Tensor t;
    t.integer = true;
    t.i.assign(static_cast<std::size_t>(numel(dims)), fill);
    t.dims = dims;
    return t;
}

Tensor OpContext::likeTensor(const Tensor& src, const std::vector<int64_t>& dims) const {
    return src.integer ? intTensor(dims) : floatTensor(dims);
}

int64_t OpContext::axis(int64_t a, int64_t rank, const char* what) const {
    if (a < -rank || a >= rank)
        fail(std::string(what) + " " + std::to_string(a) +
             " is out of range for a tensor of rank " + std::to_string(rank));
    return a < 0 ? a + rank : a;
}

std::vector<int64_t> OpContext::broadcast(const std::vector<int64_t>& a,
                                          const std::vector<int64_t>& b) const {
    const std::size_t rank = std::max(a.size(), b.size());
    std::vector<int64_t> out(rank);
    for (std::size_t k = 0; k < rank; ++k) {
        const int64_t da = k + a.size() >= rank ? a[k + a.size() - rank] : 1;
        const int64_t db = k + b.size() >= rank ? b[k + b.size() - rank] : 1;
        if (da != db && da != 1 && db != 1)
            fail("shapes do not broadcast (dimension " + std::to_string(da) + " against " +
                 std::to_string(db) + ")");
        out[k] = da == 1 ? db : da;
    }
    return out;
}

std::vector<int64_t> stridesOf(const std::vector<int64_t>& dims) {
    std::vector<int64_t> s(dims.size(), 1);
    for (std::size_t k = dims.size(); k-- > 1;)
        s[k - 1] = s[k] * dims[k];
    return s;
}

std::vector<int64_t> broadcastStrides(const std::vector<int64_t>& dims,
                                      const std::vector<int64_t>& outDims) {
    const std::vector<int64_t> own = stridesOf(dims);
    std::vector<int64_t> s(outDims.size(), 0);
    const std::size_t shift = outDims.size() - dims.size();
    for (std::size_t k = 0; k < dims.size(); ++k)
        s[k + shift] = dims[k] == 1 ? 0 : own[k];
    return s;
}

Tensor stridedCopy(const OpContext& ctx, const Tensor& src, const std::vector<int64_t>& outDims,
                   int64_t start, const std::vector<int64_t>& strides) {
    Tensor out = ctx.likeTensor(src, outDims);
    const int64_t n = product(outDims);
    const std::size_t rank = outDims.size();
    auto copy = [&](const auto& from, auto& to) {
        std::vector<int64_t> index(rank, 0);
        int64_t at = start;
        for (int64_t o = 0; o < n; ++o) {
            to[static_cast<std::size_t>(o)] = from[static_cast<std::size_t>(at)];
            for (std::size_t d = rank; d-- > 0;) { // odometer: the last axis moves fastest
                at += strides[d];
                if (++index[d] < outDims[d]) break;
                at -= strides[d] * outDims[d];
                index[d] = 0;
            }
        }
    };
    if (src.integer)
        copy(src.i, out.i);
    else
        copy(src.f, out.f);
    return out;
}

int64_t product(const std::vector<int64_t>& dims, std::size_t from, std::size_t to) {
    const auto first = dims.begin() + static_cast<std::ptrdiff_t>(std::min(from, dims.size()));
    const auto last = dims.begin() + static_cast<std::ptrdiff_t>(std::min(to, dims.size()));
    int64_t p = 1;
    for (auto it = first; it < last; ++it)
        p *= *it;
    return p;
}

namespace {

const OpTable& table() {
    static const OpTable ops = [] {
        OpTable t;
        addMathOps(t);
        addShapeOps(t);
        addNnOps(t);
        addRnnOps(t);
        return t;
    }();
    return ops;
}

// Whether input `slot` of node must be an integer tensor (indices, shapes, axes, lengths).
bool integerOperand(const onnximport::OnnxNode& node, std::size_t slot) {
    static const std::map<std::string, std::set<std::size_t>> slots{
        {"Gather", {1}},         {"Reshape", {1}}, {"Expand", {1}},    {"ConstantOfShape", {0}},
        {"Slice", {1, 2, 3, 4}}, {"Squeeze", {1}}, {"Unsqueeze", {1}}, {"ReduceMean", {1}},
        {"ReduceMax", {1}},      {"LSTM", {4}},    {"GRU", {4}}};
    auto it = slots.find(node.op);
    return it != slots.end() && it->second.count(slot);
}

// The graph's input as a tensor. OnnxGraph does not keep the input's element type, but a valid
// graph that reads its input where ONNX requires integers (token ids into a Gather, say) declares
// an integer input: then the float values given are converted as Cast would, truncated toward zero.
Tensor inputTensor(const onnximport::OnnxGraph& graph, const std::vector<int64_t>& dims,
                   const std::vector<float>& input) {
    const std::string& what = graph.what;
    int64_t count = 1;
    for (int64_t d : dims) {
        if (d < 0 || (d > 0 && count > kMaxElements / d))
            throwBadInput(what + ": the input's dimensions are negative or past 2^28 elements");
        count *= d;
    }
    if (count != static_cast<int64_t>(input.size()))
        throwBadInput(what + ": the input has " + std::to_string(input.size()) +
                      " values but its dimensions say " + std::to_string(count));
    Tensor x;
    x.dims = dims;
    const std::string& name = graph.inputs.front().name;
    for (const onnximport::OnnxNode& node : graph.nodes)
        for (std::size_t k = 0; k < node.inputs.size(); ++k)
            if (node.inputs[k] == name && integerOperand(node, k)) x.integer = true;
    if (!x.integer) {
        x.f = input;
        return x;
    }
    for (float v : input) {
        if (!std::isfinite(v) || std::fabs(v) > 9.0e18f)
            throwBadInput(what + ": the input is read as integers (indices or shapes) but holds " +
                          std::to_string(v));
        x.i.push_back(static_cast<int64_t>(v));
    }
    return x;
}

} // namespace

} // namespace onnxrun

OnnxRunResult runOnnx(const onnximport::OnnxGraph& graph, const std::vector<int64_t>& inputDims,
                      const std::vector<float>& input, const std::string& output) {
    using onnxrun::Tensor;
    const std::string& what = graph.what;
    if (graph.opset < 9 || graph.opset > 17)
        throwBadInput(
            what + ": opset " + std::to_string(graph.opset) +
            "; the ONNX interpreter follows the operator specifications of opsets 9 to 17");
    if (graph.inputs.size() != 1)
        throwBadInput(what + ": the ONNX interpreter runs graphs with one input; this one has " +
                      std::to_string(graph.inputs.size()));
    if (output.empty() && graph.outputs.empty()) throwBadInput(what + ": the graph has no output");
    const std::string wanted = output.empty() ? graph.outputs.front() : output;

    // Each value is dropped after its last reader; `needed` tells an operator which outputs matter.
    std::map<std::string, std::size_t> lastUse;
    std::set<std::string> needed{wanted};
    for (std::size_t k = 0; k < graph.nodes.size(); ++k)
        for (const std::string& in : graph.nodes[k].inputs)
            if (!in.empty()) lastUse[in] = k, needed.insert(in);
    lastUse[wanted] = graph.nodes.size();

    std::map<std::string, Tensor> values;
    values[graph.inputs.front().name] = onnxrun::inputTensor(graph, inputDims, input);
    auto find = [&](const std::string& name) -> const Tensor* {
        if (auto it = values.find(name); it != values.end()) return &it->second;
        if (auto it = graph.initializers.find(name); it != graph.initializers.end())
            return &it->second;
        return nullptr;
    };

    for (std::size_t k = 0; k < graph.nodes.size() && !values.count(wanted); ++k) {
        const onnximport::OnnxNode& node = graph.nodes[k];
        const bool wantedHere =
            std::any_of(node.outputs.begin(), node.outputs.end(),
                        [&](const std::string& o) { return !o.empty() && needed.count(o); });
        if (!wantedHere) continue; // nothing reads it: a dead branch is not evaluated
        if (!node.domain.empty())
            throwBadInput(node.op + " node '" + node.name + "': operator domain '" + node.domain +
                          "' is not evaluated (the interpreter runs the default ONNX domain only)");
        auto op = onnxrun::table().find(node.op);
        if (op == onnxrun::table().end())
            throwBadInput(node.op + " node '" + node.name + "': operator " + node.op +
                          " is not evaluated by the ONNX interpreter");
        std::vector<const Tensor*> inputs;
        for (const std::string& in : node.inputs) {
            const Tensor* t = in.empty() ? nullptr : find(in);
            if (!in.empty() && !t)
                throwBadInput(node.op + " node '" + node.name + "': its input '" + in +
                              "' was not computed");
            inputs.push_back(t);
        }
        const onnxrun::OpContext ctx(node, graph.opset, std::move(inputs), needed);
        std::vector<Tensor> results = op->second(ctx);
        for (std::size_t o = 0; o < node.outputs.size(); ++o) {
            if (!ctx.outputWanted(o)) continue;
            if (o >= results.size())
                ctx.fail("its output " + std::to_string(o) + " ('" + node.outputs[o] +
                         "') is used but the interpreter does not compute it");
            values[node.outputs[o]] = std::move(results[o]);
        }
        for (const std::string& in : node.inputs)
            if (!in.empty() && lastUse[in] == k) values.erase(in);
    }
    const Tensor* result = find(wanted);
    if (!result) throwBadInput(what + ": no node computes the value '" + wanted + "'");
    OnnxRunResult out;
    out.dims = result->dims;
    if (result->integer)
        out.values.assign(result->i.begin(), result->i.end());
    else
        out.values = result->f;
    return out;
}

std::vector<std::string> runnableOperators() {
    std::vector<std::string> names;
    for (const auto& entry : onnxrun::table())
        names.push_back(entry.first);
    return names; // a std::map's keys: already sorted
}

} // namespace neurite
