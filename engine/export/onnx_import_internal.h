// The ONNX importer's converter (onnx_import.h), shared by its source files: onnx_import.cpp
// (values, nodes, layout, the public functions), onnx_import_ops.cpp and onnx_import_shapes.cpp
// (one handler per ONNX operator), onnx_import_rnn.cpp (LSTM/GRU and the views of tensors in
// another axis order), onnx_import_expr.cpp (elementwise chains recognized as activations) and
// onnx_import_util.cpp (what the handlers share).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "export/onnx_import.h"
#include "graph/graph.h"

namespace neurite::onnximport {

// Thrown by an operator's handler: the node cannot be expressed (the reason is listed).
struct Refuse {
    std::string reason;
};

// An elementwise function of one tensor x, built from a chain of ONNX nodes (Div, Erf, Add,
// Mul, ...), kept symbolic until a consumer needs a tensor; then recognized as an activation.
struct Expr {
    enum class Kind { X, Const, Unary, Binary } kind = Kind::X;
    std::string fn;                   // Unary: Relu, Sigmoid, ...; Binary: Add, Sub, Mul, Div, Pow
    double c = 0, alpha = 0, beta = 0;  // Const's value; LeakyRelu/Elu alpha; Clip min (alpha), max (beta)
    std::shared_ptr<const Expr> a, b;
};
using ExprP = std::shared_ptr<const Expr>;
double evalExpr(const Expr& e, double x);

// What an ONNX value is during conversion.
struct Value {
    // Filled: a tensor of `shape` (batch-sized) holding c's one value everywhere, as
    // ConstantOfShape writes a recurrent layer's initial state.
    enum class Kind { Tensor, Constant, Expr, Filled, Poisoned } kind = Kind::Poisoned;
    // Tensor: the Neurite node computing it, and the value's ONNX shape (batch at 0 as kBatch).
    // hiddenOnes: the node's own output lacks that many trailing 1s of `shape` (GlobalAvgPool
    // gives [N,C] where ONNX's GlobalAveragePool gives [N,C,1,1]). Expr: the same for its x.
    std::string node;
    Shape shape;
    int hiddenOnes = 0;
    Constant c;                        // Constant
    ExprP expr;                        // Expr: f(x)
    std::vector<std::string> exprOps;  // Expr: "Div /act/Div", the nodes folded into it
    std::string lastName;              // Expr: the last node's name (names the activation)
    // Tensor, in an order the layers cannot read as it is (perm not empty): the ONNX value is
    // transpose(reshape(node's output, view), perm), so shape[i] == view[perm[i]]; a
    // sequence-first [T, N, C] of a Neurite [N, T, C] has view [N, T, C] and perm {1, 0, 2}.
    // A layer reading it gets a Reshape when perm is the identity, else a refusal.
    Shape view;
    std::vector<int> perm;
    // Tensor: the recurrent layer (return_sequences) whose every step this value holds, its time
    // axis at axis timeAxis of view (of the node's output when perm is empty), while each value
    // since had one reader: taking its last step turns the layer to give its final state.
    std::string recurrent;
    int timeAxis = -1;
};

// A Tensor value: node's output seen with ONNX's shape.
inline Value tensorValue(std::string node, Shape shape, int hiddenOnes = 0) {
    Value v;
    v.kind = Value::Kind::Tensor;
    v.node = std::move(node);
    v.shape = shape;
    v.hiddenOnes = hiddenOnes;
    return v;
}

// A Neurite id from an ONNX name: "/layer1/conv1/Conv" -> "layer1.conv1.Conv", characters
// outside [A-Za-z0-9_.-] as '_', leading separators dropped.
std::string idFromName(const std::string& s);

// The sentinel of the batch dimension in folded shape vectors (Shape of a tensor).
inline constexpr int64_t kBatchDim = -(int64_t{1} << 40);

class Converter {
public:
    Converter(const OnnxGraph& graph, const ImportOptions& options);
    ImportedModel run();

    // ---- used by the handlers --------------------------------------------------------------
    const OnnxGraph& g;
    const ImportOptions& opt;
    const OnnxNode* current = nullptr;  // the node being converted

    const Value& in(std::size_t k) const;          // input k's value (throws Refuse when absent)
    bool hasInput(std::size_t k) const;
    const Constant& constIn(std::size_t k, const char* what) const;  // Refuse unless a constant
    Value tensorIn(std::size_t k);                 // input k as a Tensor (plain(in(k)))
    Value materialize(const Value& v);             // an Expr as an activation layer
    // v as a Tensor a layer reads: an Expr materialized, a view reshaped (Refuse when its axes
    // are out of order); a Constant or Filled value is refused.
    Value plain(const Value& v);
    Value full(const Value& v);                    // a Tensor with its hidden trailing 1s restored
    void setOut(std::size_t k, Value v);
    bool outputUsed(std::size_t k) const;
    int consumersOf(const std::string& value) const;

    // Adds a Neurite node (params checked, shape inferred; Refuse when the layer rejects them).
    // wanted: the preferred id. Returns the Tensor value of its output.
    Value addNode(const std::string& wanted, const std::string& op, const std::vector<Value>& inputs,
                  std::map<std::string, ParamValue> params);
    Node* node(const std::string& id);
    const Shape& shapeOf(const std::string& id) const { return m_shapes.at(id); }
    // Changes a parameter of a node already added and infers its shape again.
    void retune(const std::string& id, const std::string& name, ParamValue value);
    void setParam(const std::string& id, const std::string& name, Constant c);
    Constant* param(const std::string& id, const std::string& name);
    // A Neurite id for a layer made from the current node: its weight's initializer name when
    // it has one ("layer1.0.conv1"), else the node's name, else the op.
    std::string idFor(const std::string& weightInput = "") const;
    Value reshapeTo(const Value& v, const Shape& onnxShape);  // a Reshape node, or an alias

    // The graph around the current node, for handlers that match a pattern of several nodes
    // (the decomposed LayerNormalization): a value's producer and readers, a constant's value
    // before its Constant node was converted, and nodes a pattern took over (skipped later).
    const OnnxNode* producerOf(const std::string& value) const;
    const std::vector<const OnnxNode*>& readersOf(const std::string& value) const;
    const Constant* constantValue(const std::string& value) const;
    void absorb(const OnnxNode* n) { m_absorbed.insert(n); }
    bool fromNeurite() const { return m_neuriteFile; }
    void setValue(const std::string& name, Value v) { m_values[name] = std::move(v); }

    void mapped(const std::string& layerOp, const std::string& id);
    void folded(const std::string& into);
    void dropped(const std::string& why);

    ImportReport report;

private:
    void convert(const OnnxNode& n);
    void addInput();
    void finish(ImportedModel& out);
    std::string m_output;      // the graph output taken as the model's
    bool m_neuriteFile = false;  // exported by Neurite: its preprocessing nodes are dropped
    Value materializeNew(const Value& v);

    std::vector<Node> m_nodes;
    std::map<std::string, std::size_t> m_index;
    std::map<std::string, Shape> m_shapes;
    std::map<std::string, Value> m_values;
    std::map<std::string, int> m_consumers;
    std::map<std::string, Constant> m_params;  // "<id>.<param>"
    std::vector<std::pair<std::string, std::string>> m_paramOrder;
    std::set<std::string> m_ids;
    std::map<std::string, Value> m_restored;  // full() results by node id
    std::map<const Expr*, Value> m_materialized;
    std::map<std::string, const OnnxNode*> m_producers;
    std::map<std::string, std::vector<const OnnxNode*>> m_readers;
    std::set<const OnnxNode*> m_absorbed;
    std::vector<std::string> m_unsupported;
    Shape m_sample;
};

// The handler of an ONNX operator, or nullptr: onnx_import_shapes.cpp holds the table, with the
// handlers of shapes, windows and merges; onnx_import_ops.cpp adds the elementwise and weighted
// ones (addLayerHandlers).
using Handler = void (*)(Converter&, const OnnxNode&);
Handler handlerFor(const std::string& op);
void addLayerHandlers(std::map<std::string, Handler>& table);
// onnx_import_rnn.cpp: LSTM, GRU, Transpose and Slice, and the views of tensors they pass.
void addSequenceHandlers(std::map<std::string, Handler>& table);
// Operators whose handlers take views and Filled values as they are (the others get plain ones).
bool takesViews(const std::string& op);
// A Tensor value (a view, or one a recurrent layer's steps mark) reshaped to ONNX dims `target`
// (kBatchDim for the batch, 0 and -1 resolved), kept as a view.
Value reshapeView(Converter& c, const Value& x, std::vector<int64_t> target);
bool isView(const Value& v);  // a Tensor with perm or a recurrent mark
// Gather of a tensor by constant indices: a unit axis dropped, or a recurrent layer's last step.
void gatherTensor(Converter& c, const OnnxNode& n);
// A Filled value of ONNX dims (kBatchDim for the batch) holding fill's one value.
Value filled(const std::vector<int64_t>& dims, const Constant& fill);
// The operators with a handler, for the docs and the conformance test.
std::vector<std::string> supportedOperators();

// ---- onnx_import_util.cpp: what the handlers share -----------------------------------------

inline constexpr int64_t kMaxFolded = int64_t{1} << 24;  // values in one folded constant

// A float attribute as the decimal number it was written as (0.9f is 0.899999976 in double;
// the project file and the inspector should say 0.9).
double decimal(float f);
int64_t normAxis(int64_t axis, int rank);  // a negative axis counted from the end; Refuse outside
int64_t product(const std::vector<int64_t>& d, std::size_t from = 0, std::size_t to = SIZE_MAX);
Constant ints(std::vector<int64_t> values, std::vector<int64_t> dims);
Value constant(Constant c);
std::vector<int64_t> intsOf(const Constant& c);
std::vector<float> floatsOf(const Constant& c);
bool isNonConst(const Value& v);  // a Tensor or an Expr
// numpy broadcasting of two constants, elementwise f (Refuse past kMaxFolded values)
Constant broadcast(const Constant& a, const Constant& b, const std::function<double(double, double)>& f, bool integer);
ExprP leaf(const Value& v);                                        // v as an expression's operand
Value exprLike(const Value& base, ExprP e, const OnnxNode& n);   // an Expr over base's x
// ONNX pads for one spatial axis, [begin, end], from auto_pad or the pads attribute.
std::pair<int64_t, int64_t> axisPads(const std::string& autoPad, int64_t in, int64_t extent, int64_t stride,
                                     int64_t begin, int64_t end);
// Conv2D's and the pools' padding parameters for pads [top, left, bottom, right]: valid, same
// when they are what Neurite's same gives, else explicit.
void paddingParams(std::map<std::string, ParamValue>& p, const std::vector<int64_t>& pads, const Shape& in,
                   const std::vector<int64_t>& extent, const std::vector<int64_t>& stride);
std::vector<int64_t> twoInts(const OnnxNode& n, const char* name, std::vector<int64_t> def);  // 2 positive
std::vector<int64_t> windowPads(const OnnxNode& n, const Shape& in, const std::vector<int64_t>& extent,
                                const std::vector<int64_t>& stride);

}  // namespace neurite::onnximport
