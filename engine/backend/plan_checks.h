// Argument checks every backend runs before building a plan or gathering a batch, so that the
// CPU and the CUDA backend refuse the same descriptors with the same messages. Bad sizes in a
// descriptor come from the user's model (Error{BadInput}); bad tensors are a caller's bug
// (Error{Internal}).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <utility>

#include "backend/backend.h"

namespace neurite {

// Throw BadInput naming the plan when any named size is not positive / is negative.
void requirePositive(const char* plan, std::initializer_list<std::pair<const char*, int64_t>> sizes);
void requireNonNegative(const char* plan,
                        std::initializer_list<std::pair<const char*, int64_t>> sizes);

void checkDenseDesc(const DenseDesc& d);
void checkConvDesc(const ConvDesc& d);
void checkPoolDesc(const PoolDesc& d);
void checkBatchNormDesc(const BatchNormDesc& d);
void checkLayerNormDesc(const LayerNormDesc& d);
void checkRnnDesc(const RnnDesc& d);
// RnnPlan's tensors: fp32 of the descriptor's sizes (Internal otherwise).
void checkRnnTensors(const RnnDesc& d, const Tensor& src, const RnnWeights& w, const Tensor* dst,
                     const Tensor* last);
void checkRnnGrads(const RnnDesc& d, const Tensor* diffDst, const Tensor* diffLast,
                   const Tensor* diffSrc, const RnnGrads& g);
// BatchNormPlan's tensors: fp32 of the descriptor's sizes (Internal otherwise). Training needs
// more than one value per channel (BadInput: a batch of 1 without spatial size); backward needs
// a training forward on the same plan first.
void checkBatchNormForward(const BatchNormDesc& d, bool training, const Tensor& src, const Tensor& gamma,
                           const Tensor& beta, const Tensor& runningMean, const Tensor& runningVar,
                           const Tensor& dst);
void checkBatchNormBackward(const BatchNormDesc& d, bool haveStats, const Tensor& src,
                            const Tensor& diffDst, const Tensor& gamma, const Tensor& diffSrc,
                            const Tensor& diffGamma, const Tensor& diffBeta);
// LayerNormPlan's tensors: fp32 of the descriptor's sizes (Internal otherwise); backward also
// needs a forward on the same plan first (haveStats). The device is each backend's own check.
void checkLayerNormForward(const LayerNormDesc& d, const Tensor& src, const Tensor& gamma,
                           const Tensor& beta, const Tensor& dst);
void checkLayerNormBackward(const LayerNormDesc& d, bool haveStats, const Tensor& src,
                            const Tensor& diffDst, const Tensor& gamma, const Tensor& diffSrc,
                            const Tensor& diffGamma, const Tensor& diffBeta);

// Backend::gatherRows and gatherLabels: dtypes, index count and output sizes (not the device).
// gatherRows returns the values per row, gatherLabels the labels per row.
int64_t checkGatherRows(const Tensor& src, const Tensor& indices, int64_t count, const Tensor* mean,
                        const Tensor* invStd, const Tensor& dst);
// Classification losses: logits [N, C], diff of the same size, i32 labels [N]; returns C. The
// labels' range is checked where they live (on the host by the CPU, on the device by CUDA).
int64_t checkClassificationShapes(const Tensor& logits, const Tensor& labels, const Tensor& diff,
                                  const char* what);
int64_t checkGatherLabels(const Tensor& labels, const Tensor& indices, int64_t count,
                          const Tensor& dst);
// Backend::embeddingForward/Backward: f32 ids, weight [V, D], rows [count, D] (Internal
// otherwise); returns D.
int64_t checkEmbedding(const Tensor& ids, const Tensor& weight, const Tensor& rows);
// The row of weight an id names: the nearest whole number, Error{BadInput} outside [0, rows).
int64_t embeddingRow(float id, int64_t rows);
// The message of that error (the CUDA backend reports it after the kernel found the id).
std::string embeddingIdMessage(float id, int64_t rows);

}  // namespace neurite
