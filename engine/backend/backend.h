// Backend: the whole device surface of the engine. Layers, losses, optimizers and the trainer
// compose these kernels and never talk to oneDNN or CUDA directly.
//
// Conventions
// - All tensors passed to a backend live on its device(); fp32 unless stated. Row-major, NCHW.
// - Kernels overwrite their outputs, parameter gradients included (each parameter belongs to
//   one layer, whose backward runs once per step).
// - Heavy ops come as plans (DensePlan, ConvPlan, PoolPlan, BatchNormPlan, LayerNormPlan) made
//   once per shape and reused every step; a plan keeps what backward needs from forward (workspace, saved
//   statistics), so one plan serves one layer instance. A steady-state step allocates nothing.
// - Results must be deterministic for a fixed thread count (same inputs -> same bits).
// - Errors: neurite::Error (Unsupported with a reason, Internal for library failures).
//
// Threads (the device contract)
// - One backend per device per process: device_registry hands it out, and every job on that
//   device shares it (the studio's training worker, Try it, exports, decision maps, the Runs
//   tab's model loading). Any thread may call any backend or plan method at any time, as long as
//   each job uses its own tensors and plans: a plan belongs to one layer of one model and is run
//   by one thread at a time (the model's owner). Results of a job do not depend on what other
//   jobs do meanwhile: they equal the job's results run alone (tests/engine/test_device_threads).
// - CPU: calls run in parallel. The backend holds no scratch and no stream of its own: oneDNN
//   streams are one per calling thread, and every plan owns its scratchpad and workspace.
// - CUDA: the stream, the cuBLAS and cuDNN handles, the scalar buffer and the backend's scratch
//   are one per backend, so the backend serializes calls: each backend and plan call holds the
//   backend's lock while it runs (cuda::Context::enter), and the work of several jobs interleaves
//   call by call on the one stream. A kernel error is reported to the call that reads the
//   scalars next, which may belong to another job.
// - The thread count is the backend's one shared setting. A plan copies it when it is made and
//   keeps it; the other ops read it when called. Only whoever starts a run sets it (the trainer,
//   from the project's `threads`, before its first plan; `predict --threads`; `bench`); Try it,
//   exports and decision maps never do, and use the count in effect.
// - Memory: allocate and deallocate may be called from any thread (the CUDA caching allocator
//   has its own lock).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "backend/activations.h"
#include "core/tensor.h"

namespace neurite {

// ---- descriptors ---------------------------------------------------------------------------

struct DenseDesc {
    int64_t batch = 0;    // N
    int64_t inputs = 0;   // I
    int64_t outputs = 0;  // O
    bool bias = true;
    // BF16: bf16 math on the same fp32 tensors (fp32 master weights, fp32 outputs and
    // gradients); only where supports(Op::Dense, DType::BF16) is ok, else makeDense throws.
    DType compute = DType::F32;
};

struct ConvDesc {
    int64_t batch = 0, inChannels = 0, height = 0, width = 0;  // src  [N, C, H, W]
    int64_t outChannels = 0, kernelH = 0, kernelW = 0;          // weights [K, C/G, R, S]
    int64_t strideH = 1, strideW = 1;
    int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
    bool bias = true;
    DType compute = DType::F32;  // BF16 as in DenseDesc, gated by supports(Op::Conv, BF16)
    int64_t dilationH = 1, dilationW = 1;  // 1: taps next to each other (as PyTorch's dilation)
    // src and dst laid out [N, H, W, C] instead of [N, C, H, W] (weights stay [K, C, R, S]); only
    // with height 1, so [N, W, C]: the sequences of Conv1D, [N, T, C].
    bool channelsLast = false;
    // G: channels split into G groups, output channels k of group k / (K/G) read only input
    // channels of that group (as PyTorch's groups; G = C = K is depthwise). C and K divide by G.
    int64_t groups = 1;
    int64_t groupIn() const { return inChannels / groups; }    // C/G
    int64_t groupOut() const { return outChannels / groups; }  // K/G
    int64_t extentH() const { return dilationH * (kernelH - 1) + 1; }  // the taps' span
    int64_t extentW() const { return dilationW * (kernelW - 1) + 1; }
    int64_t outHeight() const { return (height + padTop + padBottom - extentH()) / strideH + 1; }
    int64_t outWidth() const { return (width + padLeft + padRight - extentW()) / strideW + 1; }
};

enum class PoolKind { Max, Avg };  // Avg excludes padding from the divisor

struct PoolDesc {
    PoolKind kind = PoolKind::Max;
    int64_t batch = 0, channels = 0, height = 0, width = 0;  // src [N, C, H, W]
    int64_t kernelH = 2, kernelW = 2, strideH = 2, strideW = 2;
    int64_t padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
    int64_t outHeight() const { return (height + padTop + padBottom - kernelH) / strideH + 1; }
    int64_t outWidth() const { return (width + padLeft + padRight - kernelW) / strideW + 1; }
};

struct BatchNormDesc {
    int64_t batch = 0, channels = 0, spatial = 1;  // src [N, C, spatial...]; spatial = H*W or 1
    float epsilon = 1e-5f;
};

// src [d0, ..., dk, D] viewed as [rows, features]: rows = d0 * ... * dk, features = D.
struct LayerNormDesc {
    int64_t rows = 0, features = 0;
    float epsilon = 1e-5f;
};

// A recurrent layer over a sequence, as torch.nn.LSTM / torch.nn.GRU (batch_first=True, one
// layer, zero initial state). cell: Lstm (G = 4 gates, in torch's order i f g o) or Gru (G = 3,
// r z n, torch's form: the reset gate multiplies W_hn h + b_hn, "linear before reset").
// merge: None (one direction, forward in time), Concat or Sum (two directions; the second reads
// the sequence backward in time, and its outputs are concatenated after the first's or added).
enum class RnnCell { Lstm, Gru };
enum class RnnMerge { None, Concat, Sum };

struct RnnDesc {
    RnnCell cell = RnnCell::Lstm;
    RnnMerge merge = RnnMerge::None;
    int64_t batch = 0, steps = 0, inputs = 0, hidden = 0;  // src [N, T, I]; H units
    bool bias = true;
    int64_t gates() const { return cell == RnnCell::Lstm ? 4 : 3; }
    int64_t directions() const { return merge == RnnMerge::None ? 1 : 2; }
    int64_t outputs() const { return merge == RnnMerge::Concat ? 2 * hidden : hidden; }  // O
};

// Parameters in torch's layout, one block per direction d (d = 1: backward in time):
//   weightIh [D, G*H, I], weightHh [D, G*H, H], biasIh [D, G*H], biasHh [D, G*H]
// (torch's weight_ih_l0 and weight_ih_l0_reverse stacked). Biases are null without bias.
struct RnnWeights {
    const Tensor* weightIh = nullptr;
    const Tensor* weightHh = nullptr;
    const Tensor* biasIh = nullptr;
    const Tensor* biasHh = nullptr;
};
struct RnnGrads {
    Tensor* weightIh = nullptr;
    Tensor* weightHh = nullptr;
    Tensor* biasIh = nullptr;
    Tensor* biasHh = nullptr;
};

// ---- plans -----------------------------------------------------------------------------------

// dst[N,O] = src[N,I] * W[O,I]^T + b[O]   (torch.nn.Linear layout)
class DensePlan {
public:
    virtual ~DensePlan() = default;
    virtual void forward(const Tensor& src, const Tensor& weights, const Tensor* bias, Tensor& dst) = 0;
    // diffSrc[N,I] = diffDst[N,O] * W[O,I]
    virtual void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) = 0;
    // diffW[O,I] = diffDst^T * src ; diffB[O] = sum_n diffDst   (overwrites)
    virtual void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                                 Tensor* diffBias) = 0;
};

// Cross-correlation like torch.nn.Conv2d: dst[N,K,P,Q], weights [K,C,R,S], bias [K].
class ConvPlan {
public:
    virtual ~ConvPlan() = default;
    virtual void forward(const Tensor& src, const Tensor& weights, const Tensor* bias, Tensor& dst) = 0;
    virtual void backwardData(const Tensor& diffDst, const Tensor& weights, Tensor& diffSrc) = 0;
    // Overwrites diffWeights and diffBias (parameter gradients).
    virtual void backwardWeights(const Tensor& src, const Tensor& diffDst, Tensor& diffWeights,
                                 Tensor* diffBias) = 0;
};

// Max pooling keeps its argmax workspace from the last forward for backward.
class PoolPlan {
public:
    virtual ~PoolPlan() = default;
    virtual void forward(const Tensor& src, Tensor& dst, bool training) = 0;
    virtual void backward(const Tensor& diffDst, Tensor& diffSrc) = 0;
};

// Training: normalizes with batch statistics (biased variance), saves them for backward, and
// updates running stats: running = (1 - momentum) * running + momentum * batch (unbiased var),
// as torch.nn.BatchNorm2d. Inference uses the running statistics.
class BatchNormPlan {
public:
    virtual ~BatchNormPlan() = default;
    virtual void forwardTraining(const Tensor& src, const Tensor& gamma, const Tensor& beta,
                                 Tensor& dst, Tensor& runningMean, Tensor& runningVar,
                                 float momentum) = 0;
    virtual void forwardInference(const Tensor& src, const Tensor& gamma, const Tensor& beta,
                                  const Tensor& runningMean, const Tensor& runningVar,
                                  Tensor& dst) = 0;
    // Uses the statistics saved by the last forwardTraining; overwrites diffGamma, diffBeta.
    virtual void backward(const Tensor& src, const Tensor& diffDst, const Tensor& gamma,
                          Tensor& diffSrc, Tensor& diffGamma, Tensor& diffBeta) = 0;
};

// Layer normalization over the last axis, as torch.nn.LayerNorm(D, eps, elementwise_affine=True)
// on src viewed as [rows, D]; gamma, beta, diffGamma, diffBeta are [D]. Each row r uses its own
// statistics, in training and inference alike (there are no running statistics):
//   mean_r = sum_j x_rj / D,   var_r = sum_j (x_rj - mean_r)^2 / D   (biased, as torch)
//   rstd_r = 1 / sqrt(var_r + eps),   xhat_rj = (x_rj - mean_r) rstd_r
//   y_rj = xhat_rj gamma_j + beta_j
// forward saves mean_r and rstd_r in the plan; backward uses those of the last forward on the
// same plan (pass the same src) and, with g_rj = dy_rj gamma_j,
//   dbeta_j  = sum_r dy_rj,   dgamma_j = sum_r dy_rj xhat_rj
//   dx_rj    = rstd_r (g_rj - a_r - xhat_rj b_r),   a_r = sum_j g_rj / D,
//                                                   b_r = sum_j g_rj xhat_rj / D
// backward OVERWRITES diffSrc, diffGamma and diffBeta (as BatchNormPlan does; each parameter
// belongs to one layer). Outputs must not alias inputs. Results do not depend on the thread
// count. Errors: makeLayerNorm throws BadInput for sizes or an epsilon that are not positive
// (checkLayerNormDesc); tensors of the wrong size, or backward before any forward, are Internal.
class LayerNormPlan {
public:
    virtual ~LayerNormPlan() = default;
    virtual void forward(const Tensor& src, const Tensor& gamma, const Tensor& beta,
                         Tensor& dst) = 0;
    virtual void backward(const Tensor& src, const Tensor& diffDst, const Tensor& gamma,
                          Tensor& diffSrc, Tensor& diffGamma, Tensor& diffBeta) = 0;
};

// LSTM:  i = s(W_ii x + b_ii + W_hi h + b_hi)   f, o alike     g = tanh(W_ig x + b_ig + W_hg h + b_hg)
//        c' = f c + i g,   h' = o tanh(c')
// GRU:   r = s(W_ir x + b_ir + W_hr h + b_hr)   z alike     n = tanh(W_in x + b_in + r (W_hn h + b_hn))
//        h' = (1 - z) n + z h
// (s the logistic sigmoid; h = c = 0 before the first step of each direction.)
// forward writes dst [N, T, O] (each step's h, merged over directions) and/or last [N, O] (each
// direction's final h: the forward one after step T-1, the backward one after step 0, merged
// the same way); either may be null. training keeps what backward needs.
// backward uses the last training forward on the same plan (same src and weights); diffDst and
// diffLast are the gradients of dst and last (null: zero), diffSrc may be null; it OVERWRITES
// diffSrc and the parameter gradients.
class RnnPlan {
public:
    virtual ~RnnPlan() = default;
    virtual void forward(const Tensor& src, const RnnWeights& w, Tensor* dst, Tensor* last,
                         bool training) = 0;
    virtual void backward(const Tensor& src, const RnnWeights& w, const Tensor* diffDst,
                          const Tensor* diffLast, Tensor* diffSrc, const RnnGrads& grads) = 0;
};

// ---- compiled inference ----------------------------------------------------------------------

// A whole network described once for one batch size (InferenceDesc) and compiled by a backend
// into one plan (InferencePlan) that runs it in inference mode from input to output. Where
// Model::forward runs layer by layer, each layer reading and writing the plain layout, a compiled
// plan may keep intermediate results in the layout its primitives prefer, fuse an activation into
// the layer before it and use weights it laid out once. Results equal the layer-by-layer forward
// up to float rounding (tests/engine/test_inference_plan). The plan copies the weights when it is
// made: later changes to the model's parameters do not reach it (make a new one).
enum class InferKind {
    Dense,       // dense: src [N, I], or the [N, C, H, W] before a Flatten read as [N, C*H*W]
    Conv,        // conv (channelsLast is not compiled)
    Pool,        // pool
    BatchNorm,   // running statistics: weight = gamma, bias = beta, mean, var; epsilon
    Activation,  // act, alpha
    Softmax,     // over dimension 1; log: log-softmax
    Reshape,     // the same values in row-major order under the shape dst
    Identity,    // Dropout in inference
    Add,         // the sum of the inputs (same shapes)
    Concat,      // along dimension 1
};

// Uint8 per-tensor quantization of a result, as ONNX's QuantizeLinear then DequantizeLinear:
// q = saturate(round_half_even(x / scale) + zeroPoint) in [0, 255], read back as (q - zeroPoint)
// * scale (export/quantize.h has the same arithmetic for the int8 ONNX export).
struct InferQuant {
    bool active = false;
    float scale = 1.f;
    int32_t zeroPoint = 0;
};

struct InferOp {
    InferKind kind = InferKind::Identity;
    std::string node;         // the model's node id, for messages
    std::vector<int> inputs;  // indices of earlier ops; -1 is the program's input
    Shape dst;                // the concrete output shape
    DenseDesc dense;          // batch = rows, inputs = the product of the src's non-batch dims
    ConvDesc conv;
    PoolDesc pool;
    Activation act = Activation::Relu;
    float alpha = 0.f;
    bool log = false;
    float epsilon = 1e-5f;
    // Views into the model's store on the backend's device, read when the plan is made. Dense
    // and Conv: weight [O, I] or [K, C/G, R, S], and bias (undefined without); BatchNorm: weight
    // is gamma, bias beta, mean and var the running statistics.
    Tensor weight, bias, mean, var;
    // Int8 (the int8 export's QDQ graph, computed with integer arithmetic where it can be):
    // output: this op's result is quantized to uint8 and every consumer reads the rounded
    // values; weightScales (Dense, Conv): the weight is rounded to int8 per output channel,
    // w_q = saturate(round(w / scale[o])) in [-127, 127]. A Dense or Conv with int8 weights whose
    // input is quantized runs on int8 primitives (uint8 x int8, int32 sums).
    InferQuant output;
    std::vector<float> weightScales;
};

struct InferenceDesc {
    Shape input;                // [N, sample...]
    InferQuant quantizeInput;   // the program's input rounded to uint8 as InferOp::output
    std::vector<InferOp> ops;   // in an order where every op follows its inputs
    int output = -1;            // the op whose result is the program's output
};

class InferencePlan {
public:
    virtual ~InferencePlan() = default;
    // src: f32 [N, sample...] as InferenceDesc::input; dst: f32, the output op's shape (plain,
    // row-major). Both on the backend's device; they may be wrapped host memory on the CPU.
    virtual void run(const Tensor& src, Tensor& dst) = 0;
    // What was compiled, for people: "5 steps: conv1+relu1, pool1, ..."
    virtual std::string summary() const = 0;
};

// ---- a training step's scalars, kept on the device ------------------------------------------

// The fused losses by name, for lossInto (the functions of the same names below).
enum class LossOp { CrossEntropy, BinaryCrossEntropy, Focal, Mse, Huber };
struct LossArgs {
    LossOp op = LossOp::CrossEntropy;
    const Tensor* classWeights = nullptr;  // cross-entropy
    float labelSmoothing = 0.f;            // cross-entropy
    float posWeight = 1.f;                 // binary cross-entropy
    float gamma = 2.f, alpha = 0.25f;      // focal
    float delta = 1.f;                     // Huber
};

// ---- optimizer hyper-parameters ------------------------------------------------------------

struct SgdParams {
    float lr = 0.01f, momentum = 0.f, weightDecay = 0.f;
    bool nesterov = false;
};
struct AdamParams {
    float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-8f, weightDecay = 0.f;
    bool decoupled = false;  // AdamW
    int64_t step = 1;        // 1-based step count for bias correction
};
struct RmspropParams {
    float lr = 0.01f, alpha = 0.99f, epsilon = 1e-8f, momentum = 0.f, weightDecay = 0.f;
};

// Dropout's counter-based hash: splitmix64 of seed ^ (index * golden ratio). Every backend uses
// these two functions so that a mask does not depend on the device or the thread count.
inline uint64_t dropoutHash(uint64_t seed, uint64_t index) {
    uint64_t z = seed ^ (index * 0x9E3779B97F4A7C15ull);
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
// Keep element `index` iff a uniform draw in [0,1) with 24-bit resolution is >= p (exact in f32).
inline bool dropoutKeep(uint64_t seed, uint64_t index, float p) {
    return static_cast<float>(dropoutHash(seed, index) >> 40) * (1.0f / 16777216.0f) >= p;
}

struct Support {
    bool ok = true;
    std::string reason;  // why not, and what would make it work
};

enum class Op { Dense, Conv, Pool, BatchNorm, LayerNorm, Eltwise, Softmax, Loss, Optimizer, Rnn, Embedding, Other };

// ---- the interface -------------------------------------------------------------------------

// Memory (device(), allocate(), deallocate()) comes from core's DeviceMemory.
class Backend : public DeviceMemory {
public:
    virtual std::string name() const = 0;  // "CPU (oneDNN 2.6.3, AMD EPYC, 2 threads)"
    virtual Support supports(Op op, DType dtype) const = 0;
    // The thread count (see "Threads" above): 0 means every core. Atomic; no effect on plans
    // already made.
    virtual void setThreads(int threads) = 0;
    virtual int threads() const = 0;

    // Copies and fills.
    virtual void copyFromHost(Tensor& dst, const void* src) = 0;  // dst.bytes() bytes
    virtual void copyToHost(void* dst, const Tensor& src) = 0;
    virtual void copy(const Tensor& src, Tensor& dst) = 0;  // same device, same bytes
    virtual void fill(Tensor& dst, float value) = 0;         // f32

    // Plans for the heavy ops.
    virtual std::unique_ptr<DensePlan> makeDense(const DenseDesc& desc) = 0;
    virtual std::unique_ptr<ConvPlan> makeConv(const ConvDesc& desc) = 0;
    virtual std::unique_ptr<PoolPlan> makePool(const PoolDesc& desc) = 0;
    virtual std::unique_ptr<BatchNormPlan> makeBatchNorm(const BatchNormDesc& desc) = 0;
    virtual std::unique_ptr<LayerNormPlan> makeLayerNorm(const LayerNormDesc& desc) = 0;
    // Recurrent layers; a backend without them throws Unsupported with the reason (and says so
    // in supports(Op::Rnn, F32)).
    virtual std::unique_ptr<RnnPlan> makeRnn(const RnnDesc& desc);
    // A compiled inference plan for the whole program, or null with the reason in *whyNot when
    // this backend cannot compile it (an op it has no form for); callers then run the model layer
    // by layer. The default compiles nothing.
    virtual std::unique_ptr<InferencePlan> makeInference(const InferenceDesc& desc, std::string* whyNot);

    // Elementwise activations, dst = f(src), f from the table in backend/activations.h (alpha is
    // its parameter where it has one). Backward receives both src and dst (dst of the forward)
    // and computes diffSrc = diffDst * f'(src). src and dst may alias in forward only.
    virtual void activationForward(Activation act, float alpha, const Tensor& src, Tensor& dst) = 0;
    virtual void activationBackward(Activation act, float alpha, const Tensor& src,
                                    const Tensor& dst, const Tensor& diffDst, Tensor& diffSrc) = 0;

    // Softmax over dimension 1 of [N, C, inner...], or with log its logarithm (log-softmax,
    // x - logsumexp(x)); backward takes that forward's dst.
    virtual void softmaxForward(const Tensor& src, Tensor& dst, bool log) = 0;
    virtual void softmaxBackward(const Tensor& dst, const Tensor& diffDst, Tensor& diffSrc, bool log) = 0;

    // dst = sum of srcs (same shapes). dst may alias srcs[0].
    virtual void addN(std::span<const Tensor* const> srcs, Tensor& dst) = 0;
    // y += alpha * x (same numel)
    virtual void axpy(float alpha, const Tensor& x, Tensor& y) = 0;
    virtual void scale(Tensor& x, float alpha) = 0;

    // Concatenation along dimension 1 of [N, C_i, inner...] (same N and inner); split is its
    // backward: diffSrcs[i] = the matching channel block of diffDst.
    virtual void concat(std::span<const Tensor* const> srcs, Tensor& dst) = 0;
    virtual void split(const Tensor& diffDst, std::span<Tensor* const> diffSrcs) = 0;

    // Inverted dropout: mask[i] = dropoutKeep(seed, i, p) ? 1/(1-p) : 0 (the counter-based hash
    // below, shared by every backend so masks agree bit for bit); dst = src * mask. mask is f32.
    virtual void dropoutForward(const Tensor& src, Tensor& dst, Tensor& mask, float p,
                                uint64_t seed) = 0;
    virtual void multiply(const Tensor& a, const Tensor& b, Tensor& dst) = 0;  // dst = a * b

    // Batch gather: dst[i, ...] = src[indices[i], ...] * scale (+ per-feature standardization
    // when mean and invStd are given: (x*scale - mean[f]) * invStd[f]). src is u8 or f32 on this
    // device, indices i32 on this device, dst f32.
    virtual void gatherRows(const Tensor& src, const Tensor& indices, int64_t count, float scale,
                            const Tensor* mean, const Tensor* invStd, Tensor& dst) = 0;
    virtual void gatherLabels(const Tensor& labels, const Tensor& indices, int64_t count,
                              Tensor& dst) = 0;  // i32 or f32 rows

    // Embedding lookup (Op::Embedding; a backend without it throws Unsupported with the reason,
    // as supports() says). ids: f32 [count] holding whole numbers (rounded to the nearest);
    // weight [V, D]; dst [count, D]: dst[i, :] = weight[id_i, :], a row of zeros where id_i is
    // paddingIdx (-1: none). An id outside [0, V) (or NaN) is Error{BadInput} naming it.
    virtual void embeddingForward(const Tensor& ids, const Tensor& weight, int64_t paddingIdx,
                                  Tensor& dst);
    // Its weight gradient: OVERWRITES diffWeight [V, D] with, for each row v, the sum of
    // diffDst[i, :] over the i with id_i == v (zero for paddingIdx and for unused rows), summed in
    // the order of i so the result does not depend on the thread count.
    virtual void embeddingBackward(const Tensor& ids, const Tensor& diffDst, int64_t paddingIdx,
                                   Tensor& diffWeight);

    // Fused losses. Each returns the mean loss over the batch and writes diffLogits = dLoss/dLogits
    // (already divided by the batch size, or by the sum of sample weights for weighted CE).
    // labels: i32 [N] class indices for the classification losses; f32 [N, D] for regression.
    // Softmax cross-entropy as torch.nn.CrossEntropyLoss(weight, label_smoothing).
    virtual float softmaxCrossEntropy(const Tensor& logits, const Tensor& labels,
                                      const Tensor* classWeights, float labelSmoothing,
                                      Tensor& diffLogits) = 0;
    // Binary cross-entropy on logits [N,1] with f32 targets [N,1] in [0,1]
    // (torch.nn.BCEWithLogitsLoss); posWeight scales the positive term.
    virtual float binaryCrossEntropy(const Tensor& logits, const Tensor& targets, float posWeight,
                                     Tensor& diffLogits) = 0;
    // Multi-class focal loss on softmax probabilities: mean of -alpha (1-p_t)^gamma log p_t.
    virtual float focalLoss(const Tensor& logits, const Tensor& labels, float gamma, float alpha,
                            Tensor& diffLogits) = 0;
    // Mean squared error and Huber (delta) over all elements, as torch's reduction='mean'.
    virtual float mseLoss(const Tensor& pred, const Tensor& targets, Tensor& diffPred) = 0;
    virtual float huberLoss(const Tensor& pred, const Tensor& targets, float delta,
                            Tensor& diffPred) = 0;

    // A step's loss and correct count without a host round trip (engine/train/step_scalars.h):
    // lossInto runs the fused loss args.op and writes its mean into dst[index] (f32 on this
    // device) instead of returning it; a bad label is then reported by the next read-back.
    // countCorrect ADDS to dst[index] the number of rows i of logits [N, C] predicted right: the
    // first largest logit is labels[i] (i32 [N]) for C > 1; for C == 1, logit > 0 equals
    // target > 0.5 (labels f32 [N, 1] of 0/1 targets). Counts stay exact in f32 up to 2^24.
    // The defaults run the functions above and move the values through the host; a backend
    // whose read-backs stall queued work (readBackStalls) overrides them.
    virtual void lossInto(const LossArgs& args, const Tensor& logits, const Tensor& targets,
                          Tensor& diffLogits, Tensor& dst, int64_t index);
    virtual void countCorrect(const Tensor& logits, const Tensor& labels, Tensor& dst, int64_t index);
    // True when bringing a value to the host waits for all queued device work (a GPU's stream):
    // the trainer then reads several steps' losses at once rather than one per step.
    virtual bool readBackStalls() const { return false; }
    // The loss of `args.op` returned to the host (dispatches to the functions above).
    float loss(const LossArgs& args, const Tensor& logits, const Tensor& targets, Tensor& diffLogits);

    // Optimizer updates over flat arrays (the whole parameter store in one call).
    // Formulas as torch.optim.SGD / Adam / AdamW / RMSprop.
    virtual void sgdStep(Tensor& params, const Tensor& grads, Tensor& velocity,
                         const SgdParams& p) = 0;
    virtual void adamStep(Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
                          const AdamParams& p) = 0;
    virtual void rmspropStep(Tensor& params, const Tensor& grads, Tensor& squareAvg,
                             Tensor& momentumBuf, const RmspropParams& p) = 0;
    // grads += l1 * sign(params) + l2 * params (explicit regularization of weight tensors).
    virtual void regularize(const Tensor& params, Tensor& grads, float l1, float l2) = 0;

    // Reductions used by clipping, the NaN scan and metrics (results come back to the host).
    virtual double sumSquares(const Tensor& x) = 0;
    virtual bool allFinite(const Tensor& x) = 0;
};

}  // namespace neurite
