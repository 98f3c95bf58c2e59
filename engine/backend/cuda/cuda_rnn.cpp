// RnnPlan (LSTM, GRU; one layer, one or two directions) on cuDNN's RNN API: cudnnRNNForward,
// cudnnRNNBackwardData_v8 and cudnnRNNBackwardWeights_v8, fp32 without TF32 (CUDNN_FMA_MATH),
// with two biases (torch's b_ih and b_hh) and zero initial states.
//
// cuDNN keeps a layer's parameters in one packed "weight space" whose layout it reports per
// matrix (cudnnGetRNNWeightParams). The plan owns one weight space and one for the gradients,
// copies the layer's tensors (torch's layout, backend.h: gate blocks i, f, g, o for LSTM and
// r, z, n for GRU, which is also cuDNN's order) into it before each forward and the gradients out
// of it after backward; blocks that lie one after another in both are copied as one.
// cuDNN's output for two directions is [N, T, 2H], forward then backward: the Concat merge. Sum
// adds the halves, and the final states hy [D, N, H] become `last` [N, O] the same way
// (launchRnnMerge; launchRnnSplit for the gradients).
#include <algorithm>
#include <vector>

#include "backend/cuda/cuda_common.h"

namespace neurite::cuda {

namespace {

int toInt(int64_t v, const char* what) {
    if (v > 2147483647)
        throw Error(ErrorKind::Unsupported,
                    std::string("recurrent plan: ") + what + " above 2^31 is not supported");
    return static_cast<int>(v);
}

// One contiguous run of parameters: `count` floats at `space` bytes into the weight space and
// at `offset` floats into tensor `which` (0 weight_ih, 1 weight_hh, 2 bias_ih, 3 bias_hh).
struct Block {
    std::size_t space = 0;
    int which = 0;
    int64_t offset = 0, count = 0;
};

class CudaRnnPlan final : public RnnPlan {
public:
    CudaRnnPlan(const RnnDesc& d, Context& ctx) : m_d(d), m_ctx(ctx) {
        const auto entered = ctx.enter("rnn", "plan");
        const int n = toInt(d.batch, "batch"), t = toInt(d.steps, "steps");
        const int in = toInt(d.inputs, "inputs"), h = toInt(d.hidden, "hidden units");
        const int dirs = static_cast<int>(d.directions());
        toInt(d.batch * d.steps * dirs * d.hidden, "outputs");
        toInt(d.batch * d.steps * d.inputs, "inputs");
        check(cudnnCreateDropoutDescriptor(&m_dropout), "cudnnCreateDropoutDescriptor");
        std::size_t stateBytes = 0;
        check(cudnnDropoutGetStatesSize(ctx.cudnn, &stateBytes), "cudnnDropoutGetStatesSize");
        m_dropoutStates = Buffer(*ctx.allocator, stateBytes);
        check(cudnnSetDropoutDescriptor(m_dropout, ctx.cudnn, 0.f, m_dropoutStates.get(), stateBytes, 0),
              "cudnnSetDropoutDescriptor");
        check(cudnnCreateRNNDescriptor(&m_rnn), "cudnnCreateRNNDescriptor");
        check(cudnnSetRNNDescriptor_v8(m_rnn, CUDNN_RNN_ALGO_STANDARD,
                                       d.cell == RnnCell::Lstm ? CUDNN_LSTM : CUDNN_GRU,
                                       d.bias ? CUDNN_RNN_DOUBLE_BIAS : CUDNN_RNN_NO_BIAS,
                                       dirs == 2 ? CUDNN_BIDIRECTIONAL : CUDNN_UNIDIRECTIONAL,
                                       CUDNN_LINEAR_INPUT, CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT,
                                       CUDNN_FMA_MATH, in, h, h, 1, m_dropout,
                                       CUDNN_RNN_PADDED_IO_ENABLED),
              "cudnnSetRNNDescriptor_v8");
        const std::vector<int> lengths(static_cast<std::size_t>(n), t);
        check(cudnnCreateRNNDataDescriptor(&m_x), "cudnnCreateRNNDataDescriptor");
        check(cudnnCreateRNNDataDescriptor(&m_y), "cudnnCreateRNNDataDescriptor");
        check(cudnnSetRNNDataDescriptor(m_x, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED,
                                        t, n, in, lengths.data(), nullptr),
              "cudnnSetRNNDataDescriptor (x)");
        check(cudnnSetRNNDataDescriptor(m_y, CUDNN_DATA_FLOAT, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED,
                                        t, n, dirs * h, lengths.data(), nullptr),
              "cudnnSetRNNDataDescriptor (y)");
        check(cudnnCreateTensorDescriptor(&m_h), "cudnnCreateTensorDescriptor");
        const int hDims[3] = {dirs, n, h}, hStrides[3] = {n * h, h, 1};
        check(cudnnSetTensorNdDescriptor(m_h, CUDNN_DATA_FLOAT, 3, hDims, hStrides),
              "cudnnSetTensorNdDescriptor (h)");

        check(cudnnGetRNNWeightSpaceSize(ctx.cudnn, m_rnn, &m_weightBytes), "cudnnGetRNNWeightSpaceSize");
        std::size_t trainWork = 0, inferWork = 0, unused = 0;
        check(cudnnGetRNNTempSpaceSizes(ctx.cudnn, m_rnn, CUDNN_FWD_MODE_TRAINING, m_x, &trainWork,
                                        &m_reserveBytes),
              "cudnnGetRNNTempSpaceSizes (training)");
        check(cudnnGetRNNTempSpaceSizes(ctx.cudnn, m_rnn, CUDNN_FWD_MODE_INFERENCE, m_x, &inferWork,
                                        &unused),
              "cudnnGetRNNTempSpaceSizes (inference)");
        m_weights = Buffer(*ctx.allocator, m_weightBytes);
        m_diffWeights = Buffer(*ctx.allocator, m_weightBytes);
        m_work = Buffer(*ctx.allocator, std::max(trainWork, inferWork));
        m_reserve = Buffer(*ctx.allocator, m_reserveBytes);
        const std::size_t ys = static_cast<std::size_t>(d.batch * d.steps * dirs * d.hidden);
        const std::size_t hs = static_cast<std::size_t>(dirs * d.batch * d.hidden);
        m_out = Buffer(*ctx.allocator, ys * sizeof(float));
        m_hy = Buffer(*ctx.allocator, hs * sizeof(float));
        m_dhy = Buffer(*ctx.allocator, hs * sizeof(float));
        if (d.cell == RnnCell::Lstm) m_cy = Buffer(*ctx.allocator, hs * sizeof(float));
        m_seqLengths = Buffer(*ctx.allocator, lengths.size() * sizeof(int32_t));
        check(cudaMemcpyAsync(m_seqLengths.get(), lengths.data(), lengths.size() * sizeof(int32_t),
                              cudaMemcpyHostToDevice, ctx.stream),
              "copying the sequence lengths");
        check(cudaStreamSynchronize(ctx.stream), "copying the sequence lengths (synchronize)");
        findBlocks();
    }

    ~CudaRnnPlan() override {
        if (m_h) cudnnDestroyTensorDescriptor(m_h);
        if (m_y) cudnnDestroyRNNDataDescriptor(m_y);
        if (m_x) cudnnDestroyRNNDataDescriptor(m_x);
        if (m_rnn) cudnnDestroyRNNDescriptor(m_rnn);
        if (m_dropout) cudnnDestroyDropoutDescriptor(m_dropout);
    }

    void forward(const Tensor& src, const RnnWeights& w, Tensor* dst, Tensor* last,
                 bool training) override {
        checkRnnTensors(m_d, src, w, dst, last);
        const auto entered = m_ctx.enter("rnn", __func__);
        // an inference forward keeps its output apart: backward needs the training forward's
        Buffer& out = training ? m_out : m_outInference;
        out.reserve(*m_ctx.allocator, m_out.bytes());
        const Tensor* tensors[4] = {w.weightIh, w.weightHh, w.biasIh, w.biasHh};
        for (const Block& b : m_blocks)
            check(cudaMemcpyAsync(m_weights.as<char>() + b.space, f32(*tensors[b.which]) + b.offset,
                                  static_cast<std::size_t>(b.count) * sizeof(float),
                                  cudaMemcpyDeviceToDevice, m_ctx.stream),
                  "copying the recurrent weights into cuDNN's weight space");
        check(cudnnRNNForward(m_ctx.cudnn, m_rnn,
                              training ? CUDNN_FWD_MODE_TRAINING : CUDNN_FWD_MODE_INFERENCE,
                              m_seqLengths.as<int32_t>(), m_x, src.raw(), m_y, out.get(), m_h,
                              nullptr, m_hy.get(), m_h, nullptr, m_cy.get(), m_weightBytes,
                              m_weights.get(), m_work.bytes(), m_work.get(),
                              training ? m_reserveBytes : 0, training ? m_reserve.get() : nullptr),
              "cudnnRNNForward");
        const int dirs = static_cast<int>(m_d.directions());
        const bool sum = m_d.merge == RnnMerge::Sum;
        const int64_t hd = m_d.hidden;
        if (dst)
            check(launchRnnMerge(out.as<float>(), f32(*dst), m_d.batch * m_d.steps, dirs, hd,
                                 dirs * hd, hd, sum, m_ctx.stream),
                  "recurrent output merge");
        if (last)
            check(launchRnnMerge(m_hy.as<float>(), f32(*last), m_d.batch, dirs, hd, hd,
                                 m_d.batch * hd, sum, m_ctx.stream),
                  "recurrent final state merge");
        if (training) m_trained = true;
    }

    void backward(const Tensor& src, const RnnWeights& w, const Tensor* diffDst,
                  const Tensor* diffLast, Tensor* diffSrc, const RnnGrads& grads) override {
        checkRnnTensors(m_d, src, w, nullptr, nullptr);
        checkRnnGrads(m_d, diffDst, diffLast, diffSrc, grads);
        if (!m_trained) throwInternal("recurrent backward without a training forward on the plan");
        const auto entered = m_ctx.enter("rnn", __func__);
        const int dirs = static_cast<int>(m_d.directions());
        const bool sum = m_d.merge == RnnMerge::Sum;
        const int64_t hd = m_d.hidden;
        const std::size_t ys = static_cast<std::size_t>(m_d.batch * m_d.steps * dirs * hd);
        // dy in cuDNN's layout: diffDst itself unless the directions were summed
        const void* dy = nullptr;
        if (diffDst && !sum) {
            dy = diffDst->raw();
        } else {
            m_dy.reserve(*m_ctx.allocator, ys * sizeof(float));
            dy = m_dy.get();
            if (diffDst)
                check(launchRnnSplit(f32(*diffDst), m_dy.as<float>(), m_d.batch * m_d.steps, dirs, hd,
                                     dirs * hd, hd, true, m_ctx.stream),
                      "recurrent output gradient split");
            else
                check(cudaMemsetAsync(m_dy.get(), 0, ys * sizeof(float), m_ctx.stream),
                      "clearing the recurrent output gradient");
        }
        const void* dhy = nullptr;
        if (diffLast) {
            check(launchRnnSplit(f32(*diffLast), m_dhy.as<float>(), m_d.batch, dirs, hd, hd,
                                 m_d.batch * hd, sum, m_ctx.stream),
                  "recurrent final state gradient split");
            dhy = m_dhy.get();
        }
        void* dx = nullptr;
        if (diffSrc) {
            dx = diffSrc->raw();
        } else {
            m_dx.reserve(*m_ctx.allocator, static_cast<std::size_t>(src.numel()) * sizeof(float));
            dx = m_dx.get();
        }
        check(cudnnRNNBackwardData_v8(m_ctx.cudnn, m_rnn, m_seqLengths.as<int32_t>(), m_y, m_out.get(),
                                      dy, m_x, dx, m_h, nullptr, dhy, nullptr, m_h, nullptr, nullptr,
                                      nullptr, m_weightBytes, m_weights.get(), m_work.bytes(),
                                      m_work.get(), m_reserveBytes, m_reserve.get()),
              "cudnnRNNBackwardData_v8");
        check(cudaMemsetAsync(m_diffWeights.get(), 0, m_weightBytes, m_ctx.stream),
              "clearing the recurrent weight gradients");
        check(cudnnRNNBackwardWeights_v8(m_ctx.cudnn, m_rnn, CUDNN_WGRAD_MODE_ADD,
                                         m_seqLengths.as<int32_t>(), m_x, src.raw(), m_h, nullptr,
                                         m_y, m_out.get(), m_weightBytes, m_diffWeights.get(),
                                         m_work.bytes(), m_work.get(), m_reserveBytes,
                                         m_reserve.get()),
              "cudnnRNNBackwardWeights_v8");
        Tensor* outs[4] = {grads.weightIh, grads.weightHh, grads.biasIh, grads.biasHh};
        for (const Block& b : m_blocks)
            check(cudaMemcpyAsync(f32(*outs[b.which]) + b.offset, m_diffWeights.as<char>() + b.space,
                                  static_cast<std::size_t>(b.count) * sizeof(float),
                                  cudaMemcpyDeviceToDevice, m_ctx.stream),
                  "copying the recurrent weight gradients out of cuDNN's weight space");
    }

private:
    // Where each gate's matrix and bias of each direction lies in the weight space, checked
    // against the sizes torch's layout gives them, then merged into as few copies as possible.
    void findBlocks() {
        const int64_t g = m_d.gates(), h = m_d.hidden, in = m_d.inputs;
        cudnnTensorDescriptor_t mDesc = nullptr, bDesc = nullptr;
        check(cudnnCreateTensorDescriptor(&mDesc), "cudnnCreateTensorDescriptor");
        check(cudnnCreateTensorDescriptor(&bDesc), "cudnnCreateTensorDescriptor");
        std::vector<Block> blocks;
        std::string problem;
        for (int d = 0; d < static_cast<int>(m_d.directions()) && problem.empty(); ++d)
            for (int id = 0; id < 2 * g && problem.empty(); ++id) {
                void* mAddr = nullptr;
                void* bAddr = nullptr;
                check(cudnnGetRNNWeightParams(m_ctx.cudnn, m_rnn, d, m_weightBytes, m_weights.get(), id,
                                              mDesc, &mAddr, bDesc, &bAddr),
                      "cudnnGetRNNWeightParams");
                const bool recurrent = id >= g;
                const int64_t gate = id % g, cols = recurrent ? h : in;
                const int64_t row = (d * g + gate) * h;  // the gate's first row in torch's layout
                auto add = [&](void* addr, cudnnTensorDescriptor_t desc, int which, int64_t offset,
                               int64_t count) {
                    if (!addr) {
                        problem = "cuDNN gave no address for parameter block " + std::to_string(id);
                        return;
                    }
                    if (const int64_t got = numelOf(desc); got != count)
                        problem = "cuDNN's block " + std::to_string(id) + " of direction " +
                                  std::to_string(d) + " holds " + std::to_string(got) +
                                  " values, torch's layout " + std::to_string(count);
                    blocks.push_back(Block{static_cast<std::size_t>(static_cast<char*>(addr) -
                                                                    m_weights.as<char>()),
                                           which, offset, count});
                };
                add(mAddr, mDesc, recurrent ? 1 : 0, row * cols, h * cols);
                if (m_d.bias && problem.empty()) add(bAddr, bDesc, recurrent ? 3 : 2, row, h);
            }
        cudnnDestroyTensorDescriptor(mDesc);
        cudnnDestroyTensorDescriptor(bDesc);
        if (!problem.empty()) throwInternal("recurrent plan: " + problem);
        std::sort(blocks.begin(), blocks.end(),
                  [](const Block& a, const Block& b) { return a.space < b.space; });
        for (const Block& b : blocks) {
            if (!m_blocks.empty()) {
                Block& p = m_blocks.back();
                if (p.which == b.which && p.space + std::size_t(p.count) * sizeof(float) == b.space &&
                    p.offset + p.count == b.offset) {
                    p.count += b.count;
                    continue;
                }
            }
            m_blocks.push_back(b);
        }
    }

    static int64_t numelOf(cudnnTensorDescriptor_t desc) {
        cudnnDataType_t type{};
        int rank = 0, dims[8] = {}, strides[8] = {};
        check(cudnnGetTensorNdDescriptor(desc, 8, &type, &rank, dims, strides), "cudnnGetTensorNdDescriptor");
        int64_t n = 1;
        for (int i = 0; i < rank; ++i) n *= dims[i];
        return n;
    }

    RnnDesc m_d;
    Context& m_ctx;
    cudnnDropoutDescriptor_t m_dropout = nullptr;
    cudnnRNNDescriptor_t m_rnn = nullptr;
    cudnnRNNDataDescriptor_t m_x = nullptr, m_y = nullptr;
    cudnnTensorDescriptor_t m_h = nullptr;
    std::size_t m_weightBytes = 0, m_reserveBytes = 0;
    Buffer m_dropoutStates, m_weights, m_diffWeights, m_work, m_reserve;
    Buffer m_out, m_outInference, m_hy, m_cy, m_dhy, m_dy, m_dx, m_seqLengths;
    std::vector<Block> m_blocks;
    bool m_trained = false;
};

}  // namespace

std::unique_ptr<RnnPlan> makeRnnPlan(const RnnDesc& d, Context& ctx) {
    checkRnnDesc(d);
    return std::make_unique<CudaRnnPlan>(d, ctx);
}

}  // namespace neurite::cuda
