// Reading an ONNX model file into plain values, defensively: the protobuf is parsed by libonnx's
// generated classes, then every tensor, attribute and edge is checked (sizes against dims,
// external data refused, the graph sorted and a cycle refused) before anything is converted, so
// a hostile file costs at most its own size in memory and fails with the node and tensor named.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace neurite::onnximport {

// A constant: an initializer, a Constant node's value or a folded value. Floating types are held
// as float, integer and bool types as int64.
struct Constant {
    std::vector<int64_t> dims;
    bool integer = false;
    std::vector<float> f;
    std::vector<int64_t> i;
    int64_t numel() const { return integer ? static_cast<int64_t>(i.size()) : static_cast<int64_t>(f.size()); }
    double at(std::size_t k) const { return integer ? double(i[k]) : double(f[k]); }
};

struct Attribute {
    enum class Kind { Float, Int, String, Floats, Ints, Strings, Tensor, Other } kind = Kind::Other;
    float f = 0;
    int64_t i = 0;
    std::string s;
    std::vector<float> floats;
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    Constant tensor;
};

struct OnnxNode {
    std::string op, domain, name;  // name: the node's own, or "<op> #k" when it has none
    std::vector<std::string> inputs, outputs;  // "" = an optional input left out
    std::map<std::string, Attribute> attrs;

    bool has(const std::string& a) const { return attrs.count(a) != 0; }
    int64_t i(const std::string& a, int64_t def) const;
    float f(const std::string& a, float def) const;
    std::string s(const std::string& a, const std::string& def) const;
    std::vector<int64_t> ints(const std::string& a, std::vector<int64_t> def = {}) const;
};

struct GraphInput {
    std::string name;
    std::vector<int64_t> dims;  // -1: symbolic or unknown
    bool known = false;         // the file gives a shape
};

struct OnnxGraph {
    std::string what;  // the file, for messages
    int64_t opset = 0; // of the default domain ai.onnx
    std::string producer, producerVersion, graphName;
    std::map<std::string, std::string> metadata;
    std::vector<OnnxNode> nodes;  // in an order where producers come first
    std::map<std::string, Constant> initializers;
    std::vector<GraphInput> inputs;    // the graph inputs that are not initializers
    std::vector<std::string> outputs;
};

// The largest ONNX file read: protobuf's own limit.
inline constexpr int64_t kMaxOnnxBytes = int64_t{2} << 30;

// Throws Error{BadInput} "<what>: ..." naming the node or tensor at fault.
OnnxGraph readOnnx(const std::vector<uint8_t>& bytes, const std::string& what);
OnnxGraph readOnnxFile(const std::string& path);

// A file Neurite exported: its preprocessing and target scaling are nodes, its first output the
// logits (or values).
bool exportedByNeurite(const OnnxGraph& g);
// The graph output that is the model's: `wanted` when given (Error{BadInput} when there is none
// of that name), else the only one, or a Neurite export's first; several others are refused,
// asking for --model-output.
std::string modelOutputOf(const OnnxGraph& g, const std::string& wanted);

}  // namespace neurite::onnximport
