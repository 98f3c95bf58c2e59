// The CUDA backend's own kernels (cuda_kernels_*.cu) as host launchers on raw device pointers.
// Each launcher enqueues on `stream` and returns the launch status; nothing here synchronizes.
// This header is plain C++ (of the engine only backend/activations.h, itself plain C++17), so
// nvcc and the host compiler both read it.
#pragma once

#include <cstddef>
#include <cstdint>

#include <cuda_runtime_api.h>

#include "backend/activations.h"

namespace neurite::cuda {

// Errors found by kernels (bad indices, labels out of range), written into device memory and
// read back with the next scalar result; code 0 means none. The first error wins.
struct DeviceStatus {
    int code = 0;  // one of the kStatus* values
    int pad = 0;
    long long a = 0, b = 0, c = 0;
};
constexpr int kStatusBadRow = 1;         // a = row index, b = rows            (gatherRows)
constexpr int kStatusBadLabelRow = 2;    // a = row index, b = rows            (gatherLabels)
constexpr int kStatusLabelOutside = 3;   // a = label, b = sample, c = classes (losses)
constexpr int kStatusBadToken = 4;       // a = the id's float bits, b = vocabulary (embedding)

// Scalar results of reductions, kept in one small device buffer and copied back together with
// the status in one transfer.
struct DeviceScalars {
    double sum = 0.0;     // loss sum, sum of squares
    double weight = 0.0;  // the sum of class weights of the batch's labels (weighted CE)
    int nonFinite = 0;    // allFinite
    int pad = 0;
    DeviceStatus status;
};

// ---- elementwise (cuda_kernels_eltwise.cu) ------------------------------------------------
cudaError_t launchFill(float* y, int64_t n, float value, cudaStream_t s);
cudaError_t launchActivationForward(Activation act, float alpha, const float* x, float* y,
                                    int64_t n, cudaStream_t s);
cudaError_t launchActivationBackward(Activation act, float alpha, const float* x, const float* y,
                                     const float* dy, float* dx, int64_t n, cudaStream_t s);
// Softmax (log: log-softmax) over dimension 1 of [outer, channels, inner].
cudaError_t launchSoftmaxForward(const float* x, float* y, int64_t outer, int64_t channels,
                                 int64_t inner, bool log, cudaStream_t s);
cudaError_t launchSoftmaxBackward(const float* y, const float* dy, float* dx, int64_t outer,
                                  int64_t channels, int64_t inner, bool log, cudaStream_t s);
constexpr int kMaxAddN = 8;
// y = srcs[0] + ... + srcs[count-1] (count <= kMaxAddN), added left to right like the CPU.
cudaError_t launchAddN(const float* const* srcs, int count, float* y, int64_t n, cudaStream_t s);
cudaError_t launchAxpy(float alpha, const float* x, float* y, int64_t n, cudaStream_t s);
cudaError_t launchScale(float* x, float alpha, int64_t n, cudaStream_t s);
cudaError_t launchMultiply(const float* a, const float* b, float* y, int64_t n, cudaStream_t s);
cudaError_t launchDropout(const float* x, float* y, float* mask, int64_t n, float p,
                          uint64_t seed, cudaStream_t s);
// dst[i, :] = src[idx[i], :] * scale, then (x - mean[f]) * invStd[f] when mean is given.
cudaError_t launchGatherRows(const void* src, bool u8, int64_t rows, int64_t features,
                             const int32_t* idx, int64_t count, float scale, const float* mean,
                             const float* invStd, float* dst, DeviceStatus* status,
                             cudaStream_t s);
cudaError_t launchGatherLabels(const uint32_t* labels, int64_t rows, int64_t rowSize,
                               const int32_t* idx, int64_t count, uint32_t* dst,
                               DeviceStatus* status, cudaStream_t s);
// dst[n, k] += bias[k] over [outer, k, inner] (inner = 1 for dense).
cudaError_t launchAddBias(float* dst, const float* bias, int64_t outer, int64_t channels,
                          int64_t inner, cudaStream_t s);
// diffBias[k] = sum of diff[n, k, i] over n and i for [outer, channels, inner] (inner = 1 for
// dense), in double: each channel's outer * inner values are cut into biasGradChunks(...) runs
// summed by one block each, then the partials of each channel are added in order (the cut
// depends on the shape alone, so the sums are the same bits on every run). `partials` holds
// channels * biasGradChunks(outer, inner) doubles.
int64_t biasGradChunks(int64_t outer, int64_t inner);
cudaError_t launchBiasGrad(const float* diff, float* diffBias, int64_t outer, int64_t channels,
                           int64_t inner, double* partials, cudaStream_t s);
// dst[b, c, r] = src[b, r, c] for [batch, rows, cols] (Conv1D's [N, T, C] <-> [N, C, T]).
cudaError_t launchTranspose(const float* src, float* dst, int64_t batch, int64_t rows,
                            int64_t cols, cudaStream_t s);
// Zero-padding copy [N, C, H, W] -> [N, C, H + top + bottom, W + left + right] and its inverse
// (crop) for convolutions with asymmetric padding.
cudaError_t launchPad(const float* src, float* dst, int64_t nc, int64_t h, int64_t w,
                      int64_t top, int64_t left, int64_t ph, int64_t pw, cudaStream_t s);
cudaError_t launchCrop(const float* src, float* dst, int64_t nc, int64_t h, int64_t w,
                       int64_t top, int64_t left, int64_t ph, int64_t pw, cudaStream_t s);

// ---- pooling (cuda_kernels_pool.cu) -------------------------------------------------------
struct PoolShape {
    int64_t nc, h, w, oh, ow, kh, kw, sh, sw, padTop, padLeft;
    bool max;
};
// Max keeps the index (within the plane) of the first maximum in argmax for backward; Avg
// divides by the number of window cells inside the input (padding excluded).
cudaError_t launchPoolForward(const PoolShape& p, const float* x, float* y, int32_t* argmax,
                              cudaStream_t s);
cudaError_t launchPoolBackward(const PoolShape& p, const float* dy, const int32_t* argmax,
                               float* dx, cudaStream_t s);

// ---- layer norm (cuda_kernels_norm.cu) ----------------------------------------------------
// Over x [rows, n] with gamma, beta [n] (backend.h, LayerNormPlan). Forward writes y and saves
// each row's mean (double) and 1/sqrt(var + eps) (float) for backward.
cudaError_t launchLayerNormForward(const float* x, const float* gamma, const float* beta, float* y,
                                   double* mean, float* rstd, int64_t rows, int64_t n, float eps,
                                   cudaStream_t s);
cudaError_t launchLayerNormBackwardData(const float* x, const float* dy, const float* gamma,
                                        const double* mean, const float* rstd, float* dx,
                                        int64_t rows, int64_t n, cudaStream_t s);
// The row partition of the gamma/beta reduction, a function of the shape alone (so the sums are
// the same bits on every run): up to 128 blocks of at least 128 rows, with at most 2^20
// partials per gradient.
inline int64_t layerNormRowBlocks(int64_t rows, int64_t n) {
    int64_t blocks = (rows + 127) / 128;
    if (blocks > 128) blocks = 128;
    if (blocks * n > (int64_t(1) << 20)) blocks = (int64_t(1) << 20) / n;
    return blocks < 1 ? 1 : blocks;
}
// dGamma = sum over rows of dy xhat, dBeta = sum of dy (overwritten), with `partials`
// (2 * rowBlocks * n doubles, rowBlocks = layerNormRowBlocks(rows, n)) as scratch.
cudaError_t launchLayerNormBackwardParams(const float* x, const float* dy, const double* mean,
                                          const float* rstd, double* partials, int64_t rowBlocks,
                                          float* dGamma, float* dBeta, int64_t rows, int64_t n,
                                          cudaStream_t s);

// ---- losses, optimizers, reductions (cuda_kernels_loss.cu) --------------------------------
// Each loss writes per-row (or per-element) loss terms into `terms` (double, one per row or
// element) and the gradient; launchSumTerms then adds the terms into scalars->sum in a fixed
// order. The weighted cross-entropy first needs launchLabelWeightSum (scalars->weight).
cudaError_t launchLabelWeightSum(const int32_t* labels, const float* classWeights, int64_t n,
                                 int64_t classes, DeviceScalars* scalars, cudaStream_t s);
// invScale: 1/N without class weights; ignored (1/scalars->weight is used) with them.
cudaError_t launchSoftmaxCrossEntropy(const float* logits, const int32_t* labels,
                                      const float* classWeights, float labelSmoothing,
                                      double classWeightSum, float invScale,
                                      const DeviceScalars* scalars, float* diff, double* terms,
                                      int64_t n, int64_t classes, DeviceStatus* status,
                                      cudaStream_t s);
cudaError_t launchFocalLoss(const float* logits, const int32_t* labels, float gamma, float alpha,
                            float* diff, double* terms, int64_t n, int64_t classes,
                            DeviceStatus* status, cudaStream_t s);
cudaError_t launchBinaryCrossEntropy(const float* x, const float* t, float posWeight, float* diff,
                                     double* terms, int64_t n, cudaStream_t s);
cudaError_t launchMse(const float* p, const float* t, float* diff, double* terms, int64_t n,
                      cudaStream_t s);
cudaError_t launchHuber(const float* p, const float* t, float delta, float* diff, double* terms,
                        int64_t n, cudaStream_t s);
// scalars->sum = sum of terms[0, n), in an order fixed by n alone (deterministic), with
// `partials` (kReducePartials doubles) as scratch.
constexpr int kReducePartials = 256;
cudaError_t launchSumTerms(const double* terms, int64_t n, double* partials,
                           DeviceScalars* scalars, cudaStream_t s);
// *out = scalars->sum / divisor as f32 (divisor < 0: / scalars->weight), on the stream: a loss
// kept on the device (Backend::lossInto).
cudaError_t launchStoreMean(const DeviceScalars* scalars, double divisor, float* out, cudaStream_t s);
// *out += rows of logits [n, classes] predicted right (Backend::countCorrect): labels i32 for
// classes > 1, targets f32 0/1 for classes == 1 (the other pointer may be null).
cudaError_t launchCountCorrect(const float* logits, const int32_t* labels, const float* targets,
                               int64_t n, int64_t classes, float* out, cudaStream_t s);
// scalars->sum = sum of x^2 in double, with `partials` as above.
cudaError_t launchSumSquares(const float* x, int64_t n, double* partials, DeviceScalars* scalars,
                             cudaStream_t s);
// scalars->nonFinite = 1 when any element is NaN or infinite (the caller zeroes it first).
cudaError_t launchNonFinite(const float* x, int64_t n, DeviceScalars* scalars, cudaStream_t s);

struct SgdArgs {
    float lr, momentum, weightDecay;
    bool nesterov;
};
struct AdamArgs {
    float stepSize, bc2Sqrt, b1, b2, eps, decay, shrink;
};
struct RmspropArgs {
    float lr, alpha, eps, decay, momentum;
};
cudaError_t launchSgd(float* w, const float* g, float* velocity, int64_t n, SgdArgs a,
                      cudaStream_t s);
cudaError_t launchAdam(float* w, const float* g, float* m, float* v, int64_t n, AdamArgs a,
                       cudaStream_t s);
cudaError_t launchRmsprop(float* w, const float* g, float* sq, float* buf, int64_t n,
                          RmspropArgs a, cudaStream_t s);
cudaError_t launchRegularize(const float* w, float* g, int64_t n, float l1, float l2,
                             cudaStream_t s);

// ---- sequence layers (cuda_kernels_seq.cu) ------------------------------------------------
// Embedding (backend.h): y [count, dim] = the rows of w [rows, dim] named by the f32 ids (zeros
// for `padding`, -1: none); a bad id is reported through `st` (kStatusBadToken).
cudaError_t launchEmbeddingForward(const float* ids, const float* w, float* y, int64_t count,
                                   int64_t rows, int64_t dim, int64_t padding, DeviceStatus* st,
                                   cudaStream_t s);
// Its weight gradient, dw [rows, dim] overwritten, each id's rows added in token order; needs
// `scratch` of embeddingScratchBytes(count) bytes (count < 2^31).
std::size_t embeddingScratchBytes(int64_t count);
cudaError_t launchEmbeddingBackward(const float* ids, const float* dy, float* dw, int64_t count,
                                    int64_t rows, int64_t dim, int64_t padding, void* scratch,
                                    std::size_t scratchBytes, DeviceStatus* st, cudaStream_t s);
// The directions of a recurrent result: element (a, d, j) of src at src[a*so + d*sd + j], for
// `outer` values of a, `dirs` directions and `hidden` values j. Merge writes dst [outer, dirs *
// hidden] (concatenated) or, with sum, [outer, hidden] (the directions added in order); split is
// its gradient, writing every (a, d, j) of dst from g in the merged layout.
cudaError_t launchRnnMerge(const float* src, float* dst, int64_t outer, int dirs, int64_t hidden,
                           int64_t so, int64_t sd, bool sum, cudaStream_t s);
cudaError_t launchRnnSplit(const float* g, float* dst, int64_t outer, int dirs, int64_t hidden,
                           int64_t so, int64_t sd, bool sum, cudaStream_t s);

}  // namespace neurite::cuda
