// The ONNX interpreter's shared pieces (onnx_run.h): the tensor type, the context an operator sees,
// and the operator tables of its source files (onnx_run_math.cpp, onnx_run_shape.cpp,
// onnx_run_nn.cpp, onnx_run_rnn.cpp). Every allocation of a tensor's size goes through
// OpContext::numel, which refuses anything past kMaxElements before memory is asked for.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "export/onnx_read.h"

namespace neurite::onnxrun {

// A value: float tensors in f, integer and bool tensors in i (integer == true). Scalars have no
// dims.
using Tensor = onnximport::Constant;

inline constexpr int64_t kMaxElements = int64_t{1} << 28;
// Multiply-adds one node may cost (a minute or so of these plain loops): a hostile file must not
// hang the studio with a MatMul of 2^14-sided matrices.
inline constexpr int64_t kMaxWork = int64_t{1} << 36;

class OpContext {
public:
    OpContext(const onnximport::OnnxNode& node, int64_t opset, std::vector<const Tensor*> inputs,
              const std::set<std::string>& needed)
        : m_node(node), m_opset(opset), m_inputs(std::move(inputs)), m_needed(needed) {}

    const onnximport::OnnxNode& node() const { return m_node; }
    int64_t opset() const { return m_opset; }
    std::size_t inputCount() const { return m_inputs.size(); }

    // "<op> node '<name>': <why>" as BadInput.
    [[noreturn]] void fail(const std::string& why) const;
    // Input k, which must be present (and for floatIn, a float tensor).
    const Tensor& in(std::size_t k) const;
    const Tensor& floatIn(std::size_t k) const;
    // Input k or nullptr when it is left out ("" or past the end).
    const Tensor* optional(std::size_t k) const;
    // An integer tensor's values (shapes, axes, indices).
    std::vector<int64_t> ints(const Tensor& t, const char* what) const;
    // Whether output k is read by a later node or is the output asked for.
    bool outputWanted(std::size_t k) const;

    // The element count of dims, refusing negative dims and more than kMaxElements.
    int64_t numel(const std::vector<int64_t>& dims) const;
    // Refuses a node whose multiply-adds (the product of factors) pass kMaxWork.
    void checkWork(const std::vector<int64_t>& factors) const;
    Tensor floatTensor(const std::vector<int64_t>& dims, float fill = 0) const;
    Tensor intTensor(const std::vector<int64_t>& dims, int64_t fill = 0) const;
    // A tensor of src's type (float or integer) with dims.
    Tensor likeTensor(const Tensor& src, const std::vector<int64_t>& dims) const;
    // Axis a of a rank-r tensor, negative counting from the end; refused outside [-r, r).
    int64_t axis(int64_t a, int64_t rank, const char* what = "axis") const;
    // Numpy's multidirectional broadcast of two shapes.
    std::vector<int64_t> broadcast(const std::vector<int64_t>& a,
                                   const std::vector<int64_t>& b) const;

private:
    const onnximport::OnnxNode& m_node;
    int64_t m_opset;
    std::vector<const Tensor*> m_inputs;
    const std::set<std::string>& m_needed;
};

using OpFn = std::vector<Tensor> (*)(const OpContext&);
using OpTable = std::map<std::string, OpFn>;

void addMathOps(OpTable& table);  // elementwise, Clip, Cast, Softmax, reductions
void addShapeOps(OpTable& table); // Reshape, Transpose, Slice, Gather, Concat, Shape, constants
void addNnOps(OpTable& table);    // Gemm, MatMul, Conv, normalizations, pooling
void addRnnOps(OpTable& table);   // LSTM, GRU

// Row-major strides of dims.
std::vector<int64_t> stridesOf(const std::vector<int64_t>& dims);
// Strides of a tensor of dims read as if broadcast to outDims (0 along broadcast axes), aligned
// to outDims' rank.
std::vector<int64_t> broadcastStrides(const std::vector<int64_t>& dims,
                                      const std::vector<int64_t>& outDims);
// out[o] = src[start + sum_d index_d(o) * strides[d]] over outDims (strides may be 0 or negative).
Tensor stridedCopy(const OpContext& ctx, const Tensor& src, const std::vector<int64_t>& outDims,
                   int64_t start, const std::vector<int64_t>& strides);
int64_t product(const std::vector<int64_t>& dims, std::size_t from = 0, std::size_t to = SIZE_MAX);

} // namespace neurite::onnxrun
