// The CPU backend's kernels as free functions, one group per op-family file; CpuBackend
// (cpu_backend.cpp) forwards its Backend methods here with its thread configuration.
#pragma once

#include <memory>
#include <span>

#include "backend/backend.h"
#include "backend/cpu/cpu_common.h"

namespace neurite::cpu {

// cpu_dense.cpp, cpu_conv.cpp, cpu_pool.cpp, cpu_batchnorm.cpp, cpu_layernorm.cpp
std::unique_ptr<DensePlan> makeDensePlan(const DenseDesc& desc, const ThreadConfig& tc);
std::unique_ptr<ConvPlan> makeConvPlan(const ConvDesc& desc, const ThreadConfig& tc);
std::unique_ptr<PoolPlan> makePoolPlan(const PoolDesc& desc, const ThreadConfig& tc);
std::unique_ptr<BatchNormPlan> makeBatchNormPlan(const BatchNormDesc& desc, const ThreadConfig& tc);
std::unique_ptr<LayerNormPlan> makeLayerNormPlan(const LayerNormDesc& desc, const ThreadConfig& tc);
std::unique_ptr<RnnPlan> makeRnnPlan(const RnnDesc& desc, const ThreadConfig& tc);
// cpu_inference.cpp: null with the reason when oneDNN has no implementation for an op
std::unique_ptr<InferencePlan> makeInferencePlan(const InferenceDesc& desc, const ThreadConfig& tc,
                                                 std::string* whyNot);

// cpu_eltwise.cpp
void fill(const ThreadConfig& tc, Tensor& dst, float value);
void activationForward(const ThreadConfig& tc, Activation act, float alpha, const Tensor& src,
                       Tensor& dst);
void activationBackward(const ThreadConfig& tc, Activation act, float alpha, const Tensor& src,
                        const Tensor& dst, const Tensor& diffDst, Tensor& diffSrc);
void softmaxForward(const ThreadConfig& tc, const Tensor& src, Tensor& dst, bool log);
void softmaxBackward(const ThreadConfig& tc, const Tensor& dst, const Tensor& diffDst,
                     Tensor& diffSrc, bool log);
void addN(const ThreadConfig& tc, std::span<const Tensor* const> srcs, Tensor& dst);
void axpy(const ThreadConfig& tc, float alpha, const Tensor& x, Tensor& y);
void scale(const ThreadConfig& tc, Tensor& x, float alpha);
void multiply(const ThreadConfig& tc, const Tensor& a, const Tensor& b, Tensor& dst);

// cpu_data.cpp
void concat(const ThreadConfig& tc, std::span<const Tensor* const> srcs, Tensor& dst);
void split(const ThreadConfig& tc, const Tensor& diffDst, std::span<Tensor* const> diffSrcs);
void dropoutForward(const ThreadConfig& tc, const Tensor& src, Tensor& dst, Tensor& mask, float p,
                    uint64_t seed);
void gatherRows(const ThreadConfig& tc, const Tensor& src, const Tensor& indices, int64_t count,
                float scale, const Tensor* mean, const Tensor* invStd, Tensor& dst);
void gatherLabels(const ThreadConfig& tc, const Tensor& labels, const Tensor& indices,
                  int64_t count, Tensor& dst);
void embeddingForward(const ThreadConfig& tc, const Tensor& ids, const Tensor& weight,
                      int64_t paddingIdx, Tensor& dst);
void embeddingBackward(const ThreadConfig& tc, const Tensor& ids, const Tensor& diffDst,
                       int64_t paddingIdx, Tensor& diffWeight);

// cpu_loss.cpp
float softmaxCrossEntropy(const ThreadConfig& tc, const Tensor& logits, const Tensor& labels,
                          const Tensor* classWeights, float labelSmoothing, Tensor& diffLogits);
float binaryCrossEntropy(const ThreadConfig& tc, const Tensor& logits, const Tensor& targets,
                         float posWeight, Tensor& diffLogits);
float focalLoss(const ThreadConfig& tc, const Tensor& logits, const Tensor& labels, float gamma,
                float alpha, Tensor& diffLogits);
float mseLoss(const ThreadConfig& tc, const Tensor& pred, const Tensor& targets, Tensor& diffPred);
float huberLoss(const ThreadConfig& tc, const Tensor& pred, const Tensor& targets, float delta,
                Tensor& diffPred);

// cpu_optim.cpp
void sgdStep(const ThreadConfig& tc, Tensor& params, const Tensor& grads, Tensor& velocity,
             const SgdParams& p);
void adamStep(const ThreadConfig& tc, Tensor& params, const Tensor& grads, Tensor& m, Tensor& v,
              const AdamParams& p);
void rmspropStep(const ThreadConfig& tc, Tensor& params, const Tensor& grads, Tensor& squareAvg,
                 Tensor& momentumBuf, const RmspropParams& p);
void regularize(const ThreadConfig& tc, const Tensor& params, Tensor& grads, float l1, float l2);
double sumSquares(const ThreadConfig& tc, const Tensor& x);
bool allFinite(const ThreadConfig& tc, const Tensor& x);

} // namespace neurite::cpu
